import { expect } from '@open-wc/testing';
import { backoffDelay } from '../../../src/transport/backoff.js';

describe('backoffDelay', () => {
  const table: [attempt: number, random: number, expected: number][] = [
    [1, 0, 0],
    [1, 0.5, 500],
    [1, 0.999, 999],
    [2, 0.5, 1000],
    [3, 0.5, 2000],
    [4, 0.25, 2000],
    [5, 0.5, 8000],
    [6, 0.5, 15000],
    [6, 1, 29999],
    [7, 0.5, 15000],
    [10, 0.5, 15000],
    [100, 0.999, 29970],
    [0, 0.5, 500],
  ];
  for (const [attempt, random, expected] of table) {
    it(`gives ${expected} ms for attempt ${attempt} with random ${random}`, () => {
      expect(backoffDelay(attempt, random)).to.equal(expected);
    });
  }

  it('keeps equal jitter in the upper half of each step', () => {
    expect(backoffDelay(1, 0, { jitter: 'equal' })).to.equal(500);
    expect(backoffDelay(3, 0.5, { jitter: 'equal' })).to.equal(3000);
    expect(backoffDelay(100, 0, { jitter: 'equal' })).to.equal(15000);
  });

  it('never exceeds the 30 s cap whatever the attempt', () => {
    for (let attempt = 1; attempt < 60; attempt++) expect(backoffDelay(attempt, 0.999999)).to.be.below(30000);
  });

  it('honours a custom base and cap', () => {
    expect(backoffDelay(3, 0.5, { baseMs: 100, capMs: 300 })).to.equal(150);
  });
});
