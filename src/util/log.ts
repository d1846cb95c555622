/**
 * Debug logging: silent unless `options.debug` is set or `localStorage.debug` contains `parley`
 * (or `websocket`, the seed's flag). Tokens, refresh tokens and tickets never reach the console.
 */

/** A logger bound to one part of the client (`auth`, `socket`, ...). */
export type Logger = (event: string, detail?: unknown) => void;

const SECRET_QUERY = /([?&](?:token|ticket)=)[^&\s"']+/gi;
const SECRET_JSON = /("(?:token|refresh|ticket|password)"\s*:\s*")[^"]*"/gi;
const BEARER = /(Bearer\s+)[\w.-]+/gi;

/** Replaces tokens, tickets and passwords in a string with `[redacted]`. */
export function redact(text: string): string {
  return text
    .replace(SECRET_QUERY, '$1[redacted]')
    .replace(SECRET_JSON, '$1[redacted]"')
    .replace(BEARER, '$1[redacted]');
}

function flagFromStorage(): boolean {
  try {
    const value = globalThis.localStorage?.getItem('debug') ?? '';
    return /parley|websocket/i.test(value);
  } catch {
    return false;
  }
}

/** Creates the logger factory; the flag is read at log time, so it can be switched on live. */
export function createLogger(debugOption: boolean | undefined): (scope: string) => Logger {
  return (scope) => (event, detail) => {
    if (!debugOption && !flagFromStorage()) return;
    let text = '';
    if (detail !== undefined) {
      try {
        text = typeof detail === 'string' ? detail : JSON.stringify(detail);
      } catch {
        text = String(detail);
      }
    }
    console.debug(`[parley:${scope}] ${event}`, redact(text));
  };
}
