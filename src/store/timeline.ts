import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterEvent } from '../domain/work.js';
import { type Db, lazy } from './db.js';
import { dueWorkWriter } from './dueWork.js';
import { incidentEvents, incidentRoles, incidents } from './schema.js';

export interface NewEvent {
  incidentId: string;
  at: Date;
  actor: string;
  type: string;
  field?: string;
  oldValue?: unknown;
  newValue?: unknown;
}

function toJson(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v instanceof Date ? v.toISOString() : v);
}

export function fromJson(v: string | null): unknown {
  return v === null ? null : JSON.parse(v);
}

const p = (name: string) => sql.placeholder(name);

/** Who holds a role on an incident now (`incidentId`, `role`): the timeline and the role store ask it. */
export function currentHolder(db: Db) {
  return lazy(() =>
    db
      .select()
      .from(incidentRoles)
      .where(
        and(
          eq(incidentRoles.incidentId, p('incidentId')),
          eq(incidentRoles.role, p('role')),
          isNull(incidentRoles.to),
        ),
      )
      .prepare(),
  );
}
/** A time in an UPDATE's SET, passed as milliseconds (drizzle types only column-encoded inserts). */
const ms = (name: string) => sql<Date>`${sql.placeholder(name)}`;

/**
 * Writes the timeline. Every change to an incident is an event, and each event, in the transaction of
 * the change: marks the incident changed (so the card's "last change" and the event agree), notes when
 * its commander acted, and marks its card and its schedule of nudges stale. So no change can leave the card behind: the redraw is
 * due work stored with the change, and survives a crash right after it. Prepared once per database, as
 * this is on the path of every request that changes something.
 */
export function timelineWriter(db: Db) {
  const insert = lazy(() =>
    db
      .insert(incidentEvents)
      .values({
        incidentId: p('incidentId'),
        at: p('at'),
        actor: p('actor'),
        type: p('type'),
        field: p('field'),
        oldValue: p('oldValue'),
        newValue: p('newValue'),
      })
      .prepare(),
  );
  const holder = currentHolder(db);
  const touch = lazy(() =>
    db
      .update(incidents)
      .set({ updatedAt: ms('at') })
      .where(eq(incidents.id, p('incidentId')))
      .prepare(),
  );
  const touchByCommander = lazy(() =>
    db
      .update(incidents)
      .set({ updatedAt: ms('at'), commanderActiveAt: ms('at') })
      .where(eq(incidents.id, p('incidentId')))
      .prepare(),
  );
  const lastBy = lazy(() =>
    db
      .select({ at: sql<number | null>`max(${incidentEvents.at})` })
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, p('incidentId')), eq(incidentEvents.actor, p('actor'))))
      .prepare(),
  );
  const dueWork = dueWorkWriter(db);

  return {
    /** Appends one event; call it inside the transaction that makes the change. */
    append(e: NewEvent): void {
      insert().run({
        incidentId: e.incidentId,
        at: e.at,
        actor: e.actor,
        type: e.type,
        field: e.field ?? null,
        oldValue: toJson(e.oldValue),
        newValue: toJson(e.newValue),
      });
      // srp itself never commands, and nobody commands an incident at its creation: no lookup needed.
      const byCommander =
        e.actor !== 'srp' &&
        e.type !== 'created' &&
        holder().get({ incidentId: e.incidentId, role: 'commander' })?.userId === e.actor;
      (byCommander ? touchByCommander : touch)().run({ incidentId: e.incidentId, at: e.at.getTime() });
      // Its card, and its nudges, which follow from its state and its last event (staleness).
      for (const item of afterEvent(e.incidentId, e.at)) dueWork.rearm(item, e.at);
    },

    /**
     * Someone's last event on an incident, for when command changes hands: a new commander who was
     * already active on it counts as active from then.
     */
    lastEventBy(incidentId: string, actor: string): Date | null {
      const at = lastBy().get({ incidentId, actor })?.at;
      return at == null ? null : new Date(at);
    },
  };
}
export type TimelineWriter = ReturnType<typeof timelineWriter>;
