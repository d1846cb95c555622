/**
 * `npm run load -- --soak`: 1,000 sockets across 100 conversations (10 users each, every user in
 * 10 conversations) for 5 minutes, each socket sending a message every 5 s (the seed's rate: 200
 * messages a second, each fanned out to 10 sockets, each answered by the bot). The server runs in
 * a child process (`soak-server.ts`) so its resident memory and open file descriptors, read from
 * /proc at the start of the traffic and at the end, are its own. Reports send->ack p50/p99 and
 * lost (no ack, or a `message:new` of it missing on one of its conversation's sockets).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import type { ServerFrame } from '../../src/types.js';
import { type Account, addParticipant, createConversation, login, type Session } from './api.js';
import type { ServerReport } from './soak-server.js';
import { type LoadResult, Tally } from './stats.js';

export interface SoakOptions {
  sockets: number;
  conversations: number;
  intervalSeconds: number;
  durationSeconds: number;
  log: (line: string) => void;
}

const DRAIN_MS = 20_000;

/** Resident memory (MiB) and open file descriptors of a process. */
function usage(pid: number): { rssMiB: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rssMiB: Math.round(kb / 102.4) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
}

interface SoakServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Asks the server for a line: `mark` starts its measurement, `report` answers with it. */
  ask(line: 'mark'): void;
  ask(line: 'report'): Promise<ServerReport>;
}

/**
 * Starts `soak-server.ts`. `SOAK_CPU_PROF=<dir>` runs it under `--cpu-prof` (a V8 profile of the
 * server written to `<dir>` when it stops).
 */
