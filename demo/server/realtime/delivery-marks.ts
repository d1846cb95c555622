/**
 * "Delivered" marks: how far each participant's sockets got in a conversation (PROTOCOL §3: a
 * message is `delivered` once it reached another participant's socket). A broadcast reaches many
 * sockets at once, so marks are gathered and written together, one transaction per turn of the
 * event loop, instead of one UPDATE per recipient per message.
 */
import type { Id } from '../../../src/types.js';
import type { DeliveryMark } from '../storage/storage.js';

export class DeliveryMarks {
  /** Highest seq already written or queued, per `conversation:user`: repeats cost nothing. */
  private readonly highest = new Map<string, number>();
  private pending = new Map<string, DeliveryMark>();
  private scheduled: NodeJS.Immediate | null = null;

  constructor(
    private readonly write: (marks: DeliveryMark[]) => Promise<void>,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Notes that `userId`'s sockets received the message `seq` of the conversation. */
  note(conversationId: Id, userId: Id, seq: number): void {
    const key = `${conversationId}:${userId}`;
    if ((this.highest.get(key) ?? 0) >= seq) return;
    this.highest.set(key, seq);
    this.pending.set(key, { conversationId, userId, seq });
    this.scheduled ??= setImmediate(() => void this.flush());
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
