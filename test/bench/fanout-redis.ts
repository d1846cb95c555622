/**
 * Fan-out across two reference-server instances sharing one data dir and a real Redis (spawned
 * here on a free port): 1,000 messages to 100 sockets, half on each instance, the sender on the
 * first. Beside it, one instance with the in-process fan-out, rounds alternating.
 */
import { alternateRounds, BOT_NOTE, parleyFanoutUrls, parleySide } from './fanout.js';
import { startRedis, type Measure } from './support.js';
import type { Row } from './table.js';

const MEASURE = 'fan-out x2 instances + Redis, wall time';

export const fanoutRedis: Measure = {
  name: 'fanout-redis',
  timeoutMs: 200_000,
  rows: [{ measure: MEASURE, goal: 'reported' }],
  async run(ctx): Promise<Row[]> {
    const single = await parleyFanoutUrls(ctx, { instances: 1 });
    const redisUrl = await startRedis(ctx);
    const double = await parleyFanoutUrls(ctx, { instances: 2, redisUrl });
    const [inProcess, redis] = await alternateRounds(
      ctx,
      parleySide(ctx, single, 'one instance, in-process'),
      parleySide(ctx, double, 'two instances + Redis'),
    );
    const anchor = inProcess.ms;
    return [
      {
        measure: MEASURE,
        parley: redis.ms,
        anchor,
        unit: 'ms',
        ratio: anchor / redis.ms,
        goal: 'reported',
        met: null,
        note: `anchor = one instance, in-process fan-out, measured here in rounds alternating with the Redis pair's; ratio = throughput vs in-process; 50 sockets per instance, the sender on the first; both instances in this Node process, one SQLite file, redis-server --save '' --appendonly no; median of 3 rounds each after a 200-message warm-up; ${BOT_NOTE}`,
      },
    ];
  },
};
