/**
 * Messages per conversation, ordered by `seq` (seed: `created_at`, then id), deduplicated by id
 * and `client_id`. Optimistic sends are reconciled by whichever comes first: the ack, the echo,
 * or (seed, no `client_id` echo) an own message with the same text while the send is pending.
 */
import type { ChatMessage, MessageStatusChange } from '../events.js';
import type { OutboxEntry } from '../outbox/outbox-entry.js';
import type { Attachment, Id, Message, MessageStatus } from '../types.js';
import { compareIds } from '../util/ids.js';
import { ProvisionalReplies } from './bot-replies.js';
import { fromWire, pendingBubble, replyBubble } from './chat-message.js';
import { contiguousSeq, sortMessages, time } from './ordering.js';

export interface StoreCallbacks {
  /** The current user's username, to mark own messages. */
  username(): string | null;
  /** The current user's id, when known: a seed's REST listings name senders by id. */
  userId(): Id | null;
  onMessage(message: ChatMessage): void;
  onStatus(change: MessageStatusChange): void;
  onChange(conversationId: Id): void;
  /** A held message came from the server again (a streaming reply may have grown or ended). */
  onStoredAgain(message: ChatMessage, wire: Message): void;
}

/** Fields the server may add to a held message. */
interface Patch {
  id?: Id;
  seq?: number | null;
  created_at?: string;
  attachment?: Attachment | null;
  status?: MessageStatus;
}

interface Bucket {
  list: ChatMessage[];
  byId: Map<Id, ChatMessage>;
  byClientId: Map<string, ChatMessage>;
  /** Local queue order of pending messages. */
  order: Map<string, number>;
  /** Seed bot replies still without their stored row. */
  replies: ProvisionalReplies;
  /** Rows a listing has returned so far: the seed's `offset` for the next poll. */
  listed: number;
}

/** Own pending messages are matched to a seed echo by text only within this window. */
const ECHO_WINDOW_MS = 120_000;

export class MessageStore {
  #buckets = new Map<Id, Bucket>();
  /** Messages whose `createdAt` is still the local send time (no server timestamp yet). */
  #localTime = new WeakSet<ChatMessage>();
  /** Bot rows that stand for a reply shown from `bot-response`. */
  #answers = new WeakSet<ChatMessage>();
  #replyCount = 0;
  #cb: StoreCallbacks;

  constructor(callbacks: StoreCallbacks) {
    this.#cb = callbacks;
  }

  /** The ordered messages of a conversation. */
  list(conversationId: Id): readonly ChatMessage[] {
    return this.#buckets.get(conversationId)?.list ?? [];
  }

  /** The held message with this server id (in `conversationId` when given, else in any conversation). */
  find(messageId: Id, conversationId?: Id): ChatMessage | undefined {
    if (conversationId !== undefined) return this.#buckets.get(conversationId)?.byId.get(messageId);
    for (const bucket of this.#buckets.values()) {
      const message = bucket.byId.get(messageId);
      if (message) return message;
    }
    return undefined;
  }

  /** The highest `seq` held with no gap before it (0 when none). */
  lastSeq(conversationId: Id): number {
    return contiguousSeq(this.list(conversationId));
  }

  /**
   * How many rows the listings of a conversation returned so far: the seed's `offset` for the next
   * poll. Messages learned otherwise (an echo, a REST answer) are not counted: they are not
   * necessarily the next rows, and the listing brings them again (deduplicated by id).
   */
  listedCount(conversationId: Id): number {
    return this.#buckets.get(conversationId)?.listed ?? 0;
  }

