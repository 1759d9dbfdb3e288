import { and, asc, eq, lte } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotYet, type WorkItem, type WorkKind, work } from '../../src/domain/work.js';
import { createLogger } from '../../src/logger.js';
import { GuardRefusal } from '../../src/outbox/errors.js';
import { type DatabaseWork, DueWorkRunner, type WorkHandler } from '../../src/scheduler/runner.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/db.js';
import { type DueWorkRow, dueWorkStore } from '../../src/store/dueWork.js';
import { dueWork } from '../../src/store/schema.js';
import { TestClock } from '../support/clock.js';
import { tempDir } from '../support/tempDir.js';

const T0 = new Date('2026-11-30T12:00:00Z');
const SECOND = 1000;
const log = createLogger('silent');

let tmp: ReturnType<typeof tempDir>;
let dbs: Db[];
let clock: TestClock;
/** Every handler call, in order: the row's key and generation. */
let calls: Array<{ key: string; owner: string; generation: number }>;

function open(): Db {
  const db = openDatabase(tmp.path('srp.db'));
  dbs.push(db);
  return db;
}

/** A runner on its own connection to the shared file, as a second replica would have. */
function runner(owner: string, handle: WorkHandler = async () => {}, db = open(), perDrain = {}) {
  const record: WorkHandler = async (row) => {
    calls.push({ key: row.key, owner, generation: row.generation });
    await handle(row);
  };
  const handlers = new Proxy({} as Record<WorkKind, WorkHandler>, { get: () => record });
  return {
    store: dueWorkStore(db),
    runner: new DueWorkRunner({ store: dueWorkStore(db), clock, log, owner, handlers, perDrain }),
  };
}

const cardOf = (n: number): WorkItem => work.card(`SRP-2026-${String(n).padStart(3, '0')}`, T0);

beforeEach(() => {
  tmp = tempDir();
  dbs = [];
  clock = new TestClock(T0);
  calls = [];
});
afterEach(() => {
  for (const db of dbs) closeDatabase(db);
  tmp.cleanup();
});

