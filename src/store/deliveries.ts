import { and, eq, sql } from 'drizzle-orm';
import { type Db, lazy } from './db.js';
import { deliveries } from './schema.js';

export interface Delivery {
  key: string;
  kind: string | null;
  channel: string;
  state: 'pending' | 'sent';
  ts: string | null;
  createdAt: Date;
  attemptedAt: Date | null;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
}

const p = (name: string) => sql.placeholder(name);
/** A time in an UPDATE's SET, passed as milliseconds. */
const ms = (name: string) => sql<Date>`${sql.placeholder(name)}`;

/** The outbox's record of every message, prepared once: each send reads and writes it twice. */
export function deliveryStore(db: Db) {
  const byKey = lazy(() =>
    db
      .select()
      .from(deliveries)
      .where(eq(deliveries.key, p('key')))
      .prepare(),
  );
  const intend = lazy(() =>
    db
      .insert(deliveries)
      .values({ key: p('key'), kind: p('kind'), channel: p('channel'), state: 'pending', createdAt: p('at') })
      .onConflictDoNothing()
      .returning()
      .prepare(),
  );
  const attempted = lazy(() =>
    db
      .update(deliveries)
      .set({ attempts: sql`${deliveries.attempts} + 1`, lastError: sql`${p('error')}` })
      .where(eq(deliveries.key, p('key')))
      .prepare(),
  );
  const sent = lazy(() =>
    db
      .update(deliveries)
      .set({
        state: 'sent',
        ts: sql`${p('ts')}`,
        channel: sql`${p('channel')}`,
        sentAt: ms('at'),
        lastError: null,
        attempts: sql`${deliveries.attempts} + 1`,
      })
      .where(and(eq(deliveries.key, p('key')), eq(deliveries.state, 'pending')))
      .prepare(),
  );
  const retrying = lazy(() =>
    db
      .update(deliveries)
      .set({ attemptedAt: ms('at') })
      .where(eq(deliveries.key, p('key')))
      .prepare(),
  );
  const gone = lazy(() =>
    db
      .delete(deliveries)
      .where(and(eq(deliveries.key, p('key')), eq(deliveries.ts, p('ts'))))
      .prepare(),
  );

  return {
    get(key: string): Delivery | undefined {
      return byKey().get({ key });
    },

    /** Records the intent to post before posting. Returns the existing row if there is one. */
    claim(key: string, kind: string, channel: string, at: Date): { delivery: Delivery; fresh: boolean } {
      const inserted = intend().get({ key, kind, channel, at });
      if (inserted) return { delivery: inserted, fresh: true };
      const existing = byKey().get({ key });
      if (!existing) throw new Error(`delivery ${key} vanished`);
      return { delivery: existing, fresh: false };
    },

    /** A retry is about to send: the history window a later lookup reads reaches this far. */
    retrying(key: string, at: Date): void {
      retrying().run({ key, at: at.getTime() });
    },

    recordAttempt(key: string, error: string | null): void {
      attempted().run({ key, error });
    },

    /** Drops the record of a message that is gone from Slack (only if it still names that message). */
    forget(key: string, ts: string): void {
      gone().run({ key, ts });
    },

    markSent(key: string, ts: string, channel: string, at: Date): void {
      sent().run({ key, ts, channel, at: at.getTime() });
    },
  };
}
export type DeliveryStore = ReturnType<typeof deliveryStore>;
