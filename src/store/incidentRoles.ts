import { and, asc, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { FixLeadAssignment } from '../domain/fixLead.js';
import type { IncidentRole } from '../domain/incident.js';
import { isPerIssueRole, type PerIssueRole } from '../domain/owners.js';
import { type Db, lazy, transact } from './db.js';
import { commanderHandoffs, fixTeam, incidentRoles, incidents, OPEN_INCIDENT } from './schema.js';
import { currentHolder, timelineWriter } from './timeline.js';

export type RoleTenure = typeof incidentRoles.$inferSelect;
export type HandoffRow = typeof commanderHandoffs.$inferSelect;
export type FixTeamRow = typeof fixTeam.$inferSelect;

/** Incident roles as tenure rows, commander handoffs, and the Fix Team; each change is also a timeline event. */
const p = (name: string) => sql.placeholder(name);
/** A time in an UPDATE's SET, passed as milliseconds (or null). */
const ms = (name: string) => sql<Date | null>`${sql.placeholder(name)}`;

export function incidentRoleStore(db: Db) {
  const timeline = timelineWriter(db);
  // Prepared once: reading and moving roles is on the path of every report taken in.
  const holding = currentHolder(db);
  const endTenure = lazy(() =>
    db
      .update(incidentRoles)
      .set({ to: ms('at') })
      .where(eq(incidentRoles.id, p('id')))
      .prepare(),
  );
  const startTenure = lazy(() =>
    db
      .insert(incidentRoles)
      .values({
        incidentId: p('incidentId'),
        role: p('role'),
        userId: p('userId'),
        from: p('at'),
        reason: p('reason'),
        assignedBy: p('by'),
      })
      .prepare(),
  );
  const commanderActive = lazy(() =>
    db
      .update(incidents)
      .set({ commanderActiveAt: ms('at') })
      .where(eq(incidents.id, p('incidentId')))
      .prepare(),
  );
  const lastTurn = lazy(() =>
    db
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
          eq(incidentRoles.userId, p('userId')),
          lte(incidentRoles.from, ms('at')),
        ),
      )
      .orderBy(desc(incidentRoles.from), desc(incidentRoles.id))
      .limit(1)
      .prepare(),
  );

  const holders = lazy(() =>
    db
      .select({ role: incidentRoles.role, userId: incidentRoles.userId })
      .from(incidentRoles)
      .where(and(eq(incidentRoles.incidentId, p('incidentId')), isNull(incidentRoles.to)))
      .prepare(),
  );
  const pending = lazy(() =>
    db
      .select()
      .from(commanderHandoffs)
      .where(and(eq(commanderHandoffs.incidentId, p('incidentId')), eq(commanderHandoffs.state, 'pending')))
      .orderBy(desc(commanderHandoffs.requestedAt))
      .prepare(),
  );
  const team = lazy(() =>
    db
      .select()
      .from(fixTeam)
      .where(eq(fixTeam.incidentId, p('incidentId')))
      .orderBy(asc(fixTeam.addedAt))
      .prepare(),
  );
  const teamMember = lazy(() =>
    db
      .select({ userId: fixTeam.userId })
      .from(fixTeam)
      .where(and(eq(fixTeam.incidentId, p('incidentId')), eq(fixTeam.userId, p('userId'))))
      .prepare(),
  );

  const current = (incidentId: string, role: IncidentRole): RoleTenure | undefined =>
    holding().get({ incidentId, role });

  /** Call inside a transaction: moves the role and records the change. */
  function assignIn(a: {
    incidentId: string;
    role: IncidentRole;
    userId: string;
    at: Date;
    by: string;
    reason?: string | null;
  }): boolean {
    const before = current(a.incidentId, a.role);
    if (before?.userId === a.userId) return false;
    if (before) endTenure().run({ id: before.id, at: a.at.getTime() });
    startTenure().run({ ...a, reason: a.reason ?? null });
    if (a.role === 'commander') {
      // The new commander counts as active from their last event here (the event below may be theirs).
      const active = timeline.lastEventBy(a.incidentId, a.userId);
      commanderActive().run({ incidentId: a.incidentId, at: active?.getTime() ?? null });
    }
    timeline.append({
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
    current,

    /** Ends the current holder's tenure and starts the new one. Returns false if they already hold it. */
    assign(a: {
      incidentId: string;
      role: IncidentRole;
      userId: string;
      at: Date;
      by: string;
      reason?: string | null;
    }): boolean {
      return transact(db, () => assignIn(a));
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
        const turn = lastTurn().get({ userId, at: at.getTime() });
        return turn ? [turn] : [];
      });
      // In recorded order: turns at the same instant (a burst of reports) keep the order they were given.
      return turns
        .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id)
        .map(({ id: _id, ...turn }) => turn);
    },

    pendingHandoff(incidentId: string): HandoffRow | undefined {
      return pending().get({ incidentId });
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
      return transact(db, () => {
        db.update(commanderHandoffs)
          .set({ state: 'cancelled', resolvedAt: h.at })
          .where(and(eq(commanderHandoffs.incidentId, h.incidentId), eq(commanderHandoffs.state, 'pending')))
          .run();
        const row = db
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
        timeline.append({
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
      return transact(db, () => {
        const row = db
          .update(commanderHandoffs)
          .set({ state: outcome, resolvedAt: at })
          .where(and(eq(commanderHandoffs.id, id), eq(commanderHandoffs.state, 'pending')))
          .returning()
          .get();
        if (!row) return undefined;
        timeline.append({
          incidentId: row.incidentId,
          at,
          actor: by,
          type: `commander_handoff_${outcome}`,
          oldValue: row.fromUser,
          newValue: row.toUser,
        });
        if (outcome === 'accepted')
          assignIn({ incidentId: row.incidentId, role: 'commander', userId: row.toUser, at, by });
        return row;
      });
    },

    /** Who holds the incident's roles now, for its card: three indexed reads, not one per role. */
    holders(incidentId: string): {
      commander: string | null;
      fixLead: string | null;
      pendingCommander: string | null;
      fixTeam: string[];
      /** The 2018 per-issue roles someone holds (none under today's process). */
      perIncident: Partial<Record<PerIssueRole, string>>;
    } {
      const now = holders().all({ incidentId });
      const holder = (role: IncidentRole) => now.find((r) => r.role === role)?.userId ?? null;
      return {
        commander: holder('commander'),
        fixLead: holder('fix_lead'),
        pendingCommander: this.pendingHandoff(incidentId)?.toUser ?? null,
        fixTeam: this.fixTeam(incidentId).map((m) => m.userId),
        perIncident: perIssue(now),
      };
    },

    /** Who holds each of the 2018 per-issue roles on the incident now: one indexed read. */
    perIncident(incidentId: string): Partial<Record<PerIssueRole, string>> {
      return perIssue(holders().all({ incidentId }));
    },

    /** The roles someone holds now on open incidents (what they would leave behind). */
    heldBy(userId: string): Array<{ incidentId: string; role: IncidentRole }> {
      return db
        .select({ incidentId: incidentRoles.incidentId, role: incidentRoles.role })
        .from(incidentRoles)
        .innerJoin(incidents, eq(incidents.id, incidentRoles.incidentId))
        .where(and(eq(incidentRoles.userId, userId), isNull(incidentRoles.to), OPEN_INCIDENT))
        .orderBy(asc(incidentRoles.incidentId))
        .all();
    },

    /** Handoffs still waiting for `userId` to accept. */
    pendingHandoffsTo(userId: string): HandoffRow[] {
      return db
        .select()
        .from(commanderHandoffs)
        .where(and(eq(commanderHandoffs.toUser, userId), eq(commanderHandoffs.state, 'pending')))
        .all();
    },

    /** Withdraws a pending handoff (its addressee is leaving, or someone took command meanwhile). */
    cancelHandoff(id: number, by: string, at: Date): HandoffRow | undefined {
      return transact(db, () => {
        const row = db
          .update(commanderHandoffs)
          .set({ state: 'cancelled', resolvedAt: at })
          .where(and(eq(commanderHandoffs.id, id), eq(commanderHandoffs.state, 'pending')))
          .returning()
          .get();
        if (row) {
          timeline.append({
            incidentId: row.incidentId,
            at,
            actor: by,
            type: 'commander_handoff_cancelled',
            oldValue: row.fromUser,
            newValue: row.toUser,
          });
        }
        return row;
      });
    },

    markReminded(id: number, at: Date): void {
      db.update(commanderHandoffs).set({ remindedAt: at }).where(eq(commanderHandoffs.id, id)).run();
    },

    fixTeam(incidentId: string): FixTeamRow[] {
      return team().all({ incidentId });
    },

    /** On the Fix Team of any open incident: what lets someone outside the committee use srp at all. */
    isOnAnOpenFixTeam(userId: string): boolean {
      return (
        db
          .select({ one: sql`1` })
          .from(fixTeam)
          .innerJoin(incidents, eq(incidents.id, fixTeam.incidentId))
          .where(and(eq(fixTeam.userId, userId), OPEN_INCIDENT))
          .limit(1)
          .get() !== undefined
      );
    },

    isOnFixTeam(incidentId: string, userId: string): boolean {
      return teamMember().get({ incidentId, userId }) !== undefined;
    },

    addToFixTeam(incidentId: string, userId: string, by: string, at: Date): boolean {
      return transact(db, () => {
        const added = db
          .insert(fixTeam)
          .values({ incidentId, userId, addedBy: by, addedAt: at })
          .onConflictDoNothing()
          .returning()
          .all();
        if (added.length === 0) return false;
        timeline.append({ incidentId, at, actor: by, type: 'fix_team_added', newValue: userId });
        return true;
      });
    },

    removeFromFixTeam(incidentId: string, userId: string, by: string, at: Date): boolean {
      return transact(db, () => {
        const removed = db
          .delete(fixTeam)
          .where(and(eq(fixTeam.incidentId, incidentId), eq(fixTeam.userId, userId)))
          .returning()
          .all();
        if (removed.length === 0) return false;
        timeline.append({ incidentId, at, actor: by, type: 'fix_team_removed', oldValue: userId });
        return true;
      });
    },
  };
}
export type IncidentRoleStore = ReturnType<typeof incidentRoleStore>;

function perIssue(now: Array<{ role: IncidentRole; userId: string }>): Partial<Record<PerIssueRole, string>> {
  const out: Partial<Record<PerIssueRole, string>> = {};
  for (const r of now) if (isPerIssueRole(r.role)) out[r.role] = r.userId;
  return out;
}
