/**
 * Errors, like ky's: one base class, subclasses that carry what code needs to decide
 * (status, request, `retryable`, `cause`). Nothing is encoded in message strings for code to parse.
 */

/** What was asked when an error happened. */
export interface RequestSummary {
  method: string;
  /** URL without query string, so no token or ticket leaks into logs. */
  url: string;
}

export interface ParleyErrorOptions {
  request?: RequestSummary;
  status?: number;
  retryable?: boolean;
  code?: string;
  cause?: unknown;
}

/** Base of every error Parley throws, rejects with, or emits. */
export class ParleyError extends Error {
  override name = 'ParleyError';
  readonly request: RequestSummary | undefined;
  /** HTTP status or WebSocket close code, when one applies. */
  readonly status: number | undefined;
  /** Whether trying the same thing again later may succeed. */
  readonly retryable: boolean;
  /** Machine-readable code from the server (`token_not_valid`, `rate_limited`, ...) or Parley's own. */
  readonly code: string | undefined;

  constructor(message: string, options: ParleyErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.request = options.request;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.code = options.code;
  }
}

/** Login failed, a token was refused, or a refresh failed. */
export class AuthError extends ParleyError {
  override name = 'AuthError';
}

/**
 * The server answered with an error status. `body` is the parsed JSON body, if any. The name is the one
 * STYLE.md gives; inside Parley ky's own `HTTPError` is imported as `KyHTTPError`, so the two never meet.
 */
export class HttpError extends ParleyError {
  override name = 'HttpError';
  readonly body: unknown;
  /** Seconds from `Retry-After`, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(message: string, options: ParleyErrorOptions & { body?: unknown; retryAfter?: number }) {
    super(message, options);
    this.body = options.body;
    this.retryAfter = options.retryAfter;
  }
}

/** The network or the socket failed (no answer, timeout, closed). */
export class TransportError extends ParleyError {
  override name = 'TransportError';
}

/** The server rejected input (400 with field errors, or a socket `error` frame). */
export class ValidationError extends ParleyError {
  override name = 'ValidationError';
  /** Field errors as the server sent them: `{message: ["..."]}`. */
  readonly fields: Record<string, string[]>;

  constructor(message: string, options: ParleyErrorOptions & { fields?: Record<string, string[]> }) {
    super(message, options);
    this.fields = options.fields ?? {};
  }
}

/** A 4xx other than 408 (timeout) and 429 (rate limited): asking again will get the same answer. */
export function isPermanentStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
