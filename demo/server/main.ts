/**
 * `npm start`: the reference server on PORT (default 8000) with its data in PARLEY_DATA_DIR
 * (default ./data). Environment: DATABASE_URL (postgres://...; unset: SQLite in the data dir),
 * JWT_SECRET, REDIS_URL, ALLOWED_ORIGINS (comma list),
 * LOG_LEVEL, PARLEY_DEMO_USERS=0, and the bot: BOT_PROVIDER (rules | openai), LLM_BASE_URL,
 * LLM_API_KEY, LLM_MODEL, BOT_SYSTEM_PROMPT, LLM_TIMEOUT_MS (see `bot/providers.ts`).
 * SIGTERM/SIGINT shut down gracefully.
 */
import { resolve } from 'node:path';
import { createServer } from './app.js';
import { botFromEnv, botTimeoutFromEnv, describeBot } from './bot/providers.js';
import { DEMO_USERS } from './options.js';

const env = process.env;
const origins = env.ALLOWED_ORIGINS?.split(',')
  .map((o) => o.trim())
  .filter(Boolean);

const server = await createServer({
  port: Number(env.PORT ?? 8000),
  host: env.HOST ?? '0.0.0.0',
  dataDir: resolve(env.PARLEY_DATA_DIR ?? './data'),
  databaseUrl: env.DATABASE_URL || undefined,
  jwtSecret: env.JWT_SECRET || undefined,
  redisUrl: env.REDIS_URL || undefined,
  allowedOrigins: origins?.length ? origins : '*',
  demoUsers: env.PARLEY_DEMO_USERS !== '0',
  logLevel: env.LOG_LEVEL ?? 'info',
  bot: botFromEnv(env),
  botTimeoutMs: botTimeoutFromEnv(env),
});

const publicUrl = `http://localhost:${server.port}`;
const demo = env.PARLEY_DEMO_USERS === '0' ? [] : DEMO_USERS;
console.log(
  [
    '',
    `Parley reference server: ${publicUrl}`,
    `  chat test page: ${publicUrl}/chat-test`,
    `  API:            ${publicUrl}/api/  ·  socket: ws://localhost:${server.port}/ws/chat/<id>/`,
    `  bot:            ${describeBot(env)}`,
    ...(demo.length ? ['  demo accounts:  ' + demo.map((u) => `${u.username} / ${u.password}`).join(', ')] : []),
    '',
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
