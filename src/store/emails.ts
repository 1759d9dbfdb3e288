import { and, eq, inArray } from 'drizzle-orm';
import { type Db, transact } from './db.js';
import { emails } from './schema.js';

export type EmailRow = typeof emails.$inferSelect;
export type EmailState = EmailRow['state'];

/**
 * The emails srp sends, each recorded before its send. Every change of state is a conditional update,
 * so two runners (or a runner and a person pressing a button) can never both move one email on.
 */
export function emailStore(db: Db) {
  const get = (key: string): EmailRow | undefined =>
    db.select().from(emails).where(eq(emails.key, key)).get();
  return {
    get,

    /** Records the email if it is new; returns the row as it is now either way. */
    record(e: { key: string; incidentId: string; textId: string; messageId: string }, at: Date): EmailRow {
      return transact(db, () => {
        db.insert(emails)
          .values({ ...e, state: 'pending', createdAt: at })
          .onConflictDoNothing()
          .run();
        return get(e.key) as EmailRow;
      });
    },

    /** Moves `key` from one of `from` to `to`; false if it was not in one of them (someone else moved it). */
    move(key: string, from: readonly EmailState[], to: EmailState, patch: Partial<EmailRow> = {}): boolean {
      return (
        db
          .update(emails)
          .set({ ...patch, state: to })
          .where(and(eq(emails.key, key), inArray(emails.state, [...from])))
          .run().changes === 1
      );
    },

    ofIncident(incidentId: string): EmailRow[] {
      return db.select().from(emails).where(eq(emails.incidentId, incidentId)).all();
    },
  };
}
export type EmailStore = ReturnType<typeof emailStore>;
