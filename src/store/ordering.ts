/**
 * The order of a conversation's messages: by `seq`; without it (a seed backend) by `created_at`,
 * then id; own messages not yet stored last, in the order they were queued.
 */
import type { ChatMessage } from '../events.js';
import { compareIds } from '../util/ids.js';

/** Epoch ms of a timestamp (0 when it cannot be read). */
export function time(value: string): number {
  const t = Date.parse(value);
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Sorts `list` in place. `localTime(m)`: its `createdAt` is a local send time, no server time,
 * so ids decide for it. `queued(key)`: the local queue order of a pending message.
 */
export function sortMessages(
  list: ChatMessage[],
  localTime: (m: ChatMessage) => boolean,
  queued: (key: string) => number,
): void {
  list.sort((a, b) => {
    if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
    if (a.id !== null && b.id !== null) {
      if (a.seq === null && b.seq === null && !localTime(a) && !localTime(b)) {
        const t = time(a.createdAt) - time(b.createdAt);
        if (t) return t;
      }
      return compareIds(a.id, b.id);
    }
    if (a.id !== null) return -1;
    if (b.id !== null) return 1;
    return queued(a.key) - queued(b.key);
  });
}

/** The highest `seq` of an ordered list with no gap before it (0 when none). */
export function contiguousSeq(list: readonly ChatMessage[]): number {
  const seqs = list.map((m) => m.seq).filter((s): s is number => s !== null);
  if (!seqs.length) return 0;
  let last = seqs[0]!;
  for (const s of seqs.slice(1)) {
    if (s === last + 1) last = s;
    else if (s > last + 1) break;
  }
  return last;
}
