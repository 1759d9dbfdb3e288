import { eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { incidentEvents, incidents } from './schema.js';

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
 * Appends one timeline event inside the caller's transaction and marks the
 * incident changed, so the card's "last change" and the event agree.
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
  tx.update(incidents).set({ updatedAt: e.at }).where(eq(incidents.id, e.incidentId)).run();
}
