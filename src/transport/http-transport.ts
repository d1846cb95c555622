/**
 * The HTTP side of the transport ladder: sends over REST (`user-response`, then on a seed
 * backend `bot-response`), and polling for new messages while the socket is unavailable (and,
 * on a seed backend, always: its socket never pushes what was written over REST).
 */
import { postBotResponse, postUserResponse } from '../api/chat.js';
import type { Http } from '../api/http.js';
import type { QueuedOutboxEntry } from '../outbox/outbox-entry.js';
import type { BotResponseResponse, UserResponseResponse } from '../types.js';
import type { Logger } from '../util/log.js';

/** Sends one outbox entry over REST. On a seed backend, also asks for the bot's reply. */
export async function sendOverHttp(
  http: Http,
  entry: QueuedOutboxEntry,
  askBot: boolean,
): Promise<{ stored: UserResponseResponse; bot: BotResponseResponse | null }> {
  const stored = await postUserResponse(http, {
    message: entry.text,
    // Without one, the server creates the conversation (NEW_CONVERSATION is '').
    ...(entry.conversationId ? { conversation_id: entry.conversationId } : {}),
    client_id: entry.clientId,
    ...(entry.attachmentId ? { attachment_id: entry.attachmentId } : {}),
  });
  let bot: BotResponseResponse | null = null;
  if (askBot) bot = await postBotResponse(http, stored.conversation_id).catch(() => null);
  return { stored, bot };
}

/**
 * The wait before the next poll: `intervalMs` give or take a quarter, so the tabs and devices that
 * fell back together (a proxy that blocks sockets for everyone) do not poll in lockstep.
 */
export function pollDelay(intervalMs: number, random: number): number {
  return Math.round(intervalMs * (0.75 + 0.5 * Math.min(Math.max(random, 0), 1)));
}

/** Calls `poll` about every `intervalMs` (jittered, see `pollDelay`) while started, never two at once. */
export class Poller {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #active = false;
  #poll: () => Promise<void>;
  #intervalMs: () => number;
  #log: Logger;
  #random: () => number;

  constructor(poll: () => Promise<void>, intervalMs: () => number, log: Logger, random: () => number = Math.random) {
    this.#poll = poll;
    this.#intervalMs = intervalMs;
    this.#log = log;
    this.#random = random;
  }

  start(): void {
    if (this.#active) return;
    this.#active = true;
    this.#log('poll start');
    void this.now();
  }

  stop(): void {
    this.#active = false;
    clearTimeout(this.#timer);
  }

  /** Polls now (and then on schedule). */
  async now(): Promise<void> {
    if (!this.#active || this.#running) return;
    clearTimeout(this.#timer);
    this.#running = true;
    try {
      await this.#poll();
    } catch (error) {
      this.#log('poll failed', String(error));
    } finally {
      this.#running = false;
      if (this.#active) this.#timer = setTimeout(() => void this.now(), pollDelay(this.#intervalMs(), this.#random()));
    }
  }
}