async function startServer(users: Account[]): Promise<SoakServer> {
  const profile = process.env.SOAK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SOAK_CPU_PROF}`] : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', 'test/load/soak-server.ts', JSON.stringify(users)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`soak server exited with ${code}`)));
    });
  const { url, pid } = JSON.parse(await nextLine()) as { url: string; pid: number };
  function ask(line: 'mark'): void;
  function ask(line: 'report'): Promise<ServerReport>;
  function ask(line: 'mark' | 'report'): void | Promise<ServerReport> {
    const answer = line === 'report' ? nextLine().then((text) => JSON.parse(text) as ServerReport) : undefined;
    child.stdin!.write(`${line}\n`);
    return answer;
  }
  return { url, pid, child, ask };
}

/** The machine's 1-minute load average, one decimal (the cores are shared with whatever else runs). */
const load = () => loadavg()[0]!.toFixed(1);

export async function runSoak(options: SoakOptions): Promise<LoadResult> {
  const { sockets: count, conversations, intervalSeconds, durationSeconds, log } = options;
  const perConversation = Math.ceil(count / conversations);
  const accounts = Array.from({ length: conversations }, (_, i) => ({
    username: `soak${i}`,
    password: `soak-password-${i}`,
  }));
  const server = await startServer(accounts);
  const notes: string[] = [];
  try {
    const sessions: Session[] = [];
    for (const a of accounts) sessions.push(await login(server.url, a));
    // Conversation c: owned by user c, with users c+1 .. c+perConversation-1 (mod the user count).
    const members = (c: number) =>
      Array.from({ length: perConversation }, (_, k) => sessions[(c + k) % conversations]!);
    const ids: string[] = [];
    for (let c = 0; c < conversations; c++) {
      const conv = await createConversation(server.url, sessions[c]!, `soak ${c}`);
      for (const m of members(c).slice(1)) await addParticipant(server.url, sessions[c]!, conv.id, m.username);
      ids.push(conv.id);
    }

    const sentAt = new Map<string, number>();
    const ackLatencies: number[] = [];
    const deliveries = new Map<string, number>();
    const errors = new Tally();
    let finished = false;
    const open = (index: number) =>
      new Promise<WebSocket>((resolve, reject) => {
        const c = Math.floor(index / perConversation);
        const session = members(c)[index % perConversation]!;
        const url = `${server.url.replace(/^http/, 'ws')}/ws/chat/${ids[c]}/?token=${session.token}`;
        const ws = new WebSocket(url, { perMessageDeflate: false });
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data)) as ServerFrame;
          if (frame.type === 'hello') resolve(ws);
          else if (frame.type === 'message:ack' && frame.client_id && sentAt.has(frame.client_id))
            ackLatencies.push(performance.now() - sentAt.get(frame.client_id)!);
          else if (frame.type === 'message:new' && frame.message.client_id && sentAt.has(frame.message.client_id))
            deliveries.set(frame.message.client_id, (deliveries.get(frame.message.client_id) ?? 0) + 1);
          else if (frame.type === 'error') errors.add(`error frame ${frame.code}`);
        });
        ws.on('error', (err) => errors.add(`socket error: ${err.message}`));
        ws.on('close', (code) => {
          if (!finished) errors.add(`closed early with ${code}`);
          reject(new Error(`socket ${index} closed with ${code}`));
        });
      });
    const socketsOpen: WebSocket[] = [];
    for (let i = 0; i < count; i += 20)
      socketsOpen.push(...(await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, k) => open(i + k)))));
    log(`soak: ${socketsOpen.length} sockets open in ${conversations} conversations; sending for ${durationSeconds} s`);

    const atStart = usage(server.pid);
    const loadAtStart = load();
    server.ask('mark');
    const clientCpuAt = process.cpuUsage();
    const start = performance.now();
    const rounds = Math.max(1, Math.floor(durationSeconds / intervalSeconds));
    let atWarm: { rssMiB: number; fds: number } | null = null;
    const warm = setTimeout(() => (atWarm = usage(server.pid)), 30_000);
    await Promise.all(
      socketsOpen.map(async (ws, index) => {
        for (let round = 0; round < rounds; round++) {
          const wait = start + (index / count + round) * intervalSeconds * 1000 - performance.now();
          if (wait > 0) await sleep(wait);
          if (ws.readyState !== WebSocket.OPEN) return;
          const clientId = randomUUID();
          sentAt.set(clientId, performance.now());
          ws.send(JSON.stringify({ type: 'message', text: `soak ${index} #${round}`, client_id: clientId }));
        }
      }),
    );
    clearTimeout(warm);
    const expected = sentAt.size * perConversation;
    const seen = () => [...deliveries.values()].reduce((a, b) => a + b, 0);
    const drainUntil = performance.now() + DRAIN_MS;
    while ((ackLatencies.length < sentAt.size || seen() < expected) && performance.now() < drainUntil) await sleep(200);
    const atEnd = usage(server.pid);
    const measured = await server.ask('report');
    const clientCpu = process.cpuUsage(clientCpuAt);
    const loadAtEnd = load();
    finished = true;
    for (const ws of socketsOpen) ws.close();

    const show = (u: { rssMiB: number; fds: number } | null) => (u ? `RSS ${u.rssMiB} MiB, ${u.fds} fds` : 'n/a');
    notes.push(`server at the start of the traffic: ${show(atStart)}`);
    notes.push(`server after 30 s of traffic: ${show(atWarm)}`);
    notes.push(`server at the end (${Math.round((performance.now() - start) / 1000)} s): ${show(atEnd)}`);
    const sorted = [...ackLatencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
    notes.push(`send->ack p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms (${sorted.length} acks)`);
    const { loopDelay } = measured;
    notes.push(
      `server event-loop delay p50 ${loopDelay.p50} ms, p99 ${loopDelay.p99} ms, max ${loopDelay.max} ms; ` +
        `server CPU ${Math.round((measured.cpuMs / measured.wallMs) * 100)}% of one core ` +
        `(${((measured.cpuMs * 1000) / Math.max(1, sentAt.size)).toFixed(0)} µs per message sent, bot reply and fan-out included); ` +
        `its main thread waited ${(measured.runQueueMs / 1000).toFixed(1)} s for a core (run queue) in ${(measured.wallMs / 1000).toFixed(0)} s`,
    );
    notes.push(
      `this driver (${count} sockets) used ${Math.round((clientCpu.user + clientCpu.system) / 10 / measured.wallMs)}% of one core; ` +
        `machine load average (1 min) ${loadAtStart} at the start, ${loadAtEnd} at the end (2 cores, shared)`,
    );
    if (errors.size) notes.push(`errors: ${errors}`);
    const duplicated = [...deliveries.values()].filter((n) => n > perConversation).length;
    return {
      name: `Soak: ${count} sockets in ${conversations} conversations, a message every ${intervalSeconds} s each, ${durationSeconds} s (latency: send -> message:ack)`,
      sent: sentAt.size,
      received: seen(),
      expected,
      lost: sentAt.size - ackLatencies.length + Math.max(0, expected - seen()),
      duplicated,
      latencies: ackLatencies,
      notes,
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}
