/**
 * Fan-out: 1,000 messages from one socket to 100 sockets of one conversation, wall time. The
 * reference server (each message stored durably, then broadcast) against a raw `ws` server that
 * parses the frame and broadcasts a protocol-shaped `message:new` to every socket. The clients run
 * in a worker thread for both.
 */
import type { WebSocket } from 'ws';
import { describeFailure, runFanoutClients, type FanoutResult } from './fanout-clients.js';
import { percentile, startParley, startRawWsServer, type BenchContext, type Measure } from './support.js';
import type { Row } from './table.js';

export const FANOUT_SOCKETS = 100;
export const FANOUT_MESSAGES = 1000;
const ROUND_TIMEOUT_MS = 60_000;
/** Issue 14: at least 0.8x the raw server's throughput. */
const FANOUT_GOAL = { text: '>= 0.8x raw throughput', min: 0.8 };

/** The anchor: a bare `ws` broadcast server on 127.0.0.1; closed when the measure ends. */
async function startRawBroadcast(ctx: BenchContext): Promise<string> {
  const sockets = new Set<WebSocket>();
  let seq = 0;
  return startRawWsServer(ctx, (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { text: string; client_id: string };
      seq += 1;
      const message = {
        id: String(seq),
        seq,
        conversation_id: '1',
        conversation: '1',
        client_id: frame.client_id,
        type: 'user',
        text: frame.text,
        sender: 'bench000',
        sender_name: 'bench000',
        attachment: null,
        status: 'sent',
        created_at: new Date().toISOString(),
      };
      const out = JSON.stringify({ type: 'message:new', message });
      for (const socket of sockets) socket.send(out);
      ws.send(JSON.stringify({ type: 'message:ack', client_id: frame.client_id, message_id: message.id, seq }));
    });
  });
}

/** Rounds after the warm-up one; the median is reported. */
export const FANOUT_ROUNDS = 3;

/** Messages of the warm-up round (JIT, SQLite page cache, socket buffers). */
const WARMUP_MESSAGES = 200;

/** One side of a comparison: a round sends `count` messages and reports. */
export interface FanoutSide {
  label: string;
  round(count: number): Promise<FanoutResult>;
}

export interface FanoutSummary {
  /** Median wall time of the measured rounds. */
  ms: number;
  framesPerSocket: number;
}

/**
 * A warm-up round for each side, then FANOUT_ROUNDS rounds of each, alternating, so both sides
 * see the same machine load; medians.
 */
export async function alternateRounds(
  ctx: BenchContext,
  a: FanoutSide,
  b: FanoutSide,
): Promise<[FanoutSummary, FanoutSummary]> {
  await a.round(WARMUP_MESSAGES);
  await b.round(WARMUP_MESSAGES);
  const results: [FanoutResult[], FanoutResult[]] = [[], []];
  for (let i = 0; i < FANOUT_ROUNDS; i++) {
    results[0].push(await a.round(FANOUT_MESSAGES));
    results[1].push(await b.round(FANOUT_MESSAGES));
  }
  return [a, b].map((side, i) => {
    const rounds = results[i]!;
    const times = rounds.map((r) => r.ms);
    const framesPerSocket = Math.round(rounds[rounds.length - 1]!.framesPerSocket);
    ctx.log(
      `${side.label}: ${times.map((t) => t.toFixed(0)).join(', ')} ms (median reported), ${framesPerSocket} frames per socket`,
    );
    return { ms: percentile(times, 0.5), framesPerSocket };
  }) as [FanoutSummary, FanoutSummary];
}

/** The raw anchor as a side. */
export async function rawSide(ctx: BenchContext): Promise<FanoutSide> {
  const url = await startRawBroadcast(ctx);
  return {
    label: 'raw ws broadcast',
    async round(count) {
      const result = await runFanoutClients(ctx, {
        urls: Array.from({ length: FANOUT_SOCKETS }, () => url),
        count,
        readyOn: 'open',
        timeoutMs: ROUND_TIMEOUT_MS,
      });
      if (!result.complete) throw new Error(`raw anchor ${describeFailure(result, count)}`);
      return result;
    },
  };
}

/**
 * Sets up `instances` reference servers sharing one data dir (and `redisUrl` when given), one
 * conversation with FANOUT_SOCKETS users, and returns one socket URL per user, spread round-robin
 * over the instances (the sender, user 0, on the first).
 */
export async function parleyFanoutUrls(
  ctx: BenchContext,
  options: { instances: number; redisUrl?: string },
): Promise<string[]> {
  const { servers, users } = await startParley(ctx, {
    instances: options.instances,
    users: FANOUT_SOCKETS,
    redisUrl: options.redisUrl,
  });
  const owner = users[0]!;
  const conversation = await owner.api<{ id: string }>('POST', '/api/chat/conversations/', { title: 'bench fan-out' });
  for (const user of users.slice(1)) {
    await owner.api('POST', `/api/chat/conversations/${conversation.id}/participants/`, { username: user.username });
  }
  return users.map((user, i) => {
    const base = servers[i % servers.length]!.url.replace(/^http/, 'ws');
    return `${base}/ws/chat/${conversation.id}/?token=${encodeURIComponent(user.token)}`;
  });
}

/** Parley over the given socket URLs as a side. */
export function parleySide(ctx: BenchContext, urls: string[], label: string): FanoutSide {
  return {
    label,
    async round(count) {
      const result = await runFanoutClients(ctx, { urls, count, readyOn: 'hello', timeoutMs: ROUND_TIMEOUT_MS });
      if (!result.complete) throw new Error(`${label} ${describeFailure(result, count)}`);
      if (result.duplicates) throw new Error(`${label}: ${result.duplicates} duplicated deliveries`);
      return result;
    },
  };
}

export const fanout: Measure = {
  name: 'fanout',
  timeoutMs: 180_000,
  rows: [{ measure: 'fan-out 1,000 msgs -> 100 sockets, wall time', goal: FANOUT_GOAL.text }],
  async run(ctx): Promise<Row[]> {
    const urls = await parleyFanoutUrls(ctx, { instances: 1 });
    const [raw, parley] = await alternateRounds(ctx, await rawSide(ctx), parleySide(ctx, urls, 'reference server'));
    const ratio = raw.ms / parley.ms;
    return [
      {
        measure: 'fan-out 1,000 msgs -> 100 sockets, wall time',
        parley: parley.ms,
        anchor: raw.ms,
        unit: 'ms',
        ratio,
        goal: FANOUT_GOAL.text,
        met: ratio >= FANOUT_GOAL.min,
        note: `ratio = raw time / Parley time (throughput ratio); median of 3 rounds each, alternating with the anchor's, after a 200-message warm-up; one socket sends all 1,000 at once, every one of the 100 sockets (sender included) must receive all; frames per socket during a round: Parley ${parley.framesPerSocket}, raw ${raw.framesPerSocket}; Parley stores each message in SQLite before broadcasting; ${BOT_NOTE}; clients in a worker thread`,
      },
    ];
  },
};

export const BOT_NOTE =
  'bot replies held back (botDelayMs longer than the round) so only the user messages fan out, as in the anchor';
