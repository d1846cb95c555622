/**
 * Support for the streamed-reply tests: a bot that writes a script at a chosen speed and records
 * what happened to it (how much it wrote when, whether it was aborted), and readers of the
 * frames a socket got for one reply.
 */
import type { Bot, BotInput } from '../../../demo/server/bot/bot.js';
import { sleep } from '../../../demo/server/bot/bot.js';
import type { TestSocket } from './helpers.js';

/** What a `ScriptedBot` writes for one question: chunks with a pause before each but the first. */
export interface Script {
  chunks: string[];
  gapMs: number;
}

/** `n` chunks of `size` letters each ("aaaa", "bbbb", ...): any two prefixes differ. */
export function letters(n: number, size = 1): string[] {
  return Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(size));
}

export class ScriptedBot implements Bot {
  /** Replies begun. */
  started = 0;
  /** Replies whose signal was aborted while they were being written. */
  aborted = 0;
  /** Chunks yielded after their signal was aborted (a bot that does not stop). */
  yieldedAfterAbort = 0;
  /** How long the generated text was when (epoch ms), across all replies. */
  readonly progress: { at: number; length: number }[] = [];

  constructor(private readonly script: (input: BotInput) => Script) {}

  async *reply(input: BotInput): AsyncIterable<string> {
    this.started++;
    const { chunks, gapMs } = this.script(input);
    let length = 0;
    try {
      for (const [i, chunk] of chunks.entries()) {
        if (i > 0 && gapMs > 0) await sleep(gapMs, input.signal);
        if (input.signal.aborted) this.yieldedAfterAbort++;
        length += chunk.length;
        this.progress.push({ at: Date.now(), length });
        yield chunk;
      }
    } finally {
      if (input.signal.aborted) this.aborted++;
    }
  }
}

/** The frames of one reply on a socket, in arrival order. */
export function replyFrames(sock: TestSocket, messageId: string) {
  const mine = sock.frames.filter(
    (f) => (f.type === 'message:new' && f.message.id === messageId) || f.message_id === messageId,
  );
  return {
    starts: mine.filter((f) => f.type === 'message:new'),
    deltas: mine.filter((f) => f.type === 'message:delta'),
    ends: mine.filter((f) => f.type === 'message:end'),
    all: mine,
  };
}

/**
 * Applies a reply's frames as PROTOCOL §8 tells a client to (start, append at offset, drop
 * overlap, end replaces) and throws on a gap: the text a user would have seen grow. Deltas that
 * come before the socket holds the reply at all (a socket that opened while it streamed, before
 * its `sync` answered) are skipped: the catch-up brings the reply with that text.
 */
export function textSeen(sock: TestSocket, messageId: string): string {
  let text = '';
  let held = false;
  for (const f of replyFrames(sock, messageId).all) {
    if (f.type === 'message:new') {
      held = true;
      text = f.message.text.length >= text.length ? f.message.text : text;
    } else if (f.type === 'message:delta') {
      if (!held) continue;
      if (f.offset > text.length) throw new Error(`gap: delta at ${f.offset}, text is ${text.length} long`);
      text = text.slice(0, f.offset) + f.text + text.slice(f.offset + f.text.length);
    } else {
      held = true;
      text = f.text;
    }
  }
  return text;
}
