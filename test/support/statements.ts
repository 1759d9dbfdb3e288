import type { Db } from '../../src/store/db.js';

/**
 * Every statement `db` prepares from now on, in order: a store's statements are prepared on first use,
 * so a test that calls the store then reads what SQLite does with each (its plan, its program).
 */
export function recordPrepared(db: Db): string[] {
  const prepared: string[] = [];
  const prepare = db.$client.prepare.bind(db.$client);
  db.$client.prepare = ((source: string) => {
    prepared.push(source);
    return prepare(source);
  }) as typeof db.$client.prepare;
  return prepared;
}

/** Runs `explain [query plan] <source>` with every parameter bound to 0 (the plan does not depend on it). */
export function explain<T>(db: Db, source: string, what: 'explain' | 'explain query plan'): T[] {
  const params = source
    .split('?')
    .slice(1)
    .map(() => 0);
  return db.$client.prepare(`${what} ${source}`).all(...params) as T[];
}
