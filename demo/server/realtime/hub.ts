/**
 * The sockets open on this instance, by conversation, and the delivery of fan-out events to
 * them. A fan-out (`fanout.ts`) feeds it events from this and, with Redis, other instances.
 */
import type { Id, ServerFrame } from '../../../src/types.js';
import type { Metrics } from '../metrics.js';

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
}

export class Hub {
  private readonly rooms = new Map<Id, Set<HubMember>>();

  constructor(
    private readonly metrics: Metrics,
    /** Called when a message reached a socket of another user than its sender. */
    private readonly onDelivered: (conversationId: Id, userId: Id, seq: number) => void,
  ) {}

  add(member: HubMember): void {
    let room = this.rooms.get(member.conversationId);
    if (!room) this.rooms.set(member.conversationId, (room = new Set()));
    room.add(member);
  }

  remove(member: HubMember): void {
    const room = this.rooms.get(member.conversationId);
    room?.delete(member);
    if (room?.size === 0) this.rooms.delete(member.conversationId);
  }

  members(): HubMember[] {
    return [...this.rooms.values()].flatMap((r) => [...r]);
  }

  /** Sends the event's frame to every matching local socket. */
  deliver(event: FanoutEvent): void {
    const room = this.rooms.get(event.conversationId);
    if (!room) return;
    const msg = event.frame.type === 'message:new' ? event.frame.message : null;
    const deliveredTo = new Set<Id>();
    const data = JSON.stringify(event.frame);
    for (const m of room) {
      if (m.id === event.exceptConnectionId || m.userId === event.exceptUserId) continue;
      m.sendRaw(data);
      if (msg) {
        this.metrics.messagesFannedOut++;
        if (msg.seq !== undefined && !deliveredTo.has(m.userId)) deliveredTo.add(m.userId);
      }
    }
    if (msg?.seq !== undefined) {
      for (const userId of deliveredTo) this.onDelivered(event.conversationId, userId, msg.seq);
    }
  }
}
