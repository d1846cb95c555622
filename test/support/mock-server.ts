/**
 * An in-memory fake of the Parley protocol (`../shared/PROTOCOL.md`) for browser tests, built on
 * MSW: HTTP handlers through the service worker, `ws.link` for the chat socket. Shared by the
 * client tests (`test/src`) and the element tests (`test/components`).
 *
 * - `profile: 'reference'` behaves like `demo/server`: string ids, `seq`, tickets, `hello`,
 *   `message:ack`, `sync`, `ping`/`pong`, idempotent `client_id`, a bot that answers every user
 *   message by itself.
 * - `profile: 'seed'` is the seed backend as recorded in `../shared/seed-backend/` (`seed-rest.ts`,
 *   `seed-sockets.ts`, `seed-wire.ts`): integer ids and `sender` = user id in REST, strings and
 *   usernames on the socket; `ws-ticket` and refresh are 404 HTML pages, POST conversations 405;
 *   no `hello`, `message:ack`, `seq`, `client_id`, `sync` or `pong`; echoes to the sender; nothing
 *   done over REST is pushed; `bot-response` answers `{message}` only and stores a reply per call;
 *   uploads answer 500; every refused handshake is a 403 (1006).
 *
 * Fault knobs: `failNext`, `setOffline`, `blockSocket`, `closeNextHandshake`, `closeSockets`,
 * `dropFrames`, `setDelay`. Everything happens in the page, so tests can await server events.
 *
 * One server at a time: `stop()` it (in `afterEach`) before starting the next. The worker is
 * started once per page; sockets constructed before the first `startMockServer()` are not mocked.
 *
 * @example
 * const server = await startMockServer({ profile: 'reference' });
 * const conversation = server.createConversation('alice');
 * const client = new ChatClient({ apiUrl: server.url, storage: memoryOutboxStorage() });
 * await client.login('alice', 'alice123');
 * await client.connect(conversation.id);
 * server.addMessage(conversation.id, { text: 'hi from bob', sender: 'bob' });
 * await server.stop();
 */
import { http, HttpResponse, ws, type WebSocketHandler } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import { botReply, MockState, type MockProfile, type MockUser, type StoredMessage } from './mock-state.js';
import { handleRest, type RestContext } from './mock-rest.js';
import { MockSockets } from './mock-sockets.js';

export type { MockProfile, MockUser } from './mock-state.js';
export { botReply } from './mock-state.js';

export interface MockServerOptions {
  /** Default `'reference'`. */
  profile?: MockProfile;
  /** Milliseconds the reference bot waits before answering. Default 0. */
  botDelayMs?: number;
  /** Lifetime of access tokens in seconds. Default 900. */
  accessTtlSeconds?: number;
}

/** One request as the fake server saw it (after faults were applied). */
export interface RecordedRequest {
  method: string;
  /** Path without query string, e.g. `/api/user-response/`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | null;
  /** The status it answered (0 for a simulated network error). */
  status: number;
  /** A `user-response` whose `client_id` was already stored: answered, nothing stored. */
  repeat: boolean;
}

/** A frame a client sent over the socket. */
export interface RecordedFrame {
  conversationId: string;
  username: string;
  frame: Record<string, unknown>;
}

export interface FailRule {
  remaining: number;
  status: number;
  match?: (method: string, path: string) => boolean;
  body?: unknown;
  headers?: Record<string, string>;
}

type Waiter = { predicate: (value: never) => boolean; resolve: (value: never) => void };

let worker: SetupWorker | null = null;

async function ensureWorker(): Promise<SetupWorker> {
  if (!worker) {
    worker = setupWorker();
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass', serviceWorker: { url: '/mockServiceWorker.js' } });
  }
  return worker;
}

/** The fake server. Create it with {@link startMockServer}. */
export class MockServer {
  readonly state: MockState;
  /** Base URL to give the client as `apiUrl`. */
  readonly url = location.origin;
  /** Every HTTP request seen, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /** Every frame clients sent, oldest first. */
  readonly frames: RecordedFrame[] = [];
  readonly failRules: FailRule[] = [];
  offline = false;
  delayMs = 0;
  readonly sockets: MockSockets;
  #waiters = { request: [] as Waiter[], frame: [] as Waiter[] };

