/**
 * Finishes the replies left `streaming` by a writer that is gone (PROTOCOL §8, "Durability"):
 * released by a graceful shutdown, or not stored for `staleMs` (a crash: a live writer stores at
 * least every second). At start and then every `everyMs`, this instance claims them in one
 * conditional update (two instances never claim the same reply) and the bot continues each one.
 *
 * Decision: a crashed writer's replies are taken over once they are `staleMs` old (default 5 s),
 * whether by the same instance restarted or by another one; a writer's id is random per process,
 * so nothing needs to remember which instance wrote what.
 */
import type { Logger } from '../logger.js';
import type { ChatStorage } from '../storage/storage.js';
import type { BotRunner } from './bot-runner.js';

export interface RecoveryOptions {
  /** A reply not stored for this long has lost its writer (default 5000 ms). */
  staleMs?: number;
  /** How often to look for such replies (default 2000 ms). */
  everyMs?: number;
}

export class ReplyRecovery {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private readonly staleMs: number;
  private readonly everyMs: number;

  constructor(
    private readonly runner: BotRunner,
    private readonly storage: ChatStorage,
    private readonly log: Logger,
    options: RecoveryOptions = {},
  ) {
    this.staleMs = options.staleMs ?? 5000;
    this.everyMs = options.everyMs ?? 2000;
  }

  /** Sweeps now, then every `everyMs`. */
  async start(): Promise<number> {
    const n = await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.everyMs);
    this.timer.unref();
    return n;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Claims and continues every orphaned reply; resolves to how many were claimed. */
  sweep(): Promise<number> {
    this.sweeping ??= this.claim().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async claim(): Promise<number> {
    if (this.runner.closing) return 0;
    try {
      const claimed = await this.storage.claimReplies(this.runner.owner, Date.now() - this.staleMs);
      for (const { message, replyToId } of claimed) {
        const question = replyToId ? await this.storage.getMessage(replyToId) : null;
        this.runner.continueReply(message, question).catch((err: Error) => {
          this.log.warn({ err: err.message, message_id: message.id }, 'continuing a reply failed');
        });
      }
      if (claimed.length) this.log.info({ count: claimed.length }, 'finishing replies left streaming');
      return claimed.length;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'looking for replies left streaming failed');
      return 0;
    }
  }
}
