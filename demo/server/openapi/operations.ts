/**
 * Small builders for OpenAPI 3.1 operations, so each route of `paths.ts` reads as one line per
 * answer: its status, its schema and what it means.
 */
import { ref, type Schema } from './schemas.js';

/** A JSON answer: `status -> {description, content}`. */
export const json = (description: string, schema: Schema) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A JSON request body. */
export const body = (name: string, required = true) => ({
  required,
  content: { 'application/json': { schema: ref(name) } },
});

/** The shared error answers, named by `components.responses`. */
export const responses = {
  BadRequest: json('Invalid input: field errors, or malformed JSON (`parse_error`).', {
    oneOf: [ref('FieldErrors'), ref('Error')],
  }),
  Unauthorized: json(
    'No token (`not_authenticated`), or a bad, expired or refresh token (`token_not_valid`).',
    ref('Error'),
  ),
  NotFound: json('No such object, a malformed id, or a conversation the caller does not take part in.', ref('Error')),
  PayloadTooLarge: json('JSON bodies are limited to 64 KiB, uploads to 10 MiB.', ref('Error')),
  TooManyRequests: {
    ...json('Rate limited (`rate_limited`); retry after `Retry-After` seconds.', ref('Error')),
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } },
  },
};

const use = (name: keyof typeof responses) => ({ $ref: `#/components/responses/${name}` });

/** Errors every authenticated JSON write can answer. */
export const writeErrors = {
  400: use('BadRequest'),
  401: use('Unauthorized'),
  413: use('PayloadTooLarge'),
  429: use('TooManyRequests'),
};

/** Errors of an authenticated read of one object. */
export const readErrors = { 401: use('Unauthorized'), 404: use('NotFound') };

/** A path parameter `id` of decimal digits. */
export const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${what} id (digits; anything else answers 404).`,
  schema: { type: 'string' },
});

/** A non-negative integer query parameter. */
export const intQuery = (name: string, description: string, extra: Schema = {}) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'integer', minimum: 0, ...extra },
});

/** No bearer token needed. */
export const open = { security: [] };

export { use as errorResponse };
