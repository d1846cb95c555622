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

/**
 * Uploads one file. Progress is reported at the start, as the bytes leave (in browsers, through
 * XMLHttpRequest), and at the end; `signal` cancels it.
 */
export async function uploadAttachment(
  http: Http,
  file: Blob & { name?: string },
  options: UploadOptions = {},
): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name ?? 'file');
  if (options.conversationId) form.append('conversation_id', options.conversationId);
  const total = file.size;
  options.onProgress?.({ loaded: 0, total, fraction: 0 });
  const raw = await http.request('POST', '/api/chat/upload/', {
    body: form,
    signal: options.signal,
    // The multipart body is slightly larger than the file: report it against the file's size.
    onUploadProgress: (loaded, sent) => {
      const fraction = sent > 0 ? Math.min(loaded / sent, 1) : 0;
      options.onProgress?.({ loaded: Math.round(fraction * total), total, fraction });
    },
  });
  options.onProgress?.({ loaded: total, total, fraction: 1 });
  return toAttachment(raw)!;
}
