/**
 * Builds the ChatClient an element uses when the host did not give one (`client` property).
 * `session="local"` keeps the built-in sign-in in localStorage (shared by tabs), `memory` keeps nothing.
 */
import * as parley from '../../src/index.js';
import type { ChatClientLike } from './chat-client-like.js';

export interface DefaultClientOptions {
  apiUrl?: string;
  token?: string;
  getToken?: () => string | null | Promise<string | null>;
  session: 'local' | 'memory';
  botName?: string;
}

interface ClientFactories {
  createClient(options: Record<string, unknown>): ChatClientLike;
  localStorageCredentials(): unknown;
  memoryCredentials(): unknown;
}

export function createDefaultClient(o: DefaultClientOptions): ChatClientLike {
  const f = parley as unknown as Partial<ClientFactories>;
  if (!f.createClient || !f.localStorageCredentials || !f.memoryCredentials) {
    throw new parley.ParleyError('createDefaultClient: the Parley client is not available in this build', { code: 'no_client' });
  }
  return f.createClient({
    apiUrl: o.apiUrl || undefined,
    token: o.token,
    getToken: o.getToken,
    credentials: o.session === 'memory' ? f.memoryCredentials() : f.localStorageCredentials(),
    botName: o.botName,
  });
}
