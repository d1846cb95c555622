/**
 * PostgreSQL next to SQLite, in the same run: send->ack of raw protocol frames in Node against one
 * instance on each engine (alternating frames), and the time from a send to the other participant's
 * socket with two instances on PostgreSQL + Redis (sender on one, receiver on the other) next to one
 * PostgreSQL instance. Needs PARLEY_TEST_PG_URL (as the tests: a database to start from); the bench
 * creates a database of its own next to it and drops it.
 */
import type WebSocket from 'ws';
import { createPgDatabase, dropPgDatabase } from '../demo/server/test-database.js';
import { openSocket, roundTrip } from './ack-roundtrip.js';
import {
  checkAborted,
  percentile,
  sleep,
  startParley,
  startRedis,
  type BenchContext,
  type BenchUser,
  type Measure,
} from './support.js';
import type { Row } from './table.js';

const WARMUP = 50;
const SAMPLES = 500;
const GAP_MS = 5;
const ACK = 'send->ack %, raw protocol client in Node, PostgreSQL';
const CROSS = 'send->other participant %, two instances on PostgreSQL + Redis';

function quantileRows(name: string, parley: number[], anchor: number[], goal: string, note: string): Row[] {
  return [0.5, 0.99].map((q) => {
    const p = percentile(parley, q);
    const a = percentile(anchor, q);
    return {
      measure: name.replace('%', q === 0.5 ? 'p50' : 'p99'),
      parley: p,
      anchor: a,
      unit: 'ms',
      ratio: p / a,
      goal,
      met: null,
      ...(q === 0.5 ? { note } : {}),
    };
  });
}

/** A conversation of two bench users with a socket each: `to` picks the instance of each socket. */
async function pair(ctx: BenchContext, urls: string[], users: BenchUser[], title: string) {
  const [a, b] = users as [BenchUser, BenchUser];
  const conv = await a.api<{ id: string }>('POST', '/api/chat/conversations/', { title });
  await a.api('POST', `/api/chat/conversations/${conv.id}/participants/`, { username: b.username });
  const open = (url: string, u: BenchUser) =>
    openSocket(
      ctx,
      `${url.replace(/^http/, 'ws')}/ws/chat/${conv.id}/?token=${encodeURIComponent(u.token)}`,
      (f) => f.type === 'hello',
    );
  return { sender: await open(urls[0]!, a), receiver: await open(urls.at(-1)!, b) };
}

/** Sends on `sender`, resolves when `receiver` gets that message; milliseconds. */
async function toOther(sender: WebSocket, receiver: WebSocket, clientId: string, n: number): Promise<number> {
  const started = performance.now();
  const arrived = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the other participant got nothing within 5 s')), 5000);
    receiver.on('message', function onFrame(data) {
      if (!data.toString().includes(`"${clientId}"`)) return;
      clearTimeout(timer);
      receiver.off('message', onFrame);
      resolve();
    });
  });
  sender.send(JSON.stringify({ type: 'message', text: `bench cross ${n}`, client_id: clientId }));
  await arrived;
  return performance.now() - started;
}

export const postgres: Measure = {
  name: 'postgres',
  timeoutMs: 180_000,
  rows: [
    { measure: ACK.replace('%', 'p50'), goal: 'reported' },
    { measure: ACK.replace('%', 'p99'), goal: 'reported' },
    { measure: CROSS.replace('%', 'p50'), goal: 'reported' },
    { measure: CROSS.replace('%', 'p99'), goal: 'reported' },
  ],
  async run(ctx): Promise<Row[]> {
    if (!process.env.PARLEY_TEST_PG_URL) throw new Error('set PARLEY_TEST_PG_URL to measure PostgreSQL');
    const database = `parley_bench_${process.pid}`;
    const databaseUrl = await createPgDatabase(database);
    ctx.defer(() => dropPgDatabase(database));
    const redisUrl = await startRedis(ctx);
    const sqlite = await startParley(ctx, { users: 2 });
    const pg = await startParley(ctx, { users: 2, databaseUrl, instances: 2, redisUrl });
    const [pgOne, pgTwo] = pg.servers.map((s) => s.url) as [string, string];

    // send->ack: one instance of each engine, alternating frames.
    const onSqlite = await pair(ctx, [sqlite.servers[0]!.url], sqlite.users, 'bench pg (sqlite)');
    const onPg = await pair(ctx, [pgOne], pg.users, 'bench pg (pg)');
    const times = { sqlite: [] as number[], pg: [] as number[], one: [] as number[], two: [] as number[] };
    const ackOf = (id: string) => (data: string) => data.includes('"message:ack"') && data.includes(`"${id}"`);
    for (let n = 0; n < WARMUP + SAMPLES; n++) {
      checkAborted(ctx);
      const sqliteId = `pgb-s-${n}`;
      const pgId = `pgb-p-${n}`;
      await sleep(GAP_MS);
      const s = await roundTrip(
        onSqlite.sender,
        JSON.stringify({ type: 'message', text: `bench ${n}`, client_id: sqliteId }),
        ackOf(sqliteId),
      );
      await sleep(GAP_MS);
      const p = await roundTrip(
        onPg.sender,
        JSON.stringify({ type: 'message', text: `bench ${n}`, client_id: pgId }),
        ackOf(pgId),
      );
      if (n >= WARMUP) {
        times.sqlite.push(s);
        times.pg.push(p);
      }
    }

    // To the other participant: both sockets on one PostgreSQL instance, or one on each (Redis between).
    const one = await pair(ctx, [pgOne], pg.users, 'bench pg one');
    const two = await pair(ctx, [pgOne, pgTwo], pg.users, 'bench pg two');
    for (let n = 0; n < WARMUP + SAMPLES; n++) {
      checkAborted(ctx);
      await sleep(GAP_MS);
      const a = await toOther(one.sender, one.receiver, `pgx-1-${n}`, n);
      await sleep(GAP_MS);
      const b = await toOther(two.sender, two.receiver, `pgx-2-${n}`, n);
      if (n >= WARMUP) {
        times.one.push(a);
        times.two.push(b);
      }
    }
    return [
      ...quantileRows(
        ACK,
        times.pg,
        times.sqlite,
        'reported',
        `anchor = the same frames to an instance on SQLite, alternating, in this run; ${SAMPLES} sequential frames after ${WARMUP} warm-up, ${GAP_MS} ms quiet before each; PostgreSQL 15 on a Unix socket, pool of 10; bot replies held back`,
      ),
      ...quantileRows(
        CROSS,
        times.two,
        times.one,
        'reported',
        `time from a 'message' frame to message:new on the other participant's socket; anchor = both sockets on one PostgreSQL instance; here the receiver is on a second instance, Redis pub/sub between (both instances in this Node process)`,
      ),
    ];
  },
};