  constructor(
    readonly profile: MockProfile,
    readonly botDelayMs: number,
    accessTtlSeconds: number,
  ) {
    this.state = new MockState(profile, accessTtlSeconds);
    this.sockets = new MockSockets(this);
  }

  /** The demo users: alice/alice123, bob/bob123, carol/carol123. */
  get users(): MockUser[] {
    return this.state.users;
  }

  /** Creates a conversation owned by `owner` (with optional members); returns its string id. */
  createConversation(owner: string, options: { title?: string; members?: string[] } = {}): { id: string } {
    const c = this.state.createConversation(owner, options.title, options.members);
    return { id: String(c.id) };
  }

  /**
   * Stores a message as if someone else wrote it, and broadcasts it (`broadcast: false` to
   * simulate a frame the client missed). Returns it as the wire writes it.
   */
  addMessage(
    conversationId: string,
    fields: { text: string; sender?: string | null; type?: 'user' | 'bot' | 'system'; clientId?: string },
    options: { broadcast?: boolean } = {},
  ): Record<string, unknown> {
    const sender = fields.sender === undefined ? 'bob' : fields.sender;
    const message = this.state.storeMessage(Number(conversationId), {
      text: fields.text,
      sender,
      type: fields.type ?? (sender ? 'user' : 'bot'),
      senderName: sender ? (this.state.user(sender)?.display_name ?? sender) : 'Bot',
      clientId: fields.clientId ?? null,
    });
    if (options.broadcast !== false) this.sockets.broadcastMessage(message);
    return this.state.wireMessage(message);
  }

  /** Messages of a conversation as stored, oldest first, in wire shape. */
  messagesOf(conversationId: string): Record<string, unknown>[] {
    return (this.state.messages.get(Number(conversationId)) ?? []).map((m) => this.state.wireMessage(m));
  }

  /** Sends a `typing` frame to every socket of the conversation. */
  emitTyping(conversationId: string, who: { username: string; isTyping: boolean }): void {
    const user = this.state.user(who.username);
    this.sockets.broadcast(Number(conversationId), {
      type: 'typing',
      user_id: user ? String(user.id) : null,
      username: who.username,
      is_typing: who.isTyping,
    });
  }

  /** The next `count` requests (matching `match`, if given) answer `status` (0 = network error). */
  failNext(count: number, status: number, options: Omit<FailRule, 'remaining' | 'status'> = {}): void {
    this.failRules.push({ remaining: count, status, ...options });
  }

  readonly lostAnswers: { remaining: number; match: (method: string, path: string) => boolean }[] = [];

  /**
   * The next `count` matching requests are carried out, then their answer is lost (a network
   * error): the client cannot tell whether they arrived.
   */
  loseAnswers(count: number, match: (method: string, path: string) => boolean): void {
    this.lostAnswers.push({ remaining: count, match });
  }

  /** Offline: every request is a network error and sockets are closed and refused. */
  setOffline(offline: boolean): void {
    this.offline = offline;
    this.sockets.blocked = offline;
    if (offline) this.sockets.closeAll(1006);
  }

  /** A proxy that blocks WebSockets: new sockets never open (close 1006 before `open`). */
  blockSocket(blocked: boolean): void {
    this.sockets.blocked = blocked;
  }

  /** The next handshakes are accepted, then closed with these codes before `hello`. */
  closeNextHandshake(...codes: number[]): void {
    this.sockets.handshakeCodes.push(...codes);
  }

  /** Closes every open socket with `code`. */
  closeSockets(code = 1012, reason = ''): void {
    this.sockets.closeAll(code, reason);
  }

  /** Drops server->client frames for which `predicate` is true, at most `count` of them. */
  dropFrames(predicate: (frame: Record<string, unknown>) => boolean, count = Number.POSITIVE_INFINITY): void {
    this.sockets.dropRules.push({ predicate, remaining: count });
  }

  readonly holds: { match: (method: string, path: string) => boolean; released: Promise<void> }[] = [];

