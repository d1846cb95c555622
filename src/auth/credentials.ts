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
  return {
    get: () => {
      try {
        return parse(globalThis.localStorage?.getItem(key) ?? null);
      } catch {
        return null;
      }
    },
    set: (session) => {
      try {
        if (session) globalThis.localStorage?.setItem(key, JSON.stringify(session));
        else globalThis.localStorage?.removeItem(key);
      } catch {
        // storage full or disabled: the session stays usable for this page only
      }
    },
    subscribe: (listener) => {
      const target = globalThis.window;
      if (!target?.addEventListener) return () => {};
      const onStorage = (event: StorageEvent): void => {
        if (event.key === key) listener(parse(event.newValue));
      };
      target.addEventListener('storage', onStorage);
      return () => target.removeEventListener('storage', onStorage);
    },
  };
}
