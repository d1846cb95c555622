/**
 * The durable outbox: entries are written to storage before their first attempt, leave in order
 * with one in flight per conversation, retry with backoff on transient failures (same
 * `client_id`), and become `failed` on permanent ones until `retry()` or `discard()`.
 */
import { AuthError, HttpError, ParleyError, ValidationError } from '../errors.js';
import type { Timing } from '../timing.js';
import type { Id } from '../types.js';
import type { Logger } from '../util/log.js';
import { backoffDelay } from '../transport/backoff.js';
import type { FailedOutboxEntry, OutboxEntry, OutboxStorage, QueuedOutboxEntry } from './outbox-entry.js';

export interface OutboxDeps {
  storage: OutboxStorage;
  timing: Timing;
  random: () => number;
  log: Logger;
  /** Whether delivery can be tried now (signed in, not offline). */
  canDeliver(): boolean;
  /** Delivers one entry; resolves once the server stored it. */
  deliver(entry: QueuedOutboxEntry): Promise<void>;
  onFailed(entry: FailedOutboxEntry): void;
  onError(error: ParleyError): void;
}

/** Errors that will not go away by trying again: 4xx other than 401/408/429, validation, too big. */
export function isPermanent(error: unknown): boolean {
  if (error instanceof ValidationError) return true;
  if (error instanceof AuthError) return false;
  if (error instanceof HttpError) {
    const s = error.status ?? 0;
    return s >= 400 && s < 500 && s !== 408 && s !== 429;
  }
  return error instanceof ParleyError && error.code === 'too_big';
}

export class Outbox {
  #deps: OutboxDeps;
  #entries = new Map<string, OutboxEntry>();
  #inflight = new Set<Id>();
  /** Conversations kicked while a flush was running: flush again at once when it ends. */
  #rekick = new Set<Id>();
  #timers = new Map<Id, ReturnType<typeof setTimeout>>();
  #failures = new Map<Id, number>();
  #writes: Promise<unknown> = Promise.resolve();
  #counter = 0;
  #disposed = false;
  readonly loaded: Promise<OutboxEntry[]>;

  constructor(deps: OutboxDeps) {
    this.#deps = deps;
    this.loaded = deps.storage.list().then(
      (entries) => {
        for (const e of entries) this.#entries.set(e.clientId, e);
        return this.#sorted();
      },
      (error: unknown) => {
        deps.log('outbox load failed', String(error));
        return [];
      },
    );
  }

  /** A queue position after everything queued so far, also across reloads. */
  nextOrder(): number {
    const max = Math.max(0, ...[...this.#entries.values()].map((e) => e.order));
    return Math.max(max + 1, Date.now() * 1000 + (this.#counter++ % 1000));
  }

  /** Writes the entry to storage (in call order), then starts delivering. */
  async enqueue(entry: QueuedOutboxEntry): Promise<void> {
    await this.loaded;
    this.#entries.set(entry.clientId, entry);
    await this.#write(() => this.#deps.storage.put(entry));
    this.kick(entry.conversationId);
  }

  get(clientId: string): OutboxEntry | undefined {
    return this.#entries.get(clientId);
  }

  async size(): Promise<number> {
    await this.loaded;
    return this.#entries.size;
  }

  /** Entries in queue order. */
  #sorted(conversationId?: Id): OutboxEntry[] {
    return [...this.#entries.values()]
      .filter((e) => conversationId === undefined || e.conversationId === conversationId)
      .sort((a, b) => a.order - b.order);
  }

  /** Tries delivery now for one conversation or all, skipping any backoff wait. */
  kick(conversationId?: Id): void {
    if (this.#disposed) return;
    const ids = conversationId
      ? [conversationId]
      : [...new Set([...this.#entries.values()].map((e) => e.conversationId))];
    for (const id of ids) {
      clearTimeout(this.#timers.get(id));
      this.#timers.delete(id);
      void this.#flush(id);
    }
  }

  /** Puts a failed entry back in the queue, same `client_id`. */
  async retry(clientId: string): Promise<void> {
    await this.loaded;
    const entry = this.#entries.get(clientId);
    if (!entry || entry.status !== 'failed') return;
    const { failure: _failure, ...rest } = entry;
    const queued: QueuedOutboxEntry = { ...rest, status: 'queued', attempts: 0 };
    this.#entries.set(clientId, queued);
    await this.#write(() => this.#deps.storage.put(queued));
    this.kick(queued.conversationId);
  }

  /** Drops an entry for good. */
  async discard(clientId: string): Promise<OutboxEntry | undefined> {
    await this.loaded;
    const entry = this.#entries.get(clientId);
    this.#entries.delete(clientId);
    await this.#write(() => this.#deps.storage.remove(clientId));
    return entry;
  }

  async clear(): Promise<void> {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    this.#entries.clear();
    await this.#write(() => this.#deps.storage.clear());
  }

  dispose(): void {
    this.#disposed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  #write(task: () => Promise<void>): Promise<void> {
    const next = this.#writes.then(task);
    this.#writes = next.catch(() => undefined);
    return next;
  }

  async #flush(conversationId: Id): Promise<void> {
    await this.loaded;
    if (this.#inflight.has(conversationId)) {
      this.#rekick.add(conversationId);
      return;
    }
    this.#inflight.add(conversationId);
    try {
      for (;;) {
        if (this.#disposed || !this.#deps.canDeliver()) return;
        const next = this.#sorted(conversationId).find((e): e is QueuedOutboxEntry => e.status === 'queued');
        if (!next) return;
        const attempt: QueuedOutboxEntry = { ...next, attempts: next.attempts + 1 };
        try {
          await this.#deps.deliver(attempt);
        } catch (error) {
          if (this.#disposed || this.#entries.get(next.clientId) !== next) return;
          if (isPermanent(error)) {
            const failure = { reason: (error as Error).message, code: (error as ParleyError).code };
            const failed: FailedOutboxEntry = { ...attempt, status: 'failed', failure };
            this.#entries.set(failed.clientId, failed);
            await this.#write(() => this.#deps.storage.put(failed));
            this.#deps.onFailed(failed);
            continue;
          }
          this.#entries.set(attempt.clientId, attempt);
          await this.#write(() => this.#deps.storage.put(attempt)).catch(() => undefined);
          if (error instanceof ParleyError && !(error instanceof AuthError)) this.#deps.onError(error);
          this.#schedule(conversationId, error);
          return;
        }
        this.#failures.delete(conversationId);
        if (this.#entries.get(next.clientId) === next) this.#entries.delete(next.clientId);
        await this.#write(() => this.#deps.storage.remove(next.clientId));
      }
    } finally {
      this.#inflight.delete(conversationId);
      if (this.#rekick.delete(conversationId) && !this.#disposed && this.#deps.canDeliver()) this.kick(conversationId);
    }
  }

  #schedule(conversationId: Id, error: unknown): void {
    const failures = (this.#failures.get(conversationId) ?? 0) + 1;
    this.#failures.set(conversationId, failures);
    const { timing, random } = this.#deps;
    let delay = backoffDelay(failures, random(), { baseMs: timing.retryBaseMs, capMs: timing.retryCapMs });
    if (error instanceof HttpError && error.retryAfter !== undefined) delay = Math.max(delay, error.retryAfter * 1000);
    this.#deps.log('outbox retry', { conversationId, failures, delay });
    clearTimeout(this.#timers.get(conversationId));
    this.#timers.set(
      conversationId,
      setTimeout(() => {
        this.#timers.delete(conversationId);
        void this.#flush(conversationId);
      }, delay),
    );
  }
}
