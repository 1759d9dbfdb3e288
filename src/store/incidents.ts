import { and, asc, count, desc, eq, exists, gt, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import { formatIncidentId, type Incident } from '../domain/incident.js';
import type { Phase, Resolution } from '../domain/phases.js';
import { changedFields, type Report } from '../domain/report.js';
import { type Db, lazy, transact } from './db.js';
import { fixTeam, idCounters, incidentEvents, incidents, OPEN_INCIDENT } from './schema.js';
import { fromJson, timelineWriter } from './timeline.js';

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

const p = (name: string) => sql.placeholder(name);

/** Open incidents, as the partial indexes on them are built (see OPEN_INCIDENT). */
const OPEN = OPEN_INCIDENT;

export function incidentStore(db: Db) {
  const timeline = timelineWriter(db);
  const byId = lazy(() =>
    db
      .select()
      .from(incidents)
      .where(eq(incidents.id, sql.placeholder('id')))
      .prepare(),
  );
  // One atomic statement, so two reports at once never share a number.
  const nextSequence = lazy(() =>
    db
      .insert(idCounters)
      .values({ year: sql.placeholder('year'), last: 1 })
      .onConflictDoUpdate({ target: idCounters.year, set: { last: sql`${idCounters.last} + 1` } })
      .returning()
      .prepare(),
  );
  const insert = lazy(() =>
    db
      .insert(incidents)
      .values({
        id: p('id'),
        summary: p('summary'),
        description: p('description'),
        components: p('components'),
        arrival: p('arrival'),
        arrivalRef: p('arrivalRef'),
        disclosure: p('disclosure'),
        reporterName: p('reporterName'),
        reporterContact: p('reporterContact'),
        receivedAt: p('receivedAt'),
        cveId: p('cveId'),
        phase: 'triage',
        // Raw, so null passes as null (a timestamp placeholder would call getTime on it).
        publicAt: sql<Date | null>`${p('publicAt')}`,
        reportedBy: p('reportedBy'),
        sourceKey: p('sourceKey'),
        createdAt: p('at'),
        updatedAt: p('at'),
      })
      .returning()
      .prepare(),
  );
  const bySource = lazy(() =>
    db
      .select()
      .from(incidents)
      .where(eq(incidents.sourceKey, sql.placeholder('sourceKey')))
      .prepare(),
  );

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
      return transact(db, () => {
        const existing = bySource().get({ sourceKey: meta.sourceKey });
        if (existing) return { incident: existing, created: false };
        const year = meta.at.getUTCFullYear();
        const id = formatIncidentId(year, (nextSequence().get({ year }) as { last: number }).last);
        const row = insert().get({
          id,
          ...report,
          reportedBy: meta.reportedBy,
          sourceKey: meta.sourceKey,
          at: meta.at,
          // Taken in as already public: public since it was received, so every deadline is ASAP.
          publicAt: report.disclosure === 'public' ? report.receivedAt.getTime() : null,
        }) as Incident;
        timeline.append({
          incidentId: id,
          at: meta.at,
          actor: meta.reportedBy,
          type: 'created',
          newValue: { arrival: report.arrival, disclosure: report.disclosure },
        });
        return { incident: row, created: true };
      });
    },

    get(id: string): Incident | undefined {
      return byId().get({ id });
    },

    /** Every open incident, oldest first (the partial index on open incidents keeps this a range scan). */
    listOpen(): Incident[] {
      return db.select().from(incidents).where(OPEN).orderBy(asc(incidents.createdAt)).all();
    },

    /**
     * A page of open incidents, oldest first, and how many there are in all: a listing that stays fast
     * with ten thousand open. What a member sees.
     */
    openPage(opts: { limit: number }): { total: number; incidents: Incident[] } {
      const total = db.select({ n: count() }).from(incidents).where(OPEN).get()?.n ?? 0;
      const page = db
        .select()
        .from(incidents)
        .where(OPEN)
        .orderBy(asc(incidents.createdAt))
        .limit(opts.limit)
        .all();
      return { total, incidents: page };
    },

    /**
     * A page of the open incidents someone outside the full membership may see, oldest first, and how many:
     * any that is public (`publicToo`), in one of `phases`, or on whose Fix Team `fixTeamOf` is. One query
     * whatever the mix; nothing when none applies.
     */
    openVisible(opts: {
      limit: number;
      publicToo: boolean;
      phases: readonly Phase[];
      fixTeamOf: string | null;
    }): { total: number; incidents: Incident[] } {
      const seen: SQL[] = [];
      if (opts.publicToo) seen.push(eq(incidents.disclosure, 'public'));
      if (opts.phases.length) seen.push(inArray(incidents.phase, [...opts.phases]));
      if (opts.fixTeamOf !== null) {
        seen.push(
          exists(
            db
              .select({ one: sql`1` })
              .from(fixTeam)
              .where(and(eq(fixTeam.incidentId, incidents.id), eq(fixTeam.userId, opts.fixTeamOf))),
          ),
        );
      }
      if (seen.length === 0) return { total: 0, incidents: [] };
      const where = and(OPEN, or(...seen));
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

    /** The phase a closed incident was last closed from (its `closed` event says), if the timeline says. */
    closedFrom(id: string): Phase | undefined {
      const row = db
        .select({ from: incidentEvents.oldValue })
        .from(incidentEvents)
        .where(and(eq(incidentEvents.incidentId, id), eq(incidentEvents.type, 'closed')))
        .orderBy(desc(incidentEvents.at), desc(incidentEvents.id))
        .limit(1)
        .get();
      const from = row ? fromJson(row.from) : undefined;
      return typeof from === 'string' ? (from as Phase) : undefined;
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
      return page(eq(incidents.phase, 'triage'), limit);
    },

    /** Applies an edited report; one `field_changed` event per changed field. Returns the fields that changed. */
    updateReport(
      id: string,
      next: Report,
      actor: string,
      at: Date,
    ): { incident: Incident; changed: string[] } | undefined {
      return transact(db, () => {
        const before = db.select().from(incidents).where(eq(incidents.id, id)).get();
        if (!before) return undefined;
        const changed = changedFields(before, next);
        if (changed.length === 0) return { incident: before, changed };
        // Edited to public: it is public from now, as if marked so (making it private again is refused above).
        const madePublic = next.disclosure === 'public' && before.publicAt === null;
        const incident = db
          .update(incidents)
          .set({
            ...next,
            updatedAt: at,
            ...(madePublic
              ? { publicAt: at, publicBy: actor, publicWhere: 'set in the report', publicLink: null }
              : {}),
          })
          .where(eq(incidents.id, id))
          .returning()
          .get();
        if (madePublic) {
          timeline.append({
            incidentId: id,
            at,
            actor,
            type: 'made_public',
            field: 'disclosure',
            oldValue: 'private',
            newValue: { where: 'set in the report' },
          });
        }
        for (const field of changed) {
          timeline.append({
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
      });
    },

    /**
     * Moves an incident from phase `from` to `to`, if it is still in `from` (a conditional update: of two
     * people pressing at once, one moves it). The event says how: `phase_changed`, `closed` (with how it
     * ended) or `reopened`, with the reason and the steps it left behind, if any.
     */
    setPhase(
      id: string,
      from: Phase,
      to: Phase,
      change: {
        type: 'phase_changed' | 'closed' | 'reopened';
        actor: string;
        at: Date;
        reason: string | null;
        resolution: Resolution | null;
        skipped?: string[];
      },
    ): boolean {
      return transact(db, () => {
        const moved = db
          .update(incidents)
          .set({ phase: to, resolution: change.resolution, updatedAt: change.at })
          .where(and(eq(incidents.id, id), eq(incidents.phase, from)))
          .run().changes;
        if (moved === 0) return false;
        timeline.append({
          incidentId: id,
          at: change.at,
          actor: change.actor,
          type: change.type,
          field: 'phase',
          oldValue: from,
          newValue: {
            phase: to,
            ...(change.resolution ? { resolution: change.resolution } : {}),
            ...(change.reason ? { reason: change.reason } : {}),
            ...(change.skipped?.length ? { skipped: change.skipped } : {}),
          },
        });
        return true;
      });
    },

    /**
     * Marks the disclosure public: who, when, where it was seen, a link. Once only (a conditional update);
     * false when it already was.
     */
    markPublic(id: string, m: { by: string; at: Date; where: string; link: string | null }): boolean {
      return transact(db, () => {
        const done = db
          .update(incidents)
          .set({
            disclosure: 'public',
            publicAt: m.at,
            publicBy: m.by,
            publicWhere: m.where,
            publicLink: m.link,
            updatedAt: m.at,
          })
          .where(and(eq(incidents.id, id), isNull(incidents.publicAt)))
          .run().changes;
        if (done === 0) return false;
        timeline.append({
          incidentId: id,
          at: m.at,
          actor: m.by,
          type: 'made_public',
          field: 'disclosure',
          oldValue: 'private',
          newValue: { where: m.where, ...(m.link ? { link: m.link } : {}) },
        });
        return true;
      });
    },

    /** What the reporter added to their report later: a `reporter_added` event with the text. */
    appendReporterAddition(id: string, reporter: string, added: string, at: Date): void {
      timeline.append({ incidentId: id, at, actor: reporter, type: 'reporter_added', newValue: added });
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
