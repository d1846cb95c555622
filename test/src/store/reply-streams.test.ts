import { expect } from '@open-wc/testing';
import type { ClientFrame, Message, MessageDelta, MessageEnd, StreamState } from '../../../src/index.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { ReplyStreams } from '../../../src/store/reply-streams.js';
import { botReply } from '../../support/bot-reply.js';

/** A store and its reply streams, fed frames by hand; `GET` answers with `served` (or waits when `hold`). */
function setup() {
  const deltas: MessageDelta[] = [];
  const ends: MessageEnd[] = [];
  const fetched: string[] = [];
  const frames: ClientFrame[] = [];
  const restCancels: string[] = [];
  const served = new Map<string, Message>();
  let socketOpen = true;
  let release: (() => void) | null = null;
  let hold = false;
  const store: MessageStore = new MessageStore({
    username: () => 'alice',
    userId: () => '1',
    onMessage: () => {},
    onStatus: () => {},
    onChange: () => {},
    onStoredAgain: (m, wire) => streams.snapshot(m, wire),
  });
  const streams: ReplyStreams = new ReplyStreams({
    find: (id, conversationId) => store.find(id, conversationId),
    list: (conversationId) => store.list(conversationId),
    fetch: async (id) => {
      fetched.push(id);
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      const wire = served.get(id);
      if (wire) store.ingest([wire]);
    },
    cancelOverRest: async (id) => {
      restCancels.push(id);
      store.ingest([reply({ id, text: store.find(id)!.text, stream_state: 'stopped' })]);
    },
    openConversation: () => (socketOpen ? '5' : null),
    sendFrame: (frame) => (frames.push(frame), socketOpen),
    onDelta: (d) => deltas.push(d),
    onEnd: (e) => ends.push(e),
    onChange: () => {},
    log: () => {},
  });
  return {
    store,
    streams,
    deltas,
    ends,
    fetched,
    frames,
    restCancels,
    served,
    text: (id = '10') => store.find(id)?.text,
    state: (id = '10') => store.find(id)?.streamState,
    delta: (offset: number, text: string, id = '10') =>
      streams.delta({ type: 'message:delta', conversation_id: '5', message_id: id, offset, text }),
    end: (state: Exclude<StreamState, 'streaming'>, text: string, id = '10') =>
      streams.end({ type: 'message:end', conversation_id: '5', message_id: id, stream_state: state, text }),
    holdFetches: () => (hold = true),
    releaseFetch: () => release?.(),
    closeSocket: () => (socketOpen = false),
  };
}