describe('the due-work runner', () => {
  it('runs a due row once and marks it done; planning it again changes nothing', async () => {
    const { store, runner: r } = runner('a');
    store.enqueue(cardOf(1), T0);
    expect(await r.drain()).toEqual({ ran: 1, retried: 0, failed: 0 });
    store.enqueue(cardOf(1), T0);
    await r.drain();
    expect(calls.map((c) => c.key)).toEqual(['card:SRP-2026-001']);
    expect(store.get('card:SRP-2026-001')).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('leaves work alone until its time, then runs it', async () => {
    const { store, runner: r } = runner('a');
    store.enqueue(work.commanderHandoffReminder(7, 1, new Date(T0.getTime() + 2 * 3600 * SECOND)), T0);
    await r.drain();
    expect(calls).toEqual([]);
    clock.advance(2 * 3600 * SECOND);
    await r.drain();
    expect(calls.map((c) => c.key)).toEqual(['ic-handoff-reminder:7:1']);
  });

  it('two runners draining the same file at once run every row exactly once', async () => {
    const slow: WorkHandler = () => new Promise((res) => setTimeout(res, 1));
    const a = runner('a', slow);
    const b = runner('b', slow);
    for (let n = 1; n <= 60; n++) a.store.enqueue(cardOf(n), T0);
    await Promise.all([a.runner.drain(), b.runner.drain(), a.runner.run(['card:SRP-2026-007'])]);
    const keys = calls.map((c) => c.key);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    expect(new Set(calls.map((c) => c.owner))).toEqual(new Set(['a', 'b']));
  });

  it('a runner that dies holding a row leaves it to be taken again after the lease, once', async () => {
    const a = runner('a');
    a.store.enqueue(cardOf(1), T0);
    // As if runner a took the row and was killed before finishing it.
    expect(a.store.claim('card:SRP-2026-001', 'a', T0, new Date(T0.getTime() + 60 * SECOND))).toBeDefined();
    const b = runner('b');
    await b.runner.drain();
    expect(calls).toEqual([]);
    clock.advance(61 * SECOND);
    await b.runner.drain();
    await b.runner.drain();
    expect(calls).toEqual([{ key: 'card:SRP-2026-001', owner: 'b', generation: 0 }]);
    // The dead runner's late completion cannot touch a row it no longer holds.
    expect(a.store.complete({ key: 'card:SRP-2026-001', generation: 0 }, 'a', clock.now())).toBe(false);
    expect(b.store.get('card:SRP-2026-001')).toMatchObject({ state: 'done', leaseOwner: null });
  });

  it('re-arming a row while it runs runs it again at once, so the newest state is drawn', async () => {
    let store!: ReturnType<typeof dueWorkStore>;
    const r = runner('a', async (row: DueWorkRow) => {
      if (row.generation === 0) store.rearm(cardOf(1), clock.now());
    });
    store = r.store;
    store.enqueue(cardOf(1), T0);
    await r.runner.run(['card:SRP-2026-001']);
    expect(calls.map((c) => c.generation)).toEqual([0, 1]);
    expect(store.get('card:SRP-2026-001')).toMatchObject({ state: 'done', generation: 1 });
  });

  it('retries a transient failure after a growing backoff, or after Slack’s Retry-After', async () => {
    let failures = 2;
    const { store, runner: r } = runner('a', async () => {
      if (failures-- > 0) throw Object.assign(new Error('boom'), { statusCode: 500 });
    });
    store.enqueue(cardOf(1), T0);
    expect(await r.drain()).toEqual({ ran: 0, retried: 1, failed: 0 });
    expect(store.get('card:SRP-2026-001')).toMatchObject({
      state: 'pending',
      lastError: 'http_500',
      runAt: new Date(T0.getTime() + 30 * SECOND),
    });
    clock.advance(30 * SECOND);
    await r.drain();
    // The second failure waits twice as long.
    expect(store.get('card:SRP-2026-001')?.runAt).toEqual(new Date(clock.now().getTime() + 60 * SECOND));
    clock.advance(60 * SECOND);
    await r.drain();
    expect(store.get('card:SRP-2026-001')).toMatchObject({ state: 'done', attempts: 3 });

    const limited = runner('b', async () => {
      throw Object.assign(new Error('slow down'), { retryAfter: 7 });
    });
    limited.store.enqueue(cardOf(2), clock.now());
    await limited.runner.drain();
    expect(limited.store.get('card:SRP-2026-002')?.runAt).toEqual(
      new Date(clock.now().getTime() + 7 * SECOND),
    );
  });

  it('gives up at once on a permanent failure and logs no more than its code', async () => {
    const { store, runner: r } = runner('a', async () => {
      throw new GuardRefusal('refused to post to CANNOUNCE1: nothing before disclosure');
    });
    store.enqueue(cardOf(1), T0);
    expect(await r.drain()).toEqual({ ran: 0, retried: 0, failed: 1 });
    clock.advance(3600 * SECOND);
    await r.drain();
    expect(calls).toHaveLength(1);
    expect(store.get('card:SRP-2026-001')).toMatchObject({ state: 'failed', lastError: 'srp_guard_refusal' });
  });

  it('a handler that says "not yet" waits until then without counting as a failure', async () => {
    const later = new Date(T0.getTime() + 5 * 3600 * SECOND);
    let first = true;
    const { store, runner: r } = runner('a', async () => {
      if (first) {
        first = false;
        throw new NotYet(later);
      }
    });
    store.enqueue(cardOf(1), T0);
    expect(await r.drain()).toEqual({ ran: 0, retried: 0, failed: 0 });
    expect(store.get('card:SRP-2026-001')).toMatchObject({ runAt: later, lastError: null });
    clock.set(later);
    await r.drain();
    expect(store.get('card:SRP-2026-001')?.state).toBe('done');
  });

  it('takes at most its share of a kind per drain, and pauses a kind Slack rate-limits', async () => {
    const paced = runner('a', async () => {}, open(), { card: 3 });
    for (let n = 1; n <= 10; n++) paced.store.enqueue(cardOf(n), T0);
    paced.store.enqueue(work.receipt('SRP-2026-001', 'UREPORTER1', T0), T0);
    await paced.runner.drain();
    expect(calls.map((c) => c.key)).toEqual([
      'card:SRP-2026-001',
      'card:SRP-2026-002',
      'card:SRP-2026-003',
      'receipt:SRP-2026-001',
    ]);

    calls = [];
    const limited = runner('b', async () => {
      throw Object.assign(new Error('ratelimited'), { retryAfter: 30 });
    });
    await limited.runner.drain();
    // The first card met the rate limit; the other six waited for the next drain without a call.
    expect(calls.map((c) => c.key)).toEqual(['card:SRP-2026-004']);
  });

  it('answers requests between rows: work that never waits (a replan) does not hold the loop for the drain', async () => {
    // Handlers that finish synchronously, as a schedule's replan does: nothing in them yields.
    const { store, runner: r } = runner('a', () => Promise.resolve());
    for (let n = 1; n <= 5; n++) store.enqueue(cardOf(n), T0);
    // A request arriving as the drain starts (an I/O callback, a timer or setImmediate all wait for a yield).
    let answeredAfter = -1;
    setImmediate(() => {
      answeredAfter = calls.length;
    });
    expect(await r.drain()).toEqual({ ran: 5, retried: 0, failed: 0 });
    expect(answeredAfter).toBeGreaterThanOrEqual(0);
    expect(answeredAfter).toBeLessThan(5);
  });

  describe('database-only work (a replan)', () => {
    /** A runner whose every kind is database-only work `database`, on its own connection. */
    function databaseRunner(owner: string, database: DatabaseWork['database'], db = open()) {
      const handler: DatabaseWork = {
        database: (row) => {
          calls.push({ key: row.key, owner, generation: row.generation });
          return database(row);
        },
      };
      const handlers = new Proxy({} as Record<WorkKind, DatabaseWork>, { get: () => handler });
      const store = dueWorkStore(db);
      return { db, store, runner: new DueWorkRunner({ store, clock, log, owner, handlers }) };
    }

    it('is done and finished in one transaction, and the keys it made due run after it', async () => {
      // Another connection (another replica) looking while the work runs: it sees the row taken (the claim
      // is committed first), nothing of the work yet; the work and the finish are one commit.
      const other = dueWorkStore(open());
      const seenMeanwhile: Array<Partial<DueWorkRow> | undefined> = [];
      const r = databaseRunner('a', (row) => {
        seenMeanwhile.push(other.get(row.key));
        if (row.key !== 'card:SRP-2026-001') return [];
        r.store.enqueue(cardOf(2), clock.now());
        expect(other.get('card:SRP-2026-002')).toBeUndefined();
        return ['card:SRP-2026-002'];
      });
      r.store.enqueue(cardOf(1), T0);
      await r.runner.run(['card:SRP-2026-001']);
      expect(calls.map((c) => c.key)).toEqual(['card:SRP-2026-001', 'card:SRP-2026-002']);
      expect(seenMeanwhile[0]).toMatchObject({ state: 'pending', attempts: 1, leaseOwner: 'a#1' });
      expect(other.get('card:SRP-2026-001')).toMatchObject({ state: 'done', attempts: 1, leaseOwner: null });
      expect(other.get('card:SRP-2026-002')).toMatchObject({ state: 'done', attempts: 1 });
    });

    it('a failure undoes what the work wrote, never the claim: the row waits for its retry', async () => {
      let fail = true;
      const r = databaseRunner('a', () => {
        r.store.enqueue(cardOf(9), clock.now());
        if (fail) throw new Error('replan failed');
        return [];
      });
      r.store.enqueue(cardOf(1), T0);
      expect(await r.runner.drain()).toEqual({ ran: 0, retried: 1, failed: 0 });
      expect(r.store.get('card:SRP-2026-009')).toBeUndefined();
      expect(r.store.get('card:SRP-2026-001')).toMatchObject({
        state: 'pending',
        attempts: 1,
        leaseOwner: null,
        runAt: new Date(T0.getTime() + 30 * SECOND),
      });
      fail = false;
      clock.advance(30 * SECOND);
      await r.runner.drain();
      expect(r.store.get('card:SRP-2026-001')).toMatchObject({ state: 'done', attempts: 2 });
      expect(r.store.get('card:SRP-2026-009')?.state).toBe('done');
    });

    it('whose lease another runner took meanwhile (a process paused past it) is not done, and leaves the row to that runner', async () => {
      const r = databaseRunner('a', () => {
        r.store.enqueue(cardOf(9), clock.now());
        return [];
      });
      r.store.enqueue(cardOf(1), T0);
      // Between the claim and the work, the lease ran out and runner b took the row (on its own connection).
      const other = open();
      const claim = r.store.claim;
      r.store.claim = (...args) => {
        const row = claim(...args);
        if (row) other.$client.prepare("update due_work set lease_owner = 'b#1' where key = ?").run(row.key);
        return row;
      };
      expect(await r.runner.drain()).toEqual({ ran: 0, retried: 0, failed: 0 });
      expect(calls).toEqual([]);
      expect(r.store.get('card:SRP-2026-009')).toBeUndefined();
      expect(r.store.get('card:SRP-2026-001')).toMatchObject({ state: 'pending', leaseOwner: 'b#1' });
    });

    it('failing five times is a fault, not an outage: the row fails for good', async () => {
      const r = databaseRunner('a', () => {
        throw new Error('no such rotation zone');
      });
      r.store.enqueue(cardOf(1), T0);
      for (let tries = 1; tries <= 4; tries++) {
        expect(await r.runner.drain()).toEqual({ ran: 0, retried: 1, failed: 0 });
        clock.advance(60 * SECOND);
      }
      expect(await r.runner.drain()).toEqual({ ran: 0, retried: 0, failed: 1 });
      expect(r.store.get('card:SRP-2026-001')).toMatchObject({ state: 'failed', attempts: 5 });
    });

    it('two runners on one file still run each row once', async () => {
      const a = databaseRunner('a', () => []);
      const b = databaseRunner('b', () => []);
      for (let n = 1; n <= 20; n++) a.store.enqueue(cardOf(n), T0);
      await Promise.all([a.runner.drain(), b.runner.drain()]);
      expect(calls).toHaveLength(20);
      expect(new Set(calls.map((c) => c.key)).size).toBe(20);
    });
  });

  it('finds due work with the partial index on pending rows, however many rows are done', () => {
    const db = open();
    // The store's query, as drizzle sends it (state bound as a parameter).
    const q = db
      .select({ key: dueWork.key })
      .from(dueWork)
      .where(and(eq(dueWork.state, 'pending'), lte(dueWork.runAt, T0)))
      .orderBy(asc(dueWork.runAt))
      .limit(50)
      .toSQL();
    const plan = db.$client.prepare(`explain query plan ${q.sql}`).all(...q.params) as Array<{
      detail: string;
    }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX due_work_runnable/);
  });
});
