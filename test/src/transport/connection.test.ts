import { expect } from '@open-wc/testing';
import type { ConnectionState } from '../../../src/index.js';
import { cleanup, FAST, makeClient, nextEvent, startServer, until } from '../../support/client-helpers.js';

const texts = (list: readonly { text: string }[]) => list.map((m) => m.text);

describe('connection', () => {
  afterEach(cleanup);

  it('reconnects with backoff after the socket drops and fills what it missed', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice', { members: ['bob'] });
    const client = makeClient(server, { random: () => 0.5 });
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s));
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    server.closeSockets(1012);
    server.addMessage(conversation.id, { text: 'while you were away' }, { broadcast: false });
    const reconnecting = await nextEvent(client, 'state', (s) => s.status === 'reconnecting');
    expect(reconnecting).to.include({ status: 'reconnecting', attempt: 1 });
    await until(() => client.state.status === 'open', 'open again');
    await until(() => texts(client.messages()).includes('while you were away'), 'catch-up');
    expect(server.requestsTo('/api/chat/ws-ticket/')).to.have.length(2);
    expect(server.sockets.handshakes.map((h) => h.via)).to.deep.equal(['ticket', 'ticket']);
    expect(states.map((s) => s.status)).to.deep.equal(['connecting', 'open', 'reconnecting', 'connecting', 'open']);
    expect(server.frames.some((f) => f.frame.type === 'sync' && f.frame.after_seq === 0)).to.equal(true);
  });

  it('gets a new ticket after close 4001 and reconnects without rotating the refresh token', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    server.closeNextHandshake(4001);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    expect(server.requestsTo('/api/auth/refresh')).to.have.length(0);
    expect(server.requestsTo('/api/chat/ws-ticket/')).to.have.length(2);
    expect(server.sockets.handshakes.map((h) => h.result)).to.deep.equal([4001, 'open']);
  });

  it('reports auth-expired after a second 4001 in a row', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    server.closeNextHandshake(4001, 4001);
    const expired = nextEvent(client, 'auth-expired');
    const closedStates: unknown[] = [];
    client.on('state', (s) => s.status === 'closed' && closedStates.push(s));
    await client.connect(conversation.id);
    expect(await expired).to.deep.equal({ reason: 'socket-rejected' });
    await until(() => client.state.status === 'closed', 'closed');
    expect(client.state).to.deep.equal({ status: 'closed', reason: 'auth-expired' });
    expect(closedStates).to.deep.equal([{ status: 'closed', reason: 'auth-expired' }]);
    // Two fresh tickets refused: a spent ticket is not an expired token, so nothing was rotated.
    expect(server.requestsTo('/api/auth/refresh')).to.have.length(0);
  });

  it('refreshes after close 4001 only when the ticket endpoint then says 401, and opens', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    // The access token expired meanwhile: the server drops the socket with 4001 and refuses the next ticket.
    server.failNext(1, 401, { match: (_method, path) => path === '/api/chat/ws-ticket/' });
    server.closeSockets(4001);
    let expired = false;
    client.on('auth-expired', () => (expired = true));
    await until(() => server.requestsTo('/api/auth/refresh').length === 1, 'one refresh');
    await until(() => client.state.status === 'open', 'open again');
    expect(expired).to.equal(false);
  });

  it('reports auth-expired when the ticket is refused even with a fresh token', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    server.failNext(2, 401, {
      match: (_method, path) => path === '/api/chat/ws-ticket/',
      body: { detail: 'no', code: 'token_not_valid' },
    });
    const expired = nextEvent(client, 'auth-expired');
    void client.connect(conversation.id).catch(() => undefined);
    expect(await expired).to.deep.equal({ reason: 'socket-rejected' });
    expect(client.state).to.deep.equal({ status: 'closed', reason: 'auth-expired' });
    expect(client.isAuthenticated()).to.equal(false);
  });

  it('stops with forbidden on 4003 and not-found on 4004', async () => {
    const server = await startServer();
    const theirs = server.createConversation('bob');
    const client = makeClient(server);
    server.closeNextHandshake(4003);
    void client.connect(theirs.id).catch(() => undefined);
    await until(() => client.state.status === 'closed', 'closed');
    expect(client.state).to.deep.equal({ status: 'closed', reason: 'forbidden' });
    const mine = server.createConversation('alice');
    server.closeNextHandshake(4004);
    await client.connect(mine.id);
    await until(() => client.state.status === 'closed', 'closed');
    expect(client.state).to.deep.equal({ status: 'closed', reason: 'not-found' });
  });

  it('falls back to HTTP when the socket never opens, gets the bot reply, and returns to the socket without doubling', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    server.blockSocket(true);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'fallback', 'fallback');
    expect(client.transport).to.equal('http');
    expect(server.sockets.handshakes.length).to.be.at.least(3);
    await client.send('hello');
    await until(() => texts(client.messages()).includes('Hello! How can I help you today?'), 'bot reply by polling');
    expect(server.requestsTo('/api/user-response/')).to.have.length(1);
    expect(server.requestsTo('/api/bot-response/')).to.have.length(0);
    server.blockSocket(false);
    await until(() => client.state.status === 'open', 'open after probe');
    expect(client.transport).to.equal('websocket');
    await client.send('second');
    await until(() => texts(client.messages()).includes('You said: second'), 'bot reply over socket');
    expect(server.frames.filter((f) => f.frame.type === 'message')).to.have.length(1);
    expect(texts(client.messages())).to.deep.equal([
      'hello',
      'Hello! How can I help you today?',
      'second',
      'You said: second',
    ]);
    expect(texts(server.messagesOf(conversation.id) as { text: string }[])).to.deep.equal(texts(client.messages()));
    expect(client.messages().map((m) => m.status)).to.deep.equal(['sent', 'sent', 'sent', 'sent']);
    const ids = client.messages().map((m) => m.id);
    expect(new Set(ids).size).to.equal(4);
  });

  it('counts a socket that opens but never says hello as a failed handshake', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server, { timing: { ...FAST, connectTimeoutMs: 100 } });
    server.dropFrames((f) => f.type === 'hello', 3);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'fallback', 'fallback after silent sockets');
    await until(() => client.state.status === 'open', 'open once hello comes');
    expect(server.sockets.handshakes.filter((h) => h.result === 'open').length).to.be.at.least(4);
  });

  it('sends a JSON ping after silence and reconnects when no pong comes', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server, { timing: { ...FAST, pingAfterMs: 60, pongTimeoutMs: 60 } });
    server.dropFrames((f) => f.type === 'pong');
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    await nextEvent(client, 'state', (s) => s.status === 'reconnecting');
    expect(server.frames.some((f) => f.frame.type === 'ping')).to.equal(true);
    await until(() => client.state.status === 'open', 'open again');
    expect(server.sockets.handshakes.filter((h) => h.result === 'open').length).to.be.at.least(2);
  });

  it('reconnects at once when the browser comes back online', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server, {
      timing: { ...FAST, backoffBaseMs: 600000, backoffCapMs: 600000 },
      random: () => 0.9,
    });
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    server.closeSockets(1013);
    const reconnecting = await nextEvent(client, 'state', (s) => s.status === 'reconnecting');
    expect((reconnecting as { nextRetryAt: number }).nextRetryAt - Date.now()).to.be.above(60000);
    window.dispatchEvent(new Event('online'));
    await until(() => client.state.status === 'open', 'open after online');
  });
});

