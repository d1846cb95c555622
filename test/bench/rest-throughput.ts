/**
 * REST `POST /api/user-response/` under autocannon (programmatic, load generated in a worker
 * thread): req/s and p99 latency of the reference server against a bare Express JSON endpoint.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { percentile, startParley, type BenchContext, type Measure } from './support.js';
import type { Row } from './table.js';

const CONNECTIONS = 10;
const WARMUP_S = 1;
const DURATION_S = 3;
/** Rounds per side, alternating anchor and Parley so both see the same machine load; medians. */
const ROUNDS = 3;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types: load it through require and describe the little we use.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function load(
  ctx: BenchContext,
  url: string,
  body: string,
  token?: string,
  seconds = DURATION_S,
): Promise<AutocannonResult> {
  const run = autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
  });
  const result = await run;
  if (ctx.signal.aborted) throw new Error('aborted: measure timed out');
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) {
    const codes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, { count }]) => `${code} x${count}`)
      .join(', ');
    throw new Error(
      `${url}: ${result.non2xx} non-2xx (${codes}), ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return result;
}

/** The anchor: Express with its JSON body parser, answering the same 201 body shape. */
async function startBareExpress(ctx: BenchContext): Promise<string> {
  const app = express();
  let id = 0;
  app.post('/api/user-response/', express.json(), (req, res) => {
    const body = req.body as { conversation_id?: string };
    id += 1;
    res.status(201).json({ conversation_id: body.conversation_id ?? '1', message_id: String(id) });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  ctx.defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  ctx.defer(() => server.closeAllConnections());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/user-response/`;
}

/** Issue 14: at least half the requests per second of a bare Express endpoint. */
const GOAL = '>= 0.5x bare Express';

export const restThroughput: Measure = {
  name: 'rest-throughput',
  timeoutMs: 90_000,
  rows: [
    { measure: 'REST user-response, req/s', goal: GOAL },
    { measure: 'REST user-response, p99 latency', goal: 'reported' },
  ],
  async run(ctx): Promise<Row[]> {
    const anchorUrl = await startBareExpress(ctx);
    const body = (conversationId: string) =>
      JSON.stringify({ message: 'How is my order doing?', conversation_id: conversationId });

    const { servers, users } = await startParley(ctx, { users: 1 });
    const user = users[0]!;
    const conversation = await user.api<{ id: string }>('POST', '/api/chat/conversations/', { title: 'bench REST' });
    const url = `${servers[0]!.url}/api/user-response/`;

    await load(ctx, anchorUrl, body('1'), undefined, WARMUP_S);
    await load(ctx, url, body(conversation.id), user.token, WARMUP_S);
    const anchorRounds: AutocannonResult[] = [];
    const parleyRounds: AutocannonResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      anchorRounds.push(await load(ctx, anchorUrl, body('1')));
      parleyRounds.push(await load(ctx, url, body(conversation.id), user.token));
    }
    const median = (rounds: AutocannonResult[], pick: (r: AutocannonResult) => number) =>
      percentile(rounds.map(pick), 0.5);
    const anchor = {
      rps: median(anchorRounds, (r) => r.requests.average),
      p99: median(anchorRounds, (r) => r.latency.p99),
    };
    const parley = {
      rps: median(parleyRounds, (r) => r.requests.average),
      p99: median(parleyRounds, (r) => r.latency.p99),
    };
    ctx.log(
      `req/s anchor ${anchorRounds.map((r) => r.requests.average).join(', ')}; Parley ${parleyRounds.map((r) => r.requests.average).join(', ')}`,
    );

    const note = `autocannon ${CONNECTIONS} connections, load in a worker thread, ${ROUNDS} rounds of ${DURATION_S} s per side alternating with the anchor's after a ${WARMUP_S} s warm-up, medians; every request stores a message durably (SQLite) and broadcasts it; one user, one conversation, rate limits relaxed; bot replies held back (botDelayMs 10 min), so the bot's own write is not in the figure`;
    return [
      {
        measure: 'REST user-response, req/s',
        parley: parley.rps,
        anchor: anchor.rps,
        unit: 'req/s',
        ratio: parley.rps / anchor.rps,
        goal: GOAL,
        met: parley.rps / anchor.rps >= 0.5,
        note: `${note}; ratio = Parley / anchor`,
      },
      {
        measure: 'REST user-response, p99 latency',
        parley: parley.p99,
        anchor: anchor.p99,
        unit: 'ms',
        ratio: parley.p99 / anchor.p99,
        goal: 'reported',
        met: null,
      },
    ];
  },
};
