/**
 * Reading a client frame (PROTOCOL §4) by its shape, cheaply: a JSON object whose `type` is one of
 * the known strings. Nothing a client sent is ever stringified back or logged: a 20,000-deep array
 * in `type` is refused as an unknown type without walking it.
 */
import type { WsErrorCode } from '../../../src/types.js';

export const CLIENT_FRAME_TYPES = ['message', 'typing', 'read', 'sync', 'cancel', 'ping'] as const;
export type ClientFrameType = (typeof CLIENT_FRAME_TYPES)[number];

/** A parsed frame: its type, the raw fields, and the send's `client_id` when it carried a usable one. */
export interface ClientFrame {
  type: ClientFrameType;
  fields: Record<string, unknown>;
  clientId?: string;
}

export interface FrameError {
  code: WsErrorCode;
  message: string;
  clientId?: string;
}

const KNOWN = new Set<string>(CLIENT_FRAME_TYPES);

/** The `client_id` worth echoing in an error frame: a string of 1 to 128 characters. */
function clientIdOf(fields: Record<string, unknown>): string | undefined {
  const id = fields.client_id;
  return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
}

/** The frame, or the error frame's code and text for a frame that is not one. */
export function parseClientFrame(data: string): ClientFrame | FrameError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { code: 'bad_json', message: 'Frames must be JSON objects with a type.' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { code: 'bad_json', message: 'Frames must be JSON objects with a type.' };
  const fields = parsed as Record<string, unknown>;
  const clientId = clientIdOf(fields);
  const type = fields.type;
  if (typeof type !== 'string' || !KNOWN.has(type)) {
    const shown =
      typeof type === 'string' ? `"${type.slice(0, 32)}"` : typeof type === 'undefined' ? 'none' : 'not a string';
    return { code: 'unknown_type', message: `Unknown frame type (${shown}).`, clientId };
  }
  return { type: type as ClientFrameType, fields, clientId };
}

export function isFrameError(f: ClientFrame | FrameError): f is FrameError {
  return 'code' in f;
}
