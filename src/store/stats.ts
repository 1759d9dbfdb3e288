import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { STATS_EVENT_TYPES, type StatsFacts } from '../domain/stats.js';
import { type Db, lazy } from './db.js';
import {
  disclosures,
  distributorNotices,
  incidentEvents,
  incidentSteps,
  incidents,
  severity,
} from './schema.js';

const p = (name: string) => sql.placeholder(name);

/**
 * The facts `srp stats` needs about the incidents received in a period: one query per table, each a range
 * seek on `incidents_received` joined by the other table's incident key (no query per incident, however
 * many years are stored). Only the timeline events stats read are fetched.
 */
export function statsStore(db: Db) {
  // The period's incidents, as a join condition every query shares.
  const received = and(gte(incidents.receivedAt, p('since')), lt(incidents.receivedAt, p('until')));

  const ofIncidents = lazy(() =>
    db
      .select({
        id: incidents.id,
        arrival: incidents.arrival,
        receivedAt: incidents.receivedAt,
        createdAt: incidents.createdAt,
        phase: incidents.phase,
        publicAt: incidents.publicAt,
        cveId: incidents.cveId,
      })
      .from(incidents)
      .where(received)
      .prepare(),
  );
  const ofSeverity = lazy(() =>
    db
      .select({
        incidentId: severity.incidentId,
        answers: severity.answers,
        questionnaireRating: severity.questionnaireRating,
        questionnairePath: severity.questionnairePath,
        cvssVector: severity.cvssVector,
        cvssVersion: severity.cvssVersion,
        cvssScore: severity.cvssScore,
        cvssRating: severity.cvssRating,
        finalRating: severity.finalRating,
        finalReason: severity.finalReason,
        finalBy: severity.finalBy,
        finalAt: severity.finalAt,
        disputedAt: severity.disputedAt,
      })
      .from(severity)
      .innerJoin(incidents, eq(incidents.id, severity.incidentId))
      .where(received)
      .prepare(),
  );
  const ofSteps = lazy(() =>
    db
      .select({
        incidentId: incidentSteps.incidentId,
        stepId: incidentSteps.stepId,
        outcome: incidentSteps.outcome,
        outcomeAt: incidentSteps.outcomeAt,
        outcomeBy: incidentSteps.outcomeBy,
        outcomeReason: incidentSteps.outcomeReason,
        dueAt: incidentSteps.dueAt,
        dueMovedBy: incidentSteps.dueMovedBy,
        dueMovedAt: incidentSteps.dueMovedAt,
        dueReason: incidentSteps.dueReason,
      })
      .from(incidentSteps)
      .innerJoin(incidents, eq(incidents.id, incidentSteps.incidentId))
      .where(received)
      .prepare(),
  );
  const ofEvents = lazy(() =>
    db
      .select({
        incidentId: incidentEvents.incidentId,
        at: incidentEvents.at,
        type: incidentEvents.type,
        field: incidentEvents.field,
        newValue: incidentEvents.newValue,
      })
      .from(incidentEvents)
      .innerJoin(incidents, eq(incidents.id, incidentEvents.incidentId))
      .where(and(received, inArray(incidentEvents.type, [...STATS_EVENT_TYPES])))
      .prepare(),
  );
  const ofDisclosures = lazy(() =>
    db
      .select({
        incidentId: disclosures.incidentId,
        state: disclosures.state,
        publishedAt: disclosures.publishedAt,
      })
      .from(disclosures)
      .innerJoin(incidents, eq(incidents.id, disclosures.incidentId))
      .where(received)
      .prepare(),
  );
  const ofNotices = lazy(() =>
    db
      .select({
        incidentId: distributorNotices.incidentId,
        notice: distributorNotices.notice,
        sentAt: distributorNotices.sentAt,
      })
      .from(distributorNotices)
      .innerJoin(incidents, eq(incidents.id, distributorNotices.incidentId))
      .where(received)
      .prepare(),
  );

  return {
    /** Everything stats read about the incidents received in [since, until), in one read transaction. */
    period(since: Date, until: Date): StatsFacts {
      const args = { since: since.getTime(), until: until.getTime() };
      // One snapshot: a write landing between two of the queries cannot make them disagree.
      return db.transaction(() => ({
        incidents: ofIncidents().all(args),
        severity: ofSeverity().all(args),
        steps: ofSteps().all(args),
        events: ofEvents().all(args),
        disclosures: ofDisclosures().all(args),
        notices: ofNotices().all(args),
      }));
    },
  };
}
export type StatsStore = ReturnType<typeof statsStore>;
