/** Auth endpoints (PROTOCOL §1). */
import type { LoginResponse, RefreshResponse, User } from '../types.js';
import type { Http } from './http.js';
import { toUser } from './normalize.js';

/** `POST /api/auth/login`: `{token, refresh, username}`. */
export function login(http: Http, username: string, password: string): Promise<LoginResponse> {
  return http.request<LoginResponse>('POST', '/api/auth/login', { json: { username, password }, auth: false });
}

/** `POST /api/auth/refresh`: rotates the refresh token. */
export function refresh(http: Http, refreshToken: string): Promise<RefreshResponse> {
  return http.request<RefreshResponse>('POST', '/api/auth/refresh', { json: { refresh: refreshToken }, auth: false });
}

/** `GET /api/auth/me`. */
export async function me(http: Http): Promise<User> {
  return toUser(await http.request<unknown>('GET', '/api/auth/me'));
}

/** `POST /api/auth/logout`: revokes the refresh token (no auth needed). */
export async function logout(http: Http, refreshToken?: string): Promise<void> {
  await http.request<void>('POST', '/api/auth/logout', {
    json: refreshToken ? { refresh: refreshToken } : {},
    auth: false,
  });
}
