import { and, asc, eq, lte, min, sql } from 'drizzle-orm';
import type { WorkItem } from '../domain/work.js';
import { type Db, lazy, transact } from './db.js';
import { dueWork } from './schema.js';

export type DueWorkRow = typeof dueWork.$inferSelect;

const at = (name: string) => sql.placeholder(name);

/**
 * Inserting and re-arming due work, as prepared statements: every change to an incident re-arms its
 * card, so this is on every request's path and must cost microseconds, not a query build each time.
 * The statements run on the database's one connection, inside whatever transaction is open, so a
 * change and the work it makes due are stored together.
 */
export function dueWorkWriter(db: Db) {
  const row = {
    key: at('key'),
    kind: at('kind'),
    subject: at('subject'),
    dueAt: at('dueAt'),
    runAt: at('dueAt'),
    state: 'pending' as const,
    payload: at('payload'),
    createdAt: at('now'),
  };
  const insert = lazy(() => db.insert(dueWork).values(row).onConflictDoNothing().prepare());
  const rearm = lazy(() =>
    db
      .insert(dueWork)
      .values(row)
      .onConflictDoUpdate({
        target: dueWork.key,
        // A row a runner holds keeps its lease; its generation moving on makes that runner leave it due.
        set: {
          generation: sql`${dueWork.generation} + 1`,
          dueAt: sql`excluded.due_at`,
          runAt: sql`case when ${dueWork.state} = 'pending' and ${dueWork.leaseUntil} > ${at('nowMs')} then ${dueWork.runAt} else excluded.run_at end`,
          attempts: sql`case when ${dueWork.state} = 'pending' then ${dueWork.attempts} else 0 end`,
          state: 'pending',
          payload: sql`excluded.payload`,
          doneAt: null,
        },
      })
      .prepare(),
  );
  // Planned work (a nudge) is inserted once; planned again after it was cancelled (its deadline moved
  // away and back), it is due again. A row that ran stays done: that is what keeps it once.
  const plan = lazy(() =>
    db
      .insert(dueWork)
      .values(row)
      .onConflictDoUpdate({
        target: dueWork.key,
        set: {
          state: 'pending',
          dueAt: sql`excluded.due_at`,
          runAt: sql`excluded.run_at`,
          attempts: 0,
          payload: sql`excluded.payload`,
          doneAt: null,
        },
        setWhere: sql`${dueWork.state} = 'cancelled'`,
      })
      .prepare(),
  );
  const params = (item: WorkItem, now: Date) => ({
    key: item.key,
    kind: item.kind,
    subject: item.subject,
    dueAt: item.dueAt,
    payload: item.payload === undefined ? null : JSON.stringify(item.payload),
    now,
    nowMs: now.getTime(),
  });
  return {
    /**
     * Inserts work unless its key exists: the same change planned twice (a retry, a second replica, a
     * restart) is one row, so it is done once.
     */
    enqueue(item: WorkItem, now: Date): void {
      insert().run(params(item, now));
    },
    /**
     * Makes work due again (a card whose incident changed): a finished row becomes pending; a row a
     * runner holds keeps its lease but its generation moves on, so that runner leaves it due when it
     * finishes and the newest state is drawn. A row waiting out a backoff is tried at the new due time.
     */
    rearm(item: WorkItem, now: Date): void {
      rearm().run(params(item, now));
    },
    /** Inserts planned work unless its key exists, and makes it pending again if it had been cancelled. */
    plan(item: WorkItem, now: Date): void {
      plan().run(params(item, now));
    },
  };
}
export type DueWorkWriter = ReturnType<typeof dueWorkWriter>;

/** A time in an UPDATE's SET or a comparison, passed as milliseconds. */
const ms = (name: string) => sql<Date>`${sql.placeholder(name)}`;

/**
 * The queue as the runner sees it. Every method is one statement, prepared once, whose conditions make
 * it safe to race: two runners (two replicas, or a tick and a request's follow-up) can call any of them
 * at once and each row is still taken, finished or given back by exactly one.
 */
