import { and, asc, count, eq, gt, isNull, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { formatIncidentId, type Incident } from '../domain/incident.js';
import { changedFields, type Report } from '../domain/report.js';
import { type Db, IMMEDIATE } from './db.js';
import { idCounters, incidentEvents, incidents } from './schema.js';
import { appendEvent, fromJson, type Tx } from './timeline.js';

export interface TimelineEvent {
  id: number;
  incidentId: string;
  at: Date;
  actor: string;
  type: string;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
}

function nextSequence(tx: Tx, year: number): number {
  const row = tx
    .insert(idCounters)
    .values({ year, last: 1 })
    // One atomic statement, so two reports at once never share a number.
    .onConflictDoUpdate({ target: idCounters.year, set: { last: sql`${idCounters.last} + 1` } })
    .returning()
    .get();
  return row.last;
}

/** The condition the partial indexes on open incidents are built for; spelled once. */
const OPEN = ne(incidents.status, 'closed');

export function incidentStore(db: Db) {
  function page(where: SQL | undefined, limit: number): { total: number; ids: string[] } {
    const total = db.select({ n: count() }).from(incidents).where(where).get()?.n ?? 0;
    const ids = db
      .select({ id: incidents.id })
      .from(incidents)
      .where(where)
      .orderBy(asc(incidents.createdAt))
      .limit(limit)
      .all()
      .map((r) => r.id);
    return { total, ids };
  }

  return {
    /**
     * Creates the incident and its `created` event in one transaction. If an
     * incident already came from the same source (a replayed submission), that one
     * is returned instead and `created` is false.
     */
    create(
      report: Report,
      meta: { reportedBy: string; sourceKey: string; at: Date },
    ): { incident: Incident; created: boolean } {
      return db.transaction((tx) => {
        const existing = tx.select().from(incidents).where(eq(incidents.sourceKey, meta.sourceKey)).get();
        if (existing) return { incident: existing, created: false };
        const year = meta.at.getUTCFullYear();
        const id = formatIncidentId(year, nextSequence(tx, year));
        const row = tx
          .insert(incidents)
          .values({
            id,
            ...report,
            status: 'triage',
            reportedBy: meta.reportedBy,
            sourceKey: meta.sourceKey,
            createdAt: meta.at,
            updatedAt: meta.at,
          })
          .returning()
          .get();
        appendEvent(tx, {
          incidentId: id,
          at: meta.at,
          actor: meta.reportedBy,
          type: 'created',
          newValue: { arrival: report.arrival, disclosure: report.disclosure },
        });
        return { incident: row, created: true };
      }, IMMEDIATE);
    },

    get(id: string): Incident | undefined {
      return db.select().from(incidents).where(eq(incidents.id, id)).get();
    },

    /** Every open incident, oldest first (the partial index on open incidents keeps this a range scan). */
    listOpen(): Incident[] {
      return db.select().from(incidents).where(OPEN).orderBy(asc(incidents.createdAt)).all();
    },

    /**
     * A page of open incidents, oldest first, and how many there are in all: a listing that stays fast
     * with ten thousand open. `publicOnly` is what associates may see.
     */
    openPage(opts: { limit: number; publicOnly?: boolean }): { total: number; incidents: Incident[] } {
      const where = opts.publicOnly ? and(OPEN, eq(incidents.disclosure, 'public')) : OPEN;
      const total = db.select({ n: count() }).from(incidents).where(where).get()?.n ?? 0;
      const page = db
        .select()
        .from(incidents)
        .where(where)
        .orderBy(asc(incidents.createdAt))
        .limit(opts.limit)
        .all();
      return { total, incidents: page };
    },

    /** Ids of open incidents after `afterId` (keyset paging), for work done over all of them in slices. */
    openIdsAfter(afterId: string, limit: number): string[] {
      return db
        .select({ id: incidents.id })
        .from(incidents)
        .where(and(OPEN, gt(incidents.id, afterId)))
        .orderBy(asc(incidents.id))
        .limit(limit)
        .all()
        .map((r) => r.id);
    },

    /**
     * Open incidents whose commander has done nothing on them since `since` (or that have none), oldest
     * first, and how many: from the column every timeline event keeps, so no timeline is read.
     */
    quietCommanders(since: Date, limit: number): { total: number; ids: string[] } {
      return page(
        and(OPEN, or(isNull(incidents.commanderActiveAt), lte(incidents.commanderActiveAt, since))),
        limit,
      );
    },

    /** Reports nobody has triaged yet, oldest first, and how many. */
    untriaged(limit: number): { total: number; ids: string[] } {
      return page(eq(incidents.status, 'triage'), limit);
    },

    /** Applies an edited report; one `field_changed` event per changed field. Returns the fields that changed. */
    updateReport(
      id: string,
      next: Report,
      actor: string,
      at: Date,
    ): { incident: Incident; changed: string[] } | undefined {
      return db.transaction((tx) => {
        const before = tx.select().from(incidents).where(eq(incidents.id, id)).get();
        if (!before) return undefined;
        const changed = changedFields(before, next);
        if (changed.length === 0) return { incident: before, changed };
        const incident = tx
          .update(incidents)
          .set({ ...next, updatedAt: at })
          .where(eq(incidents.id, id))
          .returning()
          .get();
        for (const field of changed) {
          appendEvent(tx, {
            incidentId: id,
            at,
            actor,
            type: 'field_changed',
            field,
            oldValue: before[field],
            newValue: next[field],
          });
        }
        return { incident, changed };
      }, IMMEDIATE);
    },

    timeline(id: string): TimelineEvent[] {
      return db
        .select()
        .from(incidentEvents)
        .where(eq(incidentEvents.incidentId, id))
        .orderBy(asc(incidentEvents.at), asc(incidentEvents.id))
        .all()
        .map((e) => ({ ...e, oldValue: fromJson(e.oldValue), newValue: fromJson(e.newValue) }));
    },
  };
}
export type IncidentStore = ReturnType<typeof incidentStore>;
