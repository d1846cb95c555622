/**
 * Cross-cutting HTTP middleware: helmet headers and CSP, the CORS allow-list, request logs without
 * query strings, and the error handler that turns bad input into 400/404/413 answers, never a 500.
 * The rate limits are in `rate-limit.ts`.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppContext } from '../context.js';
import { ApiError } from './errors.js';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'img-src': ["'self'", 'data:', 'blob:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'self'"],
        // The demo is often served over plain http on a LAN address: do not force https.
        'upgrade-insecure-requests': null,
      },
    },
    // The widget script and uploads are embedded by other sites.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
}

/** Whether an Origin header passes the allow-list (no header: not a browser, allowed). */
export function originAllowed(origins: string[] | '*', origin: string | undefined): boolean {
  return !origin || origins === '*' || origins.includes(origin);
}

export function cors(origins: string[] | '*'): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && originAllowed(origins, origin)) {
      res.setHeader('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After, RateLimit, RateLimit-Policy');
      if (origins !== '*') res.vary('Origin');
    }
    if (req.method === 'OPTIONS') {
      if (origin && originAllowed(origins, origin)) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}

/** A path fit for the logs: no query string, and no upload name (its unguessable URL is its only key). */
export function loggedPath(url: string): string {
  return url.split('?')[0]!.replace(/^\/uploads\/[^/]+/, '/uploads/:name');
}

/** One log line per request: method, path (no query string, no upload name), status, duration. */
export function requestLog(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      ctx.metrics.countHttp(res.statusCode);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      ctx.log.info(
        {
          method: req.method,
          path: loggedPath(req.originalUrl),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          user: res.locals.user?.id,
        },
        'request',
      );
    });
    next();
  };
}

/** Maps thrown errors to answers; body-parser errors become 400/413. */
export function errorHandler(ctx: AppContext): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof ApiError) return void res.status(err.status).json(err.body);
    // A path that does not even decode is a malformed id: 404 like any other.
    if (err instanceof URIError) return void res.status(404).json({ detail: 'Not found.', code: 'not_found' });
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large')
      return void res.status(413).json({ detail: 'Request body too large.', code: 'payload_too_large' });
    if (e.type === 'entity.parse.failed')
      return void res.status(400).json({ detail: 'Malformed JSON.', code: 'parse_error' });
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return void res.status(e.status).json({ detail: 'Bad request.', code: 'bad_request' });
    }
    ctx.log.error({ err: e.message, path: loggedPath(req.originalUrl) }, 'unhandled error');
    res.status(500).json({ detail: 'Internal server error.', code: 'server_error' });
  };
}
