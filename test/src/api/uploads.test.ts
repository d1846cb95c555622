import { expect } from '@open-wc/testing';
import { Http } from '../../../src/api/http.js';
import { uploadAttachment } from '../../../src/api/uploads.js';
import { TransportError } from '../../../src/index.js';
import { cleanup, startServer } from '../../support/client-helpers.js';
import type { MockServer } from '../../support/mock-server.js';

// Upload progress between start and end is tested against a real endpoint in xhr-fetch.test.ts.
describe('uploads', () => {
  let server: MockServer;
  let http: Http;
  beforeEach(async () => {
    server = await startServer({ profile: 'reference' });
    const { token } = server.issueTokens('alice');
    http = new Http({
      apiUrl: server.url,
      timeoutMs: 10000,
      log: () => {},
      tokens: { token: async () => token, refresh: async () => Promise.reject(new Error('no refresh in this test')) },
    });
  });
  afterEach(cleanup);

  it('cancels an upload when its signal aborts, and rejects with an aborted TransportError', async () => {
    const controller = new AbortController();
    const bytes = new Uint8Array(3 * 1024 * 1024);
    const pending = uploadAttachment(http, new File([bytes], 'big.png'), {
      signal: controller.signal,
      onProgress: (p) => p.fraction === 0 && controller.abort(),
    });
    const error = await pending.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TransportError);
    expect((error as TransportError).code).to.equal('aborted');
  });
});
