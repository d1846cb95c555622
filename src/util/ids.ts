/** Id helpers: client ids for sends, and normalising a seed backend's integer ids to strings. */
import type { Id } from '../types.js';

/** A random UUID v4, used as `client_id`. */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A wire id (string, or a seed's integer) as the decimal string the client uses everywhere. */
export function toId(value: unknown): Id {
  return typeof value === 'number' ? String(Math.trunc(value)) : String(value ?? '');
}

/** Same, keeping null/undefined as null. */
export function toIdOrNull(value: unknown): Id | null {
  return value === null || value === undefined ? null : toId(value);
}

/** Compares two decimal id strings numerically. */
export function compareIds(a: Id, b: Id): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
