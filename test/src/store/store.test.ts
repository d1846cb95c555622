import { expect } from '@open-wc/testing';
import type { ChatMessage } from '../../../src/index.js';
import { cleanup, makeClient, nextEvent, startServer, until } from '../../support/client-helpers.js';

describe('store', () => {
  afterEach(cleanup);

  async function connected(options: { members?: string[] } = {}) {
    const server = await startServer();
    const conversation = server.createConversation('alice', options);
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    return { server, conversation, client };
  }

  it('makes one message of the echo and the ack of one send when the echo comes first', async () => {
    const { client } = await connected();
    const added: ChatMessage[] = [];
    client.on('message', (m) => added.push(m));
    const bubble = await client.send('just once');
    await until(() => client.messages().some((m) => m.type === 'bot'), 'bot reply');
    const own = client.messages().filter((m) => m.own);
    expect(own).to.have.length(1);
    expect(own[0]).to.include({ key: bubble.clientId, clientId: bubble.clientId, status: 'sent', seq: 1 });
    expect(own[0]!.id).to.match(/^\d+$/);
    expect(added.filter((m) => m.own)).to.have.length(1);
  });

  it('makes one message of the ack and a late echo of one send', async () => {
    const { server, conversation, client } = await connected();
    server.dropFrames((f) => f.type === 'message:new' && (f.message as { type: string }).type === 'user', 1);
    const bubble = await client.send('ack first');
    await nextEvent(client, 'message-status', (s) => s.clientId === bubble.clientId && s.status === 'sent');
    const stored = server.state.messages.get(Number(conversation.id))!.find((m) => m.text === 'ack first')!;
    server.sockets.broadcastMessage(stored);
    await until(() => client.messages().some((m) => m.type === 'bot'), 'bot reply');
    const own = client.messages().filter((m) => m.text === 'ack first');
    expect(own).to.have.length(1);
    expect(own[0]).to.include({ key: bubble.clientId, id: String(stored.id), seq: stored.seq, status: 'sent' });
  });

  it('opens a long conversation at its newest messages even when the socket opens before the history arrives', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    for (let i = 1; i <= 1200; i++)
      server.addMessage(conversation.id, { text: `m${i}`, sender: null }, { broadcast: false });
    // The first history request fails (and is retried), so the socket is open before any history is held.
    server.failNext(1, 503, { match: (method, path) => method === 'GET' && path.endsWith('/messages/') });
    const client = makeClient(server);
    await client.connect(conversation.id).catch(() => undefined);
    await until(() => client.state.status === 'open', 'open');
    await until(() => client.messages().some((m) => m.text === 'm1200'), 'the newest message');
    expect(client.messages().some((m) => m.seq === 1)).to.equal(false);
    expect(server.frames.some((f) => f.frame.type === 'sync' && f.frame.after_seq === 0)).to.equal(false);
  });

  it('fills a gap in seq with a sync', async () => {
    const { server, conversation, client } = await connected({ members: ['bob'] });
    server.addMessage(conversation.id, { text: 'one' });
    server.addMessage(conversation.id, { text: 'two' }, { broadcast: false });
    server.addMessage(conversation.id, { text: 'three' });
    await until(() => client.messages().length === 3, 'three messages');
    expect(client.messages().map((m) => [m.seq, m.text])).to.deep.equal([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(server.frames.some((f) => f.frame.type === 'sync' && f.frame.after_seq === 1)).to.equal(true);
  });

  it('fills a gap that opens while an earlier catch-up is still waiting for its synced', async () => {
    const { server, conversation, client } = await connected({ members: ['bob'] });
    server.addMessage(conversation.id, { text: 'one' });
    server.dropFrames((f) => f.type === 'synced', 1);
    server.addMessage(conversation.id, { text: 'two' }, { broadcast: false });
    server.addMessage(conversation.id, { text: 'three' });
    await until(() => client.messages().length === 3, 'first gap filled');
    server.addMessage(conversation.id, { text: 'four' }, { broadcast: false });
    server.addMessage(conversation.id, { text: 'five' });
    await until(() => client.messages().length === 4, 'five');
    // The first catch-up's synced arrives only now.
    server.sockets.broadcast(Number(conversation.id), { type: 'synced', last_seq: 3, more: false });
    await until(() => client.messages().length === 5, 'second gap filled');
    expect(client.messages().map((m) => m.text)).to.deep.equal(['one', 'two', 'three', 'four', 'five']);
  });

  it('catches up over REST when a sync is never answered', async () => {
    const { server, conversation, client } = await connected({ members: ['bob'] });
    server.addMessage(conversation.id, { text: 'one' });
    server.dropFrames((f) => f.type === 'synced');
    server.addMessage(conversation.id, { text: 'two' }, { broadcast: false });
    server.addMessage(conversation.id, { text: 'three' });
    await until(() => client.messages().length === 3, 'first gap filled');
    server.addMessage(conversation.id, { text: 'four' }, { broadcast: false });
    server.addMessage(conversation.id, { text: 'five' });
    await until(() => client.messages().length === 5, 'second gap filled');
    expect(client.messages().map((m) => m.text)).to.deep.equal(['one', 'two', 'three', 'four', 'five']);
  });

  it('shows typing of others, expires it by itself, and clears it when they leave', async () => {
    const { server, conversation, client } = await connected({ members: ['bob'] });
    const started = nextEvent(client, 'typing', (t) => t.isTyping);
    server.emitTyping(conversation.id, { username: 'bob', isTyping: true });
    expect(await started).to.deep.equal({
      conversationId: conversation.id,
      userId: '2',
      username: 'bob',
      displayName: 'bob',
      isTyping: true,
    });
    expect(client.typingUsers().map((t) => t.username)).to.deep.equal(['bob']);
    const expired = await nextEvent(client, 'typing', (t) => !t.isTyping);
    expect(expired.username).to.equal('bob');
    expect(client.typingUsers()).to.deep.equal([]);
    server.emitTyping(conversation.id, { username: 'bob', isTyping: true });
    await until(() => client.typingUsers().length === 1, 'typing again');
    const left = nextEvent(client, 'presence');
    server.sockets.broadcast(Number(conversation.id), { type: 'user_left', user_id: '2', username: 'bob' });
    expect(await left).to.deep.equal({ conversationId: conversation.id, userId: '2', username: 'bob', online: false });
    expect(client.typingUsers()).to.deep.equal([]);
  });

  it('names the bot while it types', async () => {
    const { client } = await connected();
    const typing = nextEvent(client, 'typing', (t) => t.isTyping);
    await client.send('hi');
    expect(await typing).to.include({ userId: null, username: 'bot', displayName: 'Bot' });
  });

  it('throttles own typing and sends is_typing false after a send', async () => {
    const { server, client } = await connected();
    client.setTyping(true);
    client.setTyping(true);
    client.setTyping(true);
    await server.waitForFrame((f) => f.frame.type === 'typing');
    await client.send('done typing');
    await server.waitForFrame((f) => f.frame.type === 'message');
    const typing = server.frames.filter((f) => f.frame.type === 'typing').map((f) => f.frame.is_typing);
    expect(typing).to.deep.equal([true, false]);
  });

  it('sends is_typing false after an idle pause', async () => {
    const { server, client } = await connected();
    client.setTyping(true);
    const stopped = await server.waitForFrame((f) => f.frame.type === 'typing' && f.frame.is_typing === false);
    expect(stopped.username).to.equal('alice');
    expect(server.frames.filter((f) => f.frame.type === 'typing').map((f) => f.frame.is_typing)).to.deep.equal([
      true,
      false,
    ]);
  });

  it('turns own messages read when someone reads them', async () => {
    const { server, conversation, client } = await connected({ members: ['bob'] });
    const bubble = await client.send('read me');
    await nextEvent(client, 'message-status', (s) => s.clientId === bubble.clientId && s.status === 'sent');
    const id = client.messages().find((m) => m.key === bubble.clientId)!.id!;
    const read = nextEvent(client, 'read');
    server.sockets.broadcast(Number(conversation.id), {
      type: 'read',
      message_ids: [id],
      user_id: '2',
      username: 'bob',
      read_at: new Date().toISOString(),
    });
    expect((await read).messageIds).to.deep.equal([id]);
    expect(client.messages().find((m) => m.key === bubble.clientId)!.status).to.equal('read');
  });

  it('does not turn own messages read when the reader is the same user (this or another tab)', async () => {
    const { server, conversation, client } = await connected({ members: ['bob'] });
    const bubble = await client.send('still unread');
    await nextEvent(client, 'message-status', (s) => s.clientId === bubble.clientId && s.status === 'sent');
    const id = client.messages().find((m) => m.key === bubble.clientId)!.id!;
    const read = nextEvent(client, 'read');
    server.sockets.broadcast(Number(conversation.id), {
      type: 'read',
      message_ids: [id],
      user_id: '1',
      username: 'alice',
      read_at: new Date().toISOString(),
    });
    expect((await read).username).to.equal('alice');
    expect(client.messages().find((m) => m.key === bubble.clientId)!.status).to.equal('sent');
  });
});

describe('store paging', () => {
  afterEach(cleanup);

  it('loads the newest page first and older pages on demand', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice', { members: ['bob'] });
    for (let i = 1; i <= 120; i++) server.addMessage(conversation.id, { text: `m${i}` }, { broadcast: false });
    const client = makeClient(server);
    await client.connect(conversation.id);
    expect(client.messages().map((m) => m.seq)).to.deep.equal(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(await client.loadOlder()).to.equal(true);
    expect(client.messages()[0]!.seq).to.equal(21);
    expect(await client.loadOlder()).to.equal(false);
    expect(client.messages().map((m) => m.text)).to.deep.equal(Array.from({ length: 120 }, (_, i) => `m${i + 1}`));
    await until(() => client.state.status === 'open', 'open');
    server.addMessage(conversation.id, { text: 'm121' });
    await until(() => client.messages().length === 121, 'live message');
  });
});
