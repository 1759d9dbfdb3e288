import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { deliveries } from './schema.js';

export interface Delivery {
  key: string;
  kind: string | null;
  channel: string;
  state: 'pending' | 'sent';
  ts: string | null;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
}

export function deliveryStore(db: Db) {
  return {
    get(key: string): Delivery | undefined {
      return db.select().from(deliveries).where(eq(deliveries.key, key)).get();
    },

    /** Records the intent to post before posting. Returns the existing row if there is one. */
    claim(key: string, kind: string, channel: string, at: Date): { delivery: Delivery; fresh: boolean } {
      const inserted = db
        .insert(deliveries)
        .values({ key, kind, channel, state: 'pending', createdAt: at })
        .onConflictDoNothing()
        .returning()
        .get();
      if (inserted) return { delivery: inserted, fresh: true };
      const existing = db.select().from(deliveries).where(eq(deliveries.key, key)).get();
      if (!existing) throw new Error(`delivery ${key} vanished`);
      return { delivery: existing, fresh: false };
    },

    recordAttempt(key: string, error: string | null): void {
      db.update(deliveries)
        .set({ attempts: sql`${deliveries.attempts} + 1`, lastError: error })
        .where(eq(deliveries.key, key))
        .run();
    },

    markSent(key: string, ts: string, channel: string, at: Date): void {
      db.update(deliveries)
        .set({
          state: 'sent',
          ts,
          channel,
          sentAt: at,
          lastError: null,
          attempts: sql`${deliveries.attempts} + 1`,
        })
        .where(and(eq(deliveries.key, key), eq(deliveries.state, 'pending')))
        .run();
    },
  };
}
export type DeliveryStore = ReturnType<typeof deliveryStore>;
