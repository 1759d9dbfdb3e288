import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from './db.js';
import { commanderHandoffs, fixTeam, incidentRoles } from './schema.js';
import { appendEvent as event, type Tx } from './timeline.js';

export type IncidentRole = 'commander' | 'fix_lead';
export type RoleTenure = typeof incidentRoles.$inferSelect;
export type HandoffRow = typeof commanderHandoffs.$inferSelect;
export type FixTeamRow = typeof fixTeam.$inferSelect;

/** Incident roles as tenure rows, commander handoffs, and the Fix Team; each change is also a timeline event. */
export function incidentRoleStore(db: Db) {
  function current(tx: Pick<Db, 'select'>, incidentId: string, role: IncidentRole): RoleTenure | undefined {
    return tx
      .select()
      .from(incidentRoles)
      .where(
        and(eq(incidentRoles.incidentId, incidentId), eq(incidentRoles.role, role), isNull(incidentRoles.to)),
      )
      .get();
  }

  function assignIn(
    tx: Tx,
    a: {
      incidentId: string;
      role: IncidentRole;
      userId: string;
      at: Date;
      by: string;
      reason?: string | null;
    },
  ): boolean {
    const before = current(tx, a.incidentId, a.role);
    if (before?.userId === a.userId) return false;
    if (before) tx.update(incidentRoles).set({ to: a.at }).where(eq(incidentRoles.id, before.id)).run();
    tx.insert(incidentRoles)
      .values({
        incidentId: a.incidentId,
        role: a.role,
        userId: a.userId,
        from: a.at,
        reason: a.reason ?? null,
        assignedBy: a.by,
      })
      .run();
    event(tx, {
      incidentId: a.incidentId,
      at: a.at,
      actor: a.by,
      type: 'role_changed',
      field: a.role,
      oldValue: before?.userId ?? null,
      newValue: a.reason ? { userId: a.userId, reason: a.reason } : a.userId,
    });
    return true;
  }

  return {
    current: (incidentId: string, role: IncidentRole) => current(db, incidentId, role),

    /** Ends the current holder's tenure and starts the new one. Returns false if they already hold it. */
    assign(a: {
      incidentId: string;
      role: IncidentRole;
      userId: string;
      at: Date;
      by: string;
      reason?: string | null;
    }): boolean {
      return db.transaction((tx) => assignIn(tx, a));
    },

    tenures(incidentId: string): RoleTenure[] {
      return db
        .select()
        .from(incidentRoles)
        .where(eq(incidentRoles.incidentId, incidentId))
        .orderBy(asc(incidentRoles.from))
        .all();
    },

    /** Who held `role` on `incidentId` at `at`. */
    holderAt(incidentId: string, role: IncidentRole, at: Date): string | undefined {
      return this.tenures(incidentId).find(
        (t) =>
          t.role === role &&
          t.from.getTime() <= at.getTime() &&
          (t.to === null || t.to.getTime() > at.getTime()),
      )?.userId;
    },

    fixLeadHistory(): Array<{ incidentId: string; userId: string; at: Date }> {
      return db
        .select({
          incidentId: incidentRoles.incidentId,
          userId: incidentRoles.userId,
          at: incidentRoles.from,
        })
        .from(incidentRoles)
        .where(and(eq(incidentRoles.role, 'fix_lead'), isNull(incidentRoles.reason)))
        .orderBy(asc(incidentRoles.from))
        .all();
    },

    pendingHandoff(incidentId: string): HandoffRow | undefined {
      return db
        .select()
        .from(commanderHandoffs)
        .where(and(eq(commanderHandoffs.incidentId, incidentId), eq(commanderHandoffs.state, 'pending')))
        .orderBy(desc(commanderHandoffs.requestedAt))
        .get();
    },

    handoff(id: number): HandoffRow | undefined {
      return db.select().from(commanderHandoffs).where(eq(commanderHandoffs.id, id)).get();
    },

    pendingHandoffs(): HandoffRow[] {
      return db.select().from(commanderHandoffs).where(eq(commanderHandoffs.state, 'pending')).all();
    },

    /** A new request replaces any pending one for the same incident. */
    requestHandoff(h: {
      incidentId: string;
      fromUser: string;
      toUser: string;
      requestedBy: string;
      at: Date;
    }): HandoffRow {
      return db.transaction((tx) => {
        tx.update(commanderHandoffs)
          .set({ state: 'cancelled', resolvedAt: h.at })
          .where(and(eq(commanderHandoffs.incidentId, h.incidentId), eq(commanderHandoffs.state, 'pending')))
          .run();
        const row = tx
          .insert(commanderHandoffs)
          .values({
            incidentId: h.incidentId,
            fromUser: h.fromUser,
            toUser: h.toUser,
            requestedBy: h.requestedBy,
            requestedAt: h.at,
            state: 'pending',
          })
          .returning()
          .get();
        event(tx, {
          incidentId: h.incidentId,
          at: h.at,
          actor: h.requestedBy,
          type: 'commander_handoff_requested',
          oldValue: h.fromUser,
          newValue: h.toUser,
        });
        return row;
      });
    },

    /** Accept or decline, once: only a still-pending handoff changes, and accepting moves the role in the same transaction. */
    resolveHandoff(
      id: number,
      outcome: 'accepted' | 'declined',
      by: string,
      at: Date,
    ): HandoffRow | undefined {
      return db.transaction((tx) => {
        const row = tx
          .update(commanderHandoffs)
          .set({ state: outcome, resolvedAt: at })
          .where(and(eq(commanderHandoffs.id, id), eq(commanderHandoffs.state, 'pending')))
          .returning()
          .get();
        if (!row) return undefined;
        event(tx, {
          incidentId: row.incidentId,
          at,
          actor: by,
          type: `commander_handoff_${outcome}`,
          oldValue: row.fromUser,
          newValue: row.toUser,
        });
        if (outcome === 'accepted')
          assignIn(tx, { incidentId: row.incidentId, role: 'commander', userId: row.toUser, at, by });
        return row;
      });
    },

    markReminded(id: number, at: Date): void {
      db.update(commanderHandoffs).set({ remindedAt: at }).where(eq(commanderHandoffs.id, id)).run();
    },

    fixTeam(incidentId: string): FixTeamRow[] {
      return db
        .select()
        .from(fixTeam)
        .where(eq(fixTeam.incidentId, incidentId))
        .orderBy(asc(fixTeam.addedAt))
        .all();
    },

    isOnFixTeam(incidentId: string, userId: string): boolean {
      return (
        db
          .select()
          .from(fixTeam)
          .where(and(eq(fixTeam.incidentId, incidentId), eq(fixTeam.userId, userId)))
          .get() !== undefined
      );
    },

    addToFixTeam(incidentId: string, userId: string, by: string, at: Date): boolean {
      return db.transaction((tx) => {
        const added = tx
          .insert(fixTeam)
          .values({ incidentId, userId, addedBy: by, addedAt: at })
          .onConflictDoNothing()
          .returning()
          .all();
        if (added.length === 0) return false;
        event(tx, { incidentId, at, actor: by, type: 'fix_team_added', newValue: userId });
        return true;
      });
    },

    removeFromFixTeam(incidentId: string, userId: string, by: string, at: Date): boolean {
      return db.transaction((tx) => {
        const removed = tx
          .delete(fixTeam)
          .where(and(eq(fixTeam.incidentId, incidentId), eq(fixTeam.userId, userId)))
          .returning()
          .all();
        if (removed.length === 0) return false;
        event(tx, { incidentId, at, actor: by, type: 'fix_team_removed', oldValue: userId });
        return true;
      });
    },
  };
}
export type IncidentRoleStore = ReturnType<typeof incidentRoleStore>;
