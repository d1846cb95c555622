/**
 * Claims: before a tab sends an outbox entry it takes it in storage for a short lease, so another
 * tab that loaded the same entry neither sends it at the same time nor sends it after it was
 * discarded or delivered. A failed attempt lets go at once; a tab that died mid-send loses its
 * claim when the lease ends.
 */
import type { Logger } from '../util/log.js';
import type { OutboxEntry, OutboxStorage } from './outbox-entry.js';

/** The claim rule shared by every storage: free, ours, or expired. */
export function claimable(entry: OutboxEntry, by: string, now: number): boolean {
  return !entry.claim || entry.claim.by === by || entry.claim.until <= now;
}

/**
 * Takes `entry` for `by` for `leaseMs` (0 lets go of it). Answers the stored entry, `'busy'`, or
 * null when it is gone. Storages without claims, or a claim that fails, hand the entry over as it is.
 */
export async function claimEntry(
  storage: OutboxStorage,
  entry: OutboxEntry,
  by: string,
  leaseMs: number,
  log: Logger,
): Promise<OutboxEntry | 'busy' | null> {
  if (!storage.claim) return entry;
  const now = Date.now();
  try {
    return await storage.claim(entry.clientId, by, now, now + leaseMs);
  } catch (error) {
    log('outbox claim failed', String(error));
    return entry;
  }
}
