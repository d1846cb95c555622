/**
 * The soak's server, in a process of its own so its memory and open files are its alone: the
 * reference server on a free port, a temporary data folder, the users given as JSON in argv[2]
 * and the load's loosened limits. Prints one JSON line `{url, pid}` once listening; stops on SIGTERM.
 *
 * It also watches itself: a line `mark` on stdin starts a measurement (event-loop delay histogram,
 * CPU time), a line `report` prints it as one JSON line (`ServerReport`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createServer } from '../../demo/server/app.js';
import { LOAD_RATE_LIMITS } from './limits.js';

/** What the server measured between `mark` and `report`. */
export interface ServerReport {
  /** Event-loop delay percentiles past the 10 ms sampling interval, ms (how late a due timer ran). */
  loopDelay: { p50: number; p99: number; max: number };
  /** CPU time the server used (user + system), ms. */
  cpuMs: number;
  /** Time the server's main thread was ready to run but waited for a core (Linux run queue), ms. */
  runQueueMs: number;
  /** Wall time between the two lines, ms. */
  wallMs: number;
}

const users = JSON.parse(process.argv[2] ?? '[]') as { username: string; password: string }[];
const dataDir = mkdtempSync(join(tmpdir(), 'parley-soak-'));
const server = await createServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  demoUsers: false,
  users,
  logLevel: 'silent',
  rateLimits: LOAD_RATE_LIMITS,
});

const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
/** Nanoseconds the main thread has waited on a run queue (0 where /proc is missing). */
function runQueueNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return 0;
  }
}
let cpuAt = process.cpuUsage();
let queuedAt = runQueueNs();
let wallAt = performance.now();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'mark') {
    delay.reset();
    delay.enable();
    cpuAt = process.cpuUsage();
    queuedAt = runQueueNs();
    wallAt = performance.now();
  } else if (line === 'report') {
    const cpu = process.cpuUsage(cpuAt);
    const late = (ns: number) => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);
    const report: ServerReport = {
      loopDelay: { p50: late(delay.percentile(50)), p99: late(delay.percentile(99)), max: late(delay.max) },
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      runQueueMs: Math.round((runQueueNs() - queuedAt) / 1e6),
      wallMs: Math.round(performance.now() - wallAt),
    };
    console.log(JSON.stringify(report));
  }
});

console.log(JSON.stringify({ url: server.url, pid: process.pid }));
process.once('SIGTERM', () => {
  delay.disable();
  void server.close().then(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
