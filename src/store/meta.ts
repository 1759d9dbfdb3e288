import { eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { meta } from './schema.js';

/** Facts about the database itself, one value per key. */
export function metaStore(db: Db) {
  return {
    get(key: string): string | undefined {
      return db.select().from(meta).where(eq(meta.key, key)).get()?.value;
    },

    set(key: string, value: string): void {
      db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
    },
  };
}
export type MetaStore = ReturnType<typeof metaStore>;
