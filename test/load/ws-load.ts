/**
 * The seed's WebSocket load: N connections in one conversation, each sending a message every few
 * seconds. Every socket of the conversation (the sender's too) must get `message:new` for every message
 * exactly once; afterwards the conversation is read back over REST to check that each message was
 * stored exactly once.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import type { ServerFrame } from '../../src/types.js';
import { addParticipant, allMessages, createConversation, type Session } from './api.js';
import { type LoadResult, Tally } from './stats.js';

export interface WsLoadOptions {
  baseUrl: string;
  /** sessions[0] owns the conversation; connections take the sessions in turn. */
  sessions: Session[];
  connections: number;
  intervalSeconds: number;
  durationSeconds: number;
  log: (line: string) => void;
}

interface Connection {
  index: number;
  socket: WebSocket;
  /** client_id -> times seen. */
  seen: Map<string, number>;
  closedEarly: string | null;
}

const DRAIN_MS = 20_000;
const OPEN_TIMEOUT_MS = 30_000;

export async function runWsLoad(options: WsLoadOptions): Promise<LoadResult> {
  const { baseUrl, sessions, connections: count, intervalSeconds, durationSeconds, log } = options;
  const owner = sessions[0]!;
  const conversation = await createConversation(baseUrl, owner, 'WebSocket load');
  for (const session of new Set(sessions.slice(1).map((s) => s.username))) {
    await addParticipant(baseUrl, owner, conversation.id, session);
  }

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const errors = new Tally();
  let acks = 0;
  let botMessages = 0;
  let deliveries = 0;
  let duplicateDeliveries = 0;
  let finished = false;

  const wsBase = new URL(`/ws/chat/${conversation.id}/`, baseUrl);
  wsBase.protocol = wsBase.protocol === 'https:' ? 'wss:' : 'ws:';

  function open(index: number): Promise<Connection> {
    const session = sessions[index % sessions.length]!;
    const url = new URL(wsBase);
    url.searchParams.set('token', session.token);
    const socket = new WebSocket(url);
    const connection: Connection = { index, socket, seen: new Map(), closedEarly: null };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`connection ${index}: no hello within ${OPEN_TIMEOUT_MS} ms`)),
        OPEN_TIMEOUT_MS,
      );
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as ServerFrame;
        switch (frame.type) {
          case 'hello':
            clearTimeout(timer);
            resolve(connection);
            break;
          case 'message:new': {
            const clientId = frame.message.client_id;
            if (frame.message.type === 'bot') botMessages += 1;
            if (!clientId || !sentAt.has(clientId)) break;
            const times = (connection.seen.get(clientId) ?? 0) + 1;
            connection.seen.set(clientId, times);
            if (times === 1) {
              deliveries += 1;
              latencies.push(performance.now() - sentAt.get(clientId)!);
            } else {
              duplicateDeliveries += 1;
            }
            break;
          }
          case 'message:ack':
            acks += 1;
            break;
          case 'error':
            errors.add(`error frame ${frame.code}`);
            break;
          default:
            break;
        }
      });
      socket.on('error', (err) => errors.add(`socket error: ${err.message}`));
      socket.on('close', (code) => {
        clearTimeout(timer);
        if (!finished) {
          connection.closedEarly = `closed ${code}`;
          errors.add(`closed early with ${code}`);
        }
        reject(new Error(`connection ${index} closed with ${code} before hello`));
      });
    });
  }

  log(
    `WebSocket load: ${count} connections in conversation ${conversation.id}, each sending every ${intervalSeconds} s for ${durationSeconds} s`,
  );
  const connections: Connection[] = [];
  // Open in small batches so the handshakes themselves are not the test.
  for (let i = 0; i < count; i += 10) {
    connections.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, k) => open(i + k)))));
  }
  log(`  ${connections.length} connections open`);

  const start = performance.now();
  const rounds = Math.max(1, Math.floor(durationSeconds / intervalSeconds));
  const senders = connections.map(async (connection) => {
    for (let round = 0; round < rounds; round++) {
      // Spread the senders over the interval instead of firing all at once.
      const due = start + (connection.index / count + round) * intervalSeconds * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (connection.socket.readyState !== WebSocket.OPEN) return;
      const clientId = randomUUID();
      sentAt.set(clientId, performance.now());
      connection.socket.send(
        JSON.stringify({
          type: 'message',
          text: `Message from connection ${connection.index} #${round}`,
          client_id: clientId,
        }),
      );
    }
  });
  await Promise.all(senders);

  const sent = sentAt.size;
  const expected = sent * connections.length;
  const drainUntil = performance.now() + DRAIN_MS;
  while (deliveries < expected && performance.now() < drainUntil) await sleep(100);
  const elapsed = (performance.now() - start) / 1000;

  const messages = await allMessages(baseUrl, owner, conversation.id);
  const storedCopies = new Map<string, number>();
  for (const message of messages) {
    if (message.client_id && sentAt.has(message.client_id)) {
      storedCopies.set(message.client_id, (storedCopies.get(message.client_id) ?? 0) + 1);
    }
  }
  finished = true;
  for (const connection of connections) connection.socket.close(1000);

  let lost = 0;
  let missingDeliveries = 0;
  for (const clientId of sentAt.keys()) {
    const missingHere = connections.filter((c) => !c.seen.has(clientId)).length;
    missingDeliveries += missingHere;
    if (!storedCopies.has(clientId) || missingHere > 0) lost += 1;
  }
  let storedDuplicates = 0;
  for (const copies of storedCopies.values()) storedDuplicates += copies - 1;

  const notes = [
    `stored ${storedCopies.size}/${sent}, acks ${acks}/${sent}, deliveries missing ${missingDeliveries}, ` +
      `duplicate deliveries ${duplicateDeliveries}, stored twice ${storedDuplicates}, bot replies seen ${botMessages}, ${elapsed.toFixed(1)} s`,
  ];
  if (errors.size) notes.push(`errors: ${errors}`);
  return {
    name: `WebSocket load (${connections.length} connections, one conversation)`,
    sent,
    received: deliveries,
    expected,
    lost,
    duplicated: storedDuplicates + duplicateDeliveries,
    latencies,
    notes,
  };
}
