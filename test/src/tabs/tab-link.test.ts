import { expect } from '@open-wc/testing';
import { memoryCredentials, memoryOutboxStorage, TransportError, type ChatClient } from '../../../src/index.js';
import { LeaderLock } from '../../../src/tabs/leader-lock.js';
import { errorFromWire, errorToWire } from '../../../src/tabs/tab-wire.js';
import { cleanup, makeClient, nextEvent, startServer, until } from '../../support/client-helpers.js';
import type { MockServer } from '../../support/mock-server.js';

/** Two "tabs" of one browser: two clients of alice in this page, linked, on one shared outbox storage. */
function twoTabs(server: MockServer): { leader: () => ChatClient; tabs: [ChatClient, ChatClient] } {
  const credentials = memoryCredentials();
  credentials.set({ ...server.issueTokens('alice'), username: 'alice' });
  const storage = memoryOutboxStorage();
  const tabs: [ChatClient, ChatClient] = [
    makeClient(server, { credentials, storage, tabs: true }),
    makeClient(server, { credentials, storage, tabs: true }),
  ];
  return { tabs, leader: () => tabs.find((t) => t.tabRole === 'leader')! };
}

const tickets = (server: MockServer): number => server.requestsTo('/api/chat/ws-ticket/').length;

describe('tabs: one connection per browser', () => {
  afterEach(cleanup);

  it('elects one leader: only it opens a socket, and the follower mirrors its state', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const { tabs, leader } = twoTabs(server);
    await until(
      () =>
        tabs
          .map((t) => t.tabRole)
          .sort()
          .join() === 'follower,leader',
      'one leader, one follower',
    );
    const follower = tabs.find((t) => t !== leader())!;
    await follower.connect(conversation.id);
    await until(() => follower.state.status === 'open' && leader().state.status === 'open', 'both open');
    expect(tickets(server)).to.equal(1);
    expect(follower.isConnected()).to.equal(true);
    expect(follower.getConversationId()).to.equal(conversation.id);
  });

  it("sends a follower's message once, through the leader, and shows it sent in both tabs", async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const { tabs, leader } = twoTabs(server);
    await until(() => !!leader(), 'a leader');
    const follower = tabs.find((t) => t !== leader())!;
    await follower.connect(conversation.id);
    const announced: string[] = [];
    follower.on('message', (m) => announced.push(m.key));
    const bubble = await follower.send('from the follower');
    await until(
      () => tabs.every((t) => t.messages().some((m) => m.key === bubble.key && m.status === 'sent')),
      'sent in both tabs',
    );
    expect(server.messagesOf(conversation.id).filter((m) => m.type === 'user')).to.have.length(1);
    expect(announced.filter((k) => k === bubble.key)).to.have.length(1);
    expect(await follower.outboxSize()).to.equal(0);
  });

  it('hands retry and discard from a follower to the leader, which holds the one entry', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const { tabs, leader } = twoTabs(server);
    await until(() => !!leader(), 'a leader');
    const follower = tabs.find((t) => t !== leader())!;
    await follower.connect(conversation.id);
    server.blockSocket(true);
    server.closeSockets();
    const failedInBoth = (key: string) => () =>
      tabs.every((t) => t.messages().find((m) => m.key === key)?.status === 'failed');
    server.failNext(1, 400, { match: (_m, path) => path === '/api/user-response/' });
    const retried = await follower.send('refused, then retried');
    await until(failedInBoth(retried.key), 'failed in both');
    await follower.retry(retried.clientId!);
    await until(
      () => tabs.every((t) => t.messages().find((m) => m.key === retried.key)?.status === 'sent'),
      'sent in both after the retry',
    );

    server.failNext(1, 400, { match: (_m, path) => path === '/api/user-response/' });
    const discarded = await follower.send('refused, then discarded');
    await until(failedInBoth(discarded.key), 'failed in both');
    await follower.discard(discarded.clientId!);
    await until(() => tabs.every((t) => !t.messages().some((m) => m.key === discarded.key)), 'gone from both');
    expect(await follower.outboxSize()).to.equal(0);
    expect(
      server
        .messagesOf(conversation.id)
        .filter((m) => m.type === 'user')
        .map((m) => m.text),
    ).to.deep.equal(['refused, then retried']);
  });

  it('when the leader goes, the follower leads: it opens its own socket and sends what was queued meanwhile', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const { tabs, leader } = twoTabs(server);
    await until(() => !!leader(), 'a leader');
    const first = leader();
    const follower = tabs.find((t) => t !== first)!;
    await follower.connect(conversation.id);
    await until(() => follower.state.status === 'open', 'open');
    first.destroy();
    const bubble = await follower.send('during the handoff');
    await until(() => follower.tabRole === 'leader', 'the follower leads');
    await until(() => follower.messages().find((m) => m.key === bubble.key)?.status === 'sent', 'sent');
    expect(tickets(server)).to.equal(2);
    expect(server.messagesOf(conversation.id).filter((m) => m.type === 'user')).to.have.length(1);
  });

  it("forwards the leader's events (typing of others) and shows a tab's own typing in the other tab only", async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice', { members: ['bob'] });
    const { tabs, leader } = twoTabs(server);
    await until(() => !!leader(), 'a leader');
    const follower = tabs.find((t) => t !== leader())!;
    await follower.connect(conversation.id);
    await until(() => follower.state.status === 'open', 'open');

    const bobTyping = nextEvent(follower, 'typing', (t) => t.username === 'bob' && t.isTyping);
    server.emitTyping(conversation.id, { username: 'bob', isTyping: true });
    await bobTyping;
    expect(follower.typingUsers().map((t) => t.username)).to.deep.equal(['bob']);

    const seenByLeader = nextEvent(leader(), 'typing', (t) => t.username === 'alice' && t.isTyping);
    const frame = server.waitForFrame((f) => f.frame.type === 'typing' && f.frame.is_typing === true);
    follower.setTyping(true);
    await seenByLeader;
    await frame;
    expect(follower.typingUsers().map((t) => t.username)).to.not.include('alice');
  });

  it('with `tabs: false` each client works alone, with its own socket', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const credentials = memoryCredentials();
    credentials.set({ ...server.issueTokens('alice'), username: 'alice' });
    const storage = memoryOutboxStorage();
    const tabs = [makeClient(server, { credentials, storage }), makeClient(server, { credentials, storage })];
    for (const t of tabs) await t.connect(conversation.id);
    await until(() => tabs.every((t) => t.state.status === 'open'), 'both open');
    expect(tabs.map((t) => t.tabRole)).to.deep.equal(['solo', 'solo']);
    expect(tickets(server)).to.equal(2);
  });
});

describe('tabs: the leader lock', () => {
  it('passes to the next tab in line as soon as the holder lets go', async () => {
    const name = `parley-test-lock-${Math.random()}`;
    const log: string[] = [];
    const lock = (id: string): LeaderLock =>
      new LeaderLock(navigator.locks, name, {
        lead: () => log.push(`${id} leads`),
        lose: () => log.push(`${id} lost`),
      });
    const a = lock('a');
    const b = lock('b');
    a.join();
    await until(() => a.held, 'a holds the lock');
    b.join();
    await new Promise((r) => setTimeout(r, 20));
    expect(b.held).to.equal(false);
    a.leave();
    await until(() => b.held, 'b holds the lock');
    expect(log).to.deep.equal(['a leads', 'a lost', 'b leads']);
    b.leave();
  });
});

describe('tabs: errors between tabs', () => {
  it('arrive as the same Parley error class with their code', () => {
    const error = errorFromWire(errorToWire(new TransportError('gone', { code: 'closed', retryable: true })));
    expect(error).to.be.instanceOf(TransportError);
    expect(error.code).to.equal('closed');
    expect(error.retryable).to.equal(true);
  });
});
