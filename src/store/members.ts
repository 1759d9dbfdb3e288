import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Membership } from '../domain/committee.js';
import { type Db, lazy, transact } from './db.js';
import { auditLog, leaves, members, rosterChanges } from './schema.js';

export type MemberRow = typeof members.$inferSelect;
export type RosterChangeRow = typeof rosterChanges.$inferSelect;
export type LeaveRow = typeof leaves.$inferSelect;

type Tx = Pick<Db, 'insert'>;

export function audit(
  w: Tx,
  a: { at: Date; actor: string; action: string; subject: string; oldValue?: unknown; newValue?: unknown },
) {
  w.insert(auditLog)
    .values({
      at: a.at,
      actor: a.actor,
      action: a.action,
      subject: a.subject,
      oldValue: a.oldValue === undefined ? null : JSON.stringify(a.oldValue),
      newValue: a.newValue === undefined ? null : JSON.stringify(a.newValue),
    })
    .run();
}

/**
 * Membership and leave. Every roster change writes a roster_changes row (replayable into the roster at
 * any time); other changes to a person (zone, hours, leave) write an audit_log row; both in the same
 * transaction as the change.
 */
export function memberStore(db: Db) {
  function change(
    w: Pick<Db, 'insert'>,
    c: {
      at: Date;
      actor: string;
      type: RosterChangeRow['type'];
      userId: string;
      membership?: Membership | null;
      company?: string | null;
    },
  ) {
    w.insert(rosterChanges)
      .values({ ...c, membership: c.membership ?? null, company: c.company ?? null })
      .run();
  }

  // Prepared once: every request checks who the user is, and intake reads the roster.
  const byUser = lazy(() =>
    db
      .select()
      .from(members)
      .where(eq(members.userId, sql.placeholder('userId')))
      .prepare(),
  );
  const roster = lazy(() =>
    db.select().from(members).orderBy(asc(members.addedAt), asc(members.userId)).prepare(),
  );
  const onLeave = lazy(() =>
    db.select().from(leaves).where(isNull(leaves.cancelledAt)).orderBy(asc(leaves.start)).prepare(),
  );

  return {
    get(userId: string): MemberRow | undefined {
      return byUser().get({ userId });
    },

    list(): MemberRow[] {
      return roster().all();
    },

    /** Adds a member unless already present. Returns whether a row was added. */
    addIfAbsent(
      userId: string,
      membership: Membership,
      actor: string,
      at: Date,
      extra: { company?: string | null; tz?: string | null } = {},
    ): boolean {
      return transact(db, () => {
        const inserted = db
          .insert(members)
          .values({
            userId,
            membership,
            addedAt: at,
            addedBy: actor,
            company: extra.company ?? null,
            tz: extra.tz ?? null,
          })
          .onConflictDoNothing()
          .returning()
          .all();
        if (inserted.length === 0) return false;
        change(db, { at, actor, type: 'added', userId, membership, company: extra.company ?? null });
        return true;
      });
    },

    remove(userId: string, actor: string, at: Date): boolean {
      return transact(db, () => {
        const removed = db.delete(members).where(eq(members.userId, userId)).returning().all();
        if (removed.length === 0) return false;
        change(db, { at, actor, type: 'removed', userId });
        return true;
      });
    },

    setMembership(userId: string, membership: Membership, actor: string, at: Date): boolean {
      return transact(db, () => {
        const before = db.select().from(members).where(eq(members.userId, userId)).get();
        if (!before || before.membership === membership) return false;
        db.update(members).set({ membership }).where(eq(members.userId, userId)).run();
        change(db, { at, actor, type: 'role_changed', userId, membership });
        return true;
      });
    },

    setCompany(userId: string, company: string | null, actor: string, at: Date): boolean {
      return transact(db, () => {
        const before = db.select().from(members).where(eq(members.userId, userId)).get();
        if (!before || before.company === company) return false;
        db.update(members).set({ company }).where(eq(members.userId, userId)).run();
        change(db, { at, actor, type: 'company_changed', userId, company });
        return true;
      });
    },

    /** Notes that a member did something in srp (kept to the hour by the caller, so most requests write nothing). */
    noteActive(userId: string, at: Date): void {
      db.update(members).set({ lastActiveAt: at }).where(eq(members.userId, userId)).run();
    },

    /**
     * A zone set by hand wins over Slack's; Slack's is refreshed only where none was set by hand. A
     * change by a person is audited; Slack's refresh is not a decision anyone made.
     */
    setTimeZone(userId: string, tz: string, manual: boolean, actor?: string, at?: Date): void {
      transact(db, () => {
        const before = db.select().from(members).where(eq(members.userId, userId)).get();
        const where = manual
          ? eq(members.userId, userId)
          : and(eq(members.userId, userId), eq(members.tzManual, false));
        db.update(members).set({ tz, tzManual: manual }).where(where).run();
        if (manual && actor && at) {
          audit(db, { at, actor, action: 'member.tz', subject: userId, oldValue: before?.tz, newValue: tz });
        }
      });
    },

    setWorkingHours(
      userId: string,
      h: { days: number[]; start: string; end: string },
      actor: string,
      at: Date,
    ): void {
      transact(db, () => {
        const before = db.select().from(members).where(eq(members.userId, userId)).get();
        db.update(members)
          .set({ workDays: JSON.stringify(h.days), workStart: h.start, workEnd: h.end })
          .where(eq(members.userId, userId))
          .run();
        const old = before
          ? { days: JSON.parse(before.workDays), start: before.workStart, end: before.workEnd }
          : null;
        audit(db, { at, actor, action: 'member.hours', subject: userId, oldValue: old, newValue: h });
      });
    },

    rosterChanges(): RosterChangeRow[] {
      return db.select().from(rosterChanges).orderBy(asc(rosterChanges.at), asc(rosterChanges.id)).all();
    },

    addLeave(l: {
      userId: string;
      start: Date;
      end: Date;
      replacement: string | null;
      createdBy: string;
      createdAt: Date;
    }) {
      return transact(db, () => {
        const row = db.insert(leaves).values(l).returning().get();
        audit(db, {
          at: l.createdAt,
          actor: l.createdBy,
          action: 'member.leave',
          subject: l.userId,
          newValue: { start: l.start.toISOString(), end: l.end.toISOString(), replacement: l.replacement },
        });
        return row;
      });
    },

    cancelLeave(id: number, at: Date): boolean {
      return (
        db
          .update(leaves)
          .set({ cancelledAt: at })
          .where(and(eq(leaves.id, id), isNull(leaves.cancelledAt)))
          .returning()
          .all().length > 0
      );
    },

    leaves(): LeaveRow[] {
      return onLeave().all();
    },
  };
}
export type MemberStore = ReturnType<typeof memberStore>;
