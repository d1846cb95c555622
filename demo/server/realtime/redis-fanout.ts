/**
 * Fan-out through Redis pub/sub, so several instances sharing one database behave as one:
 * messages, typing, read receipts and presence cross instances. Presence counts live in a Redis
 * hash so "first socket opened" and "last socket closed" hold across the whole cluster.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Id } from '../../../src/types.js';
import type { Logger } from '../logger.js';
import type { Fanout } from './fanout.js';
import type { FanoutEvent, Hub } from './hub.js';

const CHANNEL = 'parley:events';

export class RedisFanout implements Fanout {
  private readonly origin = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;

  private constructor(
    url: string,
    private readonly hub: Hub,
    private readonly log: Logger,
  ) {
    this.pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: true });
    for (const c of [this.pub, this.sub])
      c.on('error', (err: Error) => this.log.warn({ err: err.message }, 'redis connection error'));
  }

  /** Connects both clients and subscribes; rejects if Redis cannot be reached. */
  static async connect(url: string, hub: Hub, log: Logger): Promise<RedisFanout> {
    const f = new RedisFanout(url, hub, log);
    await Promise.all([f.pub.connect(), f.sub.connect()]);
    f.sub.on('message', (_channel: string, raw: string) => f.receive(raw));
    await f.sub.subscribe(CHANNEL);
    return f;
  }

  private receive(raw: string): void {
    try {
      const { origin, event } = JSON.parse(raw) as { origin: string; event: FanoutEvent };
      if (origin !== this.origin) this.hub.deliver(event);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'ignored a malformed fan-out event');
    }
  }

  publish(event: FanoutEvent): void {
    this.hub.deliver(event);
    this.pub.publish(CHANNEL, JSON.stringify({ origin: this.origin, event })).catch((err: Error) => {
      this.log.error({ err: err.message }, 'redis publish failed');
    });
  }

  async presence(conversationId: Id, userId: Id, delta: 1 | -1): Promise<number> {
    const key = `parley:presence:${conversationId}`;
    const n = await this.pub.hincrby(key, userId, delta);
    if (n <= 0) await this.pub.hdel(key, userId);
    return Math.max(0, n);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
