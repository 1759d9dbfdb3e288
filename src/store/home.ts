import { and, asc, count, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Incident } from '../domain/incident.js';
import { type Db, lazy } from './db.js';
import {
  fixTeam,
  homeViewers,
  incidentEvents,
  incidentRoles,
  incidents,
  members,
  OPEN_INCIDENT,
  releaseManagers,
} from './schema.js';

const p = (name: string) => sql.placeholder(name);

/** One of someone's own reports as their Home tab lists it: the id and when it was received, nothing else. */
export interface OwnReport {
  id: string;
  receivedAt: Date;
}

/**
 * What the Home tab reads beyond the other stores: who has opened it (only their tabs are redrawn when
 * something changes), someone's own reports, and the open incidents someone holds a role on (the only ones
 * where a step can be theirs). Each is one indexed query, whatever the number of incidents.
 */
export function homeStore(db: Db) {
  const viewer = lazy(() =>
    db
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .where(eq(homeViewers.userId, p('userId')))
      .prepare(),
  );
  const committeeViewers = lazy(() =>
    db
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .innerJoin(members, eq(members.userId, homeViewers.userId))
      .prepare(),
  );
  // The Release Managers see an incident from its release on: any change may add or drop one on their tab.
  const releaseManagerViewers = lazy(() =>
    db
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .innerJoin(releaseManagers, eq(releaseManagers.userId, homeViewers.userId))
      .prepare(),
  );
  // Outside the committee, an incident shows on the Home tab of its Fix Team, of whoever was taken off it
  // (their tab must drop it), and of its reporter (their list of ids).
  const concerned = lazy(() =>
    db
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .where(
        or(
          inArray(
            homeViewers.userId,
            db
              .select({ userId: fixTeam.userId })
              .from(fixTeam)
              .where(eq(fixTeam.incidentId, p('incidentId'))),
          ),
          inArray(
            homeViewers.userId,
            db
              .select({ userId: incidents.reportedBy })
              .from(incidents)
              .where(eq(incidents.id, p('incidentId'))),
          ),
          inArray(
            homeViewers.userId,
            db
              .select({ userId: sql<string>`json_extract(${incidentEvents.oldValue}, '$')` })
              .from(incidentEvents)
              .where(
                and(
                  eq(incidentEvents.incidentId, p('incidentId')),
                  sql`${incidentEvents.type} = 'fix_team_removed'`,
                ),
              ),
          ),
        ),
      )
      .prepare(),
  );
  const reportsBy = lazy(() =>
    db
      .select({ id: incidents.id, receivedAt: incidents.receivedAt })
      .from(incidents)
      .where(eq(incidents.reportedBy, p('userId')))
      .orderBy(desc(incidents.receivedAt), desc(incidents.id))
      .limit(p('limit'))
      .prepare(),
  );
  const reportCount = lazy(() =>
    db
      .select({ n: count() })
      .from(incidents)
      .where(eq(incidents.reportedBy, p('userId')))
      .prepare(),
  );
  // By the indexes on what someone holds now (incident_roles_current_by_user, fix_team_user).
  const held = lazy(() =>
    db
      .select()
      .from(incidents)
      .where(
        and(
          OPEN_INCIDENT,
          or(
            inArray(
              incidents.id,
              db
                .select({ id: incidentRoles.incidentId })
                .from(incidentRoles)
                .where(and(eq(incidentRoles.userId, p('userId')), isNull(incidentRoles.to))),
            ),
            inArray(
              incidents.id,
              db
                .select({ id: fixTeam.incidentId })
                .from(fixTeam)
                .where(eq(fixTeam.userId, p('userId'))),
            ),
          ),
        ),
      )
      .orderBy(asc(incidents.createdAt))
      .prepare(),
  );

  return {
    /**
     * Runs `read` in one read transaction: a Home tab is drawn from one moment of the database, and its
     * hundred-odd reads share one snapshot instead of taking one each (a third of a render's CPU).
     */
    snapshot<T>(read: () => T): T {
      return db.$client.inTransaction ? read() : db.$client.transaction(read).deferred();
    },

    /** They opened the Home tab: from now on it is redrawn when something it shows changes. */
    recordOpen(userId: string, at: Date): void {
      db.insert(homeViewers)
        .values({ userId, openedAt: at })
        .onConflictDoUpdate({ target: homeViewers.userId, set: { openedAt: at } })
        .run();
    },

    isViewer(userId: string): boolean {
      return viewer().get({ userId }) !== undefined;
    },

    /** Members and associates who have opened the Home tab. */
    committeeViewers(): string[] {
      return committeeViewers()
        .all()
        .map((r) => r.userId);
    },

    /** Viewers on the Release Managers' roster. */
    releaseManagerViewers(): string[] {
      return releaseManagerViewers()
        .all()
        .map((r) => r.userId);
    },

    /** Viewers an incident concerns by a seat on it rather than the committee: its Fix Team (now or before), its reporter. */
    concernedViewers(incidentId: string): string[] {
      return concerned()
        .all({ incidentId })
        .map((r) => r.userId);
    },

    /** Someone's own reports, newest first, at most `limit`, and how many in all. */
    reportsBy(userId: string, limit: number): { total: number; reports: OwnReport[] } {
      return {
        total: reportCount().get({ userId })?.n ?? 0,
        reports: reportsBy().all({ userId, limit }),
      };
    },

    /** Open incidents where `userId` holds a role now or is on the Fix Team, oldest first. */
    openHeldBy(userId: string): Incident[] {
      return held().all({ userId });
    },
  };
}
export type HomeStore = ReturnType<typeof homeStore>;
