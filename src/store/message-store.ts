/**
 * Messages per conversation, ordered by `seq` (seed: `created_at`, then id), deduplicated by id
 * and `client_id`. Optimistic sends are reconciled by whichever comes first: the ack, the echo,
 * or (seed, no `client_id` echo) an own message with the same text while the send is pending.
 */
import type { ChatMessage, MessageStatusChange } from '../events.js';
import type { OutboxEntry } from '../outbox/outbox-entry.js';
import type { Attachment, Id, Message, MessageStatus } from '../types.js';
import { compareIds } from '../util/ids.js';

export interface StoreCallbacks {
  /** The current user's username, to mark own messages. */
  username(): string | null;
  onMessage(message: ChatMessage): void;
  onStatus(change: MessageStatusChange): void;
  onChange(conversationId: Id): void;
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
}

/** Own pending messages are matched to a seed echo by text only within this window. */
const ECHO_WINDOW_MS = 120_000;

function time(value: string): number {
  const t = Date.parse(value);
  return Number.isNaN(t) ? 0 : t;
}

export class MessageStore {
  #buckets = new Map<Id, Bucket>();
  /** Messages whose `createdAt` is still the local send time (no server timestamp yet). */
  #localTime = new WeakSet<ChatMessage>();
  #cb: StoreCallbacks;

  constructor(callbacks: StoreCallbacks) {
    this.#cb = callbacks;
  }

  /** The ordered messages of a conversation. */
  list(conversationId: Id): readonly ChatMessage[] {
    return this.#buckets.get(conversationId)?.list ?? [];
  }

  /** The highest `seq` held with no gap before it (0 when none). */
  lastSeq(conversationId: Id): number {
    const seqs = this.list(conversationId)
      .map((m) => m.seq)
      .filter((s): s is number => s !== null);
    if (!seqs.length) return 0;
    let last = seqs[0]!;
    for (const s of seqs.slice(1)) {
      if (s === last + 1) last = s;
      else if (s > last + 1) break;
    }
    return last;
  }

  /** How many server-stored messages are held (the seed's `offset`). */
  storedCount(conversationId: Id): number {
    return this.list(conversationId).filter((m) => m.id !== null).length;
  }

  /** Adds the optimistic bubble of an outbox entry (once). */
  addPending(entry: OutboxEntry, senderName: string): ChatMessage {
    const bucket = this.#bucket(entry.conversationId);
    const existing = bucket.byClientId.get(entry.clientId);
    if (existing) return existing;
    const message: ChatMessage = {
      key: entry.clientId,
      id: null,
      seq: null,
      conversationId: entry.conversationId,
      clientId: entry.clientId,
      type: 'user',
      text: entry.text,
      sender: this.#cb.username(),
      senderName,
      attachment: null,
      status: entry.status === 'failed' ? 'failed' : 'pending',
      createdAt: entry.createdAt,
      own: true,
      ...(entry.status === 'failed' ? { failure: entry.failure } : {}),
    };
    this.#localTime.add(message);
    bucket.order.set(message.key, entry.order);
    bucket.byClientId.set(entry.clientId, message);
    this.#insert(bucket, message);
    return message;
  }

  /**
   * Applies messages from the server (REST page, socket frame, poll). Returns the new ones.
   * `provisionalTime`: their `created_at` is a local guess (a bot reply from `bot-response`).
   */
  ingest(messages: Message[], options: { provisionalTime?: boolean } = {}): ChatMessage[] {
    const added: ChatMessage[] = [];
    const touched = new Set<Id>();
    for (const wire of messages) {
      const bucket = this.#bucket(wire.conversation_id);
      touched.add(wire.conversation_id);
      const known =
        bucket.byId.get(wire.id) ??
        (wire.client_id ? bucket.byClientId.get(wire.client_id) : undefined) ??
        this.#echoMatch(bucket, wire);
      if (known) {
        const { created_at: time, ...rest } = wire;
        this.#merge(bucket, known, options.provisionalTime ? rest : { ...rest, created_at: time });
        continue;
      }
      const own = !!wire.sender && wire.sender === this.#cb.username() && wire.type === 'user';
      const message: ChatMessage = {
        key: wire.client_id ?? wire.id,
        id: wire.id,
        seq: wire.seq ?? null,
        conversationId: wire.conversation_id,
        clientId: wire.client_id,
        type: wire.type,
        text: wire.text,
        sender: wire.sender,
        senderName: wire.sender_name,
        attachment: wire.attachment,
        status: wire.status,
        createdAt: wire.created_at,
        own,
      };
      if (options.provisionalTime) this.#localTime.add(message);
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

  #bucket(conversationId: Id): Bucket {
    let bucket = this.#buckets.get(conversationId);
    if (!bucket) {
      bucket = { list: [], byId: new Map(), byClientId: new Map(), order: new Map() };
      this.#buckets.set(conversationId, bucket);
    }
    return bucket;
  }

  #echoMatch(bucket: Bucket, wire: Message): ChatMessage | undefined {
    if (wire.client_id || wire.type !== 'user' || !wire.sender || wire.sender !== this.#cb.username()) return undefined;
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
    bucket.list.sort((a, b) => {
      if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
      if (a.id !== null && b.id !== null) {
        // Seed order is created_at then id; a local send time is no server time, so use ids then.
        if (a.seq === null && b.seq === null && !this.#localTime.has(a) && !this.#localTime.has(b)) {
          const t = time(a.createdAt) - time(b.createdAt);
          if (t) return t;
        }
        return compareIds(a.id, b.id);
      }
      if (a.id !== null) return -1;
      if (b.id !== null) return 1;
      return (bucket.order.get(a.key) ?? 0) - (bucket.order.get(b.key) ?? 0);
    });
  }
}
