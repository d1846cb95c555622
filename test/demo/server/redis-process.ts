/**
 * A real `redis-server` of the test's own on a free port (never a shared one: instances of
 * different test files would hear each other's events), which a test may stop and start again on
 * the same port to stage an outage. Fails clearly when the binary is missing: never skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';

export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface RedisProcess {
  url: string;
  /** Stops the server (its data is not kept: Parley keeps nothing in Redis that must survive). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

export async function startRedis(): Promise<RedisProcess> {
  const bin = process.env.REDIS_SERVER ?? 'redis-server';
  if (spawnSync(bin, ['--version']).error) {
    throw new Error(
      `redis-server not found (${bin}): install it (apt-get install redis-server); this test needs a real Redis`,
    );
  }
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const c = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      c.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: async () => {
      const c = child;
      // Killed by a signal, a process has no exit code: signalCode says it is gone too.
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await exited;
    },
  };
}
