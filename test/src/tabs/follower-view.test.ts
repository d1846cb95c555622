import { expect } from '@open-wc/testing';
import type { ClientParts } from '../../../src/client-wiring.js';
import { Emitter, type ChatMessage, type ClientEvents } from '../../../src/events.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { FollowerView } from '../../../src/tabs/follower-view.js';
import type { TabMessage } from '../../../src/tabs/tab-wire.js';
import { botReply } from '../../support/bot-reply.js';

const quiet = { onMessage: () => {}, onStatus: () => {}, onChange: () => {}, onStoredAgain: () => {} };

/** The leader's copy of a streaming bot reply (id 10 in conversation 5), as its lists carry it. */
function leaderReply(text: string): ChatMessage {
  const leader = new MessageStore({ username: () => 'alice', userId: () => '1', ...quiet });
  leader.ingest([botReply({ id: '10', text })]);
  return structuredClone(leader.list('5')[0]!);
}

/** A follower tab's view on its own store; `seen` records each event with the text `messages` held then. */
function follower() {
  const store = new MessageStore({ username: () => 'alice', userId: () => '1', ...quiet });
  const events = new Emitter<ClientEvents>();
  const view = new FollowerView({ store, events } as unknown as ClientParts);
  const seen: string[] = [];
  const held = () => store.find('10', '5');
  events.on('message-delta', (d) => seen.push(`delta ${d.text} / held ${held()?.text}`));
  events.on('message-end', (e) =>
    seen.push(`end ${e.streamState} ${e.text} / held ${held()?.text} ${held()?.streamState}`),
  );
  const forward = (name: keyof ClientEvents, payload: unknown, list?: ChatMessage[]) =>
    view.apply({ t: 'event', from: 'leader', name, payload, list, seed: false } as Extract<TabMessage, { t: 'event' }>);
  const delta = (text: string, added: string) =>
    forward('message-delta', { conversationId: '5', messageId: '10', key: held()?.key ?? 'k', text, added });
  const end = (streamState: string, text: string) =>
    forward('message-end', { conversationId: '5', messageId: '10', key: held()?.key ?? 'k', streamState, text });
  forward('messages', { conversationId: '5' }, [leaderReply('Hel')]);
  return { seen, held, delta, end, forward };
}

describe("a follower tab applies the leader's streamed replies", () => {
  it('holds the grown text in messages() when message-delta fires', () => {
    const tab = follower();
    tab.delta('Hello', 'lo');
    tab.delta('Hello world', ' world');
    expect(tab.seen).to.deep.equal(['delta Hello / held Hello', 'delta Hello world / held Hello world']);
  });

  it('ends the reply before message-end fires, and fires it once when the end comes twice (handoff)', () => {
    const tab = follower();
    tab.end('stopped', 'Hel');
    tab.end('stopped', 'Hel');
    tab.end('complete', 'Hello world');
    expect(tab.seen).to.deep.equal(['end stopped Hel / held Hel stopped']);
    expect(tab.held()?.streamState).to.equal('stopped');
  });

  it('never changes an ended reply, nor shortens a growing one, whatever the leader sends late', () => {
    const tab = follower();
    tab.delta('Hello', 'lo');
    tab.delta('He', '');
    expect(tab.held()?.text).to.equal('Hello');
    tab.end('complete', 'Hello!');
    tab.delta('Hello! and more', ' and more');
    expect(tab.held()?.text).to.equal('Hello!');
    expect(tab.seen).to.have.length(3);
  });
});
