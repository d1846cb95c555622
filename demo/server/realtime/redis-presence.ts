/**
 * Presence across instances in Redis, robust to an instance that dies without saying so.
 *
 * Each instance counts its own sockets per (conversation, user) in the conversation's hash
 * `parley:presence:<conversation>`, field `<user>|<instance>`, and keeps a key
 * `parley:alive:<instance>` alive with a TTL (`ttlMs`, refreshed every third of it). A user's
 * presence is the sum over the instances still alive, so a crashed instance stops counting when
 * its key expires; the first instance to notice (`sweep`, every third of the TTL) removes its
 * fields and reports every user left with no socket anywhere, so `user_left` still goes out.
 */
import type { Redis } from 'ioredis';
import type { Id } from '../../../src/types.js';

const INSTANCES = 'parley:instances';
/** The key that says `instance` is alive (also read by `limits/redis-limit-store.ts`). */
export const aliveKey = (instance: string) => `parley:alive:${instance}`;
const rooms = (instance: string) => `parley:rooms:${instance}`;
const hash = (conversationId: Id) => `parley:presence:${conversationId}`;

export class RedisPresence {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly instance: string,
    private readonly ttlMs: number,
    /** A user has no socket left in a conversation because the instance holding them died. */
    private readonly onLost: (conversationId: Id, userId: Id) => void,
    onError: (err: Error) => void,
  ) {
    this.timer = setInterval(() => void this.tick().catch(onError), Math.max(50, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  /** Announces this instance (call once connected). */
  async start(): Promise<void> {
    await this.redis.set(aliveKey(this.instance), '1', 'PX', this.ttlMs);
    await this.redis.sadd(INSTANCES, this.instance);
  }

  /** Adds `delta` to this instance's sockets of the user; resolves to the user's total on live instances. */
  async change(conversationId: Id, userId: Id, delta: 1 | -1): Promise<number> {
    const field = `${userId}|${this.instance}`;
    const mine = await this.redis.hincrby(hash(conversationId), field, delta);
    if (mine <= 0) await this.redis.hdel(hash(conversationId), field);
    else await this.redis.sadd(rooms(this.instance), conversationId);
    return this.total(conversationId, userId);
  }

  private async total(conversationId: Id, userId: Id): Promise<number> {
    const all = await this.redis.hgetall(hash(conversationId));
    const counts = Object.entries(all)
      .map(([field, n]) => ({ field, n: Number(n) }))
      .filter(({ field, n }) => field.startsWith(`${userId}|`) && n > 0);
    if (counts.length === 0) return 0;
    const instances = counts.map(({ field }) => field.slice(field.indexOf('|') + 1));
    const live = await this.redis.mget(instances.map(aliveKey));
    return counts.reduce((sum, { n }, i) => sum + (instances[i] === this.instance || live[i] ? n : 0), 0);
  }

  /** The heartbeat: also announces the instance again, as a Redis that restarted has forgotten it. */
  private async tick(): Promise<void> {
    await this.start();
    await this.sweep();
  }

  /** Clears the counts of instances whose key expired; reports the users left with no socket. */
  async sweep(): Promise<void> {
    for (const other of await this.redis.smembers(INSTANCES)) {
      if (other === this.instance || (await this.redis.exists(aliveKey(other)))) continue;
      // SREM answers 1 to one instance only: that one cleans up and reports.
      if ((await this.redis.srem(INSTANCES, other)) !== 1) continue;
      for (const conversationId of await this.redis.smembers(rooms(other))) {
        const fields = Object.keys(await this.redis.hgetall(hash(conversationId))).filter((f) =>
          f.endsWith(`|${other}`),
        );
        if (fields.length === 0) continue;
        await this.redis.hdel(hash(conversationId), ...fields);
        for (const field of fields) {
          const userId = field.slice(0, field.indexOf('|'));
          if ((await this.total(conversationId, userId)) === 0) this.onLost(conversationId, userId);
        }
      }
      await this.redis.del(rooms(other));
    }
  }

  /** Stops the heartbeat and forgets this instance (a graceful shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.del(aliveKey(this.instance));
    await this.redis.srem(INSTANCES, this.instance);
  }
}