  /**
   * Holds the answers of matching requests (after the server acted on them) until the returned
   * function is called: lets a test make the socket echo arrive before the REST answer.
   */
  holdResponses(match: (method: string, path: string) => boolean): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const hold = { match, released };
    this.holds.push(hold);
    return () => {
      this.holds.splice(this.holds.indexOf(hold), 1);
      release();
    };
  }

  /** Delays every HTTP answer by `ms`. */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Makes every access token issued so far invalid (401 `token_not_valid`). */
  expireAccessTokens(): void {
    for (const entry of this.state.access.values()) entry.valid = false;
  }

  /** Makes every refresh token invalid, so refreshing fails with 401. */
  revokeRefreshTokens(): void {
    for (const entry of this.state.refresh.values()) entry.valid = false;
  }

  /** Logs a user in directly; returns `{token, refresh}`. */
  issueTokens(username: string): { token: string; refresh: string } {
    return this.state.issueTokens(username);
  }

  /** Requests to a path (exact, without query), optionally one method. */
  requestsTo(path: string, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path && (!method || r.method === method));
  }

  /** Resolves with the first request (already seen or future) for which `predicate` is true. */
  waitForRequest(predicate: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
    return this.#wait('request', this.requests, predicate);
  }

  /** Resolves with the first client frame (already seen or future) for which `predicate` is true. */
  waitForFrame(predicate: (f: RecordedFrame) => boolean): Promise<RecordedFrame> {
    return this.#wait('frame', this.frames, predicate);
  }

  #wait<T>(kind: 'request' | 'frame', seen: T[], predicate: (value: T) => boolean): Promise<T> {
    const found = seen.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) =>
      this.#waiters[kind].push({
        predicate: predicate as (v: never) => boolean,
        resolve: resolve as (v: never) => void,
      }),
    );
  }

  /** @internal */
  record(kind: 'request' | 'frame', value: RecordedRequest | RecordedFrame): void {
    if (kind === 'request') this.requests.push(value as RecordedRequest);
    else this.frames.push(value as RecordedFrame);
    const waiters = this.#waiters[kind];
    for (const w of [...waiters]) {
      if (w.predicate(value as never)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(value as never);
      }
    }
  }

  /** @internal Runs the reference bot for a new user message. */
  runBot(message: StoredMessage): void {
    if (this.profile !== 'reference' || message.type !== 'user') return;
    const conversationId = message.conversationId;
    this.sockets.broadcast(conversationId, { type: 'typing', user_id: null, username: 'bot', is_typing: true });
    const answer = (): void => {
      const reply = this.state.storeMessage(conversationId, {
        text: botReply(message.text),
        type: 'bot',
        sender: null,
      });
      this.botReplies.set(message.id, reply);
      this.sockets.broadcast(conversationId, { type: 'typing', user_id: null, username: 'bot', is_typing: false });
      this.sockets.broadcastMessage(reply);
    };
    setTimeout(answer, this.botDelayMs);
  }

  /** user message id -> the bot's reply to it. */
  readonly botReplies = new Map<number, StoredMessage>();

  /** Removes the handlers and closes every socket. */
  async stop(): Promise<void> {
    this.sockets.closeAll(1000);
    worker?.resetHandlers();
  }

  /** @internal */
  handlers(): (ReturnType<typeof http.all> | WebSocketHandler)[] {
    const context: RestContext = { server: this, state: this.state };
    const rest = http.all(/\/(api\/.*|healthz)$/, ({ request }) => handleRest(context, request));
    const socket = ws
      .link(/\/ws\/chat\/[^/]*\/?$/)
      .addEventListener('connection', (connection) => this.sockets.accept(connection.client));
    return [rest, socket];
  }
}

/** Starts the fake server (and, the first time, MSW's worker). */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const w = await ensureWorker();
  const server = new MockServer(
    options.profile ?? 'reference',
    options.botDelayMs ?? 0,
    options.accessTtlSeconds ?? 900,
  );
  w.resetHandlers();
  w.use(...server.handlers());
  return server;
}

export { HttpResponse };
