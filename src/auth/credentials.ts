/**
 * Where a built-in login keeps its session. The access token is used from memory; a store only
 * decides whether the session survives a reload or is shared between tabs.
 */

/** What `login()` returns and refresh rotates. */
export interface Session {
  token: string;
  refresh: string;
  username: string;
}

/** A place to keep the session. `subscribe` reports changes made elsewhere (another tab). */
export interface CredentialStore {
  get(): Session | null;
  set(session: Session | null): void;
  subscribe?(listener: (session: Session | null) => void): () => void;
  /** Reports, once, that the store could not be used and keeps the session in memory for this page. */
  onUnavailable?(listener: (error: unknown) => void): void;
}

/** Keeps the session in memory only (the default): gone on reload. */
export function memoryCredentials(): CredentialStore {
  let session: Session | null = null;
  return {
    get: () => session,
    set: (next) => {
      session = next;
    },
  };
}

/**
 * Keeps the session in `localStorage` under `key` and shares it across tabs through the
 * `storage` event. Touches no DOM global until used.
 *
 * When `localStorage` throws (a sandboxed iframe, blocked site data, a full quota), the session
 * lives in memory for the rest of the page and `onUnavailable` listeners hear it once: sign-in
 * still works, only reloads and other tabs no longer share it. The page's copy is always the one
 * used, so a rotated refresh token whose write failed is never replaced by the stale stored one.
 *
 * @example
 * const client = new ChatClient({ credentials: localStorageCredentials() });
 */
export function localStorageCredentials(key = 'parley:session'): CredentialStore {
  const parse = (raw: string | null): Session | null => {
    if (!raw) return null;
    try {
      const value = JSON.parse(raw) as Session;
      return typeof value.token === 'string' && typeof value.refresh === 'string' ? value : null;
    } catch {
      return null;
    }
  };
  let memory: Session | null = null;
  let failed: { error: unknown } | null = null;
  const listeners: Array<(error: unknown) => void> = [];
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = { error };
    for (const listener of listeners) listener(error);
  };
  return {
    get: () => {
      if (failed) return memory;
      try {
        memory = parse(globalThis.localStorage?.getItem(key) ?? null);
      } catch (error) {
        fail(error);
      }
      return memory;
    },
    set: (session) => {
      memory = session;
      if (failed) return;
      try {
        if (session) globalThis.localStorage?.setItem(key, JSON.stringify(session));
        else globalThis.localStorage?.removeItem(key);
      } catch (error) {
        fail(error);
      }
    },
    subscribe: (listener) => {
      const target = globalThis.window;
      if (!target?.addEventListener) return () => {};
      const onStorage = (event: StorageEvent): void => {
        if (event.key !== key) return;
        memory = parse(event.newValue);
        listener(memory);
      };
      target.addEventListener('storage', onStorage);
      return () => target.removeEventListener('storage', onStorage);
    },
    onUnavailable: (listener) => {
      listeners.push(listener);
      if (failed) listener(failed.error);
    },
  };
}
