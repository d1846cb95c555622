/**
 * The one `ky` instance every REST call goes through. Its hooks add the bearer, refresh once on a
 * 401 and retry once, and honour `Retry-After` on 429/503; failures become `ParleyError`s.
 */
// ky's HTTPError under its own name, so it is never mistaken for Parley's public HttpError.
import ky, { HTTPError as KyHTTPError, TimeoutError, type KyInstance } from 'ky';
import { AuthError, HttpError, ParleyError, TransportError, ValidationError, type RequestSummary } from '../errors.js';
import type { Logger } from '../util/log.js';
import { anySignal } from '../util/abort.js';
import { canTrackUploads, xhrFetch, type UploadProgressListener } from './xhr-fetch.js';

/** What the HTTP layer needs from auth: the current token, and a refresh after a 401. */
export interface TokenSource {
  token(): Promise<string | null>;
  refresh(failedToken: string | null): Promise<string>;
}

export interface HttpOptions {
  apiUrl: string;
  tokens: TokenSource;
  timeoutMs: number;
  log: Logger;
}

export interface RequestOptions {
  json?: unknown;
  body?: FormData;
  searchParams?: Record<string, string | number | undefined>;
  /** Send the bearer (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  /** Bytes of the body sent so far (real progress in browsers, start and end elsewhere). */
  onUploadProgress?: UploadProgressListener;
  /** Overrides the client's request timeout; false for none (an upload watches its progress instead). */
  timeout?: number | false;
}

interface CallContext extends Record<string, unknown> {
  auth: boolean;
  usedToken?: string | null;
  refreshed?: boolean;
}

/** Runs REST requests for one API base URL. */
export class Http {
  readonly ky: KyInstance;
  readonly #options: HttpOptions;
  /** Aborts every request in flight on `abortAll()` (the client was destroyed). */
  #controller = new AbortController();

  constructor(options: HttpOptions) {
    this.#options = options;
    const { tokens, log } = options;
    this.ky = ky.create({
      timeout: options.timeoutMs,
      retry: {
        limit: 2,
        methods: ['get', 'post', 'put', 'patch', 'delete', 'head'],
        statusCodes: [429, 503],
        afterStatusCodes: [429, 503],
        maxRetryAfter: 60_000,
        // Only statuses the server asked us to retry: network errors are the outbox's business.
        shouldRetry: ({ error }) =>
          error instanceof KyHTTPError && [429, 503].includes(error.response.status) ? undefined : false,
      },
      hooks: {
        beforeRequest: [
          async (request, opts) => {
            const context = opts.context as CallContext;
            if (!context.auth) return;
            const token = await tokens.token();
            context.usedToken = token;
            if (token) request.headers.set('Authorization', `Bearer ${token}`);
          },
        ],
        afterResponse: [
          async (request, opts, response) => {
            const context = opts.context as CallContext;
            log('http', `${request.method} ${new URL(request.url).pathname} ${response.status}`);
            if (response.status !== 401 || !context.auth || context.refreshed) return;
            context.refreshed = true;
            await tokens.refresh(context.usedToken ?? null);
            return ky.retry({ delay: 0, code: 'TOKEN_REFRESHED' });
          },
        ],
      },
    });
  }

  /** Aborts every request in flight. */
  abortAll(): void {
    this.#controller.abort();
    this.#controller = new AbortController();
  }

  /** Sends one request and returns the parsed JSON body (undefined for 204). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = `${this.#options.apiUrl.replace(/\/$/, '')}${path}`;
    const info: RequestSummary = { method, url: url.split('?')[0]! };
    const searchParams: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(options.searchParams ?? {}))
      if (value !== undefined) searchParams[key] = value;
    try {
      const response = await this.ky(url, {
        method,
        json: options.json,
        body: options.body,
        searchParams,
        signal: options.signal ? anySignal([options.signal, this.#controller.signal]) : this.#controller.signal,
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        ...(options.onUploadProgress && canTrackUploads() ? { fetch: xhrFetch(options.onUploadProgress) } : {}),
        context: { auth: options.auth !== false } satisfies CallContext,
      });
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    } catch (error) {
      throw await toParleyError(error, info);
    }
  }
}

function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (!value) return undefined;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * The text a person can read from any of a seed's five error shapes (PROTOCOL §6): `detail`,
 * `error`, field lists, `non_field_errors`, or an HTML page (no JSON at all).
 */
function readableError(detail: string | undefined, record: Record<string, unknown>, notJson: boolean): string {
  if (detail) return detail;
  if (notJson) return 'the server answered with an error page instead of JSON';
  const fields = Object.entries(record).map(([field, value]) => {
    const text = Array.isArray(value) ? value.map(String).join(' ') : String(value);
    return field === 'non_field_errors' ? text : `${field}: ${text}`;
  });
  return fields.join('; ') || 'no details given';
}

/** Maps whatever ky or fetch threw to a ParleyError subclass. */
export async function toParleyError(error: unknown, request: RequestSummary): Promise<ParleyError> {
  if (error instanceof ParleyError) return error;
  const where = `${request.method} ${request.url}`;
  if (error instanceof KyHTTPError) {
    const { status } = error.response;
    let body: unknown;
    try {
      body = await error.response.clone().json();
    } catch {
      body = undefined;
    }
    const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const code = typeof record.code === 'string' ? record.code : undefined;
    const detail =
      typeof record.detail === 'string' ? record.detail : typeof record.error === 'string' ? record.error : undefined;
    const message = `${where} failed with ${status}: ${readableError(detail, record, body === undefined)}`;
    if (status === 401)
      return new AuthError(message, { request, status, code: code ?? 'not_authenticated', cause: error });
    if (status === 400 && !detail) {
      const fields = Object.fromEntries(
        Object.entries(record).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]]),
      );
      return new ValidationError(message, { request, status, code: 'invalid', fields, cause: error });
    }
    const retryable = status >= 500 || status === 408 || status === 429;
    return new HttpError(message, {
      request,
      status,
      code,
      retryable,
      body,
      retryAfter: retryAfterSeconds(error.response),
      cause: error,
    });
  }
  if (error instanceof TimeoutError) {
    return new TransportError(`${where} timed out`, { request, retryable: true, code: 'timeout', cause: error });
  }
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new TransportError(`${where} was aborted`, { request, retryable: false, code: 'aborted', cause: error });
  }
  return new TransportError(`${where} failed: network error`, {
    request,
    retryable: true,
    code: 'network',
    cause: error,
  });
}
