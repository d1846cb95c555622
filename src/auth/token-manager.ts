/**
 * The access token: where it comes from (a fixed token, the host's `getToken()`, or a built-in
 * login), one refresh in flight shared by every caller, a refresh shortly before `exp`, and
 * `auth-expired` once when it cannot be renewed (after which nothing retries).
 */
import { AuthError, isPermanentStatus, ParleyError } from '../errors.js';
import type { AuthExpired } from '../events.js';
import type { RefreshResponse } from '../types.js';
import type { Logger } from '../util/log.js';
import type { CredentialStore, Session } from './credentials.js';

export interface TokenManagerOptions {
  token?: string;
  getToken?: () => string | null | Promise<string | null>;
  credentials: CredentialStore;
  /** Refresh this long before `exp`. */
  refreshSkewMs: number;
  /** Calls `POST /api/auth/refresh` (without bearer). */
  callRefresh: (refresh: string) => Promise<RefreshResponse>;
  onExpired: (reason: AuthExpired['reason']) => void;
  log: Logger;
}

/** The numeric claims of a JWT (seconds since the epoch), or null when it is not a JWT. */
function timeClaims(token: string): { exp: number | null; iat: number | null } | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const { exp, iat } = JSON.parse(json) as { exp?: unknown; iat?: unknown };
    return { exp: typeof exp === 'number' ? exp : null, iat: typeof iat === 'number' ? iat : null };
  } catch {
    return null;
  }
}

/** Whether `token` has not passed its `exp` (a token without one is taken as unexpired). */
function unexpired(token: string): boolean {
  const exp = timeClaims(token)?.exp;
  return exp === null || exp === undefined || exp * 1000 > Date.now();
}

export class TokenManager {
  #options: TokenManagerOptions;
  #inflight: Promise<string> | null = null;
  #expired = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: () => void;
  /**
   * A token that was already due for renewal when a refresh handed it over (a lifetime shorter
   * than the skew, or this clock ahead of the server's): it is not renewed ahead of time again,
   * or every renewal would start the next one at once. A 401 still renews it.
   */
  #noEarlyRefresh: string | null = null;

