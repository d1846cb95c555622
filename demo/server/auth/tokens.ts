/**
 * JWTs (HS256, jose): 15-minute access tokens and 7-day refresh tokens that rotate. A rotated
 * refresh token keeps working for a 30 s grace (two tabs refreshing at once); used after that it
 * revokes its whole login family (also once its row is pruned, past the grace). Tokens from another system with the same secret are accepted
 * when their `user_id`/`sub` names an existing user.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { ChatStorage, UserRecord } from '../storage/storage.js';
import type { Logger } from '../logger.js';
import { isDigitId } from '../http/errors.js';

export const ACCESS_TTL_S = 15 * 60;
export const REFRESH_TTL_S = 7 * 24 * 3600;
export const REFRESH_GRACE_MS = 30_000;
/** How long a verified access token is answered from memory. */
const VERIFIED_TTL_MS = 60_000;
/** Verified tokens remembered at most; the memory starts over beyond. */
const MAX_VERIFIED = 10_000;

/** Why a token was refused; routes map it to 401 `token_not_valid`. */
export class TokenError extends Error {}

/**
 * The secret from the option/`JWT_SECRET`, else one generated once: into `shared` when given (the
 * PostgreSQL store keeps it in the database, so every instance signs alike), or the data folder.
 */
export async function loadSecret(
  dataDir: string,
  given: string | undefined,
  log: Logger,
  shared?: (candidate: string) => Promise<string>,
): Promise<Uint8Array> {
  if (given) return new TextEncoder().encode(given);
  if (shared) {
    log.warn('JWT_SECRET is not set: using a secret generated into the database; set JWT_SECRET in production');
    return new TextEncoder().encode(await shared(randomBytes(48).toString('base64url')));
  }
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    log.warn({ file }, 'JWT_SECRET is not set: generated a secret into the data folder; set JWT_SECRET in production');
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export class TokenService {
  constructor(
    private readonly secret: Uint8Array,
    private readonly storage: ChatStorage,
  ) {}

  private sign(claims: JWTPayload, ttl: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(this.secret);
  }

  /** A fresh access + refresh pair; `family` groups the refresh tokens of one login. */
  async issue(user: UserRecord, family: string = randomUUID()): Promise<{ token: string; refresh: string }> {
    const jti = randomUUID();
    const base = { user_id: user.id, sub: user.id, username: user.username };
    const token = await this.sign({ ...base, token_type: 'access', jti: randomUUID() }, ACCESS_TTL_S);
    const refresh = await this.sign({ ...base, token_type: 'refresh', jti, fam: family }, REFRESH_TTL_S);
    await this.storage.saveRefreshToken({
      jti,
      family,
      user_id: user.id,
      expires_at: Date.now() + REFRESH_TTL_S * 1000,
    });
    return { token, refresh };
  }

  private async verify(token: string): Promise<JWTPayload> {
    try {
      // A token without exp would never expire: refused, whoever minted it.
      return (await jwtVerify(token, this.secret, { algorithms: ['HS256'], requiredClaims: ['exp'] })).payload;
    } catch {
      throw new TokenError('bad or expired token');
    }
  }

  /**
   * The user an access token names; throws `TokenError` for refresh tokens and unknown users.
   * A token already verified is answered from memory (its signature checked and its user looked
   * up once, not on every request), for at most `VERIFIED_TTL_MS` and never past its expiry.
   */
  async userFromAccess(token: string): Promise<UserRecord> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && known.until > now) return known.user;
    const p = await this.verify(token);
    if (p.token_type !== undefined && p.token_type !== 'access') throw new TokenError('not an access token');
    const ref = p.user_id ?? p.sub;
    let user: UserRecord | null = null;
    if (typeof ref === 'number' || isDigitId(ref)) user = await this.storage.findUserById(String(ref));
    else if (typeof ref === 'string') user = await this.storage.findUserByUsername(ref);
    if (!user) throw new TokenError('unknown user');
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(token, { user, until: Math.min(now + VERIFIED_TTL_MS, (p.exp ?? 0) * 1000) });
    return user;
  }
  private readonly verified = new Map<string, { user: UserRecord; until: number }>();

  /** Rotates a refresh token (with grace and reuse detection) into a new pair. */
  async rotate(refresh: string): Promise<{ token: string; refresh: string }> {
    const p = await this.verify(refresh);
    if (p.token_type !== 'refresh' || typeof p.jti !== 'string') throw new TokenError('not a refresh token');
    const at = Date.now();
    // One row per refresh would pile up for a week per session: each refresh deletes the dead
    // ones (expired, or rotated past the grace), through two indexes.
    await this.storage.pruneRefreshTokens(at, at - REFRESH_GRACE_MS);
    const rec = await this.storage.getRefreshToken(p.jti);
    if (!rec) {
      // Rows rotated past their grace are pruned: a pruned token of a live login is a reuse.
      if (typeof p.fam === 'string' && (await this.storage.refreshFamilyExists(p.fam)))
        await this.storage.revokeFamily(p.fam);
      throw new TokenError('unknown or reused refresh token');
    }
    if (rec.revoked) throw new TokenError('revoked');
    const rotatedAt = await this.storage.markRotated(rec.jti, at);
    if (rotatedAt !== at && at - rotatedAt > REFRESH_GRACE_MS) {
      await this.storage.revokeFamily(rec.family);
      throw new TokenError('refresh token reused after its grace period');
    }
    const user = await this.storage.findUserById(rec.user_id);
    if (!user) throw new TokenError('unknown user');
    return this.issue(user, rec.family);
  }

  /** Revokes one refresh token; anything unreadable is ignored (logout always succeeds). */
  async revoke(refresh: unknown): Promise<void> {
    if (typeof refresh !== 'string') return;
    try {
      const p = await this.verify(refresh);
      if (typeof p.jti === 'string') await this.storage.revokeRefreshToken(p.jti);
    } catch {
      /* nothing to revoke */
    }
  }
}
