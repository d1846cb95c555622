/**
 * Uploads in progress for the composer: files come from the picker, a drop on the panel or a
 * paste; each is checked (size, type), uploaded with progress and a cancel, then sent as its own
 * message. Failures stay listed with a reason until dismissed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MAX_UPLOAD_BYTES, type Attachment, type Id } from '../../src/index.js';
import type { Strings } from '../i18n/locales.js';
import type { ChatClientLike } from './chat-client-like.js';
import type { UploadItem } from './views/composer.js';

/** The server's upload limit (PROTOCOL.md §2): bigger files are refused before any byte is sent. */
const UPLOAD_TYPES = /^(image\/(png|jpeg|gif|webp)|application\/pdf)$/;

export interface UploadsContext {
  client(): ChatClientLike | null;
  /** Files are taken only from a signed-in user. */
  signedIn(): boolean;
  conversationId(): Id | null;
  strings(): Strings;
  uploaded(attachment: Attachment): void;
  error(error: unknown): void;
}

export class UploadsController implements ReactiveController {
  items: readonly UploadItem[] = [];
  /** True while files are dragged over the panel (it shows a drop hint). */
  dragging = false;
  #nextId = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly context: UploadsContext,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.clear();
  }

  /** Starts uploading `files` (refusing those the server would refuse). */
  add(files: readonly File[]): void {
    const client = this.context.client();
    if (!client) return;
    const s = this.context.strings();
    for (const file of files) {
      const item: UploadItem = {
        id: ++this.#nextId,
        name: file.name,
        fraction: 0,
        error: null,
        controller: new AbortController(),
      };
      this.#set([...this.items, item]);
      if (file.size > MAX_UPLOAD_BYTES) item.error = s.uploadTooLarge(file.name);
      else if (file.type && !UPLOAD_TYPES.test(file.type)) item.error = s.uploadWrongType(file.name);
      if (item.error) continue;
      client
        .uploadAttachment(file, {
          signal: item.controller.signal,
          conversationId: this.context.conversationId() ?? undefined,
          onProgress: (p) => {
            item.fraction = p.fraction;
            this.host.requestUpdate();
          },
        })
        .then(
          (attachment) => {
            this.#set(this.items.filter((u) => u !== item));
            this.context.uploaded(attachment);
          },
          (error: unknown) => {
            if (item.controller.signal.aborted) return;
            const status = (error as { status?: number }).status;
            const t = this.context.strings();
            item.error =
              status === 413
                ? t.uploadTooLarge(file.name)
                : status === 415
                  ? t.uploadWrongType(file.name)
                  : status !== undefined && status >= 500 && client.backend === 'seed'
                    ? t.uploadUnsupported(file.name)
                    : t.uploadFailed(file.name);
            this.#set([...this.items]);
            this.context.error(error);
          },
        );
    }
  }

  /** Cancels an upload in flight, or dismisses a failed one. */
  cancel(item: UploadItem): void {
    item.controller.abort();
    this.#set(this.items.filter((u) => u !== item));
  }

  /** Cancels everything (sign-out, element removed). */
  clear(): void {
    for (const item of this.items) item.controller.abort();
    this.#set([]);
  }

  onDragOver = (e: DragEvent): void => {
    if (!this.context.signedIn() || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.#drag(true);
  };

  onDragLeave = (e: DragEvent): void => {
    if (!e.relatedTarget || !(e.currentTarget as Node).contains(e.relatedTarget as Node)) this.#drag(false);
  };

  onDrop = (e: DragEvent): void => {
    this.#drag(false);
    const files = [...(e.dataTransfer?.files ?? [])];
    if (!files.length || !this.context.signedIn()) return;
    e.preventDefault();
    this.add(files);
  };

  onPaste = (e: ClipboardEvent): void => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length) {
      e.preventDefault();
      this.add(files);
    }
  };

  #drag(dragging: boolean): void {
    if (dragging === this.dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }

  #set(items: readonly UploadItem[]): void {
    this.items = items;
    this.host.requestUpdate();
  }
}
