/** `POST /api/chat/upload/` (PROTOCOL §2): multipart, field `file`. */
import { TransportError } from '../errors.js';
import type { Attachment, Id } from '../types.js';
import { anySignal } from '../util/abort.js';
import type { Http } from './http.js';
import { toAttachment } from './normalize.js';
import { canTrackUploads } from './xhr-fetch.js';

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
  /**
   * Where upload progress is reported (browsers): fail after this long without any progress,
   * however long the whole upload takes. Default 30 s (the client passes `timing.uploadStallMs`).
   * Elsewhere the client's request timeout applies.
   */
  stallMs?: number;
}

/**
 * Uploads one file. Progress is reported at the start, as the bytes leave (in browsers, through
 * XMLHttpRequest), and at the end; `signal` cancels it. A slow upload is fine as long as it moves:
 * it fails only after `stallMs` without progress (TransportError, code `stalled`).
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
  const watch = canTrackUploads();
  const stall = new AbortController();
  const stallMs = options.stallMs ?? 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const moved = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), stallMs);
  };
  if (watch) moved();
  try {
    const raw = await http.request('POST', '/api/chat/upload/', {
      body: form,
      signal: watch ? (options.signal ? anySignal([options.signal, stall.signal]) : stall.signal) : options.signal,
      ...(watch ? { timeout: false as const } : {}),
      // The multipart body is slightly larger than the file: report it against the file's size.
      onUploadProgress: (loaded, sent) => {
        moved();
        const fraction = sent > 0 ? Math.min(loaded / sent, 1) : 0;
        options.onProgress?.({ loaded: Math.round(fraction * total), total, fraction });
      },
    });
    options.onProgress?.({ loaded: total, total, fraction: 1 });
    return toAttachment(raw)!;
  } catch (error) {
    if (!stall.signal.aborted || options.signal?.aborted) throw error;
    throw new TransportError(`The upload of ${file.name ?? 'the file'} made no progress for ${stallMs / 1000} s`, {
      code: 'stalled',
      retryable: true,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