describe('connection, page and server signals', () => {
  afterEach(cleanup);

  it('reconnects at once when the page becomes visible', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server, {
      timing: { ...FAST, backoffBaseMs: 600000, backoffCapMs: 600000 },
      random: () => 0.9,
    });
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    server.closeSockets(1012);
    await nextEvent(client, 'state', (s) => s.status === 'reconnecting');
    document.dispatchEvent(new Event('visibilitychange'));
    await until(() => client.state.status === 'open', 'open after visible');
  });

  it('marks the send in flight failed when the server closes with 1009, then reconnects', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    server.dropFrames((f) => f.type === 'message:ack' || f.type === 'message:new');
    const bubble = await client.send('too big for the socket');
    await server.waitForFrame((f) => f.frame.type === 'message');
    const failed = nextEvent(client, 'message-status', (s) => s.clientId === bubble.clientId && s.status === 'failed');
    server.closeSockets(1009);
    expect((await failed).failure!.code).to.equal('too_big');
    await until(() => client.state.status === 'open', 'open again');
  });

  it('goes offline on the offline event and back on online', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    window.dispatchEvent(new Event('offline'));
    expect(client.state).to.deep.equal({ status: 'offline' });
    window.dispatchEvent(new Event('online'));
    await until(() => client.state.status === 'open', 'open after online');
  });
});
