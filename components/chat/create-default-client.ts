/**
 * Builds the ChatClient an element uses when the host did not give one (`client` property).
 * `session="local"` keeps the built-in sign-in in localStorage (shared by tabs), `memory` keeps nothing.
 */
import { createClient, localStorageCredentials, memoryCredentials } from '../../src/index.js';
import type { ChatClientLike } from './chat-client-like.js';

export interface DefaultClientOptions {
  apiUrl?: string;
  token?: string;
  getToken?: () => string | null | Promise<string | null>;
  session: 'local' | 'memory';
  botName?: string;
}

export function createDefaultClient(o: DefaultClientOptions): ChatClientLike {
  return createClient({
    apiUrl: o.apiUrl || undefined,
    token: o.token,
    getToken: o.getToken,
    credentials: o.session === 'memory' ? memoryCredentials() : localStorageCredentials(),
    botName: o.botName,
  });
}
