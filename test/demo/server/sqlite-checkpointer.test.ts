import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteCheckpointer } from '../../../demo/server/storage/sqlite-checkpointer.js';
import { tempDir } from './helpers.js';

const PAGE = 'x'.repeat(3000);

test('a busy SQLite file is checkpointed by the worker, not the writer, and every row is kept', async () => {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'busy.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const checkpointer = new SqliteCheckpointer(db, file, { watchMs: 5, startBytes: 256 * 1024, everyMs: 5 });
  try {
    // 2,000 commits of a row near a page each: 8 MB of rows, about 4,000 WAL frames.
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 20; i++) insert.run(PAGE);
      await sleep(1);
    }
    assert.ok(checkpointer.running, 'the worker took over the checkpoints');
    // The writer would checkpoint only past 10,000 frames: rows in the database file were copied by the worker.
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 10_000);
    const deadline = Date.now() + 10_000;
    while (statSync(file).size < 6 * 1024 * 1024 && Date.now() < deadline) await sleep(10);
    assert.ok(statSync(file).size >= 6 * 1024 * 1024, `the database file holds ${statSync(file).size} bytes`);

    await checkpointer.close();
    assert.equal(checkpointer.running, false);
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000, 'the writer checkpoints again');
    db.close();
    const reopened = new Database(file, { readonly: true });
    assert.equal((reopened.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, 2000);
    reopened.close();
  } finally {
    await checkpointer.close();
    if (db.open) db.close();
    await cleanup();
  }
});

test('a quiet SQLite file never starts the worker', async () => {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'quiet.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const checkpointer = new SqliteCheckpointer(db, file, { watchMs: 5 });
  try {
    db.prepare('INSERT INTO t (body) VALUES (?)').run('hello');
    await sleep(50);
    assert.equal(checkpointer.running, false);
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  } finally {
    await checkpointer.close();
    db.close();
    await cleanup();
  }
});
