/**
 * `LimitStore` in Redis, for several instances (chosen by `createServer` when `REDIS_URL` is set):
 * the write budget of a user holds across REST and every socket on every instance, and so does
 * the cap on a user's sockets.
 *
 * A budget is a token bucket in the hash `parley:bucket:<key>`, taken by one Lua script on Redis's
 * own clock (atomic whoever calls; clocks of instances do not matter) and expiring once it would
 * be full again. Sockets are counted per instance in `parley:sockets:<user>`, field `<instance>`:
 * a field whose instance is no longer alive (`parley:alive:<instance>`, the presence heartbeat of
 * `redis-presence.ts`) is dropped when next counted, so a crashed instance's sockets stop counting.
 *
 * Redis is never a reason to refuse: while it is unreachable every take passes and every socket
 * is admitted (the limits are lifted until it is back, as for the failed-login limit).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { aliveKey } from '../realtime/redis-presence.js';
import type { Budget, LimitStore, TakeResult } from './limit-store.js';

const bucketKey = (key: string) => `parley:bucket:${key}`;
const socketsKey = (userId: string) => `parley:sockets:${userId}`;

/** KEYS[1] bucket; ARGV capacity, refill per second, cost. Returns {1, remaining} or {0, retry after ms}. */
const TAKE = `
local capacity, rate, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]), tonumber(b[2])
if tokens == nil or at == nil then tokens, at = capacity, now end
tokens = math.min(capacity, tokens + math.max(0, now - at) / 1000 * rate)
if tokens < cost then return {0, math.ceil((cost - tokens) / rate * 1000)} end
tokens = tokens - cost
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {1, math.floor(tokens)}
`;

/** KEYS[1] the user's counts; ARGV this instance, max, alive-key prefix. Returns 1 when counted. */
const OPEN = `
local all = redis.call('HGETALL', KEYS[1])
local open = 0
for i = 1, #all, 2 do
  if all[i] == ARGV[1] or redis.call('EXISTS', ARGV[3] .. all[i]) == 1 then
    open = open + tonumber(all[i + 1])
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
if open >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
`;

/** KEYS[1] the user's counts; ARGV this instance. Never below zero (counts are lost when Redis restarts). */
const CLOSE = `
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1
`;

export class RedisLimitStore implements LimitStore {
  /** Set while Redis fails, so an outage is logged once, not once per write. */
  private failing = false;

  constructor(
    /** A connection that fails at once while Redis is away (no offline queue), shared with the fan-out. */
    private readonly redis: Redis,
    /** This instance, as the presence heartbeat names it. */
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  async take(key: string, budget: Budget, cost = 1): Promise<TakeResult> {
    const reply = await this.run(TAKE, [bucketKey(key), budget.capacity, budget.refillPerSec, cost]);
    if (!reply) return { ok: true, remaining: budget.capacity - cost };
    const [ok, n] = reply as [number, number];
    return ok === 1 ? { ok: true, remaining: n } : { ok: false, retryAfterMs: n };
  }

  async openSocket(userId: string, max: number): Promise<boolean> {
    const reply = await this.run(OPEN, [socketsKey(userId), this.instance, max, aliveKey('')]);
    return reply === null || reply === 1;
  }

  async closeSocket(userId: string): Promise<void> {
    await this.run(CLOSE, [socketsKey(userId), this.instance]);
  }

  /** The connection belongs to the fan-out, which closes it. */
  async close(): Promise<void> {}

  /** Runs a one-key script; null when Redis cannot answer (the limit is lifted meanwhile). */
  private async run(script: string, [key, ...args]: [string, ...(string | number)[]]): Promise<unknown> {
    try {
      const reply: unknown = await this.redis.eval(script, 1, key, ...args);
      if (this.failing) this.log.info('redis is back: per-user limits are shared again');
      this.failing = false;
      return reply;
    } catch (err) {
      if (!this.failing)
        this.log.warn({ err: (err as Error).message }, 'redis unreachable: per-user limits lifted until it is back');
      this.failing = true;
      return null;
    }
  }
}
