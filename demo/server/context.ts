/**
 * The parts of a running server, handed to the routes and the socket layer.
 */
import type { BotRunner } from './bot/bot-runner.js';
import type { ChatService } from './chat-service.js';
import type { TokenService } from './auth/tokens.js';
import type { LimitStore } from './limits/limit-store.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { RateLimitOptions, ServerOptions } from './options.js';
import type { Fanout } from './realtime/fanout.js';
import type { Hub } from './realtime/hub.js';
import type { Store } from 'express-rate-limit';
import type { ChatStorage } from './storage/storage.js';
import type { UploadStore } from './storage/upload-store.js';

export interface AppContext {
  options: ServerOptions;
  limits: Required<RateLimitOptions>;
  /** Where the per-user write budgets and socket counts live (in Redis when there is one). */
  limiter: LimitStore;
  storage: ChatStorage;
  tokens: TokenService;
  chat: ChatService;
  bot: BotRunner;
  hub: Hub;
  fanout: Fanout;
  metrics: Metrics;
  log: Logger;
  /** Where uploads are received (`<dataDir>/uploads`; on SQLite also where they are kept). */
  uploadsDir: string;
  /** The bytes of uploads: files on SQLite, rows on PostgreSQL. */
  uploads: UploadStore;
  /**
   * For the failed-login limiter (express-rate-limit, which counts failures only): with Redis, a
   * store shared by every instance (keys prefixed with `name`); without, undefined (in memory).
   * Writes, refreshes and sockets are limited through `limiter`.
   */
  limitStore: ((name: string) => Store) | undefined;
  /** Allowed origins; '*' allows any. */
  origins: string[] | '*';
}
