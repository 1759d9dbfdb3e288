import { and, eq, isNull, sql } from 'drizzle-orm';
import type { StepRecord } from '../domain/deadlines.js';
import { type Db, lazy } from './db.js';
import { incidentSteps, nudgeDms } from './schema.js';
import { timelineWriter } from './timeline.js';

const p = (name: string) => sql.placeholder(name);

/**
 * What happened to each step of an incident's process, and the nudge lines waiting for people. Every
 * change to a step is a timeline event in the same transaction (callers open it), so the card and the
 * nudges follow.
 */
export function stepStore(db: Db) {
  const timeline = timelineWriter(db);
  const ofIncident = lazy(() =>
    db
      .select()
      .from(incidentSteps)
      .where(eq(incidentSteps.incidentId, p('incidentId')))
      .prepare(),
  );

  function upsert(incidentId: string, stepId: string, set: Partial<typeof incidentSteps.$inferInsert>) {
    db.insert(incidentSteps)
      .values({ incidentId, stepId, ...set })
      .onConflictDoUpdate({ target: [incidentSteps.incidentId, incidentSteps.stepId], set })
      .run();
  }

  return {
    /** Each step's record by step id; a step with no record is open and due when the profile says. */
    records(incidentId: string): Record<string, StepRecord> {
      const out: Record<string, StepRecord> = {};
      for (const r of ofIncident().all({ incidentId })) out[r.stepId] = r;
      return out;
    },

    /** Done by a person (or skipped with a reason when the incident moved on without it). */
    settle(
      incidentId: string,
      step: { id: string; name: string },
      outcome: 'done' | 'skipped',
      by: string,
      at: Date,
      reason: string | null,
    ): void {
      upsert(incidentId, step.id, { outcome, outcomeAt: at, outcomeBy: by, outcomeReason: reason });
      timeline.append({
        incidentId,
        at,
        actor: by,
        type: outcome === 'done' ? 'step_done' : 'step_skipped',
        field: step.id,
        newValue: reason ? { step: step.name, reason } : { step: step.name },
      });
    },

    /** Open again: a step marked done by mistake, or skipped ones when an incident is reopened. */
    reopen(incidentId: string, step: { id: string; name: string }, by: string, at: Date): void {
      upsert(incidentId, step.id, { outcome: null, outcomeAt: null, outcomeBy: null, outcomeReason: null });
      timeline.append({
        incidentId,
        at,
        actor: by,
        type: 'step_reopened',
        field: step.id,
        newValue: { step: step.name },
      });
    },

    /**
     * The release step's date as it turned out (the announcement's actual time), so the steps counted from
     * the release date count from it. No event of its own: the caller records the publication.
     */
    released(incidentId: string, stepId: string, at: Date): void {
      upsert(incidentId, stepId, { dueAt: at });
    },

    /** The Fix Lead (or the commander) moves a step's deadline; the timeline keeps old, new and why. */
    moveDue(
      incidentId: string,
      step: { id: string; name: string },
      from: Date,
      to: Date,
      by: string,
      at: Date,
      reason: string,
    ): void {
      upsert(incidentId, step.id, { dueAt: to, dueMovedBy: by, dueMovedAt: at, dueReason: reason });
      timeline.append({
        incidentId,
        at,
        actor: by,
        type: 'deadline_moved',
        field: step.id,
        oldValue: from.getTime(),
        newValue: { step: step.name, due: to.getTime(), reason },
      });
    },
  };
}
export type StepStore = ReturnType<typeof stepStore>;

export type NudgeLine = typeof nudgeDms.$inferSelect;

/** The nudge lines waiting to reach people by DM, gathered into one DM per person. */
export function nudgeDmStore(db: Db) {
  const waitingFor = lazy(() =>
    db
      .select()
      .from(nudgeDms)
      .where(and(eq(nudgeDms.userId, p('userId')), isNull(nudgeDms.digestKey)))
      .prepare(),
  );
  const take = lazy(() =>
    db
      .update(nudgeDms)
      .set({ digestKey: sql`${p('digestKey')}` })
      .where(and(eq(nudgeDms.userId, p('userId')), isNull(nudgeDms.digestKey)))
      .prepare(),
  );
  const taken = lazy(() =>
    db
      .select()
      .from(nudgeDms)
      .where(eq(nudgeDms.digestKey, p('digestKey')))
      .prepare(),
  );
  return {
    /** Adds a line for a person unless this nudge already gave them one. */
    add(line: Omit<NudgeLine, 'digestKey'>): void {
      db.insert(nudgeDms)
        .values({ ...line, digestKey: null })
        .onConflictDoNothing()
        .run();
    },
    /** The key of a nudge line still waiting for `userId`'s next DM, if any. */
    waitingLine(userId: string): string | undefined {
      return waitingFor().all({ userId })[0]?.nudgeKey;
    },
    /**
     * The lines a DM carries: those it took before (a retry after a crash sends the same DM), plus any still
     * waiting, which it takes now, in one statement, so two DMs never carry one line.
     */
    takeFor(userId: string, digestKey: string): NudgeLine[] {
      take().run({ userId, digestKey });
      return taken().all({ digestKey });
    },
  };
}
export type NudgeDmStore = ReturnType<typeof nudgeDmStore>;
