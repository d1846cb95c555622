/**
 * What the measures share: the run context (cleanup, deadline), statistics, temporary
 * directories, a Redis of our own, Chromium, and the reference server with bench users.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ParleyServer } from '../../demo/server/index.js';
import type { ServerOptions } from '../../demo/server/options.js';
import type { Row } from './table.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Handed to every measure: register closers with `defer`; stop looping once `signal` aborts. */
export interface BenchContext {
  /** Runs `close` when the measure ends (done, failed or timed out), last registered first. */
  defer(close: () => unknown): void;
  signal: AbortSignal;
  /** What the runner tells the measures (e.g. `buildError`). */
  shared: Map<string, unknown>;
  log(message: string): void;
}

/** A measure: the rows it produces, and the names of those rows for when it fails to run. */
export interface Measure {
  name: string;
  rows: readonly { measure: string; goal: string }[];
  /** Hard limit; the measure's rows become errors past it. */
  timeoutMs: number;
  run(ctx: BenchContext): Promise<Row[]>;
}

/** The value at quantile `q` (0..1) of `values` (nearest rank). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Nanoseconds this process's main thread has so far spent ready to run but without a core (the
 * Linux run queue, `/proc/self/task/<pid>/schedstat`); 0 where that file does not exist. A sample
 * during which it grew was delayed by the machine's other work, not by the code measured.
 */
export function runQueueNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) || 0;
  } catch {
    return 0;
  }
}

/** Throws when the measure's time is up (call it inside loops). */
export function checkAborted(ctx: BenchContext): void {
  if (ctx.signal.aborted) throw new Error('aborted: measure timed out');
}

/** Resolves once `predicate` is true; polls every `everyMs`; rejects with `what` past `timeoutMs`. */
export async function waitFor(
  ctx: BenchContext,
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 10,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    checkAborted(ctx);
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fresh temporary directory, removed when the measure ends. */
export function tempDir(ctx: BenchContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `parley-bench-${prefix}-`));
  ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Spawns `redis-server` on a free port (no persistence); killed when the measure ends. */
export async function startRedis(ctx: BenchContext): Promise<string> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  // Never outlive the run, whatever happens to the measure.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  ctx.defer(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output.slice(-300)}`)), 10_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not be spawned: ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output.slice(-300)}`));
    });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
  return `redis://127.0.0.1:${port}`;
}

interface ChromiumHelpers {
  findChromium(): string | undefined;
  chromiumArgs: string[];
}

/** Launches headless Debian Chromium; closed when the measure ends. */
export async function launchChromium(ctx: BenchContext): Promise<Browser> {
  const helpersPath = join(ROOT, 'scripts/chromium.mjs');
  const { findChromium, chromiumArgs } = (await import(helpersPath)) as ChromiumHelpers;
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found (install chromium or set CHROME_PATH)');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: chromiumArgs, timeout: 30_000 });
  ctx.defer(() => browser.close());
  return browser;
}

/** Sends a JSON request; throws on a non-2xx answer with its body. */
export async function api<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Runs `task` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}

// ---------------------------------------------------------------- the reference server

/** Rate limits loose enough that a benchmark measures the work, not the limiter. */
export const BENCH_RATE_LIMITS = {
  loginFailures: 1_000_000,
  writes: 1_000_000,
  writeWindowMs: 1_000,
  socketBurst: 1_000_000,
  socketRefillPerSec: 1_000_000,
  socketStrikes: 1_000_000,
};

/** Long enough that no bot reply lands inside a measured round (set `botDelayMs` to measure with it). */
export const BOT_HELD_BACK_MS = 10 * 60_000;

export const BENCH_PASSWORD = 'bench-password-1';

export interface BenchUser {
  username: string;
  token: string;
  /** A JSON request as this user against the first instance. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * Starts `instances` reference servers on 127.0.0.1:0 sharing one fresh data dir (and `redisUrl`),
 * seeds `users` bench users (bench000, bench001, ...) and logs each in. Closed when the measure ends.
 */
export async function startParley(
  ctx: BenchContext,
  options: {
    instances?: number;
    users?: number;
    redisUrl?: string;
    botDelayMs?: number;
    dataDir?: string;
    /** `postgres://...`: the instances share this database (each with a data dir of its own). */
    databaseUrl?: string;
    /** More `createServer` options (e.g. the bot: `bot`, `botWordsPerSecond`). */
    extra?: Partial<ServerOptions>;
  } = {},
): Promise<{ servers: ParleyServer[]; users: BenchUser[]; dataDir: string }> {
  // Loaded on demand: a broken server fails the measures that need it, not the whole run.
  const { createServer } = await import('../../demo/server/index.js');
  const dataDir = options.dataDir ?? tempDir(ctx, 'server');
  const usernames = Array.from({ length: options.users ?? 0 }, (_, i) => `bench${String(i).padStart(3, '0')}`);
  const servers: ParleyServer[] = [];
  for (let i = 0; i < (options.instances ?? 1); i++) {
    const server = await createServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: options.databaseUrl && i > 0 ? tempDir(ctx, `server-${i}`) : dataDir,
      databaseUrl: options.databaseUrl,
      jwtSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
      demoUsers: false,
      users: usernames.map((username) => ({ username, password: BENCH_PASSWORD })),
      botDelayMs: options.botDelayMs ?? BOT_HELD_BACK_MS,
      rateLimits: BENCH_RATE_LIMITS,
      logLevel: 'silent',
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      ...options.extra,
    });
    ctx.defer(() => server.close());
    servers.push(server);
  }
  const base = servers[0]!.url;
  const users = await mapLimit(usernames, 4, async (username) => {
    const { token } = await api<{ token: string }>(base, 'POST', '/api/auth/login', {
      body: { username, password: BENCH_PASSWORD },
    });
    return {
      username,
      token,
      api: <T>(method: string, path: string, body?: unknown) => api<T>(base, method, path, { token, body }),
    };
  });
  return { servers, users, dataDir };
}

/**
 * A TCP proxy on 127.0.0.1 to `targetPort` that can be cut like a network drop: `cut()` resets
 * every open connection and refuses new ones until `restore()`. Closed when the measure ends.
 */
export async function startTcpProxy(
  ctx: BenchContext,
  targetPort: number,
): Promise<{ url: string; cut(): void; restore(): void }> {
  const pairs = new Set<Socket>();
  let down = false;
  const server = createNetServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    pairs.add(client);
    pairs.add(upstream);
    const drop = () => {
      pairs.delete(client);
      pairs.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.defer(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of pairs) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      down = true;
      for (const socket of pairs) socket.resetAndDestroy();
      pairs.clear();
    },
    restore() {
      down = false;
    },
  };
}

/** A bare `ws` server on 127.0.0.1, an anchor; it and its clients are closed when the measure ends. */
export async function startRawWsServer(ctx: BenchContext, onConnection: (ws: WebSocket) => void): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  ctx.defer(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  );
  wss.on('connection', onConnection);
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
}
