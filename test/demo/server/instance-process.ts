/**
 * One reference server instance in a process of its own, so a test can SIGKILL it for real and
 * start it again on the same port. Configured by the environment: PORT, PARLEY_DATA_DIR,
 * DATABASE_URL, REDIS_URL, JWT_SECRET, PRESENCE_TTL_MS, BOT_DELAY_MS, BOT_WORDS_PER_SEC, BOT_STALE_MS.
 * Prints "listening <url>".
 */
import { createServer } from '../../../demo/server/app.js';

const env = process.env;
const server = await createServer({
  port: Number(env.PORT ?? 0),
  dataDir: env.PARLEY_DATA_DIR!,
  databaseUrl: env.DATABASE_URL || undefined,
  redisUrl: env.REDIS_URL || undefined,
  jwtSecret: env.JWT_SECRET,
  presenceTtlMs: env.PRESENCE_TTL_MS ? Number(env.PRESENCE_TTL_MS) : undefined,
  botDelayMs: Number(env.BOT_DELAY_MS ?? 20),
  botWordsPerSecond: env.BOT_WORDS_PER_SEC ? Number(env.BOT_WORDS_PER_SEC) : undefined,
  botStaleMs: env.BOT_STALE_MS ? Number(env.BOT_STALE_MS) : undefined,
  botRecoveryEveryMs: env.BOT_STALE_MS ? Number(env.BOT_STALE_MS) / 2 : undefined,
  logLevel: env.LOG_LEVEL ?? 'silent',
  rateLimits: { writes: 10_000 },
});
process.stdout.write(`listening ${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
