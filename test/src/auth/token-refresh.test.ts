import { expect } from '@open-wc/testing';
import {
  AuthError,
  localStorageCredentials,
  memoryCredentials,
  type CredentialStore,
  type Session,
} from '../../../src/index.js';
import { cleanup, makeClient, nextEvent, startServer, until } from '../../support/client-helpers.js';
import { fakeJwt } from '../../support/mock-state.js';

describe('auth', () => {
  afterEach(cleanup);

  it('makes concurrent 401s cause exactly one refresh and retries each request once', async () => {
    const server = await startServer();
    const credentials = memoryCredentials();
    const client = makeClient(server, { credentials });
    server.createConversation('alice');
    server.expireAccessTokens();
    const results = await Promise.all([
      client.listConversations(),
      client.getPrompts(),
      client.me(),
      client.listConversations(),
      client.getPrompts(),
    ]);
    expect(results).to.have.length(5);
    expect(server.requestsTo('/api/auth/refresh', 'POST')).to.have.length(1);
    const unauthorized = server.requests.filter((r) => r.status === 401);
    expect(unauthorized).to.have.length(5);
    const newToken = `Bearer ${credentials.get()!.token}`;
    const retried = server.requests.filter((r) => r.status === 200 && r.path !== '/api/auth/refresh');
    expect(retried).to.have.length(5);
    for (const r of retried) expect(r.authorization).to.equal(newToken);
  });

  it('logs in, stores the session and reads the user', async () => {
    const server = await startServer();
    const credentials = memoryCredentials();
    const client = makeClient(server, { credentials, username: null });
    expect(client.isAuthenticated()).to.equal(false);
    const user = await client.login('alice', 'alice123');
    expect(user).to.deep.equal({ id: '1', username: 'alice', display_name: 'Alice' });
    expect(credentials.get()!.username).to.equal('alice');
    expect(client.isAuthenticated()).to.equal(true);
  });

  it('rejects a wrong password with an AuthError carrying status and code', async () => {
    const server = await startServer();
    const client = makeClient(server, { username: null });
    const error = await client.login('alice', 'nope').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AuthError);
    expect((error as AuthError).status).to.equal(401);
    expect((error as AuthError).code).to.equal('authentication_failed');
    expect((error as AuthError).request).to.deep.equal({ method: 'POST', url: `${server.url}/api/auth/login` });
  });

  it('emits auth-expired once when the refresh fails and stops retrying', async () => {
    const server = await startServer();
    const client = makeClient(server);
    server.expireAccessTokens();
    server.revokeRefreshTokens();
    const expired = nextEvent(client, 'auth-expired');
    const first = await client.getPrompts().then(
      () => null,
      (e: unknown) => e,
    );
    expect(first).to.be.instanceOf(AuthError);
    expect(await expired).to.deep.equal({ reason: 'refresh-failed' });
    const before = server.requests.length;
    const second = await client.getPrompts().then(
      () => null,
      (e: unknown) => e,
    );
    expect(second).to.be.instanceOf(AuthError);
    expect(server.requests.length).to.equal(before);
    expect(server.requestsTo('/api/auth/refresh')).to.have.length(1);
    expect(client.isAuthenticated()).to.equal(false);
  });

  it('asks the host getToken() again once after a 401', async () => {
    const server = await startServer();
    const first = server.issueTokens('alice').token;
    server.expireAccessTokens();
    const second = server.issueTokens('alice').token;
    const tokens = [first, second];
    let calls = 0;
    const client = makeClient(server, { username: null, getToken: () => tokens[Math.min(calls++, 1)]! });
    const prompts = await client.getPrompts();
    expect(prompts).to.have.length(2);
    expect(server.requests.map((r) => r.status)).to.deep.equal([401, 200]);
  });
});

