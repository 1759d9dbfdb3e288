import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { type Db, lazy, transact } from './db.js';
import { coverRequests, handoffSnapshot, overrides, rotation } from './schema.js';

export type RotationRow = typeof rotation.$inferSelect;
export type OverrideRow = typeof overrides.$inferSelect;
export type CoverRequestRow = typeof coverRequests.$inferSelect;
export type SnapshotRow = typeof handoffSnapshot.$inferSelect;

const SINGLETON = 1;

export function rotationStore(db: Db) {
  // Prepared once: who is on call is read at every intake and every scheduler tick.
  const theRules = lazy(() => db.select().from(rotation).where(eq(rotation.id, SINGLETON)).prepare());
  const touching = lazy(() =>
    db
      .select()
      .from(overrides)
      .where(
        and(
          isNull(overrides.deletedAt),
          lt(overrides.start, sql`${sql.placeholder('to')}`),
          gt(overrides.end, sql`${sql.placeholder('from')}`),
        ),
      )
      .orderBy(asc(overrides.createdAt))
      .prepare(),
  );

  return {
    rules(): RotationRow | undefined {
      return theRules().get();
    },

    saveRules(r: Omit<RotationRow, 'id'>): void {
      db.insert(rotation)
        .values({ id: SINGLETON, ...r })
        .onConflictDoUpdate({ target: rotation.id, set: { ...r, feedToken: undefined } })
        .run();
    },

    setFeedToken(token: string): boolean {
      return (
        db.update(rotation).set({ feedToken: token }).where(eq(rotation.id, SINGLETON)).returning().all()
          .length > 0
      );
    },

    /** Someone's overrides that have not ended by `from` (what they would leave behind). */
    overridesOf(userId: string, from: Date): OverrideRow[] {
      return db
        .select()
        .from(overrides)
        .where(and(eq(overrides.userId, userId), gt(overrides.end, from), isNull(overrides.deletedAt)))
        .orderBy(asc(overrides.start))
        .all();
    },

    deleteOverride(id: string, at: Date): void {
      db.update(overrides).set({ deletedAt: at }).where(eq(overrides.id, id)).run();
    },

    /** A new order of the rotation (the rest of the rules unchanged). */
    setOrder(order: string[], by: string, at: Date): void {
      db.update(rotation)
        .set({ order: JSON.stringify(order), updatedAt: at, updatedBy: by })
        .where(eq(rotation.id, SINGLETON))
        .run();
    },

    addOverride(o: Omit<OverrideRow, 'deletedAt'>): OverrideRow {
      return db.insert(overrides).values(o).returning().get();
    },

    /** Live overrides touching [from, to). */
    overrides(from: Date, to: Date): OverrideRow[] {
      return touching().all({ from: from.getTime(), to: to.getTime() });
    },

    addCoverRequest(c: Omit<CoverRequestRow, 'takenBy' | 'takenAt' | 'overrideId'>): CoverRequestRow {
      return db.insert(coverRequests).values(c).returning().get();
    },

    openCoverRequests(requestedBy: string): CoverRequestRow[] {
      return db
        .select()
        .from(coverRequests)
        .where(and(eq(coverRequests.requestedBy, requestedBy), isNull(coverRequests.takenBy)))
        .all();
    },

    coverRequest(id: string): CoverRequestRow | undefined {
      return db.select().from(coverRequests).where(eq(coverRequests.id, id)).get();
    },

    /**
     * Takes a cover request and records its override in one transaction. The
     * `taken_by IS NULL` condition makes two simultaneous presses safe: exactly
     * one update changes a row, the other learns it lost.
     */
    takeCover(id: string, userId: string, at: Date, override: Omit<OverrideRow, 'deletedAt'>): boolean {
      return transact(db, () => {
        const taken = db
          .update(coverRequests)
          .set({ takenBy: userId, takenAt: at, overrideId: override.id })
          .where(and(eq(coverRequests.id, id), isNull(coverRequests.takenBy)))
          .returning()
          .all();
        if (taken.length === 0) return false;
        db.insert(overrides).values(override).run();
        return true;
      });
    },

    snapshot(): SnapshotRow | undefined {
      return db.select().from(handoffSnapshot).where(eq(handoffSnapshot.id, SINGLETON)).get();
    },

    /** Moves the snapshot only from the state the caller saw, so two runners can't both announce. */
    advanceSnapshot(seen: SnapshotRow | undefined, next: Omit<SnapshotRow, 'id'>): boolean {
      if (!seen) {
        return (
          db
            .insert(handoffSnapshot)
            .values({ id: SINGLETON, ...next })
            .onConflictDoNothing()
            .returning()
            .all().length > 0
        );
      }
      return (
        db
          .update(handoffSnapshot)
          .set(next)
          .where(and(eq(handoffSnapshot.id, SINGLETON), eq(handoffSnapshot.announcedAt, seen.announcedAt)))
          .returning()
          .all().length > 0
      );
    },
  };
}
export type RotationStore = ReturnType<typeof rotationStore>;
