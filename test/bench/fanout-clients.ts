/**
 * The receiving side of the fan-out measures, in a worker thread so the server under test keeps
 * the main thread (and one of the two cores) to itself. The same code drives Parley and the raw
 * anchor: open every socket, wait until each is ready, let socket 0 send `count` message frames at
 * once, and time until every socket has seen every one of them.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BenchContext } from './support.js';

export interface FanoutOptions {
  /** One socket per URL; the first one sends. */
  urls: string[];
  count: number;
  /** Parley sockets are ready after `hello`; raw ones after `open`. */
  readyOn: 'hello' | 'open';
  timeoutMs: number;
}

export interface FanoutResult {
  /** From the first send to the last socket's last message. */
  ms: number;
  /** Messages received per socket: smallest and largest. */
  minReceived: number;
  maxReceived: number;
  /** Same message seen twice on one socket. */
  duplicates: number;
  /** Frames of any type per socket between the first send and the end, on average. */
  framesPerSocket: number;
  /** Error frames and unexpected closes, counted by kind. */
  problems: Record<string, number>;
  complete: boolean;
}

// Plain JavaScript: eval'd workers do not go through tsx. `wsPath` is resolved by the main thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require(workerData.wsPath);
const { urls, count, readyOn, timeoutMs, prefix } = workerData;
const problems = {};
const note = (kind) => { problems[kind] = (problems[kind] || 0) + 1; };
const seen = urls.map(() => new Set());
let duplicates = 0;
let frames = 0;
let done = 0;
let t0 = 0;
let finished = false;
const sockets = [];

function finish(complete) {
  if (finished) return;
  finished = true;
  const sizes = seen.map((s) => s.size);
  parentPort.postMessage({
    ms: performance.now() - t0,
    minReceived: Math.min(...sizes),
    maxReceived: Math.max(...sizes),
    duplicates, problems, complete,
    framesPerSocket: frames / urls.length,
  });
  for (const ws of sockets) { try { ws.terminate(); } catch {} }
}

const ready = urls.map((url, i) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  sockets.push(ws);
  ws.on('error', (err) => { note('socket error: ' + err.message); reject(err); });
  ws.on('close', (code) => { if (!finished) { note('closed ' + code); reject(new Error('socket ' + i + ' closed with ' + code)); } });
  if (readyOn === 'open') ws.on('open', resolve);
  ws.on('message', (data) => {
    if (t0 && !finished) frames++;
    let frame;
    try { frame = JSON.parse(data.toString()); } catch { note('bad json'); return; }
    if (frame.type === 'hello') { resolve(); return; }
    if (frame.type === 'error') { note('error frame ' + frame.code); return; }
    if (frame.type !== 'message:new') return;
    const m = frame.message;
    if (!m || m.type !== 'user' || typeof m.text !== 'string' || !m.text.startsWith(prefix)) return;
    const set = seen[i];
    if (set.has(m.text)) { duplicates++; return; }
    set.add(m.text);
    if (set.size === count && ++done === urls.length) finish(true);
  });
}));

const limit = setTimeout(() => finish(false), timeoutMs);
Promise.all(ready).then(() => {
  t0 = performance.now();
  const sender = sockets[0];
  for (let n = 0; n < count; n++) {
    sender.send(JSON.stringify({ type: 'message', text: prefix + n, client_id: prefix + 'c' + n }));
  }
}, (err) => { note('not ready: ' + err.message); finish(false); });
parentPort.on('message', (m) => { if (m === 'stop') { clearTimeout(limit); finish(false); } });
const tick = setInterval(() => { if (finished) { clearTimeout(limit); clearInterval(tick); parentPort.close(); } }, 50);
`;

/** Runs one fan-out round in a worker; the worker is stopped when the measure ends. */
export async function runFanoutClients(ctx: BenchContext, options: FanoutOptions): Promise<FanoutResult> {
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const prefix = `fan-${Date.now().toString(36)}-`;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...options, wsPath, prefix } });
  ctx.defer(() => worker.terminate());
  const result = await new Promise<FanoutResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fan-out worker exited with ${code} before reporting`)));
    ctx.signal.addEventListener('abort', () => worker.postMessage('stop'), { once: true });
  });
  await worker.terminate();
  return result;
}

/** Why a round did not complete, in one line. */
export function describeFailure(result: FanoutResult, count: number): string {
  const problems = Object.entries(result.problems)
    .map(([kind, n]) => `${kind} x${n}`)
    .join(', ');
  return `incomplete after ${Math.round(result.ms)} ms: sockets got ${result.minReceived}..${result.maxReceived} of ${count}${problems ? `; ${problems}` : ''}`;
}
