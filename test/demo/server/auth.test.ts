import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { SECRET, call, login, startServer, type TestServer } from './helpers.js';
import { sqlOn } from './test-database.js';

const key = new TextEncoder().encode(SECRET);
const mint = (claims: Record<string, unknown>, exp: string | number = '5m', secret = key) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(secret);

describe('auth', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ rateLimits: { loginFailures: 3 } });
  });
  after(() => s.stop());

  test('login with a demo account returns token, refresh and username', async () => {
    const r = await call(s.url, 'POST', '/api/auth/login', { body: { username: 'alice', password: 'alice123' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.username, 'alice');
    assert.match(r.body.token, /^ey/);
    assert.match(r.body.refresh, /^ey/);
    assert.notEqual(r.body.token, r.body.refresh);
  });

  test('login without fields answers 400 with field errors', async () => {
    const r = await call(s.url, 'POST', '/api/auth/login', { body: {} });
    assert.equal(r.status, 400);
    assert.ok(Array.isArray(r.body.username) && Array.isArray(r.body.password));
  });

  test('a wrong password answers 401 authentication_failed', async () => {
    const r = await call(s.url, 'POST', '/api/auth/login', { body: { username: 'bob', password: 'nope' } });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'authentication_failed');
    assert.equal(typeof r.body.detail, 'string');
  });

  test('failed logins are limited per username and IP with 429 and Retry-After, successful ones are not', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await call(s.url, 'POST', '/api/auth/login', { body: { username: 'carol', password: 'bad' } })).status,
        401,
      );
    }
    const limited = await call(s.url, 'POST', '/api/auth/login', { body: { username: 'carol', password: 'bad' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await call(s.url, 'POST', '/api/auth/login', { body: { username: 'alice', password: 'alice123' } })).status,
        200,
      );
  });

  test('me answers the caller, 401 not_authenticated without a token', async () => {
    const { token } = await login(s.url, 'alice');
    const me = await call(s.url, 'GET', '/api/auth/me', { token });
    assert.equal(me.status, 200);
    assert.deepEqual(Object.keys(me.body).sort(), ['display_name', 'id', 'username']);
    assert.match(me.body.id, /^[0-9]+$/);
    const none = await call(s.url, 'GET', '/api/auth/me');
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'not_authenticated');
  });

  test('forged, expired and refresh tokens used as bearer answer 401 token_not_valid', async () => {
    const { refresh } = await login(s.url, 'alice');
    const forged = await mint({ user_id: '1', token_type: 'access' }, '5m', new TextEncoder().encode('another-secret'));
    const expired = await mint({ user_id: '1', token_type: 'access' }, Math.floor(Date.now() / 1000) - 10);
    for (const token of [forged, expired, refresh, 'garbage']) {
      const r = await call(s.url, 'GET', '/api/auth/me', { token });
      assert.equal(r.status, 401, token);
      assert.equal(r.body.code, 'token_not_valid');
    }
  });

  test('a token minted by another system with the same secret is accepted when it names an existing user', async () => {
    const bySub = await mint({ sub: '2' });
    assert.equal((await call(s.url, 'GET', '/api/auth/me', { token: bySub })).body.username, 'bob');
    const byUserId = await mint({ user_id: 3, token_type: 'access' });
    assert.equal((await call(s.url, 'GET', '/api/auth/me', { token: byUserId })).body.username, 'carol');
    const unknown = await call(s.url, 'GET', '/api/auth/me', { token: await mint({ user_id: '9999' }) });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.code, 'token_not_valid');
  });

  test('a token without exp (one that would never expire) is refused as bearer and as refresh', async () => {
    const forever = await new SignJWT({ user_id: '1', token_type: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);
    const r = await call(s.url, 'GET', '/api/auth/me', { token: forever });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'token_not_valid');
    const refresh = await new SignJWT({ user_id: '1', token_type: 'refresh', jti: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);
    assert.equal((await call(s.url, 'POST', '/api/auth/refresh', { body: { refresh } })).status, 401);
  });

  test('refresh rotates, the old token keeps a 30 s grace, and reuse after the grace revokes the login', async () => {
    const first = await login(s.url, 'bob');
    const r1 = await call(s.url, 'POST', '/api/auth/refresh', { body: { refresh: first.refresh } });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh, first.refresh);
    assert.equal((await call(s.url, 'GET', '/api/auth/me', { token: r1.body.token })).body.username, 'bob');
    // A second tab refreshing with the same old token within the grace still succeeds.
    const r2 = await call(s.url, 'POST', '/api/auth/refresh', { body: { refresh: first.refresh } });
    assert.equal(r2.status, 200);
    // Move the rotation 31 s into the past: the grace is over.
    await sqlOn(
      s.dataDir,
      'UPDATE auth_refresh_token SET rotated_at = rotated_at - 31000 WHERE rotated_at IS NOT NULL',
    );
    const reuse = await call(s.url, 'POST', '/api/auth/refresh', { body: { refresh: first.refresh } });
    assert.equal(reuse.status, 401);
    assert.equal(reuse.body.code, 'token_not_valid');
    // The whole login family is revoked, including the newest token.
    const after = await call(s.url, 'POST', '/api/auth/refresh', { body: { refresh: r2.body.refresh } });
    assert.equal(after.status, 401);
  });

  test('refresh with a bad token answers 401 and without one 400', async () => {
    assert.equal((await call(s.url, 'POST', '/api/auth/refresh', { body: { refresh: 'nope' } })).status, 401);
    const { token } = await login(s.url, 'alice');
    assert.equal((await call(s.url, 'POST', '/api/auth/refresh', { body: { refresh: token } })).status, 401);
    assert.equal((await call(s.url, 'POST', '/api/auth/refresh', { body: {} })).status, 400);
  });

  test('logout answers 204 without auth and revokes the refresh token only', async () => {
    const { token, refresh } = await login(s.url, 'bob');
    const out = await call(s.url, 'POST', '/api/auth/logout', { body: { refresh } });
    assert.equal(out.status, 204);
    assert.equal((await call(s.url, 'POST', '/api/auth/refresh', { body: { refresh } })).status, 401);
    assert.equal((await call(s.url, 'GET', '/api/auth/me', { token })).status, 200);
    assert.equal((await call(s.url, 'POST', '/api/auth/logout')).status, 204);
  });
});
