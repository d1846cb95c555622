/**
 * `npm run load`: the seed guide's two load tests against the reference server.
 *
 *   REST load       new senders arrive at 10/s, each posting one message to /api/user-response/
 *                   (10 s by default, 60 s with --full: the seed's Artillery config)
 *   WebSocket load  100 connections in one conversation, each sending a message every 5 s
 *                   (15 s by default, 60 s with --full)
 *
 * By default the server is started here, in this process, on a free port with a temporary data
 * folder, seeded load users and loosened rate limits. `--url http://host:port` targets a running
 * server instead (its users given with `--users name:password,...`, default the demo accounts; its
 * rate limits apply). Each test prints sent, received, lost, duplicated, p50 and p99 latency; the
 * exit status is 1 if any message was lost or duplicated.
 *
 * Latency: REST, the POST's round trip to its 201; WebSocket, from a connection sending a message to
 * each connection (the sender's included) receiving its `message:new`. Lost: REST, not stored;
 * WebSocket, not stored or missing on any connection. Duplicated: stored twice, or delivered twice
 * to one connection.
 *
 *   Soak (--soak)   1,000 sockets across 100 conversations for 5 minutes at the same rate, the
 *                   server in a child process; reports send->ack p50/p99 and the server's RSS
 *                   and open file descriptors at the start and the end (soak.ts)
 *
 * Flags: --full, --url <base>, --users <name:pw,...>, --only rest|ws, --rate <per s>,
 *        --rest-seconds <s>, --ws-seconds <s>, --connections <n>, --interval <s>,
 *        --soak, --soak-seconds <s>, --sockets <n>, --conversations <n>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Account, login, type Session } from './api.js';
import { runRestLoad } from './rest-load.js';
import { LOAD_RATE_LIMITS } from './limits.js';
import { runSoak } from './soak.js';
import { formatResult, type LoadResult } from './stats.js';
import { runWsLoad } from './ws-load.js';

const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    url: { type: 'string' },
    users: { type: 'string' },
    only: { type: 'string' },
    rate: { type: 'string' },
    'rest-seconds': { type: 'string' },
    'ws-seconds': { type: 'string' },
    connections: { type: 'string' },
    interval: { type: 'string' },
    soak: { type: 'boolean', default: false },
    'soak-seconds': { type: 'string' },
    sockets: { type: 'string' },
    conversations: { type: 'string' },
  },
});

const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const log = (line: string) => console.log(line);

const LOAD_USERS = 10;
const settings = {
  rate: number(args.rate, 10),
  restSeconds: number(args['rest-seconds'], args.full ? 60 : 10),
  wsSeconds: number(args['ws-seconds'], args.full ? 60 : 15),
  connections: number(args.connections, 100),
  interval: number(args.interval, 5),
};

async function startOwnServer(accounts: Account[]) {
  const { createServer } = await import('../../demo/server/app.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-load-'));
  const server = await createServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    demoUsers: false,
    users: accounts,
    botDelayMs: 50,
    logLevel: 'silent',
    rateLimits: LOAD_RATE_LIMITS,
  });
  return {
    url: server.url,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function parseUsers(list: string): Account[] {
  return list.split(',').map((pair) => {
    const [username, password] = pair.split(':');
    if (!username || !password) throw new Error(`--users wants name:password pairs, got "${pair}"`);
    return { username, password };
  });
}

async function soak(): Promise<number> {
  const result = await runSoak({
    sockets: number(args.sockets, 1000),
    conversations: number(args.conversations, 100),
    intervalSeconds: settings.interval,
    durationSeconds: number(args['soak-seconds'], 300),
    log,
  });
  log(formatResult(result));
  return result.lost === 0 && result.duplicated === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  if (args.soak) return soak();
  const accounts = args.url
    ? parseUsers(args.users ?? 'alice:alice123,bob:bob123,carol:carol123')
    : Array.from({ length: LOAD_USERS }, (_, i) => ({ username: `load${i}`, password: `load-password-${i}` }));
  const own = args.url ? null : await startOwnServer(accounts);
  const baseUrl = args.url ?? own!.url;
  log(
    `Parley load against ${baseUrl}${own ? ' (own server, in this process)' : ''}${args.full ? ', full length' : ", short run (--full for the seed's full minute)"}`,
  );

  const results: LoadResult[] = [];
  try {
    const sessions: Session[] = [];
    for (const account of accounts) sessions.push(await login(baseUrl, account));

    if (!args.only || args.only === 'rest') {
      results.push(
        await runRestLoad({
          baseUrl,
          sessions,
          arrivalRate: settings.rate,
          durationSeconds: settings.restSeconds,
          log,
        }),
      );
      log(formatResult(results.at(-1)!));
    }
    if (!args.only || args.only === 'ws') {
      results.push(
        await runWsLoad({
          baseUrl,
          sessions,
          connections: settings.connections,
          intervalSeconds: settings.interval,
          durationSeconds: settings.wsSeconds,
          log,
        }),
      );
      log(formatResult(results.at(-1)!));
    }
  } finally {
    await own?.close();
  }

  const bad = results.filter((r) => r.lost > 0 || r.duplicated > 0);
  log(
    bad.length === 0
      ? '\nload: no message lost or duplicated'
      : `\nload: FAILED (${bad.map((r) => r.name).join('; ')})`,
  );
  return bad.length === 0 && results.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
