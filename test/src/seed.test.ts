// One test per row of PROTOCOL §6: the client against the seed stand-in, which answers as the
// recorded seed backend does (`../shared/seed-backend/`).
import { expect } from '@open-wc/testing';
import { AuthError, HttpError, ValidationError, type ChatMessage } from '../../src/index.js';
import { cleanup, makeClient, nextEvent, startServer, until } from '../support/client-helpers.js';
import { seedBotReply } from '../support/seed-wire.js';

const texts = (list: readonly { text?: unknown }[]) => list.map((m) => m.text);
const GREETING = seedBotReply('hello');

describe('against a seed backend (PROTOCOL §6, as recorded)', () => {
  afterEach(cleanup);

  async function following(options: { members?: string[] } = {}) {
    const server = await startServer({ profile: 'seed' });
    const conversation = server.createConversation('alice', options);
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    return { server, conversation, client };
  }

  it('signs in with the seed login answer and ends the session on a 401, as there is no refresh endpoint', async () => {
    const server = await startServer({ profile: 'seed' });
    const client = makeClient(server, { username: null });
    const user = await client.login('alice', 'alice123');
    expect(user).to.deep.equal({ id: '1', username: 'alice', display_name: 'alice' });
    const expired = nextEvent(client, 'auth-expired');
    server.expireAccessTokens();
    const error = await client.getPrompts().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AuthError);
    await expired;
    expect(client.isAuthenticated()).to.equal(false);
    expect(server.requestsTo('/api/auth/refresh').map((r) => r.status)).to.deep.equal([404]);
  });

  it('tells a seed by its ws-ticket 404 page and puts the token in the socket URL', async () => {
    const { server, client } = await following();
    expect(server.requestsTo('/api/chat/ws-ticket/').map((r) => r.status)).to.deep.equal([404]);
    expect(server.sockets.handshakes.map((h) => h.via)).to.deep.equal(['token']);
    expect(client.backend).to.equal('seed');
  });

  it('creates a conversation with the first message, never asking POST conversations (a 405 on a seed)', async () => {
    const server = await startServer({ profile: 'seed' });
    const client = makeClient(server);
    const conversationChange = nextEvent(client, 'conversation');
    await client.send('hello');
    const { conversationId } = await conversationChange;
    expect(conversationId).to.match(/^\d+$/);
    await until(() => texts(client.messages()).includes(GREETING), 'bot reply');
    expect(texts(client.messages())).to.deep.equal(['hello', GREETING]);
    expect(server.requestsTo('/api/chat/conversations/', 'POST')).to.deep.equal([]);
    expect(server.requestsTo('/api/user-response/')[0]!.body).to.not.have.property('conversation_id');
    expect(client.backend).to.equal('seed');
  });

  it('normalises integer REST ids and string socket ids to the same strings', async () => {
    const { server, conversation, client } = await following({ members: ['bob'] });
    server.addMessage(conversation.id, { text: 'over the socket', sender: 'bob' });
    server.addMessage(conversation.id, { text: 'over REST', sender: 'bob' }, { broadcast: false });
    await until(() => client.messages().length === 2, 'both messages');
    for (const m of client.messages()) {
      expect(m.id).to.be.a('string').and.match(/^\d+$/);
      expect(m.conversationId).to.equal(conversation.id);
    }
    expect(texts(client.messages())).to.deep.equal(['over the socket', 'over REST']);
  });

  it('recognises own messages by user id or username, and names senders by username', async () => {
    const server = await startServer({ profile: 'seed' });
    const conversation = server.createConversation('alice', { members: ['bob'] });
    server.addMessage(conversation.id, { text: 'mine, from another device', sender: 'alice' }, { broadcast: false });
    server.addMessage(conversation.id, { text: 'from bob', sender: 'bob' }, { broadcast: false });
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    server.addMessage(conversation.id, { text: 'mine, over the socket', sender: 'alice' });
    server.addMessage(conversation.id, { text: 'bob, over the socket', sender: 'bob' });
    await until(() => client.messages().length === 4, 'four messages');
    const shape = (m: ChatMessage) => [m.text, m.own, m.senderName];
    expect(client.messages().map(shape)).to.deep.equal([
      ['mine, from another device', true, 'alice'],
      ['from bob', false, 'bob'],
      ['mine, over the socket', true, 'alice'],
      ['bob, over the socket', false, 'bob'],
    ]);
  });

  it('shows each bot reply under its question, takes its stored row later, and never merges two replies', async () => {
    const { server, conversation, client } = await following();
    await client.send('hi');
    await until(() => client.messages().filter((m) => m.type === 'bot').length === 1, 'first reply');
    await client.send('hi');
    await until(() => client.messages().filter((m) => m.type === 'bot').length === 2, 'second reply');
    await until(() => client.messages().every((m) => m.id !== null), 'every reply has its stored row');
    expect(texts(client.messages())).to.deep.equal(['hi', GREETING, 'hi', GREETING]);
    const stored = server.messagesOf(conversation.id);
    expect(client.messages().map((m) => m.id)).to.deep.equal(stored.map((m) => String(m.id)));
    expect(server.requestsTo('/api/bot-response/')).to.have.length(2);
  });

  it('keeps a reply under its question when a later message is already listed', async () => {
    const { server, conversation, client } = await following({ members: ['bob'] });
    const release = server.holdResponses((_m, path) => path === '/api/bot-response/');
    await client.send('what can you do');
    await server.waitForRequest((r) => r.path === '/api/bot-response/');
    server.addMessage(conversation.id, { text: 'bob meanwhile', sender: 'bob' }, { broadcast: false });
    await until(() => texts(client.messages()).includes('bob meanwhile'), 'bob listed');
    release();
    await until(() => client.messages().length === 3 && client.messages().every((m) => m.id !== null), 'settled');
    expect(texts(client.messages())).to.deep.equal([
      'what can you do',
      seedBotReply('what can you do'),
      'bob meanwhile',
    ]);
  });

  it('polls by offset with the socket open: messages written over REST elsewhere arrive', async () => {
    const { server, conversation, client } = await following({ members: ['bob'] });
    server.addMessage(conversation.id, { text: 'alice on her phone', sender: 'alice' }, { broadcast: false });
    server.addMessage(conversation.id, { text: 'bob over REST', sender: 'bob' }, { broadcast: false });
    await until(() => client.messages().length === 2, 'both arrive');
    expect(client.state.status).to.equal('open');
    expect(client.messages().map((m) => [m.text, m.own])).to.deep.equal([
      ['alice on her phone', true],
      ['bob over REST', false],
    ]);
    const path = `/api/chat/conversations/${conversation.id}/messages/`;
    // The next poll asks only for what comes after the two rows listed so far.
    await server.waitForRequest((r) => r.path === path && r.query.offset === '2');
    expect(server.requestsTo(path).every((r) => Number(r.query.limit) <= 100)).to.equal(true);
  });

  it('shows the same user typing in another tab, never this tab its own typing echo', async () => {
    const { server, conversation, client } = await following();
    const typing: string[] = [];
    client.on('typing', (t) => typing.push(`${t.username}:${t.isTyping}`));
    client.setTyping(true);
    await server.waitForFrame((f) => f.frame.type === 'typing' && f.frame.is_typing === true);
    client.setTyping(false);
    await server.waitForFrame((f) => f.frame.type === 'typing' && f.frame.is_typing === false);
    // The seed echoed both to this socket; then another tab of alice types.
    server.emitTyping(conversation.id, { username: 'alice', isTyping: true });
    await until(() => typing.length > 0, 'typing event');
    expect(typing).to.deep.equal(['alice:true']);
  });

  it('reconciles its own socket echo by text', async () => {
    const { server, conversation, client } = await following();
    const release = server.holdResponses((_m, path) => path === '/api/user-response/');
    const bubble = await client.send('same text');
    await server.waitForRequest((r) => r.path === '/api/user-response/');
    // A socket echo of the stored row (as the seed sends for socket writes) before the REST answer.
    const stored = server.state.messages.get(Number(conversation.id))!.find((m) => m.text === 'same text')!;
    server.sockets.broadcastMessage(stored);
    await until(() => client.messages().some((m) => m.key === bubble.clientId && m.id !== null), 'echo reconciled');
    release();
    await until(() => texts(client.messages()).includes(seedBotReply('same text')), 'bot reply');
    expect(texts(client.messages())).to.deep.equal(['same text', seedBotReply('same text')]);
    expect(client.messages()[0]).to.include({ key: bubble.clientId, status: 'sent', own: true });
  });

  it('checks the listing before resending a send whose answer was lost, so it is stored once', async () => {
    const { server, conversation, client } = await following();
    server.loseAnswers(1, (_m, path) => path === '/api/user-response/');
    await client.send('only once please');
    await until(() => texts(client.messages()).includes(seedBotReply('only once please')), 'bot reply');
    expect(server.requestsTo('/api/user-response/')).to.have.length(1);
    expect(texts(server.messagesOf(conversation.id))).to.deep.equal([
      'only once please',
      seedBotReply('only once please'),
    ]);
    expect(texts(client.messages())).to.deep.equal(texts(server.messagesOf(conversation.id)));
  });

  it('pages a long conversation by offset, 100 at most', async () => {
    const server = await startServer({ profile: 'seed' });
    const conversation = server.createConversation('alice');
    for (let i = 1; i <= 120; i++) server.addMessage(conversation.id, { text: `msg ${i}`, sender: 'alice' });
    const client = makeClient(server);
    await client.connect(conversation.id);
    expect(client.messages()).to.have.length(120);
    expect(client.messages().at(-1)!.text).to.equal('msg 120');
    expect(new Set(client.messages().map((m) => m.id)).size).to.equal(120);
    const queries = server.requestsTo(`/api/chat/conversations/${conversation.id}/messages/`).map((r) => r.query);
    expect(queries).to.deep.include({ limit: '100', offset: '100' });
    expect(queries.filter((q) => 'offset' in q).every((q) => q.limit === '100')).to.equal(true);
  });

  it('gives one error type with readable text for each of the seed error shapes', async () => {
    const server = await startServer({ profile: 'seed' });
    const client = makeClient(server);
    const conversation = server.createConversation('bob');
    const caught = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e as Error,
      );
    const notFound = await caught(client.getConversation('999999'));
    expect(notFound).to.be.instanceOf(HttpError);
    expect(notFound!.message).to.contain('No Conversation matches the given query.');
    const notMine = await caught(client.getMessages(conversation.id));
    expect((notMine as HttpError).status).to.equal(404);
    const login = await caught(makeClient(server, { username: null }).login('alice', 'wrong'));
    expect(login).to.be.instanceOf(ValidationError);
    expect(login!.message).to.contain('Invalid credentials');
    const page = await caught(client.getConversation('abc'));
    expect((page as HttpError).status).to.equal(500);
    expect(page!.message).to.contain('an error page instead of JSON');
  });

  it('says an upload failed on this server and keeps the chat usable', async () => {
    const { client } = await following();
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'dot.png', { type: 'image/png' });
    const error = await client.uploadAttachment(png).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HttpError);
    expect((error as HttpError).status).to.equal(500);
    await client.send('still here');
    await until(() => texts(client.messages()).includes(seedBotReply('still here')), 'bot reply');
  });

  it('falls back to HTTP after repeated refused handshakes and takes the socket back when it works', async () => {
    const server = await startServer({ profile: 'seed' });
    const conversation = server.createConversation('alice', { members: ['bob'] });
    server.blockSocket(true);
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'fallback', 'fallback');
    server.addMessage(conversation.id, { text: 'while blocked', sender: 'bob' }, { broadcast: false });
    await until(() => texts(client.messages()).includes('while blocked'), 'polled');
    server.blockSocket(false);
    await until(() => client.state.status === 'open', 'socket back');
    server.addMessage(conversation.id, { text: 'over the socket again', sender: 'bob' });
    await until(() => texts(client.messages()).includes('over the socket again'), 'pushed');
    expect(texts(client.messages())).to.deep.equal(['while blocked', 'over the socket again']);
  });
});
