import { eq } from 'drizzle-orm';
import { type Db, IMMEDIATE } from './db.js';
import { severity } from './schema.js';
import { appendEvent, type NewEvent } from './timeline.js';

export type SeverityRow = typeof severity.$inferSelect;
export type SeverityPatch = Partial<Omit<SeverityRow, 'incidentId' | 'updatedAt'>>;

/** The severity row of an incident; each change and its timeline events are written in one transaction. */
export function severityStore(db: Db) {
  return {
    get(incidentId: string): SeverityRow | undefined {
      return db.select().from(severity).where(eq(severity.incidentId, incidentId)).get();
    },

    update(
      incidentId: string,
      patch: SeverityPatch,
      at: Date,
      events: Array<Omit<NewEvent, 'incidentId' | 'at'>>,
    ): SeverityRow {
      return db.transaction((tx) => {
        const row = tx
          .insert(severity)
          .values({ incidentId, ...patch, updatedAt: at })
          .onConflictDoUpdate({ target: severity.incidentId, set: { ...patch, updatedAt: at } })
          .returning()
          .get();
        for (const e of events) appendEvent(tx, { ...e, incidentId, at });
        return row;
      }, IMMEDIATE);
    },
  };
}
export type SeverityStore = ReturnType<typeof severityStore>;
