/**
 * Fan-out: how a broadcast reaches every socket of a conversation. In process by default;
 * `redis-fanout.ts` carries the same events between instances sharing one database.
 */
import type { Id } from '../../../src/types.js';
import type { FanoutEvent, Hub } from './hub.js';

export interface Fanout {
  /** Delivers to this instance's sockets now and to the other instances' sockets soon after. */
  publish(event: FanoutEvent): void;
  /** Adds `delta` (+1/-1) to the user's open sockets in the conversation; resolves to the new total. */
  presence(conversationId: Id, userId: Id, delta: 1 | -1): Promise<number>;
  close(): Promise<void>;
}

/** The single-process fan-out. */
export class LocalFanout implements Fanout {
  private readonly counts = new Map<string, number>();

  constructor(private readonly hub: Hub) {}

  publish(event: FanoutEvent): void {
    this.hub.deliver(event);
  }

  async presence(conversationId: Id, userId: Id, delta: 1 | -1): Promise<number> {
    const key = `${conversationId}:${userId}`;
    const n = Math.max(0, (this.counts.get(key) ?? 0) + delta);
    if (n === 0) this.counts.delete(key);
    else this.counts.set(key, n);
    return n;
  }

  async close(): Promise<void> {}
}
