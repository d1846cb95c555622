/**
 * Server instances in processes of their own (`instance-process.ts`) for the scale-out tests, and a
 * protocol client that behaves like Parley's: REST sends retried with the same client_id until
 * stored, a socket that reconnects through the balancer and syncs from the last seq it holds, and
 * messages kept once by id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import type { Message } from '../../../src/types.js';
import { SECRET, call } from './helpers.js';

export interface Instance {
  readonly port: number;
  /** Starts the process (again) on its port; resolves once it listens. */
  start(): Promise<void>;
  /** SIGKILL: no goodbye, no graceful close. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

export function instance(port: number, env: Record<string, string>): Instance {
  let child: ChildProcess | null = null;
  const exit = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill(signal);
    await exited;
  };
  return {
    port,
    async start() {
      const c = spawn(process.execPath, ['--import', 'tsx', 'test/demo/server/instance-process.ts'], {
        env: { ...process.env, JWT_SECRET: SECRET, ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const onData = (d: Buffer) => {
          out += d.toString();
          if (out.includes('listening ')) resolve();
        };
        c.stdout!.on('data', onData);
        c.stderr!.on('data', onData);
        c.once('exit', (code) => reject(new Error(`instance on ${port} exited with ${code}: ${out}`)));
      });
    },
    kill: () => exit('SIGKILL'),
    stop: () => exit('SIGTERM'),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A user of one conversation behind the balancer at `url`. */
export class ChatUser {
  /** Every message received, once each, by id. */
  readonly messages = new Map<string, Message>();
  private ws: WebSocket | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    readonly token: string,
    private readonly conversationId: string,
  ) {}

  /** The highest seq held with none missing before it. */
  contiguousSeq(): number {
    const seqs = new Set([...this.messages.values()].map((m) => m.seq ?? 0));
    let n = 0;
    while (seqs.has(n + 1)) n++;
    return n;
  }

  /** Opens the socket and keeps it open: reconnects after every close and syncs from its last seq. */
  connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/ws/chat/${this.conversationId}/?token=${this.token}`);
    this.ws = ws;
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; message?: Message };
      if (frame.type === 'hello') this.sync(ws);
      if (frame.type === 'message:new' && frame.message) {
        // A seq beyond the next one shows a gap: fill it, as the client's conversation sync does.
        const gap = (frame.message.seq ?? 0) > this.contiguousSeq() + 1;
        this.messages.set(frame.message.id, frame.message);
        if (gap) this.sync(ws);
      }
    });
    ws.on('close', () => void pause(100).then(() => this.connect()));
  }

  private sync(ws: WebSocket): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'sync', after_seq: this.contiguousSeq() }));
  }

  /** Posts over REST until stored, retrying with the same client_id on any failure. */
  async send(text: string, clientId: string): Promise<void> {
    for (;;) {
      try {
        const r = await call(this.url, 'POST', '/api/user-response/', {
          token: this.token,
          body: { message: text, conversation_id: this.conversationId, client_id: clientId },
        });
        if (r.status === 201) return;
      } catch {
        /* the instance died under the request: retry */
      }
      await pause(100);
    }
  }

  close(): void {
    this.stopped = true;
    this.ws?.terminate();
  }
}

/** Every message of the conversation from the database, oldest first (REST pages by seq). */
export async function allMessages(url: string, token: string, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const after = all.at(-1)?.seq ?? 0;
    const r = await call(
      url,
      'GET',
      `/api/chat/conversations/${conversationId}/messages/?after_seq=${after}&limit=200`,
      {
        token,
      },
    );
    if (r.status !== 200) throw new Error(`listing failed: ${r.status}`);
    all.push(...(r.body as Message[]));
    if ((r.body as Message[]).length < 200) return all;
  }
}

/** Waits (polling) until `check` returns nothing, or gives up after `ms` with its last complaint. */
export async function until(check: () => Promise<string | null> | string | null, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const problem = await check();
    if (!problem) return;
    if (Date.now() > deadline) throw new Error(problem);
    await pause(200);
  }
}
