import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Keeps SQLite's fsyncs off the event loop. better-sqlite3 is synchronous, and in WAL mode two things
 * fsync: the first write into a new WAL (on this machine 50 ms), and each checkpoint (copying the WAL
 * back into the database, every ~1000 pages by default, run by whichever write commits then). Either
 * would stall every request for that long. So the request-serving connection never checkpoints
 * (`wal_autocheckpoint = 0`, set by openDatabase), and a second connection on a worker thread makes the
 * first write at start-up and runs the checkpoints. A plain write into an existing WAL does not fsync
 * (synchronous = NORMAL), so the main thread only ever writes memory and the OS page cache.
 */

/** The worker's code, as a string: workers are plain JS here, whether srp runs built or through tsx. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
parentPort.on('message', ({ id, op }) => {
  try {
    let result = null;
    if (op === 'warm') {
      // Any write creates the WAL and pays its fsync here; the row says when srp last started.
      db.prepare("insert into meta (key, value) values ('started_at', ?) on conflict(key) do update set value = excluded.value").run(new Date().toISOString());
    } else if (op === 'checkpoint') {
      // PASSIVE: copies what no reader needs any more and never waits for or blocks a writer.
      result = db.pragma('wal_checkpoint(PASSIVE)')[0];
    }
    parentPort.postMessage({ id, ok: true, result });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: String(err && err.message || err) });
  }
});
`;

export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** The first write into the WAL, made here; resolves when it is on disk. */
  warm(): Promise<void>;
  /** Copies the WAL back into the database file as far as readers allow. */
  checkpoint(): Promise<CheckpointResult>;
  /** A last checkpoint, then the worker ends. */
  stop(): Promise<void>;
}

export function startCheckpointer(path: string): Checkpointer {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  worker.unref();
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.result);
    else p?.reject(new Error(`checkpointer: ${m.error}`));
  });
  worker.on('error', (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  const call = <T>(op: string) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op });
    });
  return {
    warm: () => call<void>('warm'),
    checkpoint: () => call<CheckpointResult>('checkpoint'),
    async stop() {
      await call('checkpoint').catch(() => {});
      await worker.terminate();
    },
  };
}
