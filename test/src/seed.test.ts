import { expect } from '@open-wc/testing';
import { cleanup, makeClient, nextEvent, startServer, until } from '../support/client-helpers.js';

const texts = (list: readonly { text: string }[]) => list.map((m) => m.text);

describe('a seed-only backend', () => {
  afterEach(cleanup);

  it('passes the send, receive and bot flow with integer ids, no ticket, no ack, no seq', async () => {
    const server = await startServer({ profile: 'seed' });
    const conversation = server.createConversation('alice', { members: ['bob'] });
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    expect(server.sockets.handshakes.map((h) => h.via)).to.deep.equal(['token']);
    expect(server.requestsTo('/api/chat/ws-ticket/').map((r) => r.status)).to.deep.equal([404]);

    const bubble = await client.send('hello');
    await until(() => texts(client.messages()).includes('Hello! How can I help you today?'), 'bot reply');
    expect(server.requestsTo('/api/user-response/')).to.have.length(1);
    expect(server.requestsTo('/api/bot-response/')).to.have.length(1);
    expect(server.frames.filter((f) => f.frame.type === 'message')).to.have.length(0);

    server.addMessage(conversation.id, { text: 'hi from bob' });
    await until(() => texts(client.messages()).includes('hi from bob'), 'received');
    expect(texts(client.messages())).to.deep.equal(['hello', 'Hello! How can I help you today?', 'hi from bob']);
    const own = client.messages()[0]!;
    expect(own).to.include({
      key: bubble.clientId,
      status: 'sent',
      own: true,
      seq: null,
      conversationId: conversation.id,
    });
    for (const m of client.messages()) {
      expect(m.id).to.be.a('string').and.match(/^\d+$/);
      expect(m.conversationId).to.equal(conversation.id);
    }
    expect(texts(client.messages())).to.deep.equal(texts(server.messagesOf(conversation.id) as { text: string }[]));

    const typing = nextEvent(client, 'typing', (t) => t.isTyping);
    server.emitTyping(conversation.id, { username: 'bob', isTyping: true });
    expect((await typing).userId).to.equal('2');
  });

  it('sends an attachment as the first message of a new conversation', async () => {
    const server = await startServer({ profile: 'seed' });
    const client = makeClient(server);
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'dot.png', { type: 'image/png' });
    const attachment = await client.uploadAttachment(png);
    await client.send('', { attachmentId: attachment.attachment_id });
    await until(() => server.requestsTo('/api/user-response/').length > 0, 'the send delivered');
    const [sent] = server.requestsTo('/api/user-response/');
    expect(sent!.status).to.equal(201);
    expect(sent!.body).to.include({ attachment_id: attachment.attachment_id });
  });

  it('reconciles its own echo by text when the echo arrives before the REST answer', async () => {
    const server = await startServer({ profile: 'seed' });
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    const release = server.holdResponses((_m, path) => path === '/api/user-response/');
    const bubble = await client.send('same text');
    await until(() => client.messages().some((m) => m.key === bubble.clientId && m.id !== null), 'echo reconciled');
    expect(texts(client.messages())).to.deep.equal(['same text']);
    release();
    await until(() => texts(client.messages()).includes('You said: same text'), 'bot reply');
    expect(texts(client.messages())).to.deep.equal(['same text', 'You said: same text']);
    expect(client.messages()[0]).to.include({ key: bubble.clientId, status: 'sent' });
  });

  it('starts a conversation with the first send when there is none', async () => {
    const server = await startServer({ profile: 'seed' });
    const client = makeClient(server);
    const conversationChange = nextEvent(client, 'conversation');
    await client.send('hello');
    const { conversationId } = await conversationChange;
    expect(conversationId).to.match(/^\d+$/);
    await until(() => texts(client.messages()).includes('Hello! How can I help you today?'), 'bot reply');
    expect(texts(client.messages())).to.deep.equal(['hello', 'Hello! How can I help you today?']);
    expect(server.requestsTo('/api/user-response/')[0]!.body).to.not.have.property('conversation_id');
  });
});
