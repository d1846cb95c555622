/**
 * Fan-out through Redis pub/sub, so several instances sharing one database behave as one:
 * messages, typing, read receipts and presence cross instances (presence: `redis-presence.ts`).
 *
 * Redis is only the fast path; the database and `sync` by seq are the truth. While Redis is away a
 * publish fails at once (no queue of stale events) and local sockets still get local events. When
 * the subscriber is back, `onResume` runs so the instance can send its sockets what they missed
 * from the database (`app.ts` does), and fan-out goes on by itself.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Id } from '../../../src/types.js';
import type { Logger } from '../logger.js';
import type { Fanout } from './fanout.js';
import type { FanoutEvent, Hub } from './hub.js';
import { RedisPresence } from './redis-presence.js';

const CHANNEL = 'parley:events';

export interface RedisFanoutOptions {
  /** How long a crashed instance's sockets still count for presence (default 20 s). */
  presenceTtlMs?: number;
  /** A user's last socket was on an instance that died: announce `user_left`. */
  onPresenceLost: (conversationId: Id, userId: Id) => void;
  /**
   * Redis is reachable again after an outage: local sockets may have missed remote events. Settle
   * once the hub's sockets have been sent what they missed (the hub then tracks seqs again).
   */
  onResume: () => Promise<unknown>;
}

export class RedisFanout implements Fanout {
  /** This instance's id in Redis (fan-out origin, presence and socket counts). */
  readonly origin = randomUUID();
  /** Also serves the shared rate limits (`http/rate-limit-store.ts`). */
  readonly redis: Redis;
  private readonly sub: Redis;
  private readonly presenceCounts: RedisPresence;
  private down = false;
  private closing = false;

  private constructor(
    url: string,
    private readonly hub: Hub,
    private readonly log: Logger,
    opts: RedisFanoutOptions,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.sub = new Redis(url, { lazyConnect: true });
    for (const c of [this.redis, this.sub])
      c.on('error', (err: Error) => this.log.warn({ err: err.message }, 'redis connection error'));
    this.sub.on('close', () => {
      if (this.down || this.closing) return;
      this.log.warn('redis subscriber disconnected: fan-out paused until it is back');
      this.down = true;
      hub.holdSeqs(true);
    });
    this.sub.on('ready', () => {
      if (!this.down) return;
      this.down = false;
      this.log.info('redis is back: fan-out resumed');
      void opts.onResume().finally(() => {
        if (!this.down) hub.holdSeqs(false);
      });
    });
    this.presenceCounts = new RedisPresence(
      this.redis,
      this.origin,
      opts.presenceTtlMs ?? 20_000,
      opts.onPresenceLost,
      (err) => this.log.debug({ err: err.message }, 'presence heartbeat failed'),
    );
  }

  /** Connects both clients and subscribes; rejects if Redis cannot be reached. */
  static async connect(url: string, hub: Hub, log: Logger, opts: RedisFanoutOptions): Promise<RedisFanout> {
    const f = new RedisFanout(url, hub, log, opts);
    try {
      await Promise.all([f.redis.connect(), f.sub.connect()]);
      f.sub.on('message', (_channel: string, raw: string) => f.receive(raw));
      await f.sub.subscribe(CHANNEL);
      await f.presenceCounts.start();
    } catch (err) {
      await f.close();
      throw err;
    }
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
    this.redis.publish(CHANNEL, JSON.stringify({ origin: this.origin, event })).catch((err: Error) => {
      this.log.warn({ err: err.message }, 'redis publish failed (the other instances catch up from the database)');
    });
  }

  presence(conversationId: Id, userId: Id, delta: 1 | -1): Promise<number> {
    return this.presenceCounts.change(conversationId, userId, delta);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.presenceCounts.stop().catch(() => undefined);
    this.sub.disconnect();
    this.redis.disconnect();
  }
}