describe('auth timing', () => {
  afterEach(cleanup);

  it('refreshes shortly before the access token expires', async () => {
    const server = await startServer({ accessTtlSeconds: 3 });
    const credentials = memoryCredentials();
    credentials.set({ ...server.issueTokens('alice'), username: 'alice' });
    const before = credentials.get()!.token;
    makeClient(server, { credentials, timing: { refreshSkewMs: 2500 } });
    await server.waitForRequest((r) => r.path === '/api/auth/refresh');
    await until(() => credentials.get()!.token !== before, 'rotated token');
    expect(server.requestsTo('/api/auth/refresh')).to.have.length(1);
  });

  it('does not refresh in a loop when access tokens live shorter than the refresh skew (or this clock runs ahead)', async () => {
    const server = await startServer({ accessTtlSeconds: 2 });
    const credentials = memoryCredentials();
    const client = makeClient(server, { credentials, timing: { refreshSkewMs: 60_000 } });
    await server.waitForRequest((r) => r.path === '/api/auth/refresh');
    expect(await client.getPrompts()).to.have.length(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(server.requestsTo('/api/auth/refresh')).to.have.length(1);
    server.expireAccessTokens();
    expect(await client.getPrompts()).to.have.length(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requestsTo('/api/auth/refresh')).to.have.length(2);
  });

  it('two tabs sharing a session do not refresh each other in a loop when new tokens are already due', async () => {
    const server = await startServer({ accessTtlSeconds: 2 });
    // One stored session seen by two tabs: a write by one tab is announced to the other, as `storage` events do.
    let shared: Session | null = { ...server.issueTokens('alice'), username: 'alice' };
    const listeners = new Map<string, (s: Session | null) => void>();
    const tab = (name: string): CredentialStore => ({
      get: () => shared,
      set: (next) => {
        shared = next;
        for (const [other, listener] of listeners) if (other !== name) listener(next);
      },
      subscribe: (listener) => {
        listeners.set(name, listener);
        return () => listeners.delete(name);
      },
    });
    makeClient(server, { credentials: tab('a'), timing: { refreshSkewMs: 60_000 } });
    makeClient(server, { credentials: tab('b'), timing: { refreshSkewMs: 60_000 } });
    await server.waitForRequest((r) => r.path === '/api/auth/refresh');
    await new Promise((r) => setTimeout(r, 600));
    expect(server.requestsTo('/api/auth/refresh').length).to.be.at.most(2);
  });

  it('renews a token that says when it was issued at half its life when that is sooner than the skew', async () => {
    const server = await startServer();
    const credentials = memoryCredentials();
    const now = Math.floor(Date.now() / 1000);
    credentials.set({
      token: fakeJwt({ user_id: 1, token_type: 'access', iat: now, exp: now + 4 }),
      refresh: server.issueTokens('alice').refresh,
      username: 'alice',
    });
    makeClient(server, { credentials, timing: { refreshSkewMs: 60_000 } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(server.requestsTo('/api/auth/refresh')).to.have.length(0);
    await server.waitForRequest((r) => r.path === '/api/auth/refresh');
    expect(server.requestsTo('/api/auth/refresh')).to.have.length(1);
  });

  it('keeps a login whose renewal ahead of expiry is refused until the token itself is refused', async () => {
    const server = await startServer({ accessTtlSeconds: 3 });
    const credentials = memoryCredentials();
    credentials.set({ ...server.issueTokens('alice'), username: 'alice' });
    server.revokeRefreshTokens();
    const expired: unknown[] = [];
    const client = makeClient(server, { credentials, timing: { refreshSkewMs: 2500 } });
    client.on('auth-expired', (e) => expired.push(e));
    await server.waitForRequest((r) => r.path === '/api/auth/refresh' && r.status === 401);
    expect(await client.getPrompts()).to.have.length(2);
    expect(client.isAuthenticated()).to.equal(true);
    expect(expired).to.have.length(0);
    server.expireAccessTokens();
    await client.getPrompts().catch(() => undefined);
    expect(expired).to.have.length(1);
    expect(client.isAuthenticated()).to.equal(false);
  });

  it('takes a session signed in by another tab after its own expired', async () => {
    const server = await startServer();
    const key = `parley:test:${Date.now()}`;
    const credentials = localStorageCredentials(key);
    const client = makeClient(server, { credentials, username: null });
    try {
      await client.login('alice', 'alice123');
      server.expireAccessTokens();
      server.revokeRefreshTokens();
      await client.getPrompts().catch(() => undefined);
      expect(client.isAuthenticated()).to.equal(false);
      const session = { ...server.issueTokens('alice'), username: 'alice' };
      localStorage.setItem(key, JSON.stringify(session));
      window.dispatchEvent(new StorageEvent('storage', { key, newValue: JSON.stringify(session) }));
      expect(client.isAuthenticated()).to.equal(true);
      expect(await client.getPrompts()).to.have.length(2);
    } finally {
      localStorage.removeItem(key);
    }
  });
});
