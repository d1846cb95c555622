/**
 * Streamed bot replies (issue 11): one reply written by a provider at 150 tokens a second (450
 * tokens, 3 s), fanned out to the 100 sockets of one conversation.
 *
 * - frames per reply per socket per second (goal <= 20: the server coalesces; the anchor is the
 *   provider's own rate, one frame per token);
 * - `message:delta` frames delivered per second over the 100 sockets;
 * - server CPU per delivered delta, next to the CPU per delivered plain `message:new` (300 user
 *   messages to the same 100 sockets, bot held back) measured in the same run.
 *
 * Each server runs in a process of its own (`stream-server.ts`) so its CPU time (utime + stime
 * from /proc, 10 ms ticks) leaves out the clients.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import {
  BENCH_PASSWORD,
  BOT_HELD_BACK_MS,
  ROOT,
  api,
  mapLimit,
  sleep,
  tempDir,
  type BenchContext,
  type Measure,
} from './support.js';
import type { Row } from './table.js';

const SOCKETS = 100;
const TOKENS_PER_SEC = 150;
const TOKENS = 450;
const PLAIN_MESSAGES = 300;
/** Linux clock ticks per second (`getconf CLK_TCK`). */
const TICKS = 100;

const ROWS = {
  frames: 'streamed reply at 150 tokens/s: delta frames per second per socket',
  delivered: 'streamed reply -> 100 sockets: deltas delivered per second',
  cpu: 'server CPU per delivered delta vs per plain message:new',
} as const;

/** CPU seconds the process has used (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Starts a server process; killed when the measure ends. */
async function startServerProcess(
  ctx: BenchContext,
  env: Record<string, string>,
): Promise<{ url: string; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/bench/stream-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  ctx.defer(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out.slice(-300)}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out.slice(-300)}`)));
  });
  return { url, pid: child.pid! };
}

interface Room {
  conversationId: string;
  owner: string;
  sockets: WebSocket[];
  /** Frames received, by type, over all sockets. */
  counts: Map<string, number>;
  /** Resolves once every socket has received a frame matching `pred`. */
  all(pred: (frame: { type: string; message?: { type: string } }) => boolean): Promise<void>;
}

/** Logs the bench users in, makes one conversation of all of them and opens a socket each. */
async function room(ctx: BenchContext, url: string): Promise<Room> {
  const tokens = await mapLimit(
    Array.from({ length: SOCKETS }, (_, i) => `bench${String(i).padStart(3, '0')}`),
    4,
    async (username) =>
      (await api<{ token: string }>(url, 'POST', '/api/auth/login', { body: { username, password: BENCH_PASSWORD } }))
        .token,
  );
  const owner = tokens[0]!;
  const { id } = await api<{ id: string }>(url, 'POST', '/api/chat/conversations/', { token: owner, body: {} });
  for (let i = 1; i < SOCKETS; i++)
    await api(url, 'POST', `/api/chat/conversations/${id}/participants/`, {
      token: owner,
      body: { username: `bench${String(i).padStart(3, '0')}` },
    });
  const counts = new Map<string, number>();
  type Pred = Parameters<Room['all']>[0];
  const watchers = new Set<{ pred: Pred; left: Set<number>; done: () => void }>();
  const sockets = await Promise.all(
    tokens.map(
      (token, i) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/chat/${id}/?token=${encodeURIComponent(token)}`, {
            perMessageDeflate: false,
          });
          ws.on('error', reject);
          ws.on('message', (data) => {
            const frame = JSON.parse(data.toString()) as { type: string };
            counts.set(frame.type, (counts.get(frame.type) ?? 0) + 1);
            if (frame.type === 'hello') resolve(ws);
            for (const w of watchers) {
              if (!w.left.has(i) || !w.pred(frame)) continue;
              w.left.delete(i);
              if (w.left.size === 0) {
                watchers.delete(w);
                w.done();
              }
            }
          });
        }),
    ),
  );
  ctx.defer(() => sockets.forEach((ws) => ws.terminate()));
  return {
    conversationId: id,
    owner,
    sockets,
    counts,
    all: (pred) => new Promise<void>((done) => watchers.add({ pred, left: new Set(sockets.map((_, i) => i)), done })),
  };
}

