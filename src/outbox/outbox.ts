/**
 * The durable outbox: entries are written to storage before their first attempt, leave in order
 * with one in flight per conversation, retry with backoff on transient failures (same
 * `client_id`), and become `failed` on permanent ones until `retry()` or `discard()`.
 *
 * It holds one owner's entries at a time (a server and user, see `ownerKey`): another owner's are
 * never loaded, shown or sent. Before each attempt it claims the entry in storage, so an entry
 * discarded or delivered by another tab is dropped instead of sent again.
 */
import { AuthError, HttpError, ParleyError } from '../errors.js';
import { claimEntry } from './claim.js';
import { isPermanent } from './permanent-error.js';
import type { Timing } from '../timing.js';
import type { Id } from '../types.js';
import type { Logger } from '../util/log.js';
import { backoffDelay } from '../transport/backoff.js';
import { newClientId } from '../util/ids.js';
import {
  NEW_CONVERSATION,
  type FailedOutboxEntry,
  type OutboxEntry,
  type OutboxStorage,
  type QueuedOutboxEntry,
} from './outbox-entry.js';

export interface OutboxDeps {
  storage: OutboxStorage;
  timing: Timing;
  random: () => number;
  log: Logger;
  /** Whether delivery can be tried now (signed in, not offline). */
  canDeliver(): boolean;
  /** Delivers one entry; resolves with its conversation once the server stored it. */
  deliver(entry: QueuedOutboxEntry): Promise<Id>;
  onFailed(entry: FailedOutboxEntry): void;
  /** The entry left this outbox without being delivered by it (discarded or sent by another tab). */
  onGone(entry: OutboxEntry): void;
  onError(error: ParleyError): void;
  /** The entry was written to storage (a follower tab tells the leader, which sends it). */
  queued?(entry: QueuedOutboxEntry): void;
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
  #owner: string | null = null;
  /** Bumped on every change of owner: work started for an earlier owner stops. */
  #epoch = 0;
  /** Who this outbox is when it claims an entry. */
  readonly #id = newClientId();
  #loaded: Promise<OutboxEntry[]> = Promise.resolve([]);

  constructor(deps: OutboxDeps) {
    this.#deps = deps;
  }

  /** The owner whose entries are held, or null. */
  get owner(): string | null {
    return this.#owner;
  }

  /** The current owner's entries, in queue order, once loaded. */
  get loaded(): Promise<OutboxEntry[]> {
    return this.#loaded;
  }