export function dueWorkStore(db: Db) {
  const writer = dueWorkWriter(db);
  const byKey = lazy(() =>
    db
      .select()
      .from(dueWork)
      .where(eq(dueWork.key, at('key')))
      .prepare(),
  );
  const due = lazy(() =>
    db
      .select({ key: dueWork.key, kind: dueWork.kind })
      .from(dueWork)
      .where(and(eq(dueWork.state, 'pending'), lte(dueWork.runAt, ms('now'))))
      .orderBy(asc(dueWork.runAt))
      .limit(at('limit'))
      .prepare(),
  );
  const next = lazy(() =>
    db
      .select({ at: min(dueWork.runAt) })
      .from(dueWork)
      .where(eq(dueWork.state, 'pending'))
      .prepare(),
  );
  const held = lazy(() =>
    db
      .select({ key: dueWork.key })
      .from(dueWork)
      .where(and(eq(dueWork.key, at('key')), eq(dueWork.leaseOwner, at('owner'))))
      .prepare(),
  );
  const take = lazy(() =>
    db
      .update(dueWork)
      .set({
        leaseOwner: sql`${at('owner')}`,
        leaseUntil: ms('until'),
        runAt: ms('until'),
        attempts: sql`${dueWork.attempts} + 1`,
      })
      .where(and(eq(dueWork.key, at('key')), eq(dueWork.state, 'pending'), lte(dueWork.runAt, ms('now'))))
      .returning()
      .prepare(),
  );
  // Done if the generation is the one that ran; otherwise re-armed meanwhile, so due again now.
  const finish = lazy(() =>
    db
      .update(dueWork)
      .set({
        state: sql`case when ${dueWork.generation} = ${at('generation')} then 'done' else 'pending' end`,
        doneAt: sql`case when ${dueWork.generation} = ${at('generation')} then ${at('now')} else null end`,
        runAt: sql`case when ${dueWork.generation} = ${at('generation')} then ${dueWork.runAt} else ${at('now')} end`,
        lastError: sql`case when ${dueWork.generation} = ${at('generation')} then null else ${dueWork.lastError} end`,
        leaseOwner: null,
        leaseUntil: null,
      })
      .where(and(eq(dueWork.key, at('key')), eq(dueWork.leaseOwner, at('owner'))))
      .returning({ state: dueWork.state })
      .prepare(),
  );
  const giveBack = lazy(() =>
    db
      .update(dueWork)
      .set({ runAt: ms('runAt'), leaseOwner: null, leaseUntil: null, lastError: sql`${at('error')}` })
      .where(and(eq(dueWork.key, at('key')), eq(dueWork.leaseOwner, at('owner'))))
      .prepare(),
  );
  const dropped = lazy(() =>
    db
      .update(dueWork)
      .set({ state: 'cancelled', doneAt: ms('now'), leaseOwner: null, leaseUntil: null, lastError: null })
      .where(and(eq(dueWork.key, at('key')), eq(dueWork.leaseOwner, at('owner'))))
      .prepare(),
  );
  const giveUp = lazy(() =>
    db
      .update(dueWork)
      .set({
        state: 'failed',
        doneAt: ms('now'),
        leaseOwner: null,
        leaseUntil: null,
        lastError: sql`${at('error')}`,
      })
      .where(and(eq(dueWork.key, at('key')), eq(dueWork.leaseOwner, at('owner'))))
      .prepare(),
  );

  const pendingOf = lazy(() =>
    db
      .select({ key: dueWork.key, runAt: dueWork.runAt, payload: dueWork.payload })
      .from(dueWork)
      .where(
        and(eq(dueWork.subject, at('subject')), eq(dueWork.kind, at('kind')), eq(dueWork.state, 'pending')),
      )
      .prepare(),
  );
  const cancelOne = lazy(() =>
    db
      .update(dueWork)
      .set({ state: 'cancelled', doneAt: ms('now') })
      .where(
        and(
          eq(dueWork.key, at('key')),
          eq(dueWork.state, 'pending'),
          sql`(${dueWork.leaseUntil} is null or ${dueWork.leaseUntil} <= ${at('now')})`,
        ),
      )
      .prepare(),
  );

  return {
    get(key: string): DueWorkRow | undefined {
      return byKey().get({ key });
    },

    /** Runs `fn` as one transaction (or inside the one open): work done under a claim, and the row's finish. */
    atomically: <T>(fn: () => T): T => transact(db, fn),

    /** Whether `owner` still holds the row (no other runner took it after its lease ran out). */
    holds(key: string, owner: string): boolean {
      return held().get({ key, owner }) !== undefined;
    },

    ...writer,
    rearmMany(items: WorkItem[], now: Date): void {
      transact(db, () => {
        for (const item of items) writer.rearm(item, now);
      });
    },

    /** Pending rows about `subject` of one kind (the subject index), e.g. an incident's planned nudges. */
    pendingFor(subject: string, kind: string): Array<Pick<DueWorkRow, 'key' | 'runAt' | 'payload'>> {
      return pendingOf().all({ subject, kind });
    },

    /**
     * Cancels planned rows that no longer apply (a deadline moved, a step done). A row a runner holds now is
     * left alone: its handler checks the facts again before it sends anything.
     */
    cancel(keys: readonly string[], now: Date): void {
      for (const key of keys) cancelOne().run({ key, now: now.getTime() });
    },

    /** Keys whose time has come, oldest first: a range scan of the partial index on pending rows. */
    runnable(now: Date, limit: number): Array<Pick<DueWorkRow, 'key' | 'kind'>> {
      return due().all({ now: now.getTime(), limit });
    },

    /** When the next pending row may be taken, for a wake-up before the next tick. */
    nextRunAt(): Date | undefined {
      return next().get()?.at ?? undefined;
    },

    /**
     * Takes a row for `owner` until `leaseUntil`, if it is pending and its time has come. One conditional
     * update: of two runners exactly one gets it. Until the lease ends the row is not runnable; a runner
     * that dies leaves it to be taken again then.
     */
    claim(key: string, owner: string, now: Date, leaseUntil: Date): DueWorkRow | undefined {
      return take().get({ key, owner, now: now.getTime(), until: leaseUntil.getTime() });
    },

    /**
     * Done, unless it was re-armed meanwhile (another generation): then it is due again at once, so the
     * change that came during the run is not lost. Returns whether the row is finished.
     */
    complete(row: Pick<DueWorkRow, 'key' | 'generation'>, owner: string, now: Date): boolean {
      return (
        finish().get({ key: row.key, owner, generation: row.generation, now: now.getTime() })?.state ===
        'done'
      );
    },

    /** Gives the row back to run again at `runAt` (a retry, or a wait for working hours). */
    release(key: string, owner: string, runAt: Date, error: string | null): void {
      giveBack().run({ key, owner, runAt: runAt.getTime(), error });
    },

    /**
     * Cancels a row whose handler found nothing to do (its facts no longer hold), so planning it again
     * makes it due, where a finished row would stay done.
     */
    drop(key: string, owner: string, now: Date): void {
      dropped().run({ key, owner, now: now.getTime() });
    },

    /** Gives up on a row that can never succeed (a refusal by the guard, a channel that is gone). */
    fail(key: string, owner: string, now: Date, error: string): void {
      giveUp().run({ key, owner, now: now.getTime(), error });
    },
  };
}
export type DueWorkStore = ReturnType<typeof dueWorkStore>;
