/**
 * The real reference server for end-to-end tests: in this process (`startServer`) or in a child
 * process that a test can SIGKILL and restart on the same port and data (`startServerProcess`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../../../demo/server/app.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The tests load the built script-tag file; say how to get it instead of failing obscurely. */
export function requireBuild(): void {
  if (!existsSync(join(root, 'dist/parley.js'))) {
    throw new Error('dist/parley.js is missing: build first with `npx rollup -c rollup.config.mjs` (npm test does).');
  }
}

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  close(): Promise<void>;
}

export const BOT_DELAY_MS = 20;

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'parley-e2e-'));
}

/** Options a scenario may add to the test server's (e.g. a slower bot). */
export type ServerExtras = Omit<Parameters<typeof createServer>[0], 'port' | 'host' | 'dataDir'>;

/** The server in this process, on a free port of 127.0.0.1, with a temporary data folder. */
export async function startServer(extras: ServerExtras = {}): Promise<TestServer> {
  requireBuild();
  const dataDir = tempDataDir();
  const server = await createServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    botDelayMs: BOT_DELAY_MS,
    logLevel: 'silent',
    ...extras,
  });
  return {
    url: server.url,
    port: server.port,
    dataDir,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A server in a child process: `kill()` is a real crash (SIGKILL), `start()` comes back on the same port and data. */
export class ServerProcess {
  readonly dataDir = tempDataDir();
  readonly #secret = randomBytes(32).toString('hex');
  #child: ChildProcess | null = null;
  port = 0;
  url = '';

  async start(): Promise<void> {
    requireBuild();
    const script = fileURLToPath(new URL('./server-process.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, String(this.port), this.dataDir, this.#secret], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    this.url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`server process did not start within 60 s: ${stderr}`)), 60_000);
      child.stdout!.on('data', (chunk) => {
        stdout += String(chunk);
        const match = /listening (\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server process exited (${code ?? signal}) before listening: ${stderr}`));
      });
    });
    this.port = Number(new URL(this.url).port);
  }

  /** SIGKILL: no graceful close, no flushed writes, sockets cut. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    this.#child = null;
  }

  async close(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
