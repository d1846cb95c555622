/**
 * Fan-out across two reference-server instances sharing one data dir and a real Redis (spawned
 * here on a free port): 1,000 messages to 100 sockets, half on each instance, the sender on the
 * first. Beside it, the single-instance in-process fan-out of the same run.
 */
import { BOT_NOTE, parleyFanout, parleyFanoutUrls } from './fanout.js';
import { startRedis, type Measure } from './support.js';
import type { Row } from './table.js';

const MEASURE = 'fan-out x2 instances + Redis, wall time';

export const fanoutRedis: Measure = {
  name: 'fanout-redis',
  timeoutMs: 150_000,
  rows: [{ measure: MEASURE, goal: 'reported' }],
  async run(ctx): Promise<Row[]> {
    let inProcess = ctx.shared.get('fanoutInProcessMs');
    if (typeof inProcess !== 'number') {
      ctx.log('no in-process figure from the fanout measure: measuring it here');
      inProcess = (await parleyFanout(ctx, await parleyFanoutUrls(ctx, { instances: 1 }), 'in-process')).ms;
    }
    const redisUrl = await startRedis(ctx);
    const urls = await parleyFanoutUrls(ctx, { instances: 2, redisUrl });
    const redis = (await parleyFanout(ctx, urls, 'two instances + Redis')).ms;
    const anchor = inProcess as number;
    return [
      {
        measure: MEASURE,
        parley: redis,
        anchor,
        unit: 'ms',
        ratio: anchor / redis,
        goal: 'reported',
        met: null,
        note: `anchor = one instance, in-process fan-out (same run); ratio = throughput vs in-process; 50 sockets per instance, the sender on the first; both instances in this Node process, one SQLite file, redis-server --save '' --appendonly no; median of 3 rounds after a 200-message warm-up; ${BOT_NOTE}`,
      },
    ];
  },
};
