/**
 * Picks the database of a server: PostgreSQL when `databaseUrl` is a `postgres://` (or
 * `postgresql://`) URL, otherwise the embedded SQLite file `<dataDir>/parley.db`. Upload bytes go
 * with it: into PostgreSQL, or files in `<dataDir>/uploads`.
 */
import { join } from 'node:path';
import { openPgStorage } from './pg-storage.js';
import { PgUploads } from './pg-uploads.js';
import { openSqliteStorage } from './sqlite-storage.js';
import type { ChatStorage } from './storage.js';
import { DiskUploads, type UploadStore } from './upload-store.js';

export interface OpenedStorage {
  storage: ChatStorage;
  uploads: UploadStore;
  engine: 'sqlite' | 'postgres';
  /** Where a generated JWT secret is kept when none is configured: a database row every instance reads, or a file. */
  sharedSecret?: (candidate: string) => Promise<string>;
}

/** True for a URL that names a PostgreSQL database. */
export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

export async function openStorage(opts: {
  databaseUrl?: string;
  dataDir: string;
  uploadsDir: string;
  botName: string;
}): Promise<OpenedStorage> {
  if (opts.databaseUrl !== undefined && !isPostgresUrl(opts.databaseUrl))
    throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded SQLite database)');
  if (isPostgresUrl(opts.databaseUrl)) {
    const storage = await openPgStorage(opts.databaseUrl, { botName: opts.botName });
    return {
      storage,
      uploads: new PgUploads(storage.pool),
      engine: 'postgres',
      sharedSecret: (candidate) => storage.sharedSecret(candidate),
    };
  }
  const storage = openSqliteStorage(join(opts.dataDir, 'parley.db'), { botName: opts.botName });
  return { storage, uploads: new DiskUploads(opts.uploadsDir), engine: 'sqlite' };
}
