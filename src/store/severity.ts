import { eq, sql } from 'drizzle-orm';
import { type Db, lazy, transact } from './db.js';
import { severity } from './schema.js';
import { type NewEvent, timelineWriter } from './timeline.js';

export type SeverityRow = typeof severity.$inferSelect;
export type SeverityPatch = Partial<Omit<SeverityRow, 'incidentId' | 'updatedAt'>>;

/** The severity row of an incident; each change and its timeline events are written in one transaction. */
export function severityStore(db: Db) {
  const timeline = timelineWriter(db);
  const ofIncident = lazy(() =>
    db
      .select()
      .from(severity)
      .where(eq(severity.incidentId, sql.placeholder('incidentId')))
      .prepare(),
  );
  return {
    get(incidentId: string): SeverityRow | undefined {
      return ofIncident().get({ incidentId });
    },

    update(
      incidentId: string,
      patch: SeverityPatch,
      at: Date,
      events: Array<Omit<NewEvent, 'incidentId' | 'at'>>,
    ): SeverityRow {
      return transact(db, () => {
        const row = db
          .insert(severity)
          .values({ incidentId, ...patch, updatedAt: at })
          .onConflictDoUpdate({ target: severity.incidentId, set: { ...patch, updatedAt: at } })
          .returning()
          .get();
        for (const e of events) timeline.append({ ...e, incidentId, at });
        return row;
      });
    },
  };
}
export type SeverityStore = ReturnType<typeof severityStore>;
