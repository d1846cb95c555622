/**
 * Runs the bot: every user message gets exactly one reply after `delayMs`, streamed (PROTOCOL
 * §8): stored `streaming` with its seq when it starts and sent as `message:new`, grown by
 * `message:delta` frames and in the database (`reply-stream.ts`), ended by `message:end`.
 *
 * Decision: replies to different messages stream side by side, even in one conversation (a burst
 * of questions is answered at once, never queued behind a slow provider); each sees as context
 * the conversation up to its question, without replies still being written.
 *
 * `typing` as user `bot` says replies are pending: `true` when the bot takes on a conversation
 * (refreshed every few seconds while a burst keeps it busy, as clients expire typing after about
 * 5 s), `false` once its last pending reply there has started (the growing bubble says the rest).
 *
 * A reply is keyed by the message it answers (unique in the database), so a second run, here or
 * on another instance, writes and broadcasts nothing. A reply that cannot even start (the
 * database down) is tried again until it is written, and at start every message left unanswered
 * by an earlier run is answered, whatever its age. Replies left `streaming` by a writer that is
 * gone are finished by `ReplyRecovery`.
 */
import { randomUUID } from 'node:crypto';
import type { Id, Message, User } from '../../../src/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Fanout } from '../realtime/fanout.js';
import type { LiveReplies } from '../realtime/live-replies.js';
import type { ChatStorage } from '../storage/storage.js';
import type { Bot } from './bot.js';
import { generate, type GenerateResult } from './generate.js';
import { ReplyStream } from './reply-stream.js';

/** Clients expire typing after ~5 s without an update: a busy bot says it again after this long. */
const TYPING_REFRESH_MS = 3000;
/** The longest wait between two tries of a failed reply. */
const RETRY_MAX_MS = 30_000;
/** Unanswered messages read per query at start. */
const RESUME_PAGE = 500;
/** Messages of the conversation a bot gets as context. */
const HISTORY = 20;
/** How often a caller waiting for a reply's end (bot-response) looks at the database. */
const END_POLL_MS = 500;

interface Job {
  timer: NodeJS.Timeout | null;
  start: () => void;
  done: Promise<Message>;
}

export interface BotRunnerOptions {
  /** How long the bot "types" before a reply starts. */
  delayMs: number;
  /** A provider that sends nothing for this long fails the reply (default 30 s). */
  idleTimeoutMs?: number;
}

/** What a `cancel` did. */
export interface CancelResult {
  /** The reply as it is now (ended, if it was stopped). */
  message: Message;
  /** False when it was not streaming: nothing changed. */
  stopped: boolean;
}

