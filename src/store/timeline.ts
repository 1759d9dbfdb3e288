import { and, eq, isNull, sql } from 'drizzle-orm';
import { work } from '../domain/work.js';
import type { Db } from './db.js';
import { rearmIn } from './dueWork.js';
import { incidentEvents, incidentRoles, incidents } from './schema.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

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

/**
 * Appends one timeline event inside the caller's transaction, marks the incident changed (so the card's
 * "last change" and the event agree), notes when its commander acted, and marks its card stale. Every
 * change to an incident is an event, so no change can leave the card behind: the card's redraw is due
 * work recorded in the same transaction as the change, and survives a crash right after it.
 */
export function appendEvent(tx: Tx, e: NewEvent): void {
  tx.insert(incidentEvents)
    .values({
      incidentId: e.incidentId,
      at: e.at,
      actor: e.actor,
      type: e.type,
      field: e.field ?? null,
      oldValue: toJson(e.oldValue),
      newValue: toJson(e.newValue),
    })
    .run();
  const commander = tx
    .select({ userId: incidentRoles.userId })
    .from(incidentRoles)
    .where(
      and(
        eq(incidentRoles.incidentId, e.incidentId),
        eq(incidentRoles.role, 'commander'),
        isNull(incidentRoles.to),
      ),
    )
    .get();
  tx.update(incidents)
    .set({
      updatedAt: e.at,
      ...(commander?.userId === e.actor ? { commanderActiveAt: e.at } : {}),
    })
    .where(eq(incidents.id, e.incidentId))
    .run();
  rearmIn(tx, work.card(e.incidentId, e.at), e.at);
}

/**
 * The commander's last event on an incident, for when command changes hands: a new commander who was
 * already active on it counts as active from then.
 */
export function lastEventBy(tx: Pick<Db, 'select'>, incidentId: string, actor: string): Date | null {
  const row = tx
    .select({ at: sql<number | null>`max(${incidentEvents.at})` })
    .from(incidentEvents)
    .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.actor, actor)))
    .get();
  return row?.at == null ? null : new Date(row.at);
}
