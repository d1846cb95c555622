/** `POST /api/chat/upload/` (PROTOCOL §2): multipart, field `file`. */
import type { Attachment, Id } from '../types.js';
import type { Http } from './http.js';
import { toAttachment } from './normalize.js';

/** Upload progress. `fraction` is 0..1. */
export interface UploadProgress {
  loaded: number;
  total: number;
  fraction: number;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  conversationId?: Id | null;
}

/** Uploads one file; progress is reported at start and end (streamed uploads need HTTP/2). */
export async function uploadAttachment(http: Http, file: Blob & { name?: string }, options: UploadOptions = {}): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name ?? 'file');
  if (options.conversationId) form.append('conversation_id', options.conversationId);
  const total = file.size;
  options.onProgress?.({ loaded: 0, total, fraction: 0 });
  const raw = await http.request('POST', '/api/chat/upload/', { body: form, signal: options.signal });
  options.onProgress?.({ loaded: total, total, fraction: 1 });
  return toAttachment(raw)!;
}
