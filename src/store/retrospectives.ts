import { asc, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { retrospectiveFeedback, retrospectives } from './schema.js';

export type RetrospectiveRow = typeof retrospectives.$inferSelect;
export type FeedbackRow = typeof retrospectiveFeedback.$inferSelect;

/** An incident's retrospective (drafted, posted, done) and the feedback people added to it. */
export function retrospectiveStore(db: Db) {
  return {
    get(incidentId: string): RetrospectiveRow | undefined {
      return db.select().from(retrospectives).where(eq(retrospectives.incidentId, incidentId)).get();
    },

    /** The draft's first post: recorded once (a later redraw keeps the first time and message). */
    drafted(incidentId: string, at: Date, ts: string): void {
      db.insert(retrospectives)
        .values({ incidentId, draftedAt: at, postedTs: ts })
        .onConflictDoNothing()
        .run();
    },

    /** Marked done by `by`; the caller records the step's outcome in the same transaction. */
    markDone(incidentId: string, by: string, at: Date): void {
      db.insert(retrospectives)
        .values({ incidentId, draftedAt: at, doneBy: by, doneAt: at })
        .onConflictDoUpdate({ target: retrospectives.incidentId, set: { doneBy: by, doneAt: at } })
        .run();
    },

    /** Adds feedback unless this submission (`source`) added it already; returns whether it was added. */
    addFeedback(f: { incidentId: string; author: string; text: string; at: Date; source: string }): boolean {
      const r = db.insert(retrospectiveFeedback).values(f).onConflictDoNothing().run();
      return r.changes > 0;
    },

    feedback(incidentId: string): FeedbackRow[] {
      return db
        .select()
        .from(retrospectiveFeedback)
        .where(eq(retrospectiveFeedback.incidentId, incidentId))
        .orderBy(asc(retrospectiveFeedback.at), asc(retrospectiveFeedback.id))
        .all();
    },
  };
}
export type RetrospectiveStore = ReturnType<typeof retrospectiveStore>;
