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
import type { ChatStorage } from './storage/storage.js';

export interface AppContext {
  options: ServerOptions;
  limits: Required<RateLimitOptions>;
  /** Where the per-user write budgets and socket counts live. */
  limiter: LimitStore;
  storage: ChatStorage;
  tokens: TokenService;
  chat: ChatService;
  bot: BotRunner;
  hub: Hub;
  fanout: Fanout;
  metrics: Metrics;
  log: Logger;
  /** Where uploads are stored (`<dataDir>/uploads`). */
  uploadsDir: string;
  /** Allowed origins; '*' allows any. */
  origins: string[] | '*';
}
