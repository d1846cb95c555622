import { expect } from '@open-wc/testing';
import { redact } from '../../../src/index.js';
import { cleanup, makeClient, startServer, until } from '../../support/client-helpers.js';

describe('debug logging', () => {
  let original: typeof console.debug;
  let lines: string[];
  beforeEach(() => {
    original = console.debug;
    lines = [];
    console.debug = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  });
  afterEach(async () => {
    console.debug = original;
    localStorage.removeItem('debug');
    await cleanup();
  });

  it('redacts tokens, tickets and passwords', () => {
    expect(redact('wss://h/ws/chat/1/?ticket=abc.def&x=1')).to.equal('wss://h/ws/chat/1/?ticket=[redacted]&x=1');
    expect(redact('/ws/chat/1/?token=eyJ.a.b')).to.equal('/ws/chat/1/?token=[redacted]');
    expect(redact('{"token":"t1","refresh":"r1","password":"p"}')).to.equal(
      '{"token":"[redacted]","refresh":"[redacted]","password":"[redacted]"}',
    );
    expect(redact('Authorization: Bearer eyJ.a.b')).to.equal('Authorization: Bearer [redacted]');
  });

  it('logs state changes and frames when localStorage.debug contains parley, with no token or ticket', async () => {
    localStorage.setItem('debug', 'parley:*');
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    await client.send('hello');
    await until(() => client.messages().length === 2, 'bot reply');
    expect(lines.some((l) => l.includes('[parley:socket] state'))).to.equal(true);
    expect(lines.some((l) => l.includes('[parley:socket] frame') && l.includes('message:new'))).to.equal(true);
    const ticket = server.state.tickets.keys().next().value as string;
    const token = server.requests.find((r) => r.authorization)!.authorization!.slice(7);
    const all = lines.join('\n');
    expect(all).to.contain('ticket=[redacted]');
    expect(all).to.not.contain(ticket);
    expect(all).to.not.contain(token);
  });

  it('is silent without the flag or the debug option', async () => {
    const server = await startServer();
    const conversation = server.createConversation('alice');
    const client = makeClient(server);
    await client.connect(conversation.id);
    await until(() => client.state.status === 'open', 'open');
    expect(lines.filter((l) => l.includes('[parley'))).to.deep.equal([]);
  });
});
