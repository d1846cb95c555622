/**
 * The flood guard of one socket: every frame passes a token bucket before it costs anything,
 * and refused frames (by this bucket or by the user's write budget) are strikes. Strikes are
 * counted over a window and never forgiven by an accepted frame, so a steady flood that mixes
 * accepted and refused frames still reaches the limit and is closed with 1008 (PROTOCOL §4).
 */
import type { RateLimitOptions } from '../options.js';
import { TokenBucket } from '../limits/token-bucket.js';

/** What to do after a strike: tell the client (first of a window), nothing more, or close. */
export type StrikeVerdict = 'tell' | 'quiet' | 'close';

export class FloodGuard {
  private readonly bucket: TokenBucket;
  private strikes = 0;
  private windowStart = 0;

  constructor(
    private readonly limits: Required<RateLimitOptions>,
    private readonly now = () => Date.now(),
  ) {
    this.bucket = new TokenBucket(limits.socketBurst, limits.socketRefillPerSec, now);
  }

  /** Whether the socket may send one more frame now. */
  admit(): boolean {
    return this.bucket.take();
  }

  /** Counts a refused frame. */
  strike(): StrikeVerdict {
    const t = this.now();
    if (t - this.windowStart >= this.limits.strikeWindowMs) {
      this.windowStart = t;
      this.strikes = 0;
    }
    this.strikes++;
    if (this.strikes >= this.limits.socketStrikes) return 'close';
    return this.strikes === 1 ? 'tell' : 'quiet';
  }
}
