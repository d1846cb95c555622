/**
 * A token bucket: `capacity` tokens at once, refilled at `refillPerSec`. A refused `take` says
 * how long until it would pass.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSec: number,
    private readonly now = () => Date.now(),
  ) {
    this.tokens = capacity;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.refillPerSec);
    this.last = t;
  }

  /** Takes `cost` tokens; false (and nothing taken) when fewer are left. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Whole tokens left now. */
  remaining(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Milliseconds until `cost` tokens are there (0 when they already are). */
  waitMs(cost = 1): number {
    this.refill();
    return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) / this.refillPerSec) * 1000);
  }

  /** True when the bucket is full again: forgetting it changes nothing. */
  full(): boolean {
    this.refill();
    return this.tokens >= this.capacity;
  }
}
