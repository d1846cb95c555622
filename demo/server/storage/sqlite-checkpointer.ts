/**
 * WAL checkpoints off the event loop. SQLite's own checkpoint runs inside the COMMIT that takes
 * the WAL past `wal_autocheckpoint` pages: that commit copies about 4 MB into the database file
 * and fsyncs twice, on the event loop, once every ~140 messages (a message writes 7 pages), and
 * every socket of the server waits meanwhile. Once the WAL shows real traffic, a worker thread
 * with a connection of its own runs PASSIVE checkpoints every `everyMs` instead: they copy what is
 * committed and never block the writer (WAL mode lets a checkpoint and a write run together). The
 * writing connection keeps an automatic checkpoint only as a backstop far above that, for when the
 * worker is gone or cannot keep up.
 *
 * Durability is unchanged: a commit is in the WAL before it is acknowledged, whoever checkpoints it.
 */
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's default: the WAL size (pages) at which the writer checkpoints while no worker runs. */
const AUTOCHECKPOINT_PAGES = 1000;
/** With the worker running: the writer checkpoints only past this many pages (40 MB at 4 KiB). */
const BACKSTOP_PAGES = 10_000;

export interface CheckpointerOptions {
  /** How often the WAL file's size is looked at, until the worker starts (default 1 s). */
  watchMs?: number;
  /**
   * WAL bytes on disk that start the worker (default 1 MiB: about 35 single-message commits).
   * Below SQLite's own checkpoint size (1,000 frames, just under 4 MiB), which caps the file.
   */
  startBytes?: number;
  /** How often the worker checkpoints (default 200 ms). */
  everyMs?: number;
}

/**
 * The worker: CommonJS evaluated in a thread of its own. It answers `close` by closing its
 * connection, so no file handle of it outlives the server.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next tick tries again, and the writer's backstop is still there.
  }
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class SqliteCheckpointer {
  private worker: Worker | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly watch: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly options: CheckpointerOptions = {},
  ) {
    this.watch = setInterval(() => void this.check(), options.watchMs ?? 1000);
    this.watch.unref();
  }

  /** True once checkpoints run in the worker. */
  get running(): boolean {
    return this.worker !== null;
  }

  private async check(): Promise<void> {
    const size = await stat(`${this.file}-wal`).then(
      (s) => s.size,
      () => 0,
    );
    if (this.closed || this.worker || size < (this.options.startBytes ?? 1024 * 1024)) return;
    this.start();
  }

  /** Starts the worker (the WAL has grown) and moves the writer's own checkpoint to the backstop. */
  start(): void {
    if (this.closed || this.worker) return;
    clearInterval(this.watch);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: this.file,
        everyMs: this.options.everyMs ?? 200,
      },
    });
    worker.unref();
    this.worker = worker;
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        // Gone (closed, or failed to open the file): the writer checkpoints as SQLite does by default.
        if (this.worker === worker) this.worker = null;
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        resolve();
      }),
    );
    worker.once('error', () => undefined);
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  }

  /** Stops the worker and waits until its connection is closed (before the writer's own closes). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watch);
    const worker = this.worker;
    if (!worker) return;
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