  constructor(options: TokenManagerOptions) {
    this.#options = options;
    this.#schedule();
    // Another tab signed in again or refreshed: take its session and its schedule.
    this.#unsubscribe =
      options.credentials.subscribe?.((session) => {
        if (session) this.#expired = false;
        // A token another tab just got is as fresh as it gets: if it is due already, renewing it
        // here would only make that tab renew ours, and so on.
        if (session && this.#refreshAt(session.token) <= Date.now()) this.#noEarlyRefresh = session.token;
        this.#schedule();
      }) ?? (() => {});
  }

  /** Whether a token source exists and has not expired for good. */
  get usable(): boolean {
    return !this.#expired && !!(this.#options.token || this.#options.getToken || this.#options.credentials.get());
  }

  /** The built-in login's session, if any. */
  get session(): Session | null {
    return this.#options.credentials.get();
  }

  get username(): string | null {
    return this.#options.credentials.get()?.username ?? null;
  }

  /** The token to send now, refreshing first when it is about to expire. Throws once expired. */
  async token(): Promise<string | null> {
    if (this.#expired) throw new AuthError('Authentication expired: sign in again', { code: 'auth_expired' });
    if (this.#options.token) return this.#options.token;
    const session = this.#options.credentials.get();
    if (session) {
      return this.#refreshAt(session.token) <= Date.now() ? this.#renewAhead(session.token) : session.token;
    }
    if (this.#options.getToken) return this.#options.getToken();
    return null;
  }

  /**
   * Renews the token after `failedToken` was refused. Concurrent callers share one refresh; a
   * caller whose token was already replaced gets the new one at once.
   */
  refresh(failedToken: string | null): Promise<string> {
    return this.#renew(failedToken, false);
  }

  #renew(failedToken: string | null, ahead: boolean): Promise<string> {
    if (this.#expired)
      return Promise.reject(new AuthError('Authentication expired: sign in again', { code: 'auth_expired' }));
    if (this.#inflight) return this.#inflight;
    const current = this.#options.credentials.get()?.token ?? null;
    if (failedToken && current && current !== failedToken) return Promise.resolve(current);
    this.#inflight = this.#refresh(failedToken, ahead).finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  /** Stores a new login and schedules its refresh. */
  setSession(session: Session | null): void {
    if (session) this.#expired = false;
    this.#options.credentials.set(session);
    this.#schedule();
  }

  /** Forgets the login and stops the refresh timer. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#options.credentials.set(null);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }

  /**
   * Renews `token` before it expires. A refusal then (a seed backend has no refresh endpoint, a
   * refresh token revoked elsewhere) does not end a login whose token still works: that token is
   * used until the server refuses it, and only a refresh after that refusal ends the session.
   */
  async #renewAhead(token: string): Promise<string> {
    try {
      return await this.#renew(token, true);
    } catch (error) {
      if (this.#expired || !unexpired(token)) throw error;
      return token;
    }
  }

  async #refresh(failedToken: string | null, ahead: boolean): Promise<string> {
    const { log } = this.#options;
    const session = this.#options.credentials.get();
    if (session) {
      log('refresh');
      try {
        const answer = await this.#options.callRefresh(session.refresh);
        if (this.#refreshAt(answer.token) <= Date.now()) {
          log('refresh', 'the new token is already due: no early refresh for it');
          this.#noEarlyRefresh = answer.token;
        }
        this.setSession({ token: answer.token, refresh: answer.refresh, username: session.username });
        return answer.token;
      } catch (error) {
        const status = error instanceof ParleyError ? error.status : undefined;
        if (isPermanentStatus(status)) {
          if (ahead && unexpired(session.token)) {
            log('refresh', 'refused ahead of expiry: the token is used until the server refuses it');
            this.#noEarlyRefresh = session.token;
            throw error;
          }
          throw this.#expire('refresh-failed', error);
        }
        throw error;
      }
    }
    if (this.#options.getToken) {
      const next = await this.#options.getToken();
      if (next && next !== failedToken) return next;
      throw this.#expire('refresh-failed');
    }
    throw this.#expire(this.#options.token ? 'refresh-failed' : 'no-credentials');
  }

  #expire(reason: AuthExpired['reason'], cause?: unknown): AuthError {
    if (!this.#expired) {
      this.#expired = true;
      clearTimeout(this.#timer);
      this.#options.credentials.set(null);
      this.#options.log('auth-expired', reason);
      this.#options.onExpired(reason);
    }
    return new AuthError('Authentication expired: the token could not be renewed', {
      code: 'auth_expired',
      cause,
      status: 401,
    });
  }

  /** Marks the login dead (a socket refused twice, for instance). */
  expire(reason: AuthExpired['reason']): AuthError {
    return this.#expire(reason);
  }

  /**
   * When to renew `token` ahead of its `exp` (ms since the epoch; Infinity for never): the skew
   * before `exp`, but at most half the token's lifetime when it says when it was issued.
   */
  #refreshAt(token: string): number {
    const claims = timeClaims(token);
    if (!claims || claims.exp === null || token === this.#noEarlyRefresh) return Infinity;
    const lifetimeMs = claims.iat !== null ? (claims.exp - claims.iat) * 1000 : Infinity;
    return claims.exp * 1000 - Math.min(this.#options.refreshSkewMs, Math.max(0, lifetimeMs / 2));
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const session = this.#options.credentials.get();
    if (!session) return;
    const wait = Math.max(0, this.#refreshAt(session.token) - Date.now());
    if (wait > 2 ** 31 - 1) return;
    this.#timer = setTimeout(() => {
      this.#renewAhead(session.token).catch(() => undefined);
    }, wait);
  }
}
