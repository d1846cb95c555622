/**
 * After a Redis outage, the sockets of this instance may have missed messages stored through other
 * instances: each conversation with sockets here gets, from the database, the messages after the
 * highest seq its sockets were sent. Clients drop what they already hold (by id and seq).
 */
import type { Logger } from '../logger.js';
import type { ChatStorage } from '../storage/storage.js';
import { SYNC_MAX } from './chat-connection.js';
import type { Hub } from './hub.js';

export async function catchUpFromDatabase(hub: Hub, storage: ChatStorage, log: Logger): Promise<number> {
  let sent = 0;
  for (const [conversationId, afterSeq] of hub.roomSeqs()) {
    try {
      const missed = await storage.listMessages(conversationId, { afterSeq, limit: SYNC_MAX });
      for (const message of missed) hub.deliver({ conversationId, frame: { type: 'message:new', message } });
      sent += missed.length;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'catch-up after the redis outage failed for a conversation');
    }
  }
  if (sent) log.info({ messages: sent }, 'sent the messages missed during the redis outage');
  return sent;
}
