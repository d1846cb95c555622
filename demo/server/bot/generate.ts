/**
 * The generation loop of one streamed reply: reads the bot's chunks into a `ReplyStream` until
 * the bot is done, the reply is stopped, the provider fails or stalls, or the server shuts down,
 * and ends the reply accordingly.
 *
 * Continuing a reply (restart recovery, §8): the stream starts with the stored text; the bot
 * answers again from the start, and its chunks are compared with the stored text until they pass
 * it. An answer that starts with the stored text continues it (nothing is sent twice); one that
 * differs is `diverged`, and the caller fails the stored reply and writes a new one.
 *
 * A provider error or timeout ends the reply `failed`. Decision: the partial text is kept (the
 * reader saw it), followed by a short human note; a reply that failed before any text is the note
 * alone.
 */
import type { Message } from '../../../src/types.js';
import type { Logger } from '../logger.js';
import type { Bot, BotInput } from './bot.js';
import type { ReplyStream } from './reply-stream.js';

/** The note a reply ends with when the provider sent nothing for too long. */
export const TIMEOUT_NOTE = 'Sorry, the assistant took too long to answer. Please try again.';
/** The note a reply ends with when the provider failed. */
export const ERROR_NOTE = 'Sorry, the assistant could not answer right now. Please try again.';
/** The text of a reply the bot completed with nothing at all. */
export const EMPTY_REPLY = '…';

export type Outcome = 'complete' | 'stopped' | 'failed' | 'suspended' | 'lost' | 'diverged';

export interface GenerateResult {
  outcome: Outcome;
  /** The reply as ended; null when it ended elsewhere, was given up (shutdown) or diverged. */
  message: Message | null;
}

const noteAfter = (text: string, note: string) => (text.trim() ? `\n\n${note}` : note);

export async function generate(
  bot: Bot,
  stream: ReplyStream,
  input: Omit<BotInput, 'signal'>,
  log: Logger,
): Promise<GenerateResult> {
  const stored = stream.current;
  const signal = stream.signal;
  let generated = '';
  let matched = stored.length === 0;
  try {
    // The abort wins over a bot that does not listen to its signal.
    const aborted = new Promise<never>((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason as Error);
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
    aborted.catch(() => undefined);
    const chunks = bot.reply({ ...input, signal, ...(stored ? { continuing: stored } : {}) })[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await Promise.race([chunks.next(), aborted]);
        if (next.done) break;
        const chunk: unknown = next.value;
        if (typeof chunk !== 'string') continue;
        if (matched) {
          stream.append(chunk);
          continue;
        }
        generated += chunk;
        stream.alive();
        if (generated.length <= stored.length) {
          if (!stored.startsWith(generated)) return diverged(stream);
          continue;
        }
        if (!generated.startsWith(stored)) return diverged(stream);
        matched = true;
        stream.append(generated.slice(stored.length));
      }
    } finally {
      void Promise.resolve()
        .then(() => chunks.return?.())
        .catch(() => undefined);
    }
    if (!matched && generated !== stored) return diverged(stream);
    const empty = stream.current.trim() === '';
    return { outcome: 'complete', message: await stream.finish('complete', empty ? EMPTY_REPLY : '') };
  } catch (err) {
    switch (stream.abortedFor) {
      case 'stopped':
        return { outcome: 'stopped', message: await stream.finish('stopped') };
      case 'shutdown':
        await stream.suspend();
        return { outcome: 'suspended', message: null };
      case 'lost':
        stream.drop();
        return { outcome: 'lost', message: null };
      case 'diverged':
        return diverged(stream);
      case 'timeout':
        log.warn({ message_id: stream.id }, 'bot reply timed out');
        return { outcome: 'failed', message: await stream.finish('failed', noteAfter(stream.current, TIMEOUT_NOTE)) };
      default:
        stream.abort('stopped'); // the provider's request, if it is still open
        log.warn({ err: (err as Error)?.message, message_id: stream.id }, 'bot reply failed');
        return { outcome: 'failed', message: await stream.finish('failed', noteAfter(stream.current, ERROR_NOTE)) };
    }
  }
}

function diverged(stream: ReplyStream): GenerateResult {
  stream.abort('diverged');
  stream.drop();
  return { outcome: 'diverged', message: null };
}
