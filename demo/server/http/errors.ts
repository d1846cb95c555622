/**
 * The error bodies of PROTOCOL.md: `{detail, code}` for most errors, `{field: [msg]}` for
 * validation, and helpers that keep route handlers short and free of 500s for bad input.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** An error a route throws to answer with `status` and `body`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** The socket's error-frame code for the same failure, when it differs from the default. */
    readonly wsCode?: string,
  ) {
    super(`HTTP ${status}`);
  }
}

export const detail = (status: number, text: string, code: string) => new ApiError(status, { detail: text, code });
export const fieldError = (field: string, text: string) => new ApiError(400, { [field]: [text] });
export const notFound = () => detail(404, 'Not found.', 'not_found');

/** An id as PROTOCOL writes it: 1 to 18 decimal digits (it fits a 64-bit integer). */
export const isDigitId = (value: unknown): value is string => typeof value === 'string' && /^[0-9]{1,18}$/.test(value);

/** Decimal-digit ids only; anything else is "malformed" and answers 404. */
export function pathId(value: unknown): string {
  if (!isDigitId(value)) throw notFound();
  return value;
}

/** An id in a JSON body: a digit string or a non-negative integer; otherwise a 400 field error. */
export function bodyId(body: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw fieldError(field, 'This field is required.');
    return undefined;
  }
  const id = idValue(v);
  if (id === null) throw fieldError(field, 'A valid id is required.');
  return id;
}

/** A JSON body must be an object: an array is as malformed as bad JSON (400 `parse_error`). */
export const objectBodies: RequestHandler = (req, _res, next) => {
  next(Array.isArray(req.body) ? detail(400, 'The body must be a JSON object.', 'parse_error') : undefined);
};

/** A non-negative safe integer, or a digit string of at most 18 digits, as an id; otherwise null. */
export function idValue(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (isDigitId(v)) return v;
  return null;
}

/** The JSON body as an object (an absent or non-object body reads as `{}`). */
export function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

/** Wraps an async handler so a rejection reaches the error middleware. */
export function handle(fn: (req: Request, res: Response, next: NextFunction) => unknown): RequestHandler {
  return (req, res, next) => {
    Promise.resolve()
      .then(() => fn(req, res, next))
      .catch(next);
  };
}
