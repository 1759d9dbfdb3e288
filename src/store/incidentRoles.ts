import { and, asc, desc, eq, isNull, lte } from 'drizzle-orm';
import type { FixLeadAssignment } from '../domain/fixLead.js';
import type { IncidentRole } from '../domain/incident.js';
import { type Db, IMMEDIATE } from './db.js';
import { commanderHandoffs, fixTeam, incidentRoles, incidents } from './schema.js';
import { appendEvent as event, lastEventBy, type Tx } from './timeline.js';

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
    if (a.role === 'commander') {
      // The new commander counts as active from their last event here (the event below may be theirs).
      tx.update(incidents)
        .set({ commanderActiveAt: lastEventBy(tx, a.incidentId, a.userId) })
        .where(eq(incidents.id, a.incidentId))
        .run();
    }
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

    /**
     * Each person's last round-robin Fix Lead turn up to `at` (reassignments with a reason are not turns):
     * all the round-robin needs, one index seek per person instead of the whole history.
     */
    lastFixLeadTurns(userIds: string[], at: Date): FixLeadAssignment[] {
      const turns = userIds.flatMap((userId) => {
        const turn = db
          .select({
            id: incidentRoles.id,
            incidentId: incidentRoles.incidentId,
            userId: incidentRoles.userId,
            at: incidentRoles.from,
          })
          .from(incidentRoles)
          .where(
            and(
              eq(incidentRoles.role, 'fix_lead'),
              isNull(incidentRoles.reason),
              eq(incidentRoles.userId, userId),
              lte(incidentRoles.from, at),
            ),
          )
          .orderBy(desc(incidentRoles.from), desc(incidentRoles.id))
          .limit(1)
          .get();
        return turn ? [turn] : [];
      });
      // In recorded order: turns at the same instant (a burst of reports) keep the order they were given.
      return turns
        .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id)
        .map(({ id: _id, ...turn }) => turn);
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
      }, IMMEDIATE);
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
      }, IMMEDIATE);
    },

    /** Who holds the incident's roles now, for its card: two indexed reads, not one per role. */
    holders(incidentId: string): {
      commander: string | null;
      fixLead: string | null;
      pendingCommander: string | null;
      fixTeam: string[];
    } {
      const current = db
        .select({ role: incidentRoles.role, userId: incidentRoles.userId })
        .from(incidentRoles)
        .where(and(eq(incidentRoles.incidentId, incidentId), isNull(incidentRoles.to)))
        .all();
      const holder = (role: IncidentRole) => current.find((r) => r.role === role)?.userId ?? null;
      return {
        commander: holder('commander'),
        fixLead: holder('fix_lead'),
        pendingCommander: this.pendingHandoff(incidentId)?.toUser ?? null,
        fixTeam: this.fixTeam(incidentId).map((m) => m.userId),
      };
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
      }, IMMEDIATE);
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
      }, IMMEDIATE);
    },
  };
}
export type IncidentRoleStore = ReturnType<typeof incidentRoleStore>;
