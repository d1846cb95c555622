/**
 * Upload bytes in PostgreSQL (`chat_upload_data`, `bytea`): uploads are at most 10 MiB, so a row
 * holds one comfortably, and any instance behind the balancer serves any upload with nothing
 * shared but the database. Backups (`pg_dump`) include them.
 */
import { readFile, unlink } from 'node:fs/promises';
import type pg from 'pg';
import { bufferUpload, type StoredUpload, type UploadStore } from './upload-store.js';

export class PgUploads implements UploadStore {
  constructor(private readonly pool: pg.Pool) {}

  async save(storedName: string, tmpPath: string): Promise<void> {
    const data = await readFile(tmpPath);
    await this.pool.query('INSERT INTO chat_upload_data (stored_name, data) VALUES ($1, $2)', [storedName, data]);
    await unlink(tmpPath).catch(() => undefined);
  }

  async open(storedName: string): Promise<StoredUpload | null> {
    const { rows } = await this.pool.query<{ data: Buffer }>(
      'SELECT data FROM chat_upload_data WHERE stored_name = $1',
      [storedName],
    );
    return rows[0] ? bufferUpload(rows[0].data) : null;
  }

  async remove(storedName: string): Promise<void> {
    await this.pool.query('DELETE FROM chat_upload_data WHERE stored_name = $1', [storedName]);
  }
}
