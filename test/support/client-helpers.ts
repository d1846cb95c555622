/**
 * Helpers for client tests: short timings, event waits, and cleanup of clients, the fake server
 * and IndexedDB between tests.
 */
import {
  ChatClient,
  memoryCredentials,
  memoryOutboxStorage,
  type ChatClientOptions,
  type ClientEvents,
  type Timing,
} from '../../src/index.js';
import { startMockServer, type MockServer, type MockServerOptions } from './mock-server.js';

/** Protocol delays shrunk for tests; backoff and retries stay real, only faster. */
export const FAST: Partial<Timing> = {
  backoffBaseMs: 20,
  backoffCapMs: 80,
  resetAfterMs: 200,
  connectTimeoutMs: 3000,
  fallbackAfterFailures: 3,
  pollMs: 40,
  seedPollMs: 60,
  ackTimeoutMs: 1500,
  retryBaseMs: 20,
  retryCapMs: 80,
  typingExpireMs: 200,
  typingThrottleMs: 100,
  typingIdleMs: 100,
};

const clients: ChatClient[] = [];
let server: MockServer | null = null;

/** Starts the fake server (stopped by {@link cleanup}). */
export async function startServer(options: MockServerOptions = {}): Promise<MockServer> {
  server = await startMockServer(options);
  return server;
}

/** A client against the fake server, destroyed by {@link cleanup}. Signed in as `username` unless null. */
export function makeClient(
  srv: MockServer,
  options: ChatClientOptions & { username?: string | null } = {},
): ChatClient {
  const { username = 'alice', ...rest } = options;
  const credentials = rest.credentials ?? memoryCredentials();
  if (username && !rest.token && !rest.getToken && !credentials.get())
    credentials.set({ ...srv.issueTokens(username), username });
  const client = new ChatClient({
    apiUrl: srv.url,
    storage: memoryOutboxStorage(),
    timing: FAST,
    ...rest,
    credentials,
  });
  clients.push(client);
  return client;
}

/** Resolves with the next payload of `event` for which `predicate` holds. */
export function nextEvent<K extends keyof ClientEvents>(
  client: ChatClient,
  event: K,
  predicate: (payload: ClientEvents[K]) => boolean = () => true,
): Promise<ClientEvents[K]> {
  return new Promise((resolve) => {
    const off = client.on(event, (payload) => {
      if (!predicate(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** Resolves once `check()` is true: re-checked on every tick of 5 ms, rejected after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what = 'condition',
  timeoutMs = 8000,
): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Destroys every client, stops the server, and empties the default IndexedDB outbox. */
export async function cleanup(): Promise<void> {
  for (const c of clients.splice(0)) c.destroy();
  await server?.stop();
  server = null;
}

/** Deletes an IndexedDB database (tests share one origin). */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
