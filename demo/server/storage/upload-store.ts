/**
 * Where the bytes of uploads live, by their stored (random, unguessable) name. On SQLite they are
 * files in `<dataDir>/uploads`; on PostgreSQL they are rows of `chat_upload_data` (`pg-uploads.ts`),
 * so every instance serves every upload and no instance needs a shared disk.
 */
import { createReadStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** An upload's bytes, ready to stream. */
export interface StoredUpload {
  size: number;
  stream: Readable;
}

export interface UploadStore {
  /** Takes the received file at `tmpPath` (gone afterwards) as the bytes of `storedName`. */
  save(storedName: string, tmpPath: string): Promise<void>;
  /** The bytes of `storedName`, or null when there are none. */
  open(storedName: string): Promise<StoredUpload | null>;
  /** Deletes the bytes (nothing happens when there are none). */
  remove(storedName: string): Promise<void>;
}

/** Uploads as files of one folder. */
export class DiskUploads implements UploadStore {
  constructor(private readonly dir: string) {}

  async save(storedName: string, tmpPath: string): Promise<void> {
    await rename(tmpPath, join(this.dir, storedName));
  }

  async open(storedName: string): Promise<StoredUpload | null> {
    const path = join(this.dir, storedName);
    const info = await stat(path).catch(() => null);
    return info ? { size: info.size, stream: createReadStream(path) } : null;
  }

  async remove(storedName: string): Promise<void> {
    await unlink(join(this.dir, storedName)).catch(() => undefined);
  }
}

/** A stream of bytes already in memory. */
export function bufferUpload(data: Buffer): StoredUpload {
  return { size: data.length, stream: Readable.from([data]) };
}
