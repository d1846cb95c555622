/**
 * The server's pino logger: one JSON object per line on stdout. Anything that could carry a
 * token (authorization headers, query strings, request bodies) is never passed to it.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    base: { service: 'parley' },
    redact: {
      paths: ['token', 'refresh', 'ticket', '*.token', '*.refresh', '*.authorization', 'password'],
      remove: true,
    },
  });
}
