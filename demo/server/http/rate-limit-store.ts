/**
 * The failed-login limit shared by every instance: express-rate-limit's counters in Redis
 * (rate-limit-redis), so it holds wherever a request lands. The per-user write budget and the
 * socket cap are shared through `limits/redis-limit-store.ts`.
 */
import type { Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';

/** A factory of stores on `redis`, one key space per limiter name. */
export function redisLimitStore(redis: Redis): (name: string) => Store {
  return (name) =>
    new RedisStore({
      prefix: `parley:rl:${name}:`,
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
    });
}
