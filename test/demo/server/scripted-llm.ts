/**
 * A scripted OpenAI-compatible endpoint on 127.0.0.1 for the provider tests: `POST
 * /v1/chat/completions` with `stream: true` answers in the chat-completions streaming format
 * (server-sent events: one `data: {chat.completion.chunk}` per piece, a last chunk with
 * `finish_reason`, then `data: [DONE]`). What it does is picked by the last user message:
 *
 * - `stall`: one chunk, then nothing (the connection stays open);
 * - `error`: two chunks, then an error event in the stream (`data: {"error": {...}}`);
 * - `slow start`: nothing for `slowStartMs`, then a normal answer;
 * - `forever`: a chunk every 50 ms until the client goes away;
 * - `http 500`: a JSON error with status 500;
 * - anything else: `Hello` `, ` `world!` at once.
 *
 * Every request is recorded with its body, and whether the client closed it before the answer
 * was complete (`closedEarly`): how a test sees that a stop aborted the provider's request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LlmRequest {
  body: { model: string; stream: boolean; messages: { role: string; content: string }[] };
  /** The client closed the connection before the answer ended. */
  closedEarly: boolean;
  /** Resolves once the request's connection is closed (by either side). */
  closed: Promise<void>;
}

export interface ScriptedLlm {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  readonly requests: LlmRequest[];
  close(): Promise<void>;
}

const chunk = (content: string | null, finish: string | null = null) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: 'scripted-model',
    choices: [{ index: 0, delta: content === null ? {} : { content }, logprobs: null, finish_reason: finish }],
  })}\n\n`;

export async function startScriptedLlm(opts: { slowStartMs?: number } = {}): Promise<ScriptedLlm> {
  const requests: LlmRequest[] = [];
  const open = new Set<ServerResponse>();

  async function answer(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    for await (const part of req) raw += String(part);
    const body = JSON.parse(raw) as LlmRequest['body'];
    let finished = false;
    const record: LlmRequest = {
      body,
      closedEarly: false,
      closed: new Promise((resolve) =>
        res.once('close', () => {
          record.closedEarly = !finished;
          open.delete(res);
          resolve();
        }),
      ),
    };
    requests.push(record);
    open.add(res);
    const end = () => {
      finished = true;
      res.end();
    };
    const question = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    if (question === 'http 500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.write(JSON.stringify({ error: { message: 'The model crashed.', type: 'server_error', code: null } }));
      return end();
    }
    if (question === 'slow start') await new Promise((resolve) => setTimeout(resolve, opts.slowStartMs ?? 1000));
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(chunk(''));
    if (question === 'stall') return void res.write(chunk('Let me think'));
    if (question === 'error') {
      res.write(chunk('Partial'));
      res.write(chunk(' answer'));
      res.write(`data: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error', code: null } })}\n\n`);
      return end();
    }
    if (question === 'forever') {
      const timer = setInterval(() => res.write(chunk('more ')), 50);
      res.once('close', () => clearInterval(timer));
      return;
    }
    for (const piece of ['Hello', ', ', 'world!']) res.write(chunk(piece));
    res.write(chunk(null, 'stop'));
    res.write('data: [DONE]\n\n');
    end();
  }

  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    answer(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
