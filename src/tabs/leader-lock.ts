/**
 * The leader election of the tabs of one browser: one Web Lock per server and user. The tab that
 * holds it leads; the others wait in the lock's queue, so when the leader's page closes, reloads
 * or is frozen the browser hands the lock to the next tab at once (no polling, no timeout).
 */

/** The part of `navigator.locks` the election uses. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

export interface LeaderLockHandlers {
  /** This tab now holds the lock. */
  lead(): void;
  /** This tab let go of the lock it held. */
  lose(): void;
}

export class LeaderLock {
  readonly #locks: LockManagerLike;
  readonly #name: string;
  readonly #handlers: LeaderLockHandlers;
  #queued: AbortController | null = null;
  #release: (() => void) | null = null;

  constructor(locks: LockManagerLike, name: string, handlers: LeaderLockHandlers) {
    this.#locks = locks;
    this.#name = name;
    this.#handlers = handlers;
  }

  /** Whether this tab holds the lock. */
  get held(): boolean {
    return this.#release !== null;
  }

  /** Queues for the lock (nothing when queued or holding already). */
  join(): void {
    if (this.#queued) return;
    const queued = new AbortController();
    this.#queued = queued;
    this.#locks
      .request(this.#name, { signal: queued.signal }, () => {
        if (this.#queued !== queued) return Promise.resolve();
        return new Promise<void>((release) => {
          this.#release = release;
          this.#handlers.lead();
        });
      })
      .catch(() => undefined);
  }

  /** Lets go of the lock, or leaves the queue. */
  leave(): void {
    this.#queued?.abort();
    this.#queued = null;
    const release = this.#release;
    this.#release = null;
    if (!release) return;
    release();
    this.#handlers.lose();
  }
}

/** The browser's Web Locks and BroadcastChannel, or null where either is missing (each tab then works alone). */
export function tabSupport(): { locks: LockManagerLike; Channel: typeof BroadcastChannel } | null {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  const Channel = globalThis.BroadcastChannel;
  return locks && typeof locks.request === 'function' && typeof Channel === 'function' ? { locks, Channel } : null;
}

/**
 * A page that is hidden for good (closed, reloading, into the back-forward cache) or frozen lets
 * go of the lock at once, so the next tab takes over without waiting for the page to go; it
 * queues again when it is back. Returns the function that stops listening.
 */
export function letGoWhenAway(lock: LeaderLock): () => void {
  const win = globalThis.window;
  const doc = globalThis.document;
  if (!win?.addEventListener) return () => {};
  const away = (): void => lock.leave();
  const back = (): void => lock.join();
  win.addEventListener('pagehide', away);
  win.addEventListener('pageshow', back);
  doc?.addEventListener('freeze', away);
  doc?.addEventListener('resume', back);
  return () => {
    win.removeEventListener('pagehide', away);
    win.removeEventListener('pageshow', back);
    doc?.removeEventListener('freeze', away);
    doc?.removeEventListener('resume', back);
  };
}
