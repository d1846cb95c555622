/**
 * What a user can do to a conversation, shared by the REST routes and the socket: post a message
 * (validated, idempotent per (user, client_id), broadcast, answered by the bot), mark read,
 * show typing, add a participant. Errors are `ApiError`s; the socket maps them to error frames.
 */
import { MAX_MESSAGE_LENGTH, type Id, type Message, type ParticipantRole, type User } from '../../src/types.js';
import type { BotRunner, CancelResult } from './bot/bot-runner.js';
import { ApiError, detail, fieldError, notFound } from './http/errors.js';
import type { Metrics } from './metrics.js';
import type { Fanout } from './realtime/fanout.js';
import type { LiveReplies } from './realtime/live-replies.js';
import { AttachmentUnavailableError, type ChatStorage } from './storage/storage.js';

/** Ids a `read` frame may carry: marking read needs only the highest one. */
export const MAX_READ_IDS = 100;

export interface PostInput {
  conversationId?: Id;
  text: unknown;
  clientId?: unknown;
  attachmentId?: Id;
  /**
   * The caller already knows the user takes part in `conversationId` (a socket, checked at its
   * handshake: participants are never removed), so the check is skipped.
   */
  member?: boolean;
  /** Called once a new message is stored, before it is broadcast (a socket acks its sender there). */
  onStored?: (message: Message) => void;
}

export interface PostResult {
  message: Message;
  /** False for a repeated client_id: nothing was stored or broadcast. */
  created: boolean;
}

const unusableAttachment = () => fieldError('attachment_id', 'Unknown attachment, or not usable in this conversation.');

/** The error-frame code a validation error maps to on the socket. */
export function wsCodeFor(err: ApiError): 'invalid_message' | 'message_too_long' | 'invalid_attachment' {
  if ('attachment_id' in err.body) return 'invalid_attachment';
  if (err.wsCode === 'message_too_long') return 'message_too_long';
  return 'invalid_message';
}

export class ChatService {
  /** Set once the bot runner exists (they depend on each other through the fan-out). */
  bot: BotRunner | null = null;

  constructor(
    private readonly storage: ChatStorage,
    private readonly fanout: Fanout,
    private readonly metrics: Metrics,
    private readonly live: LiveReplies,
  ) {}

  /** 404 unless the conversation exists and `userId` takes part in it. */
  async requireParticipant(conversationId: Id, userId: Id): Promise<ParticipantRole> {
    const role = await this.storage.participantRole(conversationId, userId);
    if (!role) throw notFound();
    return role;
  }

  /**
   * Stores a user message, broadcasts it and schedules the bot. A repeated `client_id` returns the
   * original whatever the other fields say: the insert finds a repeat in its own transaction, so
   * the lookup runs up front only when a new conversation would be created, and after a failure.
   */
  async postMessage(user: User, input: PostInput): Promise<PostResult> {
    const clientId = input.clientId ?? null;
    if (clientId !== null && (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 128)) {
      throw fieldError('client_id', 'Must be a string of 1 to 128 characters.');
    }
    const original = async () => (clientId ? await this.storage.findByClientId(user.id, clientId) : null);
    if (!input.conversationId) {
      const existing = await original();
      if (existing) return { message: existing, created: false };
    }
    try {
      return await this.store(user, input, clientId);
    } catch (err) {
      const existing = err instanceof ApiError ? await original() : null;
      if (existing) return { message: existing, created: false };
      throw err;
    }
  }

