import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, login, startServer, type TestServer } from './helpers.js';
import { sqlOn } from './test-database.js';

describe('refresh tokens under load', () => {
  let s: TestServer;
  before(async () => {
    // trustProxy: the tests speak for several client IPs through X-Forwarded-For.
    s = await startServer({ trustProxy: true, rateLimits: { refreshes: 50, refreshWindowMs: 600_000 } });
  });
  after(() => s.stop());

  const refresh = (token: string, ip = '198.51.100.1') =>
    call(s.url, 'POST', '/api/auth/refresh', { body: { refresh: token }, headers: { 'x-forwarded-for': ip } });
  /** Refresh-token rows of a user's logins. */
  const rows = async (username: string) => {
    const [r] = await sqlOn(
      s.dataDir,
      `SELECT COUNT(*) AS n FROM auth_refresh_token WHERE user_id = (SELECT id FROM accounts_user WHERE username = '${username}')`,
    );
    return Number(r!.n);
  };

  test('a login refreshed 30 times keeps only its live rows once the rotations pass their grace, and its oldest token still revokes it', async () => {
    const first = await login(s.url, 'bob');
    let current = first.refresh;
    for (let i = 0; i < 30; i++) current = (await refresh(current)).body.refresh;
    assert.equal(await rows('bob'), 31, 'within the grace every rotated token is kept');

    await sqlOn(
      s.dataDir,
      'UPDATE auth_refresh_token SET rotated_at = rotated_at - 31000 WHERE rotated_at IS NOT NULL',
    );
    const next = await refresh(current);
    assert.equal(next.status, 200);
    // Left: the token just rotated (in its grace) and the new one; the 30 older rows are gone.
    assert.equal(await rows('bob'), 2, 'only live rows remain');

    // The first token's row is gone, yet using it is still a reuse: the whole login is revoked.
    assert.equal((await refresh(first.refresh)).status, 401);
    assert.equal((await refresh(next.body.refresh)).status, 401);
    const alice = await login(s.url, 'alice');
    assert.equal((await refresh(alice.refresh)).status, 200, 'another login is unaffected');
  });

  test('refresh is rate-limited per client IP with 429 and Retry-After; another IP still refreshes', async () => {
    const { refresh: token } = await login(s.url, 'carol');
    let current = token;
    let refused: Awaited<ReturnType<typeof refresh>> | null = null;
    for (let i = 0; i < 60 && !refused; i++) {
      const r = await refresh(current, '203.0.113.9');
      if (r.status === 429) refused = r;
      else current = r.body.refresh;
    }
    assert.ok(refused, 'refused within 60 calls');
    assert.equal(refused.body.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal((await refresh(current, '198.51.100.2')).status, 200);
  });
});
