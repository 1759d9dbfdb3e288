import type { Clock } from '../clock.js';
import { LeaseLost, Moot, NotYet, type WorkKind } from '../domain/work.js';
import type { Logger } from '../logger.js';
import { errorCode, isPermanent, retryAfterMs } from '../outbox/errors.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';

/**
 * Does one row's work; throws to have it retried (or given up, when the error is permanent). It may return
 * the keys of work it made due now (a nudge's DM, the nudges a schedule planned), which run right after it.
 */
export type WorkHandler = (row: DueWorkRow) => Promise<unknown>;

/**
 * Work that only reads and writes the database (a replan: it never waits on Slack). The runner runs it and
 * finishes its row in one transaction: nothing half-done is ever seen, a failure leaves nothing behind but
 * the attempt, and it costs one commit after the claim. It returns the keys it made due now.
 */
export interface DatabaseWork {
  database: (row: DueWorkRow) => readonly string[];
}

/** How long a runner holds a row: far longer than any handler's Slack calls (each times out at 10 s). */
const LEASE_MS = 60_000;
const FIRST_RETRY_MS = 30_000;
/**
 * Retries back off to once a minute, no slower: when Slack comes back after an outage, a card changed
 * during it must show the change within a couple of minutes (a 429's Retry-After is honoured as given).
 */
const MAX_RETRY_MS = 60_000;
/** How many times a row re-armed while it ran (a card changed while it was drawn) is run again at once. */
const MAX_RERUNS = 3;
/** Tries of database-only work before its failure is logged as an error and the row failed for good. */
const DATABASE_WORK_TRIES = 5;
/** At most this many rows run as the follow-up of one request (work that made more work due now). */
const MAX_FOLLOW_UPS = 200;
/** Rows looked at per query while draining. */
const BATCH = 50;

/**
 * At most this many rows of a kind per drain; drains come once a minute, so this paces a backlog under
 * the Slack method's rate limit (chat.update is Tier 3, about 50 a minute) instead of hitting 429s.
 */
const DEFAULT_PER_DRAIN = 100;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Outcome = 'done' | 'skipped' | 'later' | 'retry' | 'rate_limited' | 'failed';

export interface RunnerOptions {
  store: DueWorkStore;
  clock: Clock;
  log: Logger;
  /** This process's name on the leases it takes (each lease adds a claim number); two replicas must differ. */
  owner: string;
  handlers: Record<WorkKind, WorkHandler | DatabaseWork>;
  perDrain?: Partial<Record<WorkKind, number>>;
}

export interface DrainResult {
  ran: number;
  retried: number;
  failed: number;
}

/**
 * The one runner of due work. It takes rows whose time has come under a lease and hands each to its
 * kind's handler, then marks it done, due again, or failed. Exactly once rests on the database: the
 * lease is a conditional update, and every send inside a handler goes through the outbox, which records
 * it under the row's key before sending.
 */
export class DueWorkRunner {
  /** Numbers this process's claims: a lease names the claim, not just the process that made it. */
  private claims = 0;

  constructor(private readonly o: RunnerOptions) {}

  /**
   * Runs the named rows now, if they are due: the follow-up of a change a request just made, and whatever
   * work those made due now in turn. What is left (more than a request should wait for) the next drain runs.
   */
  async run(keys: readonly string[]): Promise<void> {
    // A key waits in the queue once; run, it may come back (a card re-armed by a later nudge runs again,
    // once, after them).
    const queue = [...new Set(keys)];
    const waiting = new Set(queue);
    for (let runs = 0; queue.length > 0 && runs < MAX_FOLLOW_UPS; runs++) {
      const key = queue.shift() as string;
      waiting.delete(key);
      const { next } = await this.runRow(key);
      for (const k of next) {
        if (!waiting.has(k)) {
          waiting.add(k);
          queue.push(k);
        }
      }
    }
  }

  /** Runs everything due, oldest first, within each kind's share of this drain. */
  async drain(): Promise<DrainResult> {
    const result: DrainResult = { ran: 0, retried: 0, failed: 0 };
    const taken = new Map<string, number>();
    const tried = new Set<string>();
    const paused = new Set<string>();
    for (;;) {
      const now = this.o.clock.now();
      const due = this.o.store
        .runnable(now, BATCH + tried.size)
        .filter(
          (r) =>
            !tried.has(r.key) &&
            !paused.has(r.kind) &&
            (taken.get(r.kind) ?? 0) < this.perDrain(r.kind as WorkKind),
        )
        .slice(0, BATCH);
      if (due.length === 0) return result;
      for (const r of due) {
        if (paused.has(r.kind) || (taken.get(r.kind) ?? 0) >= this.perDrain(r.kind as WorkKind)) continue;
        tried.add(r.key);
        taken.set(r.kind, (taken.get(r.kind) ?? 0) + 1);
        // Work a row made due now is due by the database too: this loop's next query finds it.
        const { outcome } = await this.runRow(r.key);
        if (outcome === 'done') result.ran++;
        else if (outcome === 'failed') result.failed++;
        else if (outcome === 'retry' || outcome === 'rate_limited') result.retried++;
        // Slack said to slow down: the rest of this kind waits for the next drain.
        if (outcome === 'rate_limited') paused.add(r.kind);
        // A row that never waits on Slack (a schedule's replan) runs synchronously through; a hundred in
        // a row would hold every ack for their sum. Requests are answered between rows.
        await yieldToLoop();
      }
    }
  }

