import { expect } from '@open-wc/testing';
import { xhrFetch } from '../../../src/api/xhr-fetch.js';

// Against a real HTTP/1.1 endpoint of the test server (web-test-runner.config.mjs), not MSW:
// a service worker hides upload progress from the page.
describe('xhrFetch', () => {
  it('reports upload progress as the bytes leave and returns the answer as a Response', async () => {
    const seen: number[] = [];
    // Larger than loopback's send (4 MB) and receive (32 MB) buffers together, so at least the last
    // ~5 MB wait on the throttled reader (~32 MB/s): longer than Chromium's 50 ms progress interval.
    const body = new Blob([new Uint8Array(40 * 1024 * 1024)]);
    const request = new Request('/__test/upload-sink', {
      method: 'POST',
      body,
      headers: { Authorization: 'Bearer t' },
    });
    const response = await xhrFetch((loaded) => seen.push(loaded))(request);
    expect(response.status).to.equal(201);
    expect(await response.json()).to.deep.equal({ size: body.size, authorization: 'Bearer t' });
    expect(seen.at(-1)).to.equal(body.size);
    expect(
      seen.some((loaded) => loaded > 0 && loaded < body.size),
      `progress seen: ${seen.join(', ')}`,
    ).to.equal(true);
  });

  it('rejects with an AbortError when the request signal aborts mid-upload', async () => {
    const controller = new AbortController();
    const request = new Request('/__test/upload-sink', {
      method: 'POST',
      body: new Blob([new Uint8Array(4 * 1024 * 1024)]),
      signal: controller.signal,
    });
    const error = await xhrFetch((loaded) => loaded > 0 && controller.abort())(request).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DOMException);
    expect((error as DOMException).name).to.equal('AbortError');
  });
});
