import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** src/store and dist/store are both two levels below the project root, where migrations/ lives. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Opens (creating if needed) the SQLite file, with WAL so readers never block the
 * writer, foreign keys enforced, and a busy timeout so a second process waits
 * instead of failing; then applies any migration not yet applied.
 */
export function openDatabase(path: string, opts: { checkpoints?: 'automatic' | 'external' } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // NORMAL is durable across a process crash (kill -9) in WAL mode; only power loss can drop the last commit.
  sqlite.pragma('synchronous = NORMAL');
  // A long-running srp checkpoints from a worker thread (store/checkpointer.ts), never on the event loop.
  if (opts.checkpoints === 'external') sqlite.pragma('wal_autocheckpoint = 0');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}

/**
 * Runs `fn` as one transaction: a change and the work it makes due are stored together or not at all.
 * Every store's writes go through here, so a service's unit of work and the stores' own are one.
 * IMMEDIATE takes the write lock at the start, so two processes on one file wait for each other
 * (busy_timeout) instead of failing when both try to upgrade a read to a write. A store's own
 * transaction opened inside a service's simply runs in it.
 */
export function transact<T>(db: Db, fn: () => T): T {
  // Inside a transaction already open, no savepoint: the outer one makes the whole change atomic.
  // better-sqlite3's own transaction: drizzle's builds a transaction object per call that no store uses.
  return db.$client.inTransaction ? fn() : db.$client.transaction(fn).immediate();
}

/**
 * A statement prepared on first use and kept: each is built once, and start-up does not pay for
 * statements it does not run (preparing them all at once would block the event loop for tens of ms).
 */
export function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

export function isDatabaseReachable(db: Db): boolean {
  try {
    return db.$client.prepare('select 1 as ok').get() !== undefined;
  } catch {
    return false;
  }
}

export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}