export const streaming: Measure = {
  name: 'streaming',
  timeoutMs: 240_000,
  rows: [
    { measure: ROWS.frames, goal: '<= 20/s' },
    { measure: ROWS.delivered, goal: 'reported' },
    { measure: ROWS.cpu, goal: 'reported' },
  ],
  async run(ctx): Promise<Row[]> {
    const t0 = Date.now();
    const phase = (what: string) => ctx.log(`${what} at +${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const common = { BENCH_USERS: String(SOCKETS), BENCH_TOKENS_PER_SEC: String(TOKENS_PER_SEC) };
    // The plain fan-out: user messages only (the bot held back past the measure).
    const plainServer = await startServerProcess(ctx, {
      ...common,
      BENCH_DATA_DIR: tempDir(ctx, 'plain'),
      BENCH_BOT_DELAY_MS: String(BOT_HELD_BACK_MS),
    });
    phase('plain server up');
    const plain = await room(ctx, plainServer.url);
    phase('plain room ready');
    await sleep(500);
    let cpu = cpuSeconds(plainServer.pid);
    // Each socket counts its own message:new frames.
    const received = plain.sockets.map(() => 0);
    const plainDone = Promise.all(
      plain.sockets.map(
        (ws, i) =>
          new Promise<void>((resolve) =>
            ws.on('message', (data) => {
              if (JSON.parse(data.toString()).type === 'message:new' && ++received[i]! === PLAIN_MESSAGES) resolve();
            }),
          ),
      ),
    );
    for (let i = 0; i < PLAIN_MESSAGES; i++)
      plain.sockets[0]!.send(JSON.stringify({ type: 'message', text: `plain ${i}`, client_id: `plain-${i}` }));
    await plainDone;
    const plainCpu = cpuSeconds(plainServer.pid) - cpu;
    const plainDeliveries = PLAIN_MESSAGES * SOCKETS;
    phase('plain fan-out done');

    // The streamed reply.
    const streamServer = await startServerProcess(ctx, {
      ...common,
      BENCH_DATA_DIR: tempDir(ctx, 'stream'),
      BENCH_TOKENS: String(TOKENS),
      BENCH_BOT_DELAY_MS: '0',
    });
    phase('stream server up');
    const chat = await room(ctx, streamServer.url);
    phase('stream room ready');
    await sleep(500);
    const started = chat.all((f) => f.type === 'message:new' && f.message?.type === 'bot');
    const ended = chat.all((f) => f.type === 'message:end');
    cpu = cpuSeconds(streamServer.pid);
    chat.sockets[0]!.send(JSON.stringify({ type: 'message', text: 'stream please', client_id: 'stream-1' }));
    await started;
    const startedAt = Date.now();
    await ended;
    const seconds = (Date.now() - startedAt) / 1000;
    const streamCpu = cpuSeconds(streamServer.pid) - cpu;
    const deltas = chat.counts.get('message:delta') ?? 0;
    const perSocket = deltas / SOCKETS / seconds;
    ctx.log(
      `reply: ${seconds.toFixed(2)} s, ${deltas} deltas over ${SOCKETS} sockets; CPU ${(streamCpu * 1000).toFixed(0)} ms streaming, ${(plainCpu * 1000).toFixed(0)} ms for ${plainDeliveries} plain deliveries`,
    );
    const perDelta = (streamCpu * 1e6) / deltas;
    const perPlain = (plainCpu * 1e6) / plainDeliveries;
    return [
      {
        measure: ROWS.frames,
        parley: perSocket,
        anchor: TOKENS_PER_SEC,
        unit: '/s',
        ratio: perSocket / TOKENS_PER_SEC,
        goal: '<= 20/s',
        met: perSocket <= 20,
        note: `anchor = the provider's token rate (one frame per token, uncoalesced); ${TOKENS} tokens over ${seconds.toFixed(2)} s, ${(deltas / SOCKETS).toFixed(0)} deltas per socket`,
      },
      {
        measure: ROWS.delivered,
        parley: deltas / seconds,
        anchor: null,
        unit: '/s',
        ratio: null,
        goal: 'reported',
        met: null,
        note: `${deltas} message:delta frames received by ${SOCKETS} sockets between the reply's message:new and its message:end`,
      },
      {
        measure: ROWS.cpu,
        parley: perDelta,
        anchor: perPlain,
        unit: 'µs',
        ratio: perDelta / perPlain,
        goal: 'reported',
        met: null,
        note: `server process CPU (utime+stime, 10 ms ticks): ${(streamCpu * 1000).toFixed(0)} ms for the whole streamed reply (stores every 150 ms included) / ${deltas} deltas delivered, next to ${(plainCpu * 1000).toFixed(0)} ms for ${PLAIN_MESSAGES} user messages (each stored) / ${plainDeliveries} message:new delivered`,
      },
    ];
  },
};
