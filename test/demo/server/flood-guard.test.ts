import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rateLimitsWithDefaults } from '../../../demo/server/options.js';
import { FloodGuard } from '../../../demo/server/realtime/flood-guard.js';

/** Feeds the guard `perSecond` frames a second for `seconds` on a fake clock; returns the verdicts. */
function run(perSecond: number, seconds: number): string[] {
  let now = 0;
  const guard = new FloodGuard(rateLimitsWithDefaults(), () => now);
  const verdicts: string[] = [];
  for (let i = 0; i < perSecond * seconds; i++) {
    now = Math.round((i * 1000) / perSecond);
    verdicts.push(guard.admit() ? 'ok' : guard.strike());
  }
  return verdicts;
}

test('a steady flood of 200 frames a second is told once, then closed, though a frame passes every refill', () => {
  const verdicts = run(200, 10);
  assert.equal(verdicts.indexOf('tell') < verdicts.indexOf('close'), true);
  assert.ok(verdicts.includes('close'));
  const closedAt = verdicts.indexOf('close');
  assert.ok(verdicts.slice(verdicts.indexOf('tell'), closedAt).includes('ok'), 'accepted frames in between');
});

test('a client within the refill rate is never refused, however long it goes on', () => {
  assert.deepEqual(new Set(run(15, 120)), new Set(['ok']));
});
