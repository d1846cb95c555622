/**
 * Picks the bot of `npm start` from the environment (PROTOCOL §7; the seed's own setting names):
 *
 * - `BOT_PROVIDER=rules` (the default): the rule-based bot, typing about 40 words a second.
 * - `BOT_PROVIDER=openai`: an OpenAI-compatible chat-completions endpoint: `LLM_BASE_URL`
 *   (default `https://api.openai.com/v1`; e.g. `http://127.0.0.1:11434/v1` for Ollama),
 *   `LLM_API_KEY`, `LLM_MODEL` (required), optional `BOT_SYSTEM_PROMPT`. `LLM_TIMEOUT_MS`
 *   (default 30 000) fails a reply when the endpoint sends nothing for that long.
 *
 * Anything else stops the start with a clear error rather than answering with the wrong bot.
 */
import { RuleBot, type Bot } from './bot.js';
import { OpenAiBot } from './openai-bot.js';

export const BOT_PROVIDERS = ['rules', 'openai'] as const;

/** The bot `env` asks for; throws an `Error` naming the setting that is wrong or missing. */
export function botFromEnv(env: Record<string, string | undefined>): Bot {
  const provider = (env.BOT_PROVIDER || 'rules').trim().toLowerCase();
  if (provider === 'rules') return new RuleBot();
  if (provider === 'openai') {
    const model = env.LLM_MODEL?.trim();
    if (!model) throw new Error('BOT_PROVIDER=openai needs LLM_MODEL (the model name the endpoint serves)');
    return new OpenAiBot({
      baseURL: env.LLM_BASE_URL?.trim() || undefined,
      apiKey: env.LLM_API_KEY?.trim() || undefined,
      model,
      systemPrompt: env.BOT_SYSTEM_PROMPT?.trim() || undefined,
    });
  }
  throw new Error(`BOT_PROVIDER must be one of ${BOT_PROVIDERS.join(', ')} (got "${provider}")`);
}

/** `LLM_TIMEOUT_MS` in ms (undefined: the default); throws on anything but a positive number. */
export function botTimeoutFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.LLM_TIMEOUT_MS?.trim();
  if (!raw) return undefined;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`LLM_TIMEOUT_MS must be a positive number of ms (got "${raw}")`);
  return ms;
}

/** One line for the start-up banner: which bot answers. */
export function describeBot(env: Record<string, string | undefined>): string {
  const provider = (env.BOT_PROVIDER || 'rules').trim().toLowerCase();
  if (provider !== 'openai') return 'rule-based (BOT_PROVIDER=rules)';
  return `${env.LLM_MODEL?.trim()} at ${env.LLM_BASE_URL?.trim() || 'https://api.openai.com/v1'} (BOT_PROVIDER=openai)`;
}
