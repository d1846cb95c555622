/**
 * The reference server in a process of its own for the streaming measure (`streaming.ts`), so
 * its CPU time can be read from /proc without the clients' share. Configured by the environment:
 * BENCH_DATA_DIR, BENCH_USERS (bench000...), BENCH_BOT_DELAY_MS, and the provider's speed:
 * BENCH_TOKENS_PER_SEC tokens a second, BENCH_TOKENS tokens per reply. Prints "listening <url>".
 */
import type { Bot, BotInput } from '../../demo/server/bot/bot.js';
import { sleep } from '../../demo/server/bot/bot.js';
import { createServer } from '../../demo/server/index.js';
import { BENCH_PASSWORD, BENCH_RATE_LIMITS } from './support.js';

const env = process.env;
const tokensPerSec = Number(env.BENCH_TOKENS_PER_SEC ?? 150);
const tokens = Number(env.BENCH_TOKENS ?? 450);

/** A provider writing `tokens` tokens (a word and a space each) at `tokensPerSec`, on schedule. */
class PacedBot implements Bot {
  async *reply({ signal }: BotInput): AsyncIterable<string> {
    const start = Date.now();
    for (let i = 0; i < tokens; i++) {
      const due = start + (i * 1000) / tokensPerSec - Date.now();
      if (due > 0) await sleep(due, signal);
      yield `tok${i % 10} `;
    }
  }
}

const server = await createServer({
  port: 0,
  host: '127.0.0.1',
  dataDir: env.BENCH_DATA_DIR!,
  jwtSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
  demoUsers: false,
  users: Array.from({ length: Number(env.BENCH_USERS ?? 1) }, (_, i) => ({
    username: `bench${String(i).padStart(3, '0')}`,
    password: BENCH_PASSWORD,
  })),
  botDelayMs: Number(env.BENCH_BOT_DELAY_MS ?? 0),
  bot: new PacedBot(),
  rateLimits: BENCH_RATE_LIMITS,
  logLevel: 'silent',
});
process.stdout.write(`listening ${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
