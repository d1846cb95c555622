/**
 * Options of `createServer` and their defaults (see docs/CONTRACT.md).
 */
import type { Bot } from './bot/bot.js';
import type { LimitStore } from './limits/limit-store.js';

/** Limits a load test may loosen. Windows in ms. */
export interface RateLimitOptions {
  /** Failed logins allowed per username and IP within `loginWindowMs` (default 10 per 15 min). */
  loginFailures?: number;
  loginWindowMs?: number;
  /**
   * Writes per user within `writeWindowMs`, one budget for REST writes and the `message`,
   * `typing`, `read` and `sync` frames of every socket of the user (default 150 per 15 s, refilled
   * steadily: a 50-message burst passes).
   */
  writes?: number;
  writeWindowMs?: number;
  /**
   * Any frame, per socket: a flood guard that refuses frames before they cost anything (default a
   * burst of 120, refilled at 20 per second). Writes are limited per user on top of it.
   */
  socketBurst?: number;
  socketRefillPerSec?: number;
  /** Refused frames within `strikeWindowMs` that close the socket with 1008 (default 50 in 10 s). */
  socketStrikes?: number;
  strikeWindowMs?: number;
  /** Sockets one user may hold open at once (default 20; the next is closed with 1013). */
  socketsPerUser?: number;
  /** `/api/auth/refresh` calls per client IP within `refreshWindowMs` (default 60 per minute). */
  refreshes?: number;
  refreshWindowMs?: number;
}

export interface ServerOptions {
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1; main.ts listens on 0.0.0.0. */
  host?: string;
  /** Holds `parley.db`, `uploads/` and a generated `jwt-secret`. */
  dataDir: string;
  /**
   * `postgres://...`: keep everything (uploads included) in PostgreSQL, so several instances with
   * their own `dataDir`s serve one chat. Unset: the embedded SQLite file `<dataDir>/parley.db`.
   */
  databaseUrl?: string;
  jwtSecret?: string;
  redisUrl?: string;
  /** With Redis: how soon the sockets of a crashed instance stop counting for presence (default 20 s). */
  presenceTtlMs?: number;
  /** CORS and socket Origin allow-list; default any origin ('*'). */
  allowedOrigins?: string[] | '*';
  /** Create alice/bob/carol on an empty database (default true). */
  demoUsers?: boolean;
  /** Extra users to create when missing (tests, load, bench). */
  users?: { username: string; password: string; display_name?: string }[];
  /** How long the bot "types" before answering (default 400 ms). */
  botDelayMs?: number;
  /** Display name of the bot's messages (default "Bot"). */
  botName?: string;
  /**
   * Writes the replies (default: the rule-based bot typing `botWordsPerSecond` words a second;
   * `npm start` picks one by `BOT_PROVIDER`, see `bot/providers.ts`).
   */
  bot?: Bot;
  /** How fast the default rule-based bot types (default 40 words a second). */
  botWordsPerSecond?: number;
  /** A bot provider that sends nothing for this long fails the reply (default 30 000 ms). */
  botTimeoutMs?: number;
  /**
   * A streaming reply not stored for this long has lost its writer (a crash) and is finished by
   * this instance (default 5000 ms); looked for every `botRecoveryEveryMs` (default 2000 ms).
   */
  botStaleMs?: number;
  botRecoveryEveryMs?: number;
  rateLimits?: RateLimitOptions;
  /**
   * Where the per-user limits are counted (default: in Redis with `redisUrl`, so every instance
   * shares them, else in this process; see `limits/limit-store.ts`); the server closes it at shutdown.
   */
  limiter?: LimitStore;
  /** pino level; 'silent' in tests (default 'info'). */
  logLevel?: string;
  /** WebSocket-level ping interval (default 30 000 ms). */
  heartbeatMs?: number;
  /** Unattached uploads older than this are deleted (default 24 h), checked every `uploadSweepMs` (default 1 h). */
  uploadMaxAgeMs?: number;
  uploadSweepMs?: number;
  /** Express `trust proxy` setting (default 'loopback': a local nginx may forward client IPs). */
  trustProxy?: boolean | string | number;
}

export const DEMO_USERS = [
  { username: 'alice', password: 'alice123', display_name: 'Alice' },
  { username: 'bob', password: 'bob123', display_name: 'Bob' },
  { username: 'carol', password: 'carol123', display_name: 'Carol' },
];

/** The rate limits with every default filled in. */
export function rateLimitsWithDefaults(r: RateLimitOptions = {}): Required<RateLimitOptions> {
  return {
    loginFailures: r.loginFailures ?? 10,
    loginWindowMs: r.loginWindowMs ?? 15 * 60_000,
    writes: r.writes ?? 150,
    writeWindowMs: r.writeWindowMs ?? 15_000,
    socketBurst: r.socketBurst ?? 120,
    socketRefillPerSec: r.socketRefillPerSec ?? 20,
    socketStrikes: r.socketStrikes ?? 50,
    strikeWindowMs: r.strikeWindowMs ?? 10_000,
    socketsPerUser: r.socketsPerUser ?? 20,
    refreshes: r.refreshes ?? 60,
    refreshWindowMs: r.refreshWindowMs ?? 60_000,
  };
}