  /**
   * Holds `owner`'s entries from now on (null: nobody's). The previous owner's entries stay in
   * storage, untouched, for when that owner is back. Resolves with the new owner's entries.
   */
  setOwner(owner: string | null): Promise<OutboxEntry[]> {
    if (owner === this.#owner) return this.#loaded;
    this.#owner = owner;
    this.#epoch += 1;
    this.#stopTimers();
    this.#entries.clear();
    this.#failures.clear();
    this.#loaded = !owner
      ? Promise.resolve([])
      : this.#deps.storage.list().then(
          (entries) => {
            if (this.#owner !== owner) return [];
            for (const e of entries) if (e.owner === owner) this.#entries.set(e.clientId, e);
            return this.#sorted();
          },
          (error: unknown) => {
            this.#deps.log('outbox load failed', String(error));
            return [];
          },
        );
    return this.#loaded;
  }

  /** A queue position after everything queued so far, also across reloads. */
  nextOrder(): number {
    const max = Math.max(0, ...[...this.#entries.values()].map((e) => e.order));
    return Math.max(max + 1, Date.now() * 1000 + (this.#counter++ % 1000));
  }

  /**
   * Writes the entry to storage (in call order) for the current owner, then starts delivering.
   * Rejects, keeping nothing, when there is no owner or the write fails.
   */
  async enqueue(entry: QueuedOutboxEntry): Promise<void> {
    const owner = this.#owner;
    if (!owner) throw new AuthError('Cannot queue a message: nobody is signed in', { code: 'not_authenticated' });
    await this.#loaded;
    if (this.#owner !== owner) throw new AuthError('The user changed while queueing', { code: 'not_authenticated' });
    const owned: QueuedOutboxEntry = { ...entry, owner };
    this.#entries.set(owned.clientId, owned);
    try {
      await this.#write(() => this.#deps.storage.put(owned));
    } catch (error) {
      if (this.#entries.get(owned.clientId) === owned) this.#entries.delete(owned.clientId);
      throw error;
    }
    this.#deps.queued?.(owned);
    this.kick(owned.conversationId);
  }

  /**
   * An entry another tab of this browser wrote to the shared storage: held and sent from here.
   * False when it is not the current owner's or is held already.
   */
  adopt(entry: QueuedOutboxEntry): boolean {
    if (!this.#owner || entry.owner !== this.#owner || this.#entries.has(entry.clientId)) return false;
    this.#entries.set(entry.clientId, entry);
    this.kick(entry.conversationId);
    return true;
  }

  /** Reads the current owner's entries from storage again (a tab that starts leading). */
  reload(): Promise<OutboxEntry[]> {
    const owner = this.#owner;
    this.#owner = null;
    return this.setOwner(owner);
  }

  get(clientId: string): OutboxEntry | undefined {
    return this.#entries.get(clientId);
  }

  async size(): Promise<number> {
    await this.#loaded;
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
    const ids =
      conversationId !== undefined
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
    await this.#loaded;
    const entry = this.#entries.get(clientId);
    if (!entry || entry.status !== 'failed') return;
    const { failure: _failure, ...rest } = entry;
    const queued: QueuedOutboxEntry = { ...rest, status: 'queued', attempts: 0 };
    this.#entries.set(clientId, queued);
    await this.#write(() => this.#deps.storage.put(queued));
    this.kick(queued.conversationId);
  }

  /** Drops an entry for good (also for the other tabs: they find it gone before sending it). */
  async discard(clientId: string): Promise<OutboxEntry | undefined> {
    await this.#loaded;
    const entry = this.#entries.get(clientId);
    this.#entries.delete(clientId);
    await this.#write(() => this.#deps.storage.remove(clientId));
    return entry;
  }

  /** Deletes the current owner's entries (sign-out); other owners' entries stay. */
  async clear(): Promise<void> {
    const owner = this.#owner;
    this.#stopTimers();
    this.#entries.clear();
    if (!owner) return;
    await this.#write(async () => {
      const stored = await this.#deps.storage.list();
      for (const e of stored) if (e.owner === owner) await this.#deps.storage.remove(e.clientId);
    });
  }

  dispose(): void {
    this.#disposed = true;
    this.#stopTimers();
  }

  #stopTimers(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  #write(task: () => Promise<void>): Promise<void> {
    const next = this.#writes.then(task);
    this.#writes = next.catch(() => undefined);
    return next;
  }

  async #flush(conversationId: Id): Promise<void> {
    const epoch = this.#epoch;
    await this.#loaded;
    if (epoch !== this.#epoch) return;
    if (this.#inflight.has(conversationId)) {
      this.#rekick.add(conversationId);
      return;
    }
    this.#inflight.add(conversationId);
    try {
      for (;;) {
        if (this.#disposed || epoch !== this.#epoch || !this.#deps.canDeliver()) return;
        const next = this.#sorted(conversationId).find((e): e is QueuedOutboxEntry => e.status === 'queued');
        if (!next) return;
        const claimed = await this.#claim(next);
        if (epoch !== this.#epoch || this.#entries.get(next.clientId) !== next) continue;
        if (claimed === 'busy') return this.#schedule(conversationId, null);
        if (claimed === null || claimed.status !== 'queued') {
          this.#entries.delete(next.clientId);
          this.#deps.log('outbox entry gone', next.clientId);
          this.#deps.onGone(next);
          continue;
        }
        const attempt: QueuedOutboxEntry = { ...next, attempts: next.attempts + 1 };
        let delivered: Id;
        try {
          delivered = await this.#deps.deliver(attempt);
        } catch (error) {
          // Let go of it: another tab (or this page after a reload) may try it before our next attempt.
          if (!isPermanent(error)) void this.#claim(attempt, 0);
          if (this.#disposed || this.#entries.get(next.clientId) !== next) return;
          if (isPermanent(error)) {
            const failure = { reason: (error as Error).message, code: (error as ParleyError).code };
            const { claim: _claim, ...unclaimed } = attempt;
            const failed: FailedOutboxEntry = { ...unclaimed, status: 'failed', failure };
            this.#entries.set(failed.clientId, failed);
            await this.#write(() => this.#deps.storage.put(failed)).catch(() => undefined);
            this.#deps.onFailed(failed);
            continue;
          }
          this.#entries.set(attempt.clientId, attempt);
          if (error instanceof ParleyError && !(error instanceof AuthError)) this.#deps.onError(error);
          this.#schedule(conversationId, error);
          return;
        }
        this.#failures.delete(conversationId);
        if (this.#entries.get(next.clientId) === next) this.#entries.delete(next.clientId);
        await this.#write(() => this.#deps.storage.remove(next.clientId)).catch(() => undefined);
        // The user changed while it was on its way: nothing of theirs is held any more.
        if (epoch !== this.#epoch) return;
        if (conversationId === NEW_CONVERSATION && delivered !== NEW_CONVERSATION) {
          await this.#adopt(delivered);
          return;
        }
      }
    } finally {
      this.#inflight.delete(conversationId);
      if (this.#rekick.delete(conversationId) && !this.#disposed && this.#deps.canDeliver()) this.kick(conversationId);
    }
  }

  /** Takes the entry for this tab in storage for `leaseMs` (0: lets go of it). */
  #claim(entry: QueuedOutboxEntry, leaseMs = this.#deps.timing.claimLeaseMs): Promise<OutboxEntry | 'busy' | null> {
    return claimEntry(this.#deps.storage, entry, this.#id, leaseMs, this.#deps.log);
  }

  /** The first send created `conversationId`: every entry still waiting for a new conversation joins it. */
  async #adopt(conversationId: Id): Promise<void> {
    for (const e of this.#sorted(NEW_CONVERSATION)) {
      const moved: OutboxEntry = { ...e, conversationId };
      this.#entries.set(moved.clientId, moved);
      await this.#write(() => this.#deps.storage.put(moved)).catch(() => undefined);
    }
    this.kick(conversationId);
  }

  #schedule(conversationId: Id, error: unknown): void {
    const failures = (this.#failures.get(conversationId) ?? 0) + 1;
    this.#failures.set(conversationId, failures);
    const { timing, random } = this.#deps;
    let delay = backoffDelay(failures, random(), { baseMs: timing.retryBaseMs, capMs: timing.retryCapMs });
    if (error instanceof HttpError && error.retryAfter !== undefined) delay = Math.max(delay, error.retryAfter * 1000);
    this.#deps.log('outbox retry', { conversationId, failures, delay });
    clearTimeout(this.#timers.get(conversationId));
    const epoch = this.#epoch;
    this.#timers.set(
      conversationId,
      setTimeout(() => {
        this.#timers.delete(conversationId);
        if (epoch === this.#epoch) void this.#flush(conversationId);
      }, delay),
    );
  }
}
