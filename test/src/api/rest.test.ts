import { expect } from '@open-wc/testing';
import * as auth from '../../../src/api/auth.js';
import * as chat from '../../../src/api/chat.js';
import * as conversations from '../../../src/api/conversations.js';
import { Http } from '../../../src/api/http.js';
import { getMessages } from '../../../src/api/messages.js';
import { getHealth, getWsTicket } from '../../../src/api/realtime.js';
import { uploadAttachment } from '../../../src/api/uploads.js';
import { HttpError, TransportError, ValidationError } from '../../../src/index.js';
import { cleanup, startServer } from '../../support/client-helpers.js';
import type { MockProfile, MockServer } from '../../support/mock-server.js';
import { seedBotReply } from '../../support/seed-wire.js';

function httpFor(server: MockServer, token: () => string | null): Http {
  return new Http({
    apiUrl: server.url,
    timeoutMs: 5000,
    log: () => {},
    tokens: { token: async () => token(), refresh: async () => Promise.reject(new Error('no refresh in this test')) },
  });
}

const last = (server: MockServer) => server.requests.at(-1)!;

for (const profile of ['reference', 'seed'] as MockProfile[]) {
  describe(`REST calls against the ${profile} profile`, () => {
    let server: MockServer;
    let http: Http;
    let token: string;
    beforeEach(async () => {
      server = await startServer({ profile });
      token = server.issueTokens('alice').token;
      http = httpFor(server, () => token);
    });
    afterEach(cleanup);

    it('sends login, me and logout with the documented shapes', async () => {
      const login = await auth.login(http, 'alice', 'alice123');
      expect(last(server)).to.include({ method: 'POST', path: '/api/auth/login', authorization: null });
      expect(last(server).body).to.deep.equal({ username: 'alice', password: 'alice123' });
      // A seed also echoes `role` (null here), and its users have no first or last name.
      expect(login).to.have.keys(
        profile === 'seed' ? ['token', 'refresh', 'role', 'username'] : ['token', 'refresh', 'username'],
      );
      const name = profile === 'seed' ? 'alice' : 'Alice';
      expect(await auth.me(http)).to.deep.equal({ id: '1', username: 'alice', display_name: name });
      expect(last(server).authorization).to.equal(`Bearer ${token}`);
      await auth.logout(http, login.refresh).catch(() => undefined);
      // A seed's logout wants a bearer (401 without one) and revokes nothing; ours needs none.
      expect(last(server)).to.include({
        method: 'POST',
        path: '/api/auth/logout',
        status: profile === 'seed' ? 401 : 204,
      });
      expect(last(server).body).to.deep.equal({ refresh: login.refresh });
    });

    it('posts a user response and gets the bot response, ids as strings', async () => {
      const conversation = server.createConversation('alice');
      const stored = await chat.postUserResponse(http, {
        message: 'hello',
        conversation_id: conversation.id,
        client_id: 'c-1',
      });
      expect(last(server).body).to.deep.equal({ message: 'hello', conversation_id: conversation.id, client_id: 'c-1' });
      expect(stored.conversation_id).to.equal(conversation.id);
      expect(stored.message_id).to.match(/^\d+$/);
      const bot = await chat.postBotResponse(http, conversation.id);
      expect(last(server)).to.include({ path: '/api/bot-response/', status: 200 });
      expect(last(server).body).to.deep.equal({ conversation_id: conversation.id });
      if (profile === 'seed') {
        // The seed answers only `{message}`: no id, no time.
        expect(bot).to.deep.equal({ message: seedBotReply('hello') });
      } else {
        expect(bot.message).to.equal('Hello! How can I help you today?');
        expect(bot.message_id).to.match(/^\d+$/);
      }
    });

    it('lists prompts, conversations, one conversation and its messages, normalised', async () => {
      const conversation = server.createConversation('alice', { members: ['bob'] });
      server.addMessage(conversation.id, { text: 'one' });
      server.addMessage(conversation.id, { text: 'two' });
      const prompts = await chat.getBotPrompts(http);
      expect(prompts[0]).to.deep.equal(
        profile === 'seed'
          ? { id: '1', title: 'Product Search', text: 'Help me find products in your catalog', order: 1 }
          : { id: '1', title: 'Track my order', text: 'Where is my order?', order: 1 },
      );
      const page = await conversations.listConversations(http);
      expect(last(server)).to.include({ method: 'GET', path: '/api/chat/conversations/' });
      expect(page.next).to.equal(null);
      expect(page.results[0]!.id).to.equal(conversation.id);
      expect(page.results[0]!.participants.map((p) => p.username)).to.deep.equal(['alice', 'bob']);
      // The seed's participant ids are row ids, not user ids; ours are the users' ids.
      if (profile === 'reference') expect(page.results[0]!.participants.map((p) => p.id)).to.deep.equal(['1', '2']);
      for (const p of page.results[0]!.participants) expect(p.id).to.match(/^\d+$/);
      expect(page.results[0]!.last_message!.text).to.equal('two');
      const one = await conversations.getConversation(http, conversation.id);
      expect(one.participant_count).to.equal(2);
      const messages = await getMessages(
        http,
        conversation.id,
        profile === 'seed' ? { limit: 1, offset: 1 } : { limit: 5, afterSeq: 1 },
      );
      expect(last(server).query).to.deep.equal(
        profile === 'seed' ? { limit: '1', offset: '1' } : { limit: '5', after_seq: '1' },
      );
      expect(messages).to.have.length(1);
      expect(messages[0]).to.include({
        text: 'two',
        conversation_id: conversation.id,
        conversation: conversation.id,
        sender: 'bob',
      });
      expect(messages[0]!.id).to.be.a('string');
      if (profile === 'reference') expect(messages[0]!.seq).to.equal(2);
      else expect(messages[0]).to.not.have.property('seq');
    });

    it('marks read, reports typing and uploads a file (a seed answers every valid upload with a 500 page)', async () => {
      const conversation = server.createConversation('alice', { members: ['bob'] });
      const message = server.addMessage(conversation.id, { text: 'read me' });
      await chat.postRead(http, String(message.id));
      expect(last(server)).to.include({ method: 'POST', path: `/api/chat/messages/${message.id}/read/`, status: 200 });
      await chat.postTyping(http, conversation.id, true);
      expect(last(server).body).to.deep.equal({ conversation_id: conversation.id, is_typing: true });
      const progress: number[] = [];
      const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'dot.png', { type: 'image/png' });
      if (profile === 'seed') {
        const error = await uploadAttachment(http, file, { conversationId: conversation.id }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(HttpError);
        expect((error as HttpError).status).to.equal(500);
        expect((error as HttpError).message).to.contain('an error page instead of JSON');
        return;
      }
      const attachment = await uploadAttachment(http, file, {
        conversationId: conversation.id,
        onProgress: (p) => progress.push(p.fraction),
      });
      expect(last(server)).to.include({ path: '/api/chat/upload/', status: 201 });
      expect(attachment).to.include({ file_name: 'dot.png', file_size: 4, content_type: 'image/png' });
      expect(attachment.attachment_id).to.be.a('string');
      // Starts at 0 and ends at 1 (progress between is tested against a real endpoint in xhr-fetch.test.ts).
      expect(progress[0]).to.equal(0);
      expect(progress.at(-1)).to.equal(1);
    });

    it('gets health without a bearer', async () => {
      expect(await getHealth(http)).to.deep.equal({ ok: true });
      expect(last(server).authorization).to.equal(null);
    });
  });
}

