import { and, asc, eq, inArray, lte, min, sql } from 'drizzle-orm';
import type { WorkItem } from '../domain/work.js';
import { type Db, IMMEDIATE } from './db.js';
import { dueWork } from './schema.js';

export type DueWorkRow = typeof dueWork.$inferSelect;

/** What may write a row: the database itself, or a transaction a store or service opened. */
type Writer = Pick<Db, 'insert'>;

function values(item: WorkItem, now: Date) {
  return {
    key: item.key,
    kind: item.kind,
    subject: item.subject,
    dueAt: item.dueAt,
    runAt: item.dueAt,
    state: 'pending' as const,
    payload: item.payload === undefined ? null : JSON.stringify(item.payload),
    createdAt: now,
  };
}

/**
 * Inserts work unless its key exists: the same change planned twice (a retry, a second replica, a
 * restart) is one row, so it is done once. Call it inside the transaction that records the change.
 */
export function enqueueIn(tx: Writer, item: WorkItem, now: Date): void {
  tx.insert(dueWork).values(values(item, now)).onConflictDoNothing().run();
}

/**
 * Makes work due again (a card whose incident changed): a finished row becomes pending; a row a runner
 * holds keeps its lease but its generation moves on, so that runner leaves it due when it finishes and
 * the newest state is drawn. A row waiting out a backoff is tried at the new due time.
 */
export function rearmIn(tx: Writer, item: WorkItem, now: Date): void {
  const row = values(item, now);
  tx.insert(dueWork)
    .values(row)
    .onConflictDoUpdate({
      target: dueWork.key,
      set: {
        generation: sql`${dueWork.generation} + 1`,
        dueAt: row.dueAt,
        runAt: sql`case when ${dueWork.state} = 'pending' and ${dueWork.leaseUntil} > ${now.getTime()} then ${dueWork.runAt} else ${row.runAt.getTime()} end`,
        attempts: sql`case when ${dueWork.state} = 'pending' then ${dueWork.attempts} else 0 end`,
        state: 'pending',
        payload: row.payload,
        doneAt: null,
      },
    })
    .run();
}

/** The queue as the runner sees it. Every method is one statement whose conditions make it safe to race. */
export function dueWorkStore(db: Db) {
  return {
    get(key: string): DueWorkRow | undefined {
      return db.select().from(dueWork).where(eq(dueWork.key, key)).get();
    },

    enqueue: (item: WorkItem, now: Date) => enqueueIn(db, item, now),
    rearm: (item: WorkItem, now: Date) => rearmIn(db, item, now),
    rearmMany(items: WorkItem[], now: Date): void {
      db.transaction((tx) => {
        for (const item of items) rearmIn(tx, item, now);
      }, IMMEDIATE);
    },

    /** Keys whose time has come, oldest first: a range scan of the partial index on pending rows. */
    runnable(now: Date, limit: number): Array<Pick<DueWorkRow, 'key' | 'kind'>> {
      return db
        .select({ key: dueWork.key, kind: dueWork.kind })
        .from(dueWork)
        .where(and(eq(dueWork.state, 'pending'), lte(dueWork.runAt, now)))
        .orderBy(asc(dueWork.runAt))
        .limit(limit)
        .all();
    },

    /** When the next pending row may be taken, for a wake-up before the next tick. */
    nextRunAt(): Date | undefined {
      const row = db
        .select({ at: min(dueWork.runAt) })
        .from(dueWork)
        .where(eq(dueWork.state, 'pending'))
        .get();
      return row?.at ?? undefined;
    },

    /**
     * Takes a row for `owner` until `leaseUntil`, if it is pending and its time has come. One conditional
     * update: of two runners (two replicas, or a tick and a request's follow-up) exactly one gets it.
     * Until the lease ends the row is not runnable; a runner that dies leaves it to be taken again then.
     */
    claim(key: string, owner: string, now: Date, leaseUntil: Date): DueWorkRow | undefined {
      return db
        .update(dueWork)
        .set({ leaseOwner: owner, leaseUntil, runAt: leaseUntil, attempts: sql`${dueWork.attempts} + 1` })
        .where(and(eq(dueWork.key, key), eq(dueWork.state, 'pending'), lte(dueWork.runAt, now)))
        .returning()
        .get();
    },

    /**
     * Done, unless it was re-armed meanwhile (another generation): then it is due again at once, so the
     * change that came during the run is not lost. Returns whether the row is finished.
     */
    complete(row: Pick<DueWorkRow, 'key' | 'generation'>, owner: string, now: Date): boolean {
      return db.transaction((tx) => {
        const finished = tx
          .update(dueWork)
          .set({ state: 'done', doneAt: now, leaseOwner: null, leaseUntil: null, lastError: null })
          .where(
            and(
              eq(dueWork.key, row.key),
              eq(dueWork.leaseOwner, owner),
              eq(dueWork.generation, row.generation),
            ),
          )
          .returning({ key: dueWork.key })
          .all();
        if (finished.length) return true;
        tx.update(dueWork)
          .set({ runAt: now, leaseOwner: null, leaseUntil: null })
          .where(and(eq(dueWork.key, row.key), eq(dueWork.leaseOwner, owner)))
          .run();
        return false;
      }, IMMEDIATE);
    },

    /** Gives the row back to run again at `runAt` (a retry, or a wait for working hours). */
    release(key: string, owner: string, runAt: Date, error: string | null): void {
      db.update(dueWork)
        .set({ runAt, leaseOwner: null, leaseUntil: null, lastError: error })
        .where(and(eq(dueWork.key, key), eq(dueWork.leaseOwner, owner)))
        .run();
    },

    /** Gives up on a row that can never succeed (a refusal by the guard, a channel that is gone). */
    fail(key: string, owner: string, now: Date, error: string): void {
      db.update(dueWork)
        .set({ state: 'failed', doneAt: now, leaseOwner: null, leaseUntil: null, lastError: error })
        .where(and(eq(dueWork.key, key), eq(dueWork.leaseOwner, owner)))
        .run();
    },

    /** Finishes pending rows of a subject without running them (e.g. reminders of a resolved handoff). */
    settle(keys: string[], now: Date): void {
      if (!keys.length) return;
      db.update(dueWork)
        .set({ state: 'done', doneAt: now, leaseOwner: null, leaseUntil: null })
        .where(and(inArray(dueWork.key, keys), eq(dueWork.state, 'pending')))
        .run();
    },
  };
}
export type DueWorkStore = ReturnType<typeof dueWorkStore>;