  private async store(user: User, input: PostInput, clientId: string | null): Promise<PostResult> {
    if (input.text !== undefined && input.text !== null && typeof input.text !== 'string')
      throw fieldError('message', 'Must be a string.');
    const text = typeof input.text === 'string' ? input.text.trim() : '';
    // Code points, counted only when the UTF-16 length could be over the limit.
    if (text.length > MAX_MESSAGE_LENGTH && [...text].length > MAX_MESSAGE_LENGTH) {
      throw new ApiError(
        400,
        { message: [`Ensure this field has no more than ${MAX_MESSAGE_LENGTH} characters.`] },
        'message_too_long',
      );
    }
    if (text.length === 0 && !input.attachmentId) throw fieldError('message', 'This field may not be blank.');
    if (input.conversationId && !input.member) await this.requireParticipant(input.conversationId, user.id);
    if (input.attachmentId) {
      const a = await this.storage.getAttachment(input.attachmentId);
      const ok =
        a &&
        a.uploader_id === user.id &&
        a.message_id === null &&
        (a.conversation_id === null || a.conversation_id === input.conversationId);
      if (!ok) throw unusableAttachment();
    }
    const conversationId =
      input.conversationId ?? (await this.storage.createConversation(`Chat with ${user.username}`, user.id)).id;
    const { message, created } = await this.storage
      .insertMessage({
        conversationId,
        senderId: user.id,
        type: 'user',
        text,
        clientId,
        attachmentId: input.attachmentId ?? null,
      })
      .catch((err: unknown) => {
        if (err instanceof AttachmentUnavailableError) throw unusableAttachment();
        throw err;
      });
    if (created) {
      this.metrics.messagesStored++;
      input.onStored?.(message);
      this.fanout.publish({ conversationId, senderId: user.id, frame: { type: 'message:new', message } });
      this.bot?.schedule(message);
    }
    return { message, created };
  }

  /**
   * Marks read up to the highest of `messageIds` in the conversation (others ignored), resolved
   * in one query; more than `MAX_READ_IDS` ids is a 400.
   */
  async markRead(user: User, conversationId: Id, messageIds: Id[]): Promise<void> {
    if (messageIds.length > MAX_READ_IDS)
      throw fieldError('message_ids', `At most ${MAX_READ_IDS} ids: the highest one is enough.`);
    const mine = await this.storage.messagesIn(conversationId, messageIds);
    if (mine.length === 0) return;
    const seq = Math.max(...mine.map((m) => m.seq));
    const readAt = await this.storage.markRead(conversationId, user.id, seq);
    this.fanout.publish({
      conversationId,
      frame: {
        type: 'read',
        message_ids: mine.map((m) => m.id),
        user_id: user.id,
        username: user.username,
        read_at: readAt,
      },
    });
  }

  /**
   * A message the user may see, with its newest text (a streaming reply's as last sent); 404 for
   * an unknown message or one of a conversation the user is not in (or not `conversationId`).
   */
  async visibleMessage(user: User, messageId: Id, conversationId?: Id): Promise<Message> {
    const message = await this.storage.getMessage(messageId);
    if (!message || (conversationId !== undefined && message.conversation_id !== conversationId)) throw notFound();
    await this.requireParticipant(message.conversation_id, user.id);
    return this.live.current(message);
  }

  /**
   * Stops a streaming bot reply for everyone (§8): any participant may. `stopped: false` (and the
   * message unchanged) when it was not streaming; 404 as `visibleMessage`.
   */
  async cancelReply(user: User, messageId: Id, conversationId?: Id): Promise<CancelResult> {
    const message = await this.visibleMessage(user, messageId, conversationId);
    if (message.stream_state !== 'streaming' || !this.bot) return { message, stopped: false };
    return this.bot.cancel(message);
  }

  /** Typing to every socket of the conversation but `exceptConnectionId` (the sender's own). */
  typing(user: User, conversationId: Id, isTyping: boolean, exceptConnectionId?: string): void {
    this.fanout.publish({
      conversationId,
      exceptConnectionId,
      frame: { type: 'typing', user_id: user.id, username: user.username, is_typing: isTyping },
    });
  }

  /** Owner only: adds `username` (201, or 200 if already in) and writes "<name> joined". */
  async addParticipant(owner: User, conversationId: Id, username: unknown, role: unknown) {
    if ((await this.requireParticipant(conversationId, owner.id)) !== 'owner') {
      throw detail(403, 'Only the owner can add participants.', 'permission_denied');
    }
    if (typeof username !== 'string' || !username) throw fieldError('username', 'This field is required.');
    const r = role ?? 'member';
    if (r !== 'member' && r !== 'agent' && r !== 'owner')
      throw fieldError('role', 'Must be one of owner, member, agent.');
    const target = await this.storage.findUserByUsername(username);
    if (!target) throw fieldError('username', 'No user with this username.');
    const result = await this.storage.addParticipant(conversationId, target.id, r);
    if (result.created) {
      const { message } = await this.storage.insertMessage({
        conversationId,
        senderId: null,
        type: 'system',
        text: `${target.username} joined`,
      });
      this.metrics.messagesStored++;
      this.fanout.publish({ conversationId, frame: { type: 'message:new', message } });
    }
    return result;
  }
}
