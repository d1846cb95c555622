/**
 * Test helpers for the reference server: a real server on port 0 in a temp data dir, a small
 * fetch wrapper, and a WebSocket client that waits for frames (never for time).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createServer, type ParleyServer, type ServerOptions } from '../../../demo/server/index.js';
import type { Message, ServerFrame } from '../../../src/types.js';
import { databaseUrlFor, dropDatabaseFor } from './test-database.js';

export const SECRET = 'test-secret-for-parley-tests-0123456789';

export interface TestServer extends ParleyServer {
  dataDir: string;
  /** Closes the server and deletes its data dir. */
  stop(): Promise<void>;
}

/** A temp data dir, deleted by `cleanup` (with its PostgreSQL database, on a PostgreSQL run). */
export function tempDir(prefix = 'parley-test-'): { dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    cleanup: async () => {
      rmSync(dir, { recursive: true, force: true });
      await dropDatabaseFor(dir);
    },
  };
}

export async function startServer(options: Partial<ServerOptions> = {}, keepDir = false): Promise<TestServer> {
  const { dir, cleanup } = options.dataDir ? { dir: options.dataDir, cleanup: async () => undefined } : tempDir();
  const server = await createServer({
    port: 0,
    logLevel: 'silent',
    botDelayMs: 20,
    jwtSecret: SECRET,
    databaseUrl: await databaseUrlFor(dir),
    ...options,
    dataDir: dir,
  });
  return Object.assign(server, {
    dataDir: dir,
    async stop() {
      await server.close();
      if (!keepDir) await cleanup();
    },
  });
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** JSON request; `body` is sent as JSON unless it is a string or FormData. */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData || typeof opts.body === 'string') body = opts.body as BodyInit;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  if (typeof opts.body === 'string' && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export async function login(
  base: string,
  username = 'alice',
  password = `${username}123`,
): Promise<{ token: string; refresh: string; username: string }> {
  const r = await call(base, 'POST', '/api/auth/login', { body: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Posts a user message; returns the ids. */
export async function post(base: string, token: string, message: string, extra: Record<string, unknown> = {}) {
  const r = await call(base, 'POST', '/api/user-response/', { token, body: { message, ...extra } });
  if (r.status !== 201) throw new Error(`user-response failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { conversation_id: string; message_id: string };
}

/**
 * Resolves once the bot is done in the conversation: every user message has its reply and no
 * reply is still streaming (read from the listing, at most 50 messages).
 */
export async function botIdle(base: string, token: string, conversationId: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const list = (await call(base, 'GET', `/api/chat/conversations/${conversationId}/messages/?limit=200`, { token }))
      .body as Message[];
    const users = list.filter((m) => m.type === 'user').length;
    const bots = list.filter((m) => m.type === 'bot');
    if (bots.length >= users && bots.every((m) => m.stream_state !== 'streaming')) return;
    if (Date.now() > until) throw new Error('the bot is still writing');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A received frame: a `ServerFrame`, read loosely so tests can probe any field. */
type AnyFrame = Record<string, any> & { type: ServerFrame['type'] | (string & {}) };

/** A WebSocket client that records every frame and lets a test wait for one. */
export class TestSocket {
  readonly ws: WebSocket;
  readonly frames: AnyFrame[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { pred: (f: AnyFrame) => boolean; resolve: (f: AnyFrame) => void; from: number }[] = [];

  constructor(url: string, options?: ConstructorParameters<typeof WebSocket>[2]) {
    this.ws = new WebSocket(url, options);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as AnyFrame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  static async open(base: string, conversationId: string, query: string): Promise<TestSocket> {
    const s = new TestSocket(`${base.replace(/^http/, 'ws')}/ws/chat/${conversationId}/?${query}`);
    await s.next('hello');
    return s;
  }

  /** The first frame (already received or coming) matching `type` and `pred`. */
  next<T extends AnyFrame = any>(type: string, pred: (f: any) => boolean = () => true, timeoutMs = 5000): Promise<T> {
    const match = (f: AnyFrame) => f.type === type && pred(f);
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`timed out waiting for a ${type} frame; got ${JSON.stringify(this.frames.map((f) => f.type))}`),
          ),
        timeoutMs,
      );
      this.waiters.push({ pred: match, from: 0, resolve: (f) => (clearTimeout(timer), resolve(f as T)) });
    });
  }

  /** Sends a JSON frame (or a raw string). */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Round-trips a ping: every frame the server sent before the pong has arrived. */
  async flush(): Promise<void> {
    const before = this.frames.filter((f) => f.type === 'pong').length;
    this.send({ type: 'ping' });
    await new Promise<void>((resolve, reject) => {
      const check = () => this.frames.filter((f) => f.type === 'pong').length > before;
      if (check()) return resolve();
      const timer = setTimeout(() => reject(new Error('no pong')), 5000);
      this.waiters.push({
        pred: (f) => f.type === 'pong' && check(),
        from: 0,
        resolve: () => (clearTimeout(timer), resolve()),
      });
    });
  }

  /**
   * A streamed bot reply as a client ends up holding it (PROTOCOL §8): its `message:new`
   * (`streaming`) with its `message:end` applied (final text and state). Waits for the first
   * reply whose final form matches `pred`.
   */
  async botReply(pred: (m: Message) => boolean = () => true, timeoutMs = 10_000): Promise<Message> {
    const started = (id: string) =>
      this.frames.find((f) => f.type === 'message:new' && f.message.id === id)?.message as Message | undefined;
    const ended = (f: AnyFrame): Message | null => {
      const start = started(f.message_id);
      return start ? { ...start, text: f.text, stream_state: f.stream_state } : null;
    };
    const end = await this.next(
      'message:end',
      (f) => {
        const m = ended(f);
        return m !== null && pred(m);
      },
      timeoutMs,
    );
    return ended(end)!;
  }

  /** The index of the `message:new` that started the message `id` in `frames`. */
  startOf(id: string): number {
    return this.frames.findIndex((f) => f.type === 'message:new' && f.message.id === id);
  }

  count(type: string, pred: (f: any) => boolean = () => true): number {
    return this.frames.filter((f) => f.type === type && pred(f)).length;
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}

/** Opens a socket that the server is expected to close; resolves to the close code. */
export async function closeCodeOf(url: string, options?: ConstructorParameters<typeof WebSocket>[2]): Promise<number> {
  const s = new TestSocket(url, options);
  return (await s.closed).code;
}

export const wsUrl = (base: string, conversationId: string, query = '') =>
  `${base.replace(/^http/, 'ws')}/ws/chat/${conversationId}/${query ? `?${query}` : ''}`;
