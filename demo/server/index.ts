/**
 * The reference server's public entry: `createServer` and its types.
 */
export { createServer, type ParleyServer, type ServerOptions } from './app.js';
export type { RateLimitOptions } from './options.js';
export type { Bot, BotInput } from './bot/bot.js';
export type { ChatStorage } from './storage/storage.js';
