/**
 * "Delivered" marks: how far each participant's sockets got in a conversation (PROTOCOL §3: a
 * message is `delivered` once it reached another participant's socket). A broadcast reaches many
 * sockets at once, so marks are gathered and written together, one transaction per turn of the
 * event loop, instead of one UPDATE per recipient per message.
 */
import type { Id } from '../../../src/types.js';
import type { DeliveryMark } from '../storage/storage.js';

/** Pairs whose highest seq is remembered; beyond it the memory starts over (the writes stay correct). */
export const MAX_TRACKED = 50_000;

export class DeliveryMarks {
  /**
   * Highest seq already written or queued, per `conversation:user`: repeats cost nothing. Only a
   * shortcut (the UPDATE never lowers a mark), so it is forgotten when it holds `maxTracked` pairs.
   */
  private highest = new Map<string, number>();
  private pending = new Map<string, DeliveryMark>();
  private scheduled: NodeJS.Immediate | null = null;

  constructor(
    private readonly write: (marks: DeliveryMark[]) => Promise<void>,
    private readonly onError: (err: Error) => void,
    private readonly maxTracked = MAX_TRACKED,
  ) {}

  /** Notes that `userId`'s sockets received the message `seq` of the conversation. */
  note(conversationId: Id, userId: Id, seq: number): void {
    const key = `${conversationId}:${userId}`;
    if ((this.highest.get(key) ?? 0) >= seq) return;
    if (this.highest.size >= this.maxTracked) this.highest = new Map();
    this.highest.set(key, seq);
    this.pending.set(key, { conversationId, userId, seq });
    this.scheduled ??= setImmediate(() => void this.flush());
  }

  /** Pairs remembered now (at most `maxTracked`). */
  get tracked(): number {
    return this.highest.size;
  }

  /** Writes what is queued now (also awaited at shutdown, before the database closes). */
  async flush(): Promise<void> {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.pending.size === 0) return;
    const marks = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.write(marks);
    } catch (err) {
      this.onError(err as Error);
    }
  }
}