export class BotRunner {
  /** This process's writer id for the replies it streams (`stream_owner`). */
  readonly owner = randomUUID();
  private readonly jobs = new Map<string, Job>();
  /** The replies this instance is streaming, by reply id. */
  private readonly active = new Map<Id, ReplyStream>();
  /** Replies being written (settled promises): a graceful shutdown waits for them. */
  private readonly running = new Set<Promise<void>>();
  /** Per conversation: replies pending and when `typing: true` was last said. */
  private readonly busy = new Map<string, { pending: number; saidAt: number }>();
  /** Timers of failed replies waiting to be tried again. */
  private readonly retries = new Set<NodeJS.Timeout>();
  /** Set by a graceful shutdown: nothing new starts. */
  closing = false;
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly bot: Bot,
    private readonly storage: ChatStorage,
    private readonly fanout: Fanout,
    private readonly live: LiveReplies,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly options: BotRunnerOptions,
  ) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    // A reply of ours that another instance ended (a stop made there) is no longer written here.
    live.onEnd((id) => {
      const stream = this.active.get(id);
      if (stream && !stream.ended) stream.abort('lost');
    });
  }

  /**
   * Schedules the reply to a freshly stored user message. A reply that fails to start (the
   * database down) is tried again with a backoff up to `RETRY_MAX_MS`, for as long as it takes.
   */
  schedule(message: Message, attempt = 0): void {
    if (this.jobs.has(message.id) || this.closing) return;
    const untype = this.startTyping(message.conversation_id);
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const job: Job = {
      timer: null,
      start,
      done: started.then(() => this.track(this.write(message, untype))),
    };
    job.timer = setTimeout(start, attempt === 0 ? this.options.delayMs : 0);
    this.jobs.set(message.id, job);
    job.done
      .then(
        () => undefined,
        (err: Error) => {
          this.log.warn({ err: err.message, message_id: message.id, attempt }, 'bot reply failed: trying again');
          return () => this.retryLater(message, attempt + 1);
        },
      )
      .then((retry) => {
        this.jobs.delete(message.id);
        untype();
        retry?.();
      });
  }

  private retryLater(message: Message, attempt: number): void {
    if (this.closing) return;
    const timer = setTimeout(
      () => {
        this.retries.delete(timer);
        this.schedule(message, attempt);
      },
      Math.min(RETRY_MAX_MS, 500 * 2 ** attempt),
    );
    timer.unref();
    this.retries.add(timer);
  }

  /** Counts `work` as running until it settles (a graceful shutdown waits for it). */
  private track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  /**
   * The complete reply to `message` (`bot-response`): stored and ended already, being written
   * (waited for until it ends), or written now.
   */
  async replyTo(message: Message): Promise<Message> {
    const stored = await this.storage.botReplyTo(message.id);
    if (stored && stored.stream_state !== 'streaming') return stored;
    const job = this.jobs.get(message.id);
    if (job) return job.done;
    if (stored) return this.endOf(stored.id);
    return this.track(this.write(message));
  }

  /** Waits until the reply ends (here or on any instance) and returns it ended. */
  private async endOf(id: Id): Promise<Message> {
    for (;;) {
      const m = await this.storage.getMessage(id);
      if (!m || m.stream_state !== 'streaming') return m!;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, END_POLL_MS);
        const off = this.live.onEnd((ended) => ended === id && done());
        function done() {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    }
  }

  /**
   * Stops a streaming reply for everyone (`cancel`, §8): the generation and its provider
   * request are aborted, the text so far is stored `stopped`, and `message:end` goes to every
   * socket. A reply another instance writes is ended in the database here; that instance sees
   * the end and stops writing. `stopped: false` for a reply that was not streaming.
   */
  async cancel(message: Message): Promise<CancelResult> {
    const stream = this.active.get(message.id);
    if (stream && !stream.ended) {
      stream.abort('stopped');
      const ended = await this.endOf(message.id);
      return { message: ended, stopped: ended.stream_state === 'stopped' };
    }
    if (message.stream_state !== 'streaming') return { message, stopped: false };
    const text = this.live.current(message).text;
    const ended = await this.storage.endReply(message.id, { state: 'stopped', text });
    if (!ended) return { message: (await this.storage.getMessage(message.id)) ?? message, stopped: false };
    this.publishEnd(ended);
    return { message: ended, stopped: true };
  }

  private publishEnd(m: Message): void {
    this.fanout.publish({
      conversationId: m.conversation_id,
      frame: {
        type: 'message:end',
        conversation_id: m.conversation_id,
        message_id: m.id,
        stream_state: m.stream_state as Exclude<Message['stream_state'], 'streaming' | null | undefined>,
        text: m.text,
      },
    });
  }

  /**
   * Schedules replies to every user message a previous run stored but never answered, however
   * long ago (an outage of any length), oldest first, a page at a time.
   */
  async resume(): Promise<number> {
    let count = 0;
    let after = '0';
    for (;;) {
      const page = await this.storage.unansweredAfter(after, RESUME_PAGE);
      for (const m of page) this.schedule(m);
      count += page.length;
      if (page.length < RESUME_PAGE) break;
      after = page.at(-1)!.id;
    }
    if (count) this.log.info({ count }, 'answering messages left unanswered by a previous run');
    return count;
  }

  /**
   * Finishes a reply a writer left `streaming` (claimed for this instance by `ReplyRecovery`):
   * the bot answers `question` again, continuing from the stored text when its new answer starts
   * with it; otherwise the stored reply ends `failed` and a new reply follows (§8).
   */
  continueReply(reply: Message, question: Message | null): Promise<Message> {
    if (!question)
      return this.storage.endReply(reply.id, { state: 'failed', owner: this.owner }).then((m) => m ?? reply);
    // Said again, so every instance follows the reply from its stored text (a `sync` or `GET`
    // then answers the text the next delta continues); a client holding more keeps its copy.
    this.fanout.publish({ conversationId: reply.conversation_id, frame: { type: 'message:new', message: reply } });
    return this.track(
      (async () => {
        const result = await this.stream(reply, question);
        if (result.outcome !== 'diverged') return this.settled(reply, result);
        const failed = await this.storage.endReply(reply.id, { state: 'failed', owner: this.owner, detach: true });
        if (failed) this.publishEnd(failed);
        return this.write(question);
      })(),
    );
  }

  /**
   * Graceful shutdown: no retry and no new reply after it; replies not started yet stay
   * unanswered (the next start answers them), replies streaming are stored and released, still
   * `streaming` (the next start finishes them).
   */
  async flush(): Promise<void> {
    this.closing = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    for (const j of this.jobs.values()) if (j.timer) clearTimeout(j.timer);
    for (const stream of this.active.values()) stream.abort('shutdown');
    await Promise.allSettled([...this.running]);
  }

  /** Starts the reply to `message` (stored `streaming`, sent as `message:new`) and streams it to its end. */
  private async write(message: Message, untype?: () => void): Promise<Message> {
    if (this.closing) throw new Error('the server is shutting down');
    const { message: reply, created } = await this.storage.insertMessage({
      conversationId: message.conversation_id,
      senderId: null,
      type: 'bot',
      text: '',
      replyToId: message.id,
      streamOwner: this.owner,
    });
    if (!created) return reply.stream_state === 'streaming' ? this.endOf(reply.id) : reply;
    this.metrics.messagesStored++;
    this.metrics.botReplies++;
    this.fanout.publish({ conversationId: reply.conversation_id, frame: { type: 'message:new', message: reply } });
    untype?.();
    return this.settled(reply, await this.stream(reply, message));
  }

  /** The reply once its generation is over: ended here, ended elsewhere (waited for), or given up. */
  private settled(reply: Message, result: GenerateResult): Promise<Message> | Message {
    if (result.message) return result.message;
    if (result.outcome === 'suspended') return reply;
    return this.endOf(reply.id);
  }

  /** Generates into a stored reply until it ends, is stopped, fails, or the server shuts down. */
  private async stream(reply: Message, question: Message): Promise<GenerateResult> {
    const stream = new ReplyStream(
      {
        storage: this.storage,
        fanout: this.fanout,
        log: this.log,
        owner: this.owner,
        idleTimeoutMs: this.idleTimeoutMs,
      },
      reply,
    );
    this.active.set(reply.id, stream);
    try {
      const [user, history] = await Promise.all([this.userOf(question), this.historyOf(question)]);
      return await generate(this.bot, stream, { message: question, user, history }, this.log);
    } finally {
      this.active.delete(reply.id);
      // Failed without an end (the database down): left to `ReplyRecovery` once it is stale.
      if (!stream.ended) stream.drop();
    }
  }

  private async userOf(message: Message): Promise<User | null> {
    const sender = message.sender ? await this.storage.findUserByUsername(message.sender) : null;
    return sender ? { id: sender.id, username: sender.username, display_name: sender.display_name } : null;
  }

  /** The recent messages up to `message`, replies still streaming left out. */
  private async historyOf(message: Message): Promise<Message[]> {
    if (message.seq === undefined) return [message];
    const recent = await this.storage.listMessages(message.conversation_id, {
      beforeSeq: message.seq + 1,
      limit: HISTORY,
    });
    return recent.filter((m) => m.stream_state !== 'streaming');
  }

  /** Counts a pending reply; returns the call that uncounts it (once). */
  private startTyping(conversationId: string): () => void {
    const now = Date.now();
    const state = this.busy.get(conversationId) ?? { pending: 0, saidAt: 0 };
    state.pending += 1;
    this.busy.set(conversationId, state);
    if (state.pending === 1 || now - state.saidAt >= TYPING_REFRESH_MS) {
      state.saidAt = now;
      this.typing(conversationId, true);
    }
    let counted = true;
    return () => {
      if (!counted) return;
      counted = false;
      this.stopTyping(conversationId);
    };
  }

  private stopTyping(conversationId: string): void {
    const state = this.busy.get(conversationId);
    if (!state || --state.pending > 0) return;
    this.busy.delete(conversationId);
    this.typing(conversationId, false);
  }

  private typing(conversationId: string, isTyping: boolean): void {
    this.fanout.publish({
      conversationId,
      frame: { type: 'typing', user_id: null, username: 'bot', is_typing: isTyping },
    });
  }
}
