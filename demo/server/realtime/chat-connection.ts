/**
 * One accepted chat socket: greets with `hello`, handles the client frames of PROTOCOL §4 and §8
 * (`message`, `typing`, `read`, `sync`, `cancel`, `ping`) and reports presence. Every frame passes the
 * socket's flood guard; every frame but `ping` spends the user's write budget, shared with REST
 * and the user's other sockets. Bad frames get an `error` frame (with the send's `client_id`);
 * the socket stays open. Sustained refusals close it with 1008.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import {
  CLOSE_CODES,
  type Id,
  type Message,
  type ServerFrame,
  type User,
  type WsErrorCode,
} from '../../../src/types.js';
import { wsCodeFor } from '../chat-service.js';
import type { AppContext } from '../context.js';
import { ApiError, idValue } from '../http/errors.js';
import type { HubMember } from './hub.js';
import { takeWrite } from '../limits/budgets.js';
import {
  isFrameError,
  parseClientFrame,
  type ClientFrame,
  type ClientFrameType,
  type FrameError,
} from './client-frame.js';
import { FloodGuard } from './flood-guard.js';

/** `sync` answers at most this many messages before `synced {more: true}`. */
export const SYNC_MAX = 500;
/** Unsent bytes a socket may hold before it is closed with 1013 (try later). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export class ChatConnection implements HubMember {
  readonly id = randomUUID();
  readonly userId: Id;
  alive = true;
  /** Settles once the socket has closed. */
  readonly closed: Promise<void>;
  private readonly guard: FloodGuard;
  /** When a bad frame was last logged: client mistakes are logged at most once per strike window. */
  private complainedAt = 0;
  /** Frames are handled one after another, in arrival order, though storage calls are async. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly ws: WebSocket,
    readonly user: User,
    readonly conversationId: Id,
  ) {
    this.userId = user.id;
    this.guard = new FloodGuard(ctx.limits);
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
  }

  /** Registers the socket, sends `hello` and announces presence. */
  async start(): Promise<void> {
    const { ctx } = this;
    this.ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    this.ws.on('pong', () => (this.alive = true));
    // `hello` is the first job of the frame queue: frames that arrive meanwhile wait behind it.
    const greeted = ctx.storage.lastSeq(this.conversationId).then((lastSeq) => {
      if (this.ws.readyState !== this.ws.OPEN) return false;
      ctx.hub.add(this, lastSeq);
      this.send({ type: 'hello', connection_id: this.id, user: this.user, last_seq: lastSeq });
      return true;
    });
    this.queue = greeted.then(
      () => undefined,
      () => this.close(1011, 'server error'),
    );
    // Presence counts this socket once it is greeted; the close waits for that to be settled.
    const counted = greeted.then(async (ok) => {
      if (!ok) return false;
      if ((await ctx.fanout.presence(this.conversationId, this.userId, 1)) === 1) this.presence('user_joined');
      return true;
    });
    this.ws.once('close', () => void this.stop(counted.catch(() => false)));
    await counted;
  }

  private async stop(counted: Promise<boolean>): Promise<void> {
    this.ctx.hub.remove(this);
    if (!(await counted)) return;
    try {
      const n = await this.ctx.fanout.presence(this.conversationId, this.userId, -1);
      if (n === 0) this.presence('user_left');
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, 'presence update failed');
    }
  }

  private presence(type: 'user_joined' | 'user_left'): void {
    this.ctx.fanout.publish({
      conversationId: this.conversationId,
      exceptUserId: this.userId,
      frame: { type, user_id: this.userId, username: this.user.username },
    });
  }

  send(frame: ServerFrame): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(data: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // A reader that stopped reading must not grow our memory: it can reconnect and `sync`.
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) return void this.close(CLOSE_CODES.tryAgain, 'too far behind');
    this.ws.send(data);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** Drops a socket that missed the last ping; otherwise pings again. */
  heartbeat(): void {
    if (!this.alive) return void this.ws.terminate();
    this.alive = false;
    this.ws.ping();
  }

  private error(code: WsErrorCode, message: string, clientId?: string): void {
    this.send(clientId ? { type: 'error', code, message, client_id: clientId } : { type: 'error', code, message });
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    this.alive = true;
    // Refused before it is even parsed: a flood costs as little as possible.
    if (!this.guard.admit()) return this.refused();
    const frame: ClientFrame | FrameError = isBinary
      ? { code: 'bad_json', message: 'Frames must be JSON text.' }
      : parseClientFrame(data.toString());
    if (isFrameError(frame)) return this.mistake(frame);
    this.queue = this.queue.then(() => this.handle(frame));
  }

  /** Spends the user's write budget (every frame but `ping`), then runs the frame. */
  private async handle(frame: ClientFrame): Promise<void> {
    const { ctx } = this;
    try {
      if (frame.type !== 'ping') {
        const budget = await takeWrite(ctx.limiter, ctx.limits, this.userId);
        if (!budget.ok) return this.refused(frame.clientId);
      }
      await this.dispatch(frame.type, frame.fields);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400)
        return this.mistake({
          code: wsCodeFor(err),
          message: Object.values(err.body).flat().join(' '),
          clientId: frame.clientId,
        });
      ctx.log.error({ err: (err as Error).message, type: frame.type }, 'socket frame failed');
      this.error('invalid_message', 'The frame could not be handled.', frame.clientId);
    }
  }

  /** A frame over a limit: `rate_limited` (always for a send, so its client retries it), 1008 at the strike limit. */
  private refused(clientId?: string): void {
    const verdict = this.guard.strike();
    if (verdict === 'close') {
      if (this.ws.readyState === this.ws.OPEN)
        this.ctx.log.warn({ user: this.userId, conversation: this.conversationId }, 'socket closed for flooding');
      return this.close(CLOSE_CODES.policy, 'rate limit exceeded');
    }
    if (verdict === 'tell' || clientId) this.error('rate_limited', 'Too many frames: slow down.', clientId);
  }

  /** A client mistake: an error frame; a debug line at most once per strike window. */
  private mistake(e: FrameError): void {
    const t = Date.now();
    if (t - this.complainedAt >= this.ctx.limits.strikeWindowMs) {
      this.complainedAt = t;
      this.ctx.log.debug({ user: this.userId, code: e.code }, 'bad socket frame');
    }
    this.error(e.code, e.message, e.clientId);
  }

  private async dispatch(type: ClientFrameType, frame: Record<string, unknown>): Promise<void> {
    const { ctx } = this;
    switch (type) {
      case 'message': {
        const given = frame.attachment_id;
        const attachmentId = given === undefined || given === null ? undefined : idValue(given);
        if (attachmentId === null)
          return this.error(
            'invalid_attachment',
            'attachment_id must be an id.',
            typeof frame.client_id === 'string' ? frame.client_id : undefined,
          );
        const ack = (message: Message) =>
          this.send({
            type: 'message:ack',
            client_id: message.client_id,
            message_id: message.id,
            seq: message.seq ?? 0,
          });
        const { message, created } = await ctx.chat.postMessage(this.user, {
          conversationId: this.conversationId,
          member: true,
          text: frame.text,
          clientId: frame.client_id,
          attachmentId,
          // The sender's ack goes out as soon as the message is stored, before the broadcast.
          onStored: ack,
        });
        if (!created) ack(message);
        return;
      }
      case 'typing':
        if (typeof frame.is_typing !== 'boolean')
          return this.error('invalid_message', 'is_typing must be true or false.');
        return ctx.chat.typing(this.user, this.conversationId, frame.is_typing, this.id);
      case 'read': {
        if (!Array.isArray(frame.message_ids))
          return this.error('invalid_message', 'message_ids must be a list of ids.');
        const valid = frame.message_ids.map(idValue).filter((id): id is string => id !== null);
        return ctx.chat.markRead(this.user, this.conversationId, valid);
      }
      case 'sync': {
        // Absent means "from the start"; anything but a non-negative integer is refused, not read as 0.
        const given = frame.after_seq ?? 0;
        if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < 0) {
          return this.error('invalid_message', 'after_seq must be a non-negative integer.');
        }
        const after = given;
        const [batch, streaming] = await Promise.all([
          ctx.storage.listMessages(this.conversationId, { afterSeq: after, limit: SYNC_MAX + 1 }),
          ctx.storage.streamingIn(this.conversationId),
        ]);
        const page = batch.slice(0, SYNC_MAX);
        // §8 catch-up: every reply still streaming, with its newest text, even one at or before after_seq.
        const sent = new Set(page.map((m) => m.id));
        const earlier = streaming.filter((m) => !sent.has(m.id));
        for (const message of [...earlier, ...page])
          this.send({ type: 'message:new', message: ctx.hub.live.current(message) });
        const last = page.at(-1)?.seq;
        // What a sync hands over is delivered, as what a broadcast hands over is.
        if (last !== undefined) ctx.hub.delivered(this.conversationId, this.userId, last);
        return this.send({ type: 'synced', last_seq: last ?? after, more: batch.length > SYNC_MAX });
      }
      case 'cancel': {
        const id = idValue(frame.message_id);
        if (id === null) return this.error('invalid_message', 'message_id must be an id.');
        const result = await ctx.chat.cancelReply(this.user, id, this.conversationId).catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        });
        if (!result?.stopped)
          return this.error('not_streaming', 'No reply of this conversation is streaming with this id.');
        return;
      }
      case 'ping':
        return this.send({ type: 'pong' });
    }
  }
}