  private perDrain(kind: WorkKind): number {
    return this.o.perDrain?.[kind] ?? DEFAULT_PER_DRAIN;
  }

  private async runRow(key: string): Promise<{ outcome: Outcome; next: readonly string[] }> {
    const { store, clock, log } = this.o;
    const next: string[] = [];
    for (let run = 0; run <= MAX_RERUNS; run++) {
      const now = clock.now();
      // Two runs in one process (a request's follow-up and a tick) must not finish each other's claims.
      const lease = `${this.o.owner}#${++this.claims}`;
      const row = store.claim(key, lease, now, new Date(now.getTime() + LEASE_MS));
      if (!row) return { outcome: 'skipped', next };
      const handler = this.o.handlers[row.kind as WorkKind];
      let finished: boolean;
      try {
        if (!handler) throw new Error(`no handler for due work of kind ${row.kind}`);
        if ('database' in handler) {
          const done = this.inTransaction(row, lease, handler);
          next.push(...done.more);
          finished = done.finished;
        } else {
          const more = await handler(row);
          if (Array.isArray(more)) next.push(...(more as string[]));
          finished = store.complete(row, lease, clock.now());
        }
      } catch (err) {
        return { outcome: this.settleFailure(row, lease, err), next };
      }
      // Re-armed while it ran (its subject changed meanwhile): it is due again, so run it again now.
      if (finished) return { outcome: 'done', next };
    }
    log.warn({ key }, 'due work kept changing while it ran; the next drain finishes it');
    return { outcome: 'done', next };
  }

  /** The work and the row's finish commit together; a failure undoes the work and keeps the claim. */
  private inTransaction(row: DueWorkRow, lease: string, work: DatabaseWork) {
    const { store, clock } = this.o;
    return store.atomically(() => {
      // The transaction holds the write lock: no runner can take the row while it is open, so a lease
      // still ours here stays ours until the commit. One paused past it may be another's already.
      if (!store.holds(row.key, lease)) throw new LeaseLost(`${row.key}: lease ${lease} was taken over`);
      const more = work.database(row);
      return { more, finished: store.complete(row, lease, clock.now()) };
    });
  }

  /**
   * Runs one database-only row now, in the caller's turn, if it is due and untaken: what `run` does for it,
   * without running the keys it makes due (returned instead). Undefined when there was nothing to run.
   * A failure is settled as in a drain and rethrown.
   */
  runDatabaseWork(key: string): readonly string[] | undefined {
    const { store, clock } = this.o;
    const now = clock.now();
    const lease = `${this.o.owner}#${++this.claims}`;
    const row = store.claim(key, lease, now, new Date(now.getTime() + LEASE_MS));
    if (!row) return undefined;
    const handler = this.o.handlers[row.kind as WorkKind];
    try {
      if (!handler || !('database' in handler)) throw new Error(`${row.kind} is not database-only work`);
      const done = this.inTransaction(row, lease, handler);
      // Re-armed while it ran: left due, for the next run or drain.
      return done.more;
    } catch (err) {
      this.settleFailure(row, lease, err);
      throw err;
    }
  }

  private settleFailure(row: DueWorkRow, owner: string, err: unknown): Outcome {
    const { store, clock, log } = this.o;
    const now = clock.now();
    if (err instanceof LeaseLost) return 'skipped';
    if (err instanceof Moot) {
      store.drop(row.key, owner, now);
      return 'skipped';
    }
    if (err instanceof NotYet) {
      store.release(row.key, owner, err.at, null);
      return 'later';
    }
    const code = errorCode(err);
    const handler = this.o.handlers[row.kind as WorkKind];
    // Database-only work has no outage to wait out: after a few tries (a busy lock), its failure is a fault.
    const givenUp = handler !== undefined && 'database' in handler && row.attempts >= DATABASE_WORK_TRIES;
    if (isPermanent(err) || !handler || givenUp) {
      store.fail(row.key, owner, now, code);
      // The code and message only: an error object can carry Slack's echo of what was sent.
      log.error(
        { key: row.key, kind: row.kind, error: code, reason: (err as Error)?.message },
        'due work failed for good',
      );
      return 'failed';
    }
    const wait = retryAfterMs(err);
    const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, row.attempts - 1));
    const at = new Date(now.getTime() + (wait ?? backoff));
    store.release(row.key, owner, at, code);
    log.warn(
      { key: row.key, kind: row.kind, error: code, retryAt: at.toISOString() },
      'due work failed; it will be retried',
    );
    return wait === undefined ? 'retry' : 'rate_limited';
  }
}
