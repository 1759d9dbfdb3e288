import { asc, eq, sql } from 'drizzle-orm';
import type { AssignmentMode, AssignmentRule, PerIssueRole } from '../domain/owners.js';
import { type Db, lazy, transact } from './db.js';
import { audit } from './members.js';
import { releaseManagers, roleAssignmentRules } from './schema.js';

export type ReleaseManagerRow = typeof releaseManagers.$inferSelect;

const list = (json: string): string[] => JSON.parse(json) as string[];

/**
 * The Release Managers' roster and how the 2018 per-issue roles are assigned. Every change a person makes
 * is audited in audit_log in its transaction; a queue moving on at intake is not a decision anyone made,
 * so it is not.
 */
export function ownerStore(db: Db) {
  // Prepared once: access checks ask on every request from someone outside the committee.
  const one = lazy(() =>
    db
      .select({ userId: releaseManagers.userId })
      .from(releaseManagers)
      .where(eq(releaseManagers.userId, sql.placeholder('userId')))
      .prepare(),
  );
  const all = lazy(() =>
    db
      .select()
      .from(releaseManagers)
      .orderBy(asc(releaseManagers.addedAt), asc(releaseManagers.userId))
      .prepare(),
  );
  const rules = lazy(() => db.select().from(roleAssignmentRules).prepare());

  return {
    releaseManagers(): ReleaseManagerRow[] {
      return all().all();
    },

    isReleaseManager(userId: string): boolean {
      return one().get({ userId }) !== undefined;
    },

    /** Adds someone unless they are on the roster already; returns whether they were added. */
    addReleaseManager(userId: string, actor: string, at: Date): boolean {
      return transact(db, () => {
        const added = db
          .insert(releaseManagers)
          .values({ userId, addedBy: actor, addedAt: at })
          .onConflictDoNothing()
          .returning()
          .all();
        if (added.length === 0) return false;
        audit(db, { at, actor, action: 'release_managers.add', subject: userId, newValue: userId });
        return true;
      });
    },

    removeReleaseManager(userId: string, actor: string, at: Date): boolean {
      return transact(db, () => {
        const removed = db
          .delete(releaseManagers)
          .where(eq(releaseManagers.userId, userId))
          .returning()
          .all();
        if (removed.length === 0) return false;
        audit(db, { at, actor, action: 'release_managers.remove', subject: userId, oldValue: userId });
        return true;
      });
    },

    /** Every configured role's rule. */
    assignmentRules(): AssignmentRule[] {
      return rules()
        .all()
        .map((r) => ({ role: r.role, mode: r.mode, order: list(r.order), queue: list(r.queue) }));
    },

    /** Sets how a role is assigned; a queue starts again from the order given. */
    setAssignmentRule(
      r: { role: PerIssueRole; mode: AssignmentMode; order: readonly string[] },
      actor: string,
      at: Date,
    ): void {
      transact(db, () => {
        const before = db
          .select()
          .from(roleAssignmentRules)
          .where(eq(roleAssignmentRules.role, r.role))
          .get();
        const row = {
          mode: r.mode,
          order: JSON.stringify(r.order),
          queue: JSON.stringify(r.order),
          updatedBy: actor,
          updatedAt: at,
        };
        db.insert(roleAssignmentRules)
          .values({ role: r.role, ...row })
          .onConflictDoUpdate({ target: roleAssignmentRules.role, set: row })
          .run();
        audit(db, {
          at,
          actor,
          action: 'roles.assignment',
          subject: r.role,
          oldValue: before ? { mode: before.mode, order: list(before.order) } : undefined,
          newValue: { mode: r.mode, order: r.order },
        });
      });
    },

    /** The queue after a turn was taken; call inside the transaction that gives the role. */
    setQueue(role: PerIssueRole, queue: readonly string[]): void {
      db.update(roleAssignmentRules)
        .set({ queue: JSON.stringify(queue) })
        .where(eq(roleAssignmentRules.role, role))
        .run();
    },
  };
}
export type OwnerStore = ReturnType<typeof ownerStore>;
