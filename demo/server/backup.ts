/**
 * `npm run backup -- <file>`: an online backup of `$PARLEY_DATA_DIR/parley.db` (default ./data)
 * into `<file>` with SQLite's backup API, safe while the server runs. To restore, stop the server
 * and copy the file back to `$PARLEY_DATA_DIR/parley.db`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { isPostgresUrl } from './storage/open-storage.js';

const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <file>');
  process.exit(2);
}
if (isPostgresUrl(process.env.DATABASE_URL)) {
  console.error(
    'DATABASE_URL names PostgreSQL: back it up with pg_dump (README, "Scaling out"); this command is for SQLite',
  );
  process.exit(2);
}
const source = resolve(process.env.PARLEY_DATA_DIR ?? './data', 'parley.db');
if (!existsSync(source)) {
  console.error(`no database at ${source} (set PARLEY_DATA_DIR)`);
  process.exit(1);
}
const db = new Database(source, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
await db.backup(resolve(target));
db.close();
console.log(`backed up ${source} -> ${resolve(target)}`);
