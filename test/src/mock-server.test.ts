import { expect } from '@open-wc/testing';
import { startMockServer, type MockServer } from '../support/mock-server.js';

describe('mock server', () => {
  let server: MockServer;
  afterEach(() => server.stop());

  it('logs in, hands out a ticket and says hello on the socket', async () => {
    server = await startMockServer();
    const conversation = server.createConversation('alice');
    const login = await (
      await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: 'alice123' }),
      })
    ).json();
    const ticket = await (
      await fetch('/api/chat/ws-ticket/', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
        body: JSON.stringify({ conversation_id: conversation.id }),
      })
    ).json();
    const socket = new WebSocket(`ws://${location.host}/ws/chat/${conversation.id}/?ticket=${ticket.ticket}`);
    const hello = await new Promise<Record<string, unknown>>((resolve) =>
      socket.addEventListener('message', (e) => resolve(JSON.parse(e.data))),
    );
    expect(hello.type).to.equal('hello');
    socket.close();
  });

  it('closes a blocked socket before it opens', async () => {
    server = await startMockServer();
    server.blockSocket(true);
    const socket = new WebSocket(`ws://${location.host}/ws/chat/1/`);
    let opened = false;
    socket.addEventListener('open', () => (opened = true));
    const code = await new Promise<number>((resolve) => socket.addEventListener('close', (e) => resolve(e.code)));
    expect(opened).to.equal(false);
    expect(code).to.equal(1006);
  });
});
