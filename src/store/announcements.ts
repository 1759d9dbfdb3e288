import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from './db.js';
import { announcements } from './schema.js';
import { type NewEvent, timelineWriter } from './timeline.js';

export type AnnouncementRow = typeof announcements.$inferSelect;
export type AnnouncementState = AnnouncementRow['state'];

/**
 * The announcement's hand-over to Slack, per incident and generation (see the table's comment). Every change
 * is one conditional statement, so two runners (two replicas, or a tick and a request's follow-up) racing
 * over one generation cannot both move it: the one whose `from` no longer holds learns it lost.
 */
export function announcementStore(db: Db) {
  const timeline = timelineWriter(db);
  return {
    /** A timeline event of the disclosure (scheduled, cancelled, published), in the caller's transaction. */
    event(e: NewEvent): void {
      timeline.append(e);
    },

    get(incidentId: string, generation: number): AnnouncementRow | undefined {
      return db
        .select()
        .from(announcements)
        .where(and(eq(announcements.incidentId, incidentId), eq(announcements.generation, generation)))
        .get();
    },

    /** Earlier generations Slack may still hold or post (or whose fate is not known yet). */
    liveBefore(incidentId: string, generation: number): AnnouncementRow[] {
      return db
        .select()
        .from(announcements)
        .where(
          and(
            eq(announcements.incidentId, incidentId),
            lt(announcements.generation, generation),
            inArray(announcements.state, ['planned', 'intent', 'scheduled', 'undeletable']),
          ),
        )
        .all();
    },

    /** A new generation (call inside the scheduling's transaction). */
    plan(
      row: Pick<AnnouncementRow, 'incidentId' | 'generation' | 'hash' | 'text' | 'postAt'>,
      at: Date,
    ): void {
      db.insert(announcements)
        .values({ ...row, state: 'planned', createdAt: at, updatedAt: at })
        .onConflictDoNothing()
        .run();
    },

    /** Moves a generation on, only from one of `from`; false when it was no longer there. */
    move(
      incidentId: string,
      generation: number,
      from: readonly AnnouncementState[],
      to: AnnouncementState,
      at: Date,
      scheduledMessageId?: string | null,
    ): boolean {
      return (
        db
          .update(announcements)
          .set({
            state: to,
            updatedAt: at,
            ...(scheduledMessageId === undefined ? {} : { scheduledMessageId }),
          })
          .where(
            and(
              eq(announcements.incidentId, incidentId),
              eq(announcements.generation, generation),
              inArray(announcements.state, [...from]),
            ),
          )
          .run().changes === 1
      );
    },
  };
}
export type AnnouncementStore = ReturnType<typeof announcementStore>;
