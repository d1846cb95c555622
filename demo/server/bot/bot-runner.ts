/**
 * Runs the bot: every user message gets exactly one reply after `delayMs`, with `typing` as user
 * `bot` while it is written: `true` when the bot starts on a conversation (refreshed every few
 * seconds while a burst keeps it busy, as clients expire typing after about 5 s), `false` once its
 * last pending reply there is written — not one pair of frames per message. A reply is keyed by
 * the message it answers (unique in the database), so a second run, here or on another instance,
 * writes and broadcasts nothing. A failed reply is tried again until it is written, and at start
 * every message left unanswered by an earlier run is answered, whatever its age.
 */
import type { Message } from '../../../src/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Fanout } from '../realtime/fanout.js';
import type { ChatStorage } from '../storage/storage.js';
import { collectReply, type Bot } from './bot.js';

/** Clients expire typing after ~5 s without an update: a busy bot says it again after this long. */
const TYPING_REFRESH_MS = 3000;
/** The longest wait between two tries of a failed reply. */
const RETRY_MAX_MS = 30_000;
/** Unanswered messages read per query at start. */
const RESUME_PAGE = 500;

interface Job {
  timer: NodeJS.Timeout | null;
  start: () => void;
  done: Promise<Message>;
}

export class BotRunner {
  private readonly jobs = new Map<string, Job>();
  /** Per conversation: replies pending and when `typing: true` was last said. */
  private readonly busy = new Map<string, { pending: number; saidAt: number }>();
  /** Timers of failed replies waiting to be tried again. */
  private readonly retries = new Set<NodeJS.Timeout>();
  private closing = false;

  constructor(
    private readonly bot: Bot,
    private readonly storage: ChatStorage,
    private readonly fanout: Fanout,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly delayMs: number,
  ) {}

  /**
   * Schedules the reply to a freshly stored user message. A reply that fails (the database or the
   * provider down) is tried again with a backoff up to `RETRY_MAX_MS`, for as long as it takes.
   */
  schedule(message: Message, attempt = 0): void {
    if (this.jobs.has(message.id) || this.closing) return;
    this.startTyping(message.conversation_id);
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const job: Job = { timer: null, start, done: started.then(() => this.write(message)) };
    job.timer = setTimeout(start, attempt === 0 ? this.delayMs : 0);
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
        this.stopTyping(message.conversation_id);
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

  /** The reply to `message`: stored already, being written (waited for), or written now. */
  async replyTo(message: Message): Promise<Message> {
    const stored = await this.storage.botReplyTo(message.id);
    if (stored) return stored;
    const job = this.jobs.get(message.id);
    if (job) return job.done;
    return this.write(message);
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

  /** Starts every waiting reply at once and waits for all (graceful shutdown); no retry after it. */
  async flush(): Promise<void> {
    this.closing = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    const jobs = [...this.jobs.values()];
    for (const j of jobs) {
      if (j.timer) clearTimeout(j.timer);
      j.start();
    }
    await Promise.allSettled(jobs.map((j) => j.done));
  }

  private async write(message: Message): Promise<Message> {
    const sender = message.sender ? await this.storage.findUserByUsername(message.sender) : null;
    const user = sender ? { id: sender.id, username: sender.username, display_name: sender.display_name } : null;
    const text = (await collectReply(this.bot.reply({ message, user }))).trim() || '…';
    const { message: reply, created } = await this.storage.insertMessage({
      conversationId: message.conversation_id,
      senderId: null,
      type: 'bot',
      text,
      replyToId: message.id,
    });
    if (created) {
      this.metrics.messagesStored++;
      this.metrics.botReplies++;
      this.fanout.publish({ conversationId: reply.conversation_id, frame: { type: 'message:new', message: reply } });
    }
    return reply;
  }

  private startTyping(conversationId: string): void {
    const now = Date.now();
    const state = this.busy.get(conversationId) ?? { pending: 0, saidAt: 0 };
    state.pending += 1;
    this.busy.set(conversationId, state);
    if (state.pending === 1 || now - state.saidAt >= TYPING_REFRESH_MS) {
      state.saidAt = now;
      this.typing(conversationId, true);
    }
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