  /**
   * A seed bot reply known only by its text (`bot-response` gives no id and no time): shown right
   * under the question (by its key) until a listing brings the stored row; a row the listing
   * already brought is used instead of adding a second bubble.
   */
  addReply(conversationId: Id, questionKey: string, text: string, senderName: string): ChatMessage {
    const bucket = this.#bucket(conversationId);
    const question = bucket.list.find((m) => m.key === questionKey);
    const row = question && bucket.replies.rowFor(bucket.list, question, text, (m) => this.#answers.has(m));
    if (row) {
      this.#answers.add(row);
      return row;
    }
    const reply = replyBubble(conversationId, `reply-${++this.#replyCount}-${questionKey}`, text, senderName);
    this.#localTime.add(reply);
    this.#answers.add(reply);
    bucket.replies.add(reply, questionKey);
    this.#insert(bucket, reply);
    return reply;
  }

  /** Adds the optimistic bubble of an outbox entry (once). */
  addPending(entry: OutboxEntry, senderName: string): ChatMessage {
    const bucket = this.#bucket(entry.conversationId);
    const existing = bucket.byClientId.get(entry.clientId);
    if (existing) return existing;
    const message = pendingBubble(entry, this.#cb.username(), senderName);
    this.#localTime.add(message);
    bucket.order.set(message.key, entry.order);
    bucket.byClientId.set(entry.clientId, message);
    this.#insert(bucket, message);
    return message;
  }

  /**
   * Applies messages from the server (REST page, socket frame, poll). Returns the new ones.
   * `listedFrom`: they are a listing's page from that offset (for the seed's next `offset`;
   * overlapping listings count once).
   */
  ingest(messages: Message[], options: { listedFrom?: number } = {}): ChatMessage[] {
    const added: ChatMessage[] = [];
    const touched = new Set<Id>();
    for (const wire of messages) {
      const bucket = this.#bucket(wire.conversation_id);
      touched.add(wire.conversation_id);
      if (options.listedFrom !== undefined)
        bucket.listed = Math.max(bucket.listed, options.listedFrom + messages.indexOf(wire) + 1);
      const reply = bucket.byId.has(wire.id) ? undefined : bucket.replies.replyFor(bucket.list, wire);
      if (reply) bucket.replies.settle(reply);
      const known =
        bucket.byId.get(wire.id) ??
        (wire.client_id ? bucket.byClientId.get(wire.client_id) : undefined) ??
        reply ??
        this.#echoMatch(bucket, wire);
      if (known) {
        this.#merge(bucket, known, wire);
        this.#cb.onStoredAgain(known, wire);
        continue;
      }
      const message = fromWire(wire, wire.type === 'user' && this.#isOwn(wire));
      bucket.byId.set(message.id!, message);
      if (message.clientId) bucket.byClientId.set(message.clientId, message);
      bucket.list.push(message);
      added.push(message);
    }
    for (const id of touched) this.#sort(this.#bucket(id));
    for (const m of added) this.#cb.onMessage(m);
    for (const id of touched) this.#cb.onChange(id);
    return added;
  }

  /** The server stored an own send (`message:ack` or the REST 201). */
  ack(conversationId: Id, clientId: string, messageId: Id, seq?: number | null): void {
    const bucket = this.#bucket(conversationId);
    const pending = bucket.byClientId.get(clientId);
    if (!pending || pending.id === messageId) {
      if (pending && seq != null && pending.seq === null) this.#merge(bucket, pending, { seq });
      return;
    }
    const twin = bucket.byId.get(messageId);
    if (twin && twin !== pending) {
      // The echo arrived first without our client id: keep one bubble, under our key.
      bucket.list.splice(bucket.list.indexOf(twin), 1);
      bucket.byId.delete(messageId);
      this.#merge(bucket, pending, { id: messageId, seq: twin.seq, created_at: twin.createdAt, status: twin.status });
      return;
    }
    this.#merge(bucket, pending, { id: messageId, seq: seq ?? null, status: 'sent' });
  }

  /** Marks an own send failed (or pending again after `retry`). */
  setLocalStatus(
    conversationId: Id,
    clientId: string,
    status: 'pending' | 'failed',
    failure?: { reason: string; code?: string },
  ): void {
    const bucket = this.#bucket(conversationId);
    const message = bucket.byClientId.get(clientId);
    if (!message || message.id !== null) return;
    message.status = status;
    if (failure) message.failure = failure;
    else delete message.failure;
    this.#emitStatus(message);
    this.#cb.onChange(conversationId);
  }

  /** Removes an own unsent message (discard). */
  remove(conversationId: Id, clientId: string): void {
    const bucket = this.#bucket(conversationId);
    const message = bucket.byClientId.get(clientId);
    if (!message || message.id !== null) return;
    bucket.byClientId.delete(clientId);
    bucket.list.splice(bucket.list.indexOf(message), 1);
    this.#cb.onChange(conversationId);
  }

  /** `reader` read up to `messageId`: own messages up to it become `read` (unless the reader is us). */
  markReadUpTo(conversationId: Id, messageId: Id, reader: string): void {
    // `read` is how far another participant got: our own reads (this tab or another) change nothing.
    if (reader === this.#cb.username()) return;
    const bucket = this.#bucket(conversationId);
    let changed = false;
    for (const m of bucket.list) {
      if (m.own && m.id !== null && compareIds(m.id, messageId) <= 0 && m.status !== 'read') {
        m.status = 'read';
        this.#emitStatus(m);
        changed = true;
      }
    }
    if (changed) this.#cb.onChange(conversationId);
  }

  clear(): void {
    this.#buckets.clear();
  }

  /**
   * A follower tab's copy of the leader's list of a conversation: replaces what is held, quietly
   * (the leader's own events are forwarded with it). The messages are taken in the order given.
   */
  replace(conversationId: Id, messages: readonly ChatMessage[]): void {
    const bucket = this.#bucket(conversationId);
    bucket.list = [...messages];
    bucket.byId = new Map(messages.filter((m) => m.id !== null).map((m) => [m.id!, m]));
    bucket.byClientId = new Map(messages.filter((m) => m.clientId !== null).map((m) => [m.clientId!, m]));
    bucket.order = new Map(messages.filter((m) => m.id === null).map((m, i) => [m.key, i + 1]));
  }

  /** Written by the current user: by username, or by user id where a seed's listing gives only that. */
  #isOwn(wire: Message): boolean {
    const username = this.#cb.username();
    const userId = this.#cb.userId();
    return (!!wire.sender && wire.sender === username) || (!!wire.sender_id && wire.sender_id === userId);
  }

  #bucket(conversationId: Id): Bucket {
    let bucket = this.#buckets.get(conversationId);
    if (!bucket) {
      bucket = {
        list: [],
        byId: new Map(),
        byClientId: new Map(),
        order: new Map(),
        replies: new ProvisionalReplies(),
        listed: 0,
      };
      this.#buckets.set(conversationId, bucket);
    }
    return bucket;
  }

  #echoMatch(bucket: Bucket, wire: Message): ChatMessage | undefined {
    if (wire.client_id || wire.type !== 'user' || !this.#isOwn(wire)) return undefined;
    const now = Date.now();
    return bucket.list.find(
      (m) =>
        m.own &&
        m.id === null &&
        m.status !== 'failed' &&
        m.text === wire.text.trim() &&
        now - time(m.createdAt) < ECHO_WINDOW_MS,
    );
  }

  #merge(bucket: Bucket, message: ChatMessage, wire: Patch): void {
    const before = message.status;
    if (wire.id && message.id !== wire.id) {
      message.id = wire.id;
      bucket.byId.set(wire.id, message);
    }
    if (wire.seq != null && message.seq === null) message.seq = wire.seq;
    if (wire.created_at) {
      message.createdAt = wire.created_at;
      this.#localTime.delete(message);
    }
    if (wire.attachment) message.attachment = wire.attachment;
    if (wire.status) {
      const rank: Record<MessageStatus, number> = { pending: 0, failed: 0, sent: 1, delivered: 2, read: 3 };
      if (rank[wire.status] >= rank[message.status] || message.status === 'failed') message.status = wire.status;
    }
    if (message.status !== 'failed') delete message.failure;
    this.#sort(bucket);
    if (message.status !== before) this.#emitStatus(message);
    this.#cb.onChange(message.conversationId);
  }

  #insert(bucket: Bucket, message: ChatMessage): void {
    bucket.list.push(message);
    this.#sort(bucket);
    this.#cb.onMessage(message);
    this.#emitStatus(message);
    this.#cb.onChange(message.conversationId);
  }

  #emitStatus(m: ChatMessage): void {
    this.#cb.onStatus({
      conversationId: m.conversationId,
      key: m.key,
      clientId: m.clientId,
      messageId: m.id,
      status: m.status,
      ...(m.failure ? { failure: m.failure } : {}),
    });
  }

  #sort(bucket: Bucket): void {
    sortMessages(
      bucket.list,
      (m) => this.#localTime.has(m),
      (key) => bucket.order.get(key) ?? 0,
    );
    bucket.replies.place(bucket.list);
  }
}
