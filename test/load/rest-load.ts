/**
 * The seed's REST load (its Artillery config): new senders arrive at a fixed rate and each posts one
 * message to `/api/user-response/` (no conversation id, so each opens a conversation, as in the seed).
 * Afterwards every message is read back to count what was stored: lost = not stored, duplicated =
 * stored more than once.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { allMessages, HttpFailure, type Session } from './api.js';
import { type LoadResult, Tally } from './stats.js';

export interface RestLoadOptions {
  baseUrl: string;
  sessions: Session[];
  /** New senders per second. */
  arrivalRate: number;
  durationSeconds: number;
  log: (line: string) => void;
}

interface Sent {
  clientId: string;
  session: Session;
  conversationId: string | null;
}

const MAX_ATTEMPTS = 5;

export async function runRestLoad(options: RestLoadOptions): Promise<LoadResult> {
  const { baseUrl, sessions, arrivalRate, durationSeconds, log } = options;
  const total = Math.round(arrivalRate * durationSeconds);
  const latencies: number[] = [];
  const errors = new Tally();
  const sent: Sent[] = [];
  let received = 0;
  let retries = 0;

  /** One virtual user: one POST, retried with the same client_id on 429 and network errors. */
  async function sender(index: number): Promise<void> {
    const session = sessions[index % sessions.length]!;
    const record: Sent = { clientId: randomUUID(), session, conversationId: null };
    sent.push(record);
    const body = JSON.stringify({
      message: `Load test message ${index} ${randomUUID().slice(0, 8)}`,
      client_id: record.clientId,
    });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const started = performance.now();
      try {
        const response = await fetch(new URL('/api/user-response/', baseUrl), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
          body,
        });
        const text = await response.text();
        if (response.status === 201) {
          latencies.push(performance.now() - started);
          record.conversationId = (JSON.parse(text) as { conversation_id: string }).conversation_id;
          received += 1;
          return;
        }
        errors.add(`HTTP ${response.status}`);
        if (response.status !== 429 && response.status < 500) return;
        const retryAfter = Number(response.headers.get('retry-after') ?? 1);
        retries += 1;
        await sleep(Math.min(10, Number.isFinite(retryAfter) ? retryAfter : 1) * 1000);
      } catch (err) {
        errors.add(`network: ${(err as Error).message}`);
        retries += 1;
        await sleep(500);
      }
    }
  }

  log(`REST load: ${arrivalRate} new senders/s for ${durationSeconds} s (${total} messages) against ${baseUrl}`);
  const start = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    // Open loop: arrivals keep their schedule whatever the server's speed, as Artillery's do.
    const due = start + (i * 1000) / arrivalRate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    running.push(sender(i));
  }
  await Promise.all(running);
  const elapsed = (performance.now() - start) / 1000;

  // Read back: every conversation the run opened, counted by client_id.
  let stored = 0;
  let duplicated = 0;
  const byConversation = new Map<string, Sent[]>();
  for (const record of sent) {
    if (!record.conversationId) continue;
    const list = byConversation.get(record.conversationId) ?? [];
    list.push(record);
    byConversation.set(record.conversationId, list);
  }
  const queue = [...byConversation];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const [conversationId, records] = item;
        try {
          const messages = await allMessages(baseUrl, records[0]!.session, conversationId);
          for (const record of records) {
            const copies = messages.filter((m) => m.client_id === record.clientId).length;
            if (copies > 0) stored += 1;
            if (copies > 1) duplicated += copies - 1;
          }
        } catch (err) {
          errors.add(
            err instanceof HttpFailure ? `read-back HTTP ${err.status}` : `read-back: ${(err as Error).message}`,
          );
        }
      }
    }),
  );

  const notes = [
    `stored ${stored}/${sent.length}, ${byConversation.size} conversations, ${elapsed.toFixed(1)} s, retries ${retries}`,
  ];
  if (errors.size) notes.push(`errors: ${errors}`);
  return {
    name: 'REST load (POST /api/user-response/)',
    sent: sent.length,
    received,
    expected: sent.length,
    lost: sent.length - stored,
    duplicated,
    latencies,
    notes,
  };
}
