/**
 * What the client does when its user changes, and when its first queued send creates the
 * conversation: the two moments where what it holds must be re-scoped as a whole.
 */
import type { ClientHooks, ClientParts } from './client-wiring.js';
import type { SessionChange } from './events.js';
import { NEW_CONVERSATION } from './outbox/outbox-entry.js';
import type { Id } from './types.js';

/**
 * The user changed. When one left, everything held for them goes first (socket, polling,
 * messages, typing, current conversation, queued sends in memory; their stored unsent messages
 * stay for their next sign-in). Then the next user's queued sends are loaded and shown.
 */
export function onUserChange(p: ClientParts, change: SessionChange): void {
  // The tabs of the next user lead and follow among themselves (the lock and channel are per user).
  p.tabs.setOwner(p.scope.owner);
  if (change.previous !== null) {
    p.poller.stop();
    if (p.connection.state.status !== 'closed' && p.connection.state.status !== 'idle') p.connection.stop();
    p.store.clear();
    p.typing.clear();
    if (p.ctx.user?.username !== change.username) p.ctx.user = null;
    // Before the typing stop: it must not reach the previous user's conversation any more.
    p.setConversation(null);
    p.ownTyping.stop();
  }
  const owner = p.scope.owner;
  void p.outbox.setOwner(owner).then((entries) => {
    if (p.outbox.owner !== owner || p.ctx.destroyed) return;
    for (const entry of entries) p.store.addPending(entry, p.displayName());
    if (entries.length) p.outbox.kick();
  });
  p.events.emit('session', change);
}

/**
 * The first queued send created `conversationId`: the bubbles of every send queued before it
 * existed move into it, and the client follows it.
 */
export function adoptNewConversation(p: ClientParts, hooks: ClientHooks, conversationId: Id): void {
  for (const message of [...p.store.list(NEW_CONVERSATION)]) {
    const entry = message.clientId ? p.outbox.get(message.clientId) : undefined;
    if (!entry || !message.clientId) continue;
    p.store.remove(NEW_CONVERSATION, message.clientId);
    p.store.addPending({ ...entry, conversationId }, p.displayName());
  }
  if (!p.ctx.conversationId) hooks.follow(conversationId).catch((error) => p.events.emit('error', error));
}
