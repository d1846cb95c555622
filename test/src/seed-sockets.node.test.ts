// The seed stand-in's socket half (test/support/mock-sockets.ts + seed-sockets.ts) against the
// socket transcripts of a real seed backend (../shared/seed-backend/websocket.json): both sessions
// are replayed step by step (connects, frames, closes, REST calls made meanwhile), and every socket
// must receive exactly the recorded frames, byte for byte (Python's spacing included) once ids and
// timestamps are set aside, and nothing where the seed sent nothing.
// Run with: node --import tsx --test test/src/seed-sockets.node.test.ts
import type Assert from 'node:assert/strict';

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

interface Step {
  name: string;
  sent: { socket: string | null; action?: string; url?: string; frame?: string; code?: number }[];
  handshake?: { socket: string; result: 'open' | 'rejected' }[];
  rest?: { request: { method: string; path: string; headers: Record<string, string>; body: unknown } }[];
  received: Record<string, { raw: string }[]>;
}

/** A frame with its server-assigned ids (message, conversation) and time set aside. */
const normal = (raw: string): string =>
  raw
    .replace(/"(id|conversation_id)": "\d+"/g, '"$1": "#"')
    .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00"/g, '"time"');

if (isNode) {
  const { test } = (await import('node:' + 'test')) as typeof import('node:test');
  const assert: typeof Assert = ((await import('node:assert/' + 'strict')) as { default: typeof Assert }).default;
  const { readFileSync } = (await import('node:' + 'fs')) as typeof import('node:fs');
  const { MockState } = await import('../support/mock-state.js');
  const { MockSockets } = await import('../support/mock-sockets.js');
  const { routeSeed } = await import('../support/seed-rest.js');
  type Sockets = InstanceType<typeof MockSockets>;

  /** A browser-side socket as MSW hands it to the stand-in: what it got, and whether it was refused. */
  class FakeSocket {
    readonly got: string[] = [];
    readonly listeners: Record<string, ((event: { data?: string }) => void)[]> = { message: [], close: [] };
    refused = false;
    constructor(readonly url: URL) {}
    send(data: string): void {
      this.got.push(data);
    }
    close(): void {
      this.refused = true;
    }
    addEventListener(type: 'message' | 'close', listener: (event: { data?: string }) => void): void {
      this.listeners[type]!.push(listener);
    }
    emit(type: 'message' | 'close', data?: string): void {
      for (const listener of this.listeners[type]!) listener({ data });
    }
  }

  test('the seed stand-in sends every socket exactly the recorded frames', async () => {
    const state = new MockState('seed', 3600);
    const origin = 'http://127.0.0.1:8800';
    const server = { state, profile: 'seed' as const, record: () => undefined, runBot: () => undefined };
    const sockets: Sockets = new MockSockets(server as never);
    const c33 = state.createConversation('alice');
    state.storeMessage(c33.id, { text: 'Conversation for the WebSocket recording', sender: 'alice', type: 'user' });
    const c34 = state.createConversation('alice', undefined, ['bob']);
    state.storeMessage(c34.id, { text: 'Conversation shared with bob', sender: 'alice', type: 'user' });
    const ids: Record<string, string> = { '33': String(c33.id), '34': String(c34.id) };
    const tokens: Record<string, string> = {
      '<alice access token>': state.issueTokens('alice').token,
      '<bob access token>': state.issueTokens('bob').token,
      '<alice expired access token>': 'an.expired.token',
    };
    const mapped = (text: string): string =>
      text
        .replace(/<[^>]+>/g, (placeholder) => tokens[placeholder] ?? placeholder)
        .replace(/\/(33|34)\//, (_m, id: string) => `/${ids[id]}/`)
        .replace(/"conversation_id":"(33|34)"/, (_m, id: string) => `"conversation_id":"${ids[id]}"`);
    const open = new Map<string, FakeSocket>();
    const mismatches: string[] = [];

    for (const step of JSON.parse(
      readFileSync(new URL('../../../shared/seed-backend/websocket.json', import.meta.url), 'utf8'),
    ) as Step[]) {
      const seen = new Map([...open].map(([label, socket]) => [label, socket.got.length]));
      let rest = 0;
      for (const action of step.sent) {
        const label = action.socket ?? '';
        if (action.action === 'connect') {
          const socket = new FakeSocket(new URL(mapped(action.url!), origin.replace('http', 'ws')));
          sockets.accept(socket as never);
          const result = socket.refused ? 'rejected' : 'open';
          const expected = step.handshake!.find((h) => h.socket === label)!.result;
          if (result !== expected) mismatches.push(`${step.name}: handshake ${result}, recorded ${expected}`);
          if (!socket.refused) {
            open.set(label, socket);
            seen.set(label, 0);
          }
        } else if (action.action === 'close') {
          open.get(label)!.emit('close');
          open.delete(label);
        } else if (action.action === 'http') {
          const { request } = step.rest![rest++]!;
          const url = new URL(mapped(request.path), origin);
          const body = mapped(JSON.stringify(request.body));
          const headers = { authorization: mapped(request.headers.Authorization!), 'content-type': 'application/json' };
          await routeSeed(
            { state, origin },
            {
              request: new Request(url, { method: request.method, headers, body }),
              method: request.method,
              path: url.pathname,
              query: url.searchParams,
              body: JSON.parse(body),
            },
          );
        } else {
          open.get(label)!.emit('message', action.frame!);
        }
      }
      for (const [label, frames] of Object.entries(step.received)) {
        const socket = open.get(label) ?? [...seen.keys()].includes(label);
        const got = socket instanceof FakeSocket ? socket.got.slice(seen.get(label) ?? 0) : [];
        const want = frames.map((f) => normal(f.raw));
        if (JSON.stringify(got.map(normal)) !== JSON.stringify(want))
          mismatches.push(
            `${step.name} (${label}): got ${JSON.stringify(got.map(normal))}, recorded ${JSON.stringify(want)}`,
          );
      }
    }
    assert.deepEqual(mismatches, []);
  });
}
