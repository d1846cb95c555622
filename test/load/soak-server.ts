/**
 * The soak's server, in a process of its own so its memory and open files are its alone: the
 * reference server on a free port, a temporary data folder, the users given as JSON in argv[2]
 * and the load's loosened limits. Prints one JSON line `{url, pid}` once listening; stops on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../../demo/server/app.js';
import { LOAD_RATE_LIMITS } from './limits.js';

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
console.log(JSON.stringify({ url: server.url, pid: process.pid }));
process.once('SIGTERM', () => {
  void server.close().then(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
