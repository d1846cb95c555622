import { expect } from '@open-wc/testing';
import { idbOutboxStorage, memoryCredentials } from '../../../src/index.js';
import { cleanup, deleteDatabase, makeClient, nextEvent, startServer, until } from '../../support/client-helpers.js';

type Body = { message: string; client_id: string; conversation_id: string };

describe('outbox', () => {
  afterEach(cleanup);

  it('delivers 50 sends queued offline once each, in order, from a new client on the same IndexedDB', async () => {
    const dbName = `parley-outbox-test-${Date.now()}`;
    try {
      const server = await startServer();
      const conversation = server.createConversation('alice');
      const credentials = memoryCredentials();
      credentials.set({ ...server.issueTokens('alice'), username: 'alice' });
      server.setOffline(true);
      const first = makeClient(server, { credentials, storage: idbOutboxStorage(dbName) });
      const wanted = Array.from({ length: 50 }, (_, i) => `message ${i + 1}`);
      const bubbles = await Promise.all(wanted.map((text) => first.send(text, { conversationId: conversation.id })));
      expect(bubbles.every((b) => b.status === 'pending')).to.equal(true);
      expect(await first.outboxSize()).to.equal(50);
      first.destroy();

      const second = makeClient(server, { credentials, storage: idbOutboxStorage(dbName) });
      expect(await second.outboxSize()).to.equal(50);
      await until(() => second.messages(conversation.id).length === 50, 'pending bubbles restored');
      expect(second.messages(conversation.id).map((m) => m.text)).to.deep.equal(wanted);
      expect(second.messages(conversation.id).map((m) => m.key)).to.deep.equal(bubbles.map((b) => b.clientId));

      server.setOffline(false);
      // Followed, so that a send the destroyed client still got through shows as its stored copy.
      await second.connect(conversation.id);
      window.dispatchEvent(new Event('online'));
      await until(
        () => second.messages(conversation.id).filter((m) => m.own && m.status === 'sent').length === 50,
        'all sent',
        15000,
      );
      expect(await second.outboxSize()).to.equal(0);
      const stored = server.messagesOf(conversation.id).filter((m) => m.type === 'user');
      expect(stored.map((m) => m.text)).to.deep.equal(wanted);
      expect(stored.map((m) => m.client_id)).to.deep.equal(bubbles.map((b) => b.clientId));
      // (A request of the destroyed client that was already on the wire may still land: the second
      // client then finds that entry gone from the outbox and shows the stored copy it followed.)
      expect(server.messagesOf(conversation.id).filter((m) => m.type === 'user')).to.have.length(50);
    } finally {
      await deleteDatabase(dbName);
    }
  });

  it('retries a 500 with the same client_id', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    server.failNext(2, 500, { match: (_method, path) => path === '/api/user-response/' });
    const bubble = await client.send('persist', { conversationId: conversation.id });
    await nextEvent(client, 'message-status', (s) => s.clientId === bubble.clientId && s.status === 'sent');
    const attempts = server.requestsTo('/api/user-response/');
    expect(attempts.map((r) => r.status)).to.deep.equal([500, 500, 201]);
    expect(attempts.map((r) => (r.body as Body).client_id)).to.deep.equal([
      bubble.clientId,
      bubble.clientId,
      bubble.clientId,
    ]);
    expect(server.messagesOf(conversation.id).filter((m) => m.type === 'user')).to.have.length(1);
  });

  it('marks a message failed on a 400, keeps the queue moving, and can retry or discard it', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    server.failNext(2, 400, {
      match: (_m, path) => path === '/api/user-response/',
      body: { message: ['Invalid message.'] },
    });
    const failedNow = nextEvent(client, 'message-status', (s) => s.status === 'failed');
    const bad = await client.send('refused', { conversationId: conversation.id });
    const failed = await failedNow;
    expect(failed.clientId).to.equal(bad.clientId);
    expect(failed.failure!.reason).to.contain('400');
    expect(failed.failure!.code).to.equal('invalid');
    const worse = await client.send('refused too', { conversationId: conversation.id });
    await nextEvent(client, 'message-status', (s) => s.clientId === worse.clientId && s.status === 'failed');
    const good = await client.send('fine', { conversationId: conversation.id });
    await nextEvent(client, 'message-status', (s) => s.clientId === good.clientId && s.status === 'sent');
    // 'sent' fires when the server answers; the entry leaves storage right after.
    await until(async () => (await client.outboxSize()) === 2, 'the delivered entry leaves the outbox');

    await client.retry(bad.clientId!);
    await nextEvent(client, 'message-status', (s) => s.clientId === bad.clientId && s.status === 'sent');
    await client.discard(worse.clientId!);
    await until(async () => (await client.outboxSize()) === 0, 'empty outbox');
    expect(
      client
        .messages(conversation.id)
        .filter((m) => m.own)
        .map((m) => [m.text, m.status]),
    ).to.deep.equal([
      ['fine', 'sent'],
      ['refused', 'sent'],
    ]);
    const bodies = server.requestsTo('/api/user-response/').map((r) => (r.body as Body).client_id);
    expect(bodies.filter((id) => id === bad.clientId)).to.have.length(2);
  });

  it('sends over the open socket with a client_id and one frame per message', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    const sent = await Promise.all(['a', 'b', 'c'].map((t) => client.send(t)));
    await until(() => client.messages().filter((m) => m.own && m.status === 'sent').length === 3, 'acks');
    const frames = server.frames.filter((f) => f.frame.type === 'message').map((f) => f.frame);
    expect(frames.map((f) => [f.text, f.client_id])).to.deep.equal(sent.map((m) => [m.text, m.clientId]));
    expect(server.requestsTo('/api/user-response/')).to.have.length(0);
  });
});
