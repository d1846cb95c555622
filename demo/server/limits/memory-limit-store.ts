/**
 * `LimitStore` in this process: one token bucket per key and one socket count per user. Full
 * buckets and zero counts are forgotten, so the maps hold only users active in the last window.
 */
import type { Budget, LimitStore, TakeResult } from './limit-store.js';
import { TokenBucket } from './token-bucket.js';

/** How often full buckets are dropped. */
const PRUNE_EVERY_MS = 60_000;

export class MemoryLimitStore implements LimitStore {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly sockets = new Map<string, number>();
  private readonly pruner: NodeJS.Timeout;

  constructor(private readonly now = () => Date.now()) {
    this.pruner = setInterval(() => this.prune(), PRUNE_EVERY_MS);
    this.pruner.unref();
  }

  async take(key: string, budget: Budget, cost = 1): Promise<TakeResult> {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(budget.capacity, budget.refillPerSec, this.now)));
    if (bucket.take(cost)) return { ok: true, remaining: bucket.remaining() };
    return { ok: false, retryAfterMs: bucket.waitMs(cost) };
  }

  async openSocket(userId: string, max: number): Promise<boolean> {
    const open = this.sockets.get(userId) ?? 0;
    if (open >= max) return false;
    this.sockets.set(userId, open + 1);
    return true;
  }

  async closeSocket(userId: string): Promise<void> {
    const open = (this.sockets.get(userId) ?? 0) - 1;
    if (open > 0) this.sockets.set(userId, open);
    else this.sockets.delete(userId);
  }

  /** Keys tracked now (tests check that the maps do not only grow). */
  size(): { buckets: number; sockets: number } {
    return { buckets: this.buckets.size, sockets: this.sockets.size };
  }

  /** Drops every full bucket: a key seen again starts full anyway. */
  prune(): void {
    for (const [key, bucket] of this.buckets) if (bucket.full()) this.buckets.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.pruner);
  }
}