const reply = botReply;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('streamed replies in the store', () => {
  it('appends a delta whose offset is the length of the text held', () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'Hel' })]);
    t.delta(3, 'lo ');
    t.delta(6, 'there');
    expect(t.text()).to.equal('Hello there');
    expect(t.deltas.map((d) => d.added)).to.deep.equal(['lo ', 'there']);
    expect(t.deltas.at(-1)).to.include({ conversationId: '5', messageId: '10', text: 'Hello there' });
    expect(t.fetched).to.deep.equal([]);
  });

  it('drops the part of a delta it already holds and adds only the rest', () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'Hello wor' })]);
    t.delta(6, 'world!');
    t.delta(0, 'Hello');
    expect(t.text()).to.equal('Hello world!');
    expect(t.deltas.map((d) => d.added)).to.deep.equal(['ld!']);
  });

  it('fetches the message on a gap and applies the deltas that waited once they fit', async () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'One' })]);
    t.served.set('10', reply({ id: '10', text: 'One two' }));
    t.holdFetches();
    t.delta(13, ' four');
    t.delta(7, ' three');
    expect(t.text()).to.equal('One');
    expect(t.fetched).to.deep.equal(['10']);
    t.releaseFetch();
    await settle();
    expect(t.text()).to.equal('One two three four');
  });

  it('asks for a message it has never seen when a delta for it arrives, once while the request runs', async () => {
    const t = setup();
    t.holdFetches();
    t.served.set('10', reply({ id: '10', text: 'Hi' }));
    t.delta(2, ' the');
    t.delta(6, 're');
    expect(t.fetched).to.deep.equal(['10']);
    t.releaseFetch();
    await settle();
    expect(t.text()).to.equal('Hi there');
    expect(t.state()).to.equal('streaming');
  });

  it('replaces the text with the end frame and sets the final state, once', () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'Draft tex' })]);
    t.end('complete', 'Final text.');
    t.end('complete', 'Final text.');
    expect(t.text()).to.equal('Final text.');
    expect(t.state()).to.equal('complete');
    expect(t.ends).to.deep.equal([
      { conversationId: '5', messageId: '10', key: '10', streamState: 'complete', text: 'Final text.' },
    ]);
  });

  it('never changes an ended reply again, whatever arrives after its end', async () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'Stopped here' })]);
    t.end('stopped', 'Stopped here');
    t.delta(12, ' and more');
    t.end('complete', 'Something else');
    t.store.ingest([reply({ id: '10', text: 'Stopped here and much more', stream_state: 'streaming' })]);
    await settle();
    expect(t.text()).to.equal('Stopped here');
    expect(t.state()).to.equal('stopped');
    expect(t.ends).to.have.length(1);
    expect(t.fetched).to.deep.equal([]);
  });

  it('takes a longer copy of a streaming reply from a listing and keeps its own when the copy is older', () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'Abc' })]);
    t.store.ingest([reply({ id: '10', text: 'Abcdef' })]);
    t.store.ingest([reply({ id: '10', text: 'Ab' })]);
    expect(t.text()).to.equal('Abcdef');
    expect(t.deltas.map((d) => d.added)).to.deep.equal(['def']);
  });

  it('ends a streaming reply when a copy of it says it has ended', () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'Abc' })]);
    t.store.ingest([reply({ id: '10', text: 'Abc, failed.', stream_state: 'failed' })]);
    expect(t.state()).to.equal('failed');
    expect(t.ends.map((e) => e.streamState)).to.deep.equal(['failed']);
  });

  it('fetches after a catch-up only the streaming replies the server did not send again', () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'a' }), reply({ id: '11', text: 'b' }), reply({ id: '12', text: 'c' })]);
    t.end('complete', 'a');
    t.streams.caughtUp('5', new Set(['11']));
    expect(t.fetched).to.deep.equal(['12']);
  });

  it('stops a streaming reply over the open socket, and over REST when the socket is down', async () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'a' }), reply({ id: '11', text: 'b' })]);
    await t.streams.cancel('10');
    expect(t.frames).to.deep.equal([{ type: 'cancel', message_id: '10' }]);
    t.closeSocket();
    await t.streams.cancel('11');
    expect(t.restCancels).to.deep.equal(['11']);
    expect(t.state('11')).to.equal('stopped');
  });

  it('refuses to stop an id it does not hold or a message that was never streamed, and ignores an ended one', async () => {
    const t = setup();
    t.store.ingest([reply({ id: '10', text: 'plain', stream_state: null }), reply({ id: '11', text: 'done' })]);
    t.end('complete', 'done', '11');
    const codes = await Promise.all(
      ['99', 'abc', '10'].map((id) =>
        t.streams.cancel(id).then(
          () => 'resolved',
          (e: { code: string }) => e.code,
        ),
      ),
    );
    expect(codes).to.deep.equal(['unknown_message', 'invalid_id', 'not_streaming']);
    await t.streams.cancel('11');
    expect(t.frames).to.deep.equal([]);
  });

  it('counts a conversation busy while a reply streams or a recent user message awaits its reply', () => {
    const t = setup();
    expect(t.streams.busy('5')).to.equal(false);
    const now = new Date().toISOString();
    t.store.ingest([{ ...reply({ id: '9', text: 'question', stream_state: null }), type: 'user', created_at: now }]);
    expect(t.streams.busy('5')).to.equal(true);
    t.store.ingest([reply({ id: '10', text: '' })]);
    expect(t.streams.busy('5')).to.equal(true);
    t.end('complete', 'answer');
    expect(t.streams.busy('5')).to.equal(false);
    t.store.ingest([
      {
        ...reply({ id: '11', text: 'old question', stream_state: null }),
        type: 'user',
        created_at: '2026-01-01T00:00:00Z',
      },
    ]);
    expect(t.streams.busy('5')).to.equal(false);
  });
});
