/**
 * `createServer`: the Parley reference server as a factory. It opens the database in `dataDir`,
 * seeds demo users and prompts, wires the REST API, the chat socket, the bot and the fan-out
 * (Redis when `redisUrl` is given), and listens. Tests start it on port 0.
 *
 * @example
 * const server = await createServer({ port: 0, dataDir: tmp, logLevel: 'silent', botDelayMs: 0 });
 * await fetch(`${server.url}/healthz`);
 * await server.close();
 */
import { createServer as createHttpServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { AppContext } from './context.js';
import { hashPassword } from './auth/passwords.js';
import { requireAuth } from './auth/require-auth.js';
import { TokenService, loadSecret } from './auth/tokens.js';
import { RuleBot } from './bot/bot.js';
import { BotRunner } from './bot/bot-runner.js';
import { ReplyRecovery } from './bot/reply-recovery.js';
import { ChatService } from './chat-service.js';
import { notFound, objectBodies } from './http/errors.js';
import { writeLimiter } from './http/rate-limit.js';
import { cors, errorHandler, requestLog, securityHeaders } from './http/security.js';
import { MemoryLimitStore } from './limits/memory-limit-store.js';
import { RedisLimitStore } from './limits/redis-limit-store.js';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { DEMO_USERS, rateLimitsWithDefaults, type ServerOptions } from './options.js';
import { DeliveryMarks } from './realtime/delivery-marks.js';
import { LocalFanout, type Fanout } from './realtime/fanout.js';
import { Hub } from './realtime/hub.js';
import { catchUpFromDatabase } from './realtime/catch-up.js';
import { RedisFanout } from './realtime/redis-fanout.js';
import { redisLimitStore } from './http/rate-limit-store.js';
import { attachSocketServer } from './realtime/socket-server.js';
import { apiDocsRoutes } from './routes/api-docs-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { botRoutes } from './routes/bot-routes.js';
import { conversationRoutes } from './routes/conversation-routes.js';
import { messageRoutes } from './routes/message-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { realtimeRoutes } from './routes/realtime-routes.js';
import { staticRoutes } from './routes/static-routes.js';
import { prepareUploadDirs, serveUploads, sweepUploads, uploadRoutes } from './routes/upload-routes.js';
import { openStorage } from './storage/open-storage.js';
import type { ChatStorage } from './storage/storage.js';

export type { ServerOptions } from './options.js';

/** A running server. */
export interface ParleyServer {
  /** `http://<host>:<port>` */
  url: string;
  port: number;
  /** The demo users seeded on an empty database (empty when none were). */
  demoUsers: { username: string; password: string }[];
  /** For tests and tools: the parts of the server. */
  context: AppContext;
  /** Graceful: sockets closed with 1012, in-flight requests and bot replies finished, database closed. */
  close(): Promise<void>;
}

async function seedUsers(storage: ChatStorage, options: ServerOptions, log: Logger) {
  const demo = options.demoUsers !== false && (await storage.countUsers()) === 0 ? DEMO_USERS : [];
  const known = await Promise.all((options.users ?? []).map((u) => storage.findUserByUsername(u.username)));
  const extra = (options.users ?? []).filter((_u, i) => !known[i]);
  // Hash in parallel (libuv's pool): a bench may seed hundreds of users.
  const all = [...demo, ...extra];
  const hashes = await Promise.all(all.map((u) => hashPassword(u.password)));
  for (const [i, u] of all.entries())
    await storage.createUser({
      username: u.username,
      passwordHash: hashes[i]!,
      displayName: u.display_name ?? u.username,
    });
  if (demo.length) log.info({ users: demo.map((u) => u.username) }, 'created the demo users on an empty database');
  return demo.map(({ username, password }) => ({ username, password }));
}

export async function createServer(options: ServerOptions): Promise<ParleyServer> {
  const log = createLogger(options.logLevel ?? 'info');
  mkdirSync(options.dataDir, { recursive: true });
  const uploadsDir = join(options.dataDir, 'uploads');
  await prepareUploadDirs(uploadsDir);
  const botName = options.botName ?? 'Bot';
  const { storage, uploads, engine, sharedSecret } = await openStorage({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    uploadsDir,
    botName,
  });
  const metrics = new Metrics();
  // A closed database during shutdown is the only expected failure: skip the marks, log it.
  const deliveryMarks = new DeliveryMarks(
    (marks) => storage.markDelivered(marks),
    (err) => log.debug({ err: err.message }, 'delivery marks skipped'),
  );
  const hub = new Hub(metrics, (c, u, seq) => deliveryMarks.note(c, u, seq));
  let fanout: Fanout;
  try {
    fanout = options.redisUrl
      ? await RedisFanout.connect(options.redisUrl, hub, log, {
          presenceTtlMs: options.presenceTtlMs,
          onPresenceLost: (conversationId, userId) =>
            void storage.findUserById(userId).then((u) => {
              if (!u) return;
              fanout.publish({ conversationId, frame: { type: 'user_left', user_id: u.id, username: u.username } });
            }),
          onResume: () => catchUpFromDatabase(hub, storage, log),
        })
      : new LocalFanout(hub);
  } catch (err) {
    await storage.close();
    throw err;
  }
  // With Redis the per-user budgets and socket counts are shared by every instance.
  const limiter =
    options.limiter ??
    (fanout instanceof RedisFanout ? new RedisLimitStore(fanout.redis, fanout.origin, log) : new MemoryLimitStore());
  const origins = options.allowedOrigins ?? '*';
  if (origins === '*') log.warn('ALLOWED_ORIGINS is not set: any origin may use the API and the socket (demo default)');
  else log.info({ origins }, 'CORS and socket Origin allow-list');
  const tokens = new TokenService(await loadSecret(options.dataDir, options.jwtSecret, log, sharedSecret), storage);
  const chat = new ChatService(storage, fanout, metrics, hub.live);
  const bot = new BotRunner(
    options.bot ?? new RuleBot(options.botWordsPerSecond),
    storage,
    fanout,
    hub.live,
    metrics,
    log,
    { delayMs: options.botDelayMs ?? 400, idleTimeoutMs: options.botTimeoutMs },
  );
  chat.bot = bot;
  const recovery = new ReplyRecovery(bot, storage, log, {
    staleMs: options.botStaleMs,
    everyMs: options.botRecoveryEveryMs,
  });
  const ctx: AppContext = {
    options,
    limits: rateLimitsWithDefaults(options.rateLimits),
    limiter,
    storage,
    tokens,
    chat,
    bot,
    hub,
    fanout,
    metrics,
    log,
    uploadsDir,
    uploads,
    limitStore: fanout instanceof RedisFanout ? redisLimitStore(fanout.redis) : undefined,
    origins,
  };
  const demoUsers = await seedUsers(storage, options, log);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  app.use(requestLog(ctx), securityHeaders(), cors(origins));
  app.use(opsRoutes(ctx), apiDocsRoutes());
  app.use('/uploads', serveUploads(ctx));
  const api = express.Router();
  api.use(express.json({ limit: '64kb' }), objectBodies);
  api.use('/auth', authRoutes(ctx));
  api.use(requireAuth(tokens));
  const writes = writeLimiter(ctx);
  api.use(botRoutes(ctx, writes));
  api.use(
    '/chat',
    conversationRoutes(ctx, writes),
    messageRoutes(ctx, writes),
    realtimeRoutes(ctx, writes),
    uploadRoutes(ctx, writes),
  );
  app.use('/api', api);
  app.use(staticRoutes());
  app.use(() => {
    throw notFound();
  });
  app.use(errorHandler(ctx));

  const server = createHttpServer(app);
  const sockets = attachSocketServer(ctx, server);
  const sweepEvery = options.uploadSweepMs ?? 3600_000;
  const sweep = setInterval(
    () => void sweepUploads(ctx, options.uploadMaxAgeMs ?? 24 * 3600_000).catch(() => undefined),
    sweepEvery,
  );
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url, database: engine, redis: Boolean(options.redisUrl) }, 'parley server listening');
  await bot.resume();
  await recovery.start();

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    demoUsers,
    context: ctx,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        recovery.stop();
        // Stop accepting, close sockets (1012), let in-flight requests finish, then the bot.
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await sockets.close();
        const force = setTimeout(() => server.closeAllConnections(), 5000);
        await httpClosed;
        clearTimeout(force);
        await bot.flush();
        await fanout.close();
        await deliveryMarks.flush();
        await limiter.close();
        await storage.close();
        log.info('parley server closed');
      })();
      return closing;
    },
  };
}
