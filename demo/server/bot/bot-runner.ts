/**
 * Runs the bot: every user message gets exactly one reply after `delayMs`, with `typing` as user
 * `bot` while it is written: `true` when the bot starts on a conversation (refreshed every few
 * seconds while a burst keeps it busy, as clients expire typing after about 5 s), `false` once its
 * last pending reply there is written — not one pair of frames per message. A reply is keyed by the message it answers (unique in the database),
 * so a second run, here or on another instance, writes and broadcasts nothing.
 */
import type { Message } from '../../../src/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Fanout } from '../realtime/fanout.js';
import type { ChatStorage } from '../storage/storage.js';
import { collectReply, type Bot } from './bot.js';

/** Clients expire typing after ~5 s without an update: a busy bot says it again after this long. */
const TYPING_REFRESH_MS = 3000;

interface Job {
  timer: NodeJS.Timeout | null;
  start: () => void;
  done: Promise<Message>;
}

export class BotRunner {
  private readonly jobs = new Map<string, Job>();
  /** Per conversation: replies pending and when `typing: true` was last said. */
  private readonly busy = new Map<string, { pending: number; saidAt: number }>();

  constructor(
    private readonly bot: Bot,
    private readonly storage: ChatStorage,
    private readonly fanout: Fanout,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly delayMs: number,
  ) {}

  /** Schedules the reply to a freshly stored user message. */
  schedule(message: Message): void {
    if (this.jobs.has(message.id)) return;
    this.startTyping(message.conversation_id);
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const job: Job = { timer: null, start, done: started.then(() => this.write(message)) };
    job.timer = setTimeout(start, this.delayMs);
    this.jobs.set(message.id, job);
    job.done
      .catch((err: Error) => this.log.error({ err: err.message, message_id: message.id }, 'bot reply failed'))
      .finally(() => {
        this.jobs.delete(message.id);
        this.stopTyping(message.conversation_id);
      });
  }

  /** The reply to `message`: stored already, being written (waited for), or written now. */
  async replyTo(message: Message): Promise<Message> {
    const stored = await this.storage.botReplyTo(message.id);
    if (stored) return stored;
    const job = this.jobs.get(message.id);
    if (job) return job.done;
    return this.write(message);
  }

  /** Schedules replies to recent user messages a previous run stored but never answered. */
  async resume(withinMs = 10 * 60_000): Promise<number> {
    const pending = await this.storage.unansweredSince(new Date(Date.now() - withinMs).toISOString(), 500);
    for (const m of pending) this.schedule(m);
    if (pending.length)
      this.log.info({ count: pending.length }, 'answering messages left unanswered by a previous run');
    return pending.length;
  }

  /** Starts every waiting reply at once and waits for all (graceful shutdown). */
  async flush(): Promise<void> {
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