describe('REST calls of the reference extensions', () => {
  afterEach(cleanup);

  it('creates a conversation, adds a participant, refreshes and gets a ws ticket', async () => {
    const server = await startServer();
    const tokens = server.issueTokens('alice');
    const http = httpFor(server, () => tokens.token);
    const created = await conversations.createConversation(http, 'Support');
    expect(last(server).body).to.deep.equal({ title: 'Support' });
    expect(created).to.include({ title: 'Support', participant_count: 1 });
    const participant = await conversations.addParticipant(http, created.id, 'bob');
    expect(last(server)).to.include({ path: `/api/chat/conversations/${created.id}/participants/`, status: 201 });
    expect(participant).to.include({ id: '2', username: 'bob', role: 'member' });
    const rotated = await auth.refresh(http, tokens.refresh);
    expect(last(server).authorization).to.equal(null);
    expect(rotated).to.have.keys('token', 'refresh');
    const ticket = await getWsTicket(http, created.id);
    expect(last(server).body).to.deep.equal({ conversation_id: created.id });
    expect(ticket.expires_in).to.equal(30);
  });
});

describe('REST errors', () => {
  afterEach(cleanup);

  it('maps a 400 to ValidationError with fields, a 429 to a retryable HttpError, a network failure to TransportError', async () => {
    const server = await startServer();
    const token = server.issueTokens('alice').token;
    const http = httpFor(server, () => token);
    const conversation = server.createConversation('alice');
    const invalid = await chat
      .postUserResponse(http, { message: '  ', conversation_id: conversation.id })
      .catch((e: unknown) => e);
    expect(invalid).to.be.instanceOf(ValidationError);
    expect((invalid as ValidationError).fields).to.have.key('message');
    expect((invalid as ValidationError).retryable).to.equal(false);
    server.failNext(3, 429, { headers: { 'Retry-After': '0' } });
    const limited = await chat.getBotPrompts(http).catch((e: unknown) => e);
    expect(limited).to.be.instanceOf(HttpError);
    expect((limited as HttpError).status).to.equal(429);
    expect((limited as HttpError).retryable).to.equal(true);
    expect((limited as HttpError).retryAfter).to.equal(0);
    expect(server.requestsTo('/api/bot-prompts/')).to.have.length(3);
    server.failNext(1, 0);
    const offline = await chat.getBotPrompts(http).catch((e: unknown) => e);
    expect(offline).to.be.instanceOf(TransportError);
    expect((offline as TransportError).retryable).to.equal(true);
  });

  it('retries a 503 after its Retry-After and then succeeds', async () => {
    const server = await startServer();
    const token = server.issueTokens('alice').token;
    const http = httpFor(server, () => token);
    server.failNext(1, 503, { headers: { 'Retry-After': '0' } });
    expect(await chat.getBotPrompts(http)).to.have.length(2);
    expect(server.requestsTo('/api/bot-prompts/').map((r) => r.status)).to.deep.equal([503, 200]);
  });
});
