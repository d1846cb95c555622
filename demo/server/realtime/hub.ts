/**
 * The sockets open on this instance, by conversation, and the delivery of fan-out events to
 * them. A fan-out (`fanout.ts`) feeds it events from this and, with Redis, other instances.
 */
import type { Id, ServerFrame } from '../../../src/types.js';
import type { Metrics } from '../metrics.js';
import { LiveReplies } from './live-replies.js';

/** What the hub needs of a socket. */
export interface HubMember {
  readonly id: string;
  readonly userId: Id;
  readonly conversationId: Id;
  send(frame: ServerFrame): void;
  /** Sends a frame already serialised: a broadcast is stringified once, not once per socket. */
  sendRaw(data: string): void;
}

/** One broadcast: a frame for the sockets of a conversation, minus a socket or a user's sockets. */
export interface FanoutEvent {
  conversationId: Id;
  frame: ServerFrame;
  exceptConnectionId?: string;
  exceptUserId?: Id;
  /**
   * The author of a `message:new`'s message. Their own sockets getting it mark nothing delivered
   * (PROTOCOL §3: delivered means another participant's socket), which spares a write per send.
   */
  senderId?: Id;
}

export class Hub {
  private readonly rooms = new Map<Id, Set<HubMember>>();
  /**
   * Per conversation with sockets here: the seq up to which its sockets have every message. Held
   * still while the fan-out is cut off (`holdSeqs`): what is delivered meanwhile may have gaps.
   */
  private readonly seqs = new Map<Id, number>();
  private held = false;
  /** The text of every streaming reply as the fan-out carried it (sockets here or not). */
  readonly live = new LiveReplies();

  constructor(
    private readonly metrics: Metrics,
    /** Called when a message reached a socket of another user than its sender. */
    private readonly onDelivered: (conversationId: Id, userId: Id, seq: number) => void,
  ) {}

  /** Adds a socket that was told the conversation's messages up to `seq` (its `hello`). */
  add(member: HubMember, seq = 0): void {
    let room = this.rooms.get(member.conversationId);
    if (!room) this.rooms.set(member.conversationId, (room = new Set()));
    room.add(member);
    this.seqs.set(member.conversationId, Math.max(this.seqs.get(member.conversationId) ?? 0, seq));
  }

  /** Conversations with sockets here, each with the seq up to which its sockets have every message. */
  roomSeqs(): [Id, number][] {
    return [...this.rooms.keys()].map((id) => [id, this.seqs.get(id) ?? 0]);
  }

  /** The fan-out lost events from other instances: stop raising `roomSeqs` until the catch-up is done. */
  holdSeqs(held: boolean): void {
    this.held = held;
  }

  remove(member: HubMember): void {
    const room = this.rooms.get(member.conversationId);
    room?.delete(member);
    if (room?.size === 0) {
      this.rooms.delete(member.conversationId);
      this.seqs.delete(member.conversationId);
    }
  }

  members(): HubMember[] {
    return [...this.rooms.values()].flatMap((r) => [...r]);
  }

  /** `userId`'s socket in the conversation now has its messages up to `seq` (a `sync` answered). */
  delivered(conversationId: Id, userId: Id, seq: number): void {
    this.onDelivered(conversationId, userId, seq);
  }

  /** Sends the event's frame to every matching local socket. */
  deliver(event: FanoutEvent): void {
    if (!this.live.observe(event.frame)) return;
    const room = this.rooms.get(event.conversationId);
    if (!room) return;
    const msg = event.frame.type === 'message:new' ? event.frame.message : null;
    if (event.frame.type === 'message:delta') this.metrics.deltasFannedOut += room.size;
    const deliveredTo = new Set<Id>();
    const data = JSON.stringify(event.frame);
    for (const m of room) {
      if (m.id === event.exceptConnectionId || m.userId === event.exceptUserId) continue;
      m.sendRaw(data);
      if (msg) {
        this.metrics.messagesFannedOut++;
        if (msg.seq !== undefined && m.userId !== event.senderId) deliveredTo.add(m.userId);
      }
    }
    if (msg?.seq !== undefined) {
      if (!this.held) this.seqs.set(event.conversationId, Math.max(this.seqs.get(event.conversationId) ?? 0, msg.seq));
      for (const userId of deliveredTo) this.onDelivered(event.conversationId, userId, msg.seq);
    }
  }
}
