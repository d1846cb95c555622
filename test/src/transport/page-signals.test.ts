import { expect } from '@open-wc/testing';
import type { ConnectionStatus } from '../../../src/index.js';
import { pollDelay } from '../../../src/transport/http-transport.js';
import { hintTriesNow } from '../../../src/transport/page-signals.js';

describe('hintTriesNow', () => {
  const table: [status: ConnectionStatus, fallback: boolean, failures: number, expected: boolean][] = [
    ['offline', false, 5, true],
    ['reconnecting', false, 0, true],
    ['reconnecting', false, 1, true],
    ['reconnecting', false, 2, false],
    ['fallback', true, 0, false],
    ['fallback', true, 9, false],
    ['connecting', false, 0, false],
    ['closed', false, 0, false],
  ];
  for (const [status, fallback, failures, expected] of table) {
    it(`${expected ? 'tries' : 'waits'} when ${status}, fallback ${fallback}, after ${failures} failures`, () => {
      expect(hintTriesNow({ status, fallback, failures })).to.equal(expected);
    });
  }
});

describe('pollDelay', () => {
  it('spreads polls over three quarters to five quarters of the interval', () => {
    expect(pollDelay(3000, 0)).to.equal(2250);
    expect(pollDelay(3000, 0.5)).to.equal(3000);
    expect(pollDelay(3000, 1)).to.equal(3750);
    expect(new Set([0.1, 0.3, 0.7, 0.9].map((r) => pollDelay(3000, r))).size).to.equal(4);
  });
});
