/**
 * Whose chat the client holds: everything it keeps (outbox, messages, current conversation,
 * typing) belongs to one (server, user) pair. The scope notices when that pair changes (a
 * sign-in, a sign-out, an expired session, another tab signing in, out or as someone else) and
 * hands the change to the client, which empties what belonged to the user who left before
 * anything of the next one is shown.
 */
import type { SessionChangeReason } from './events.js';
import { ownerKey } from './outbox/outbox-entry.js';

export interface SessionScopeDeps {
  apiUrl: string;
  /** The user the client is signed in as now, or null. */
  username(): string | null;
  /** The user changed from `previous` to `next` (either may be null). */
  changed(next: string | null, previous: string | null, reason: SessionChangeReason): void;
}

export class SessionScope {
  #deps: SessionScopeDeps;
  #username: string | null = null;
  #started = false;

  constructor(deps: SessionScopeDeps) {
    this.#deps = deps;
  }

  /** The signed-in user as last seen, or null. */
  get username(): string | null {
    return this.#username;
  }

  /** The owner key of what the client holds now, or null when nobody is signed in. */
  get owner(): string | null {
    return this.#username === null ? null : ownerKey(this.#deps.apiUrl, this.#username);
  }

  /** Looks at who is signed in now and reports a change. */
  update(reason: SessionChangeReason): void {
    const next = this.#deps.username();
    if (this.#started && next === this.#username) return;
    const previous = this.#username;
    this.#started = true;
    this.#username = next;
    this.#deps.changed(next, previous, reason);
  }
}
