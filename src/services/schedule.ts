import type { Clock } from '../clock.js';
import {
  deliveryTime,
  effectiveRating,
  nextRepeat,
  nudgeStillDue,
  plannedNudges,
  responsible,
  type Schedule,
  type StepStatus,
  schedule,
  stalenessLimit,
  stalePingAt,
} from '../domain/deadlines.js';
import type { Incident } from '../domain/incident.js';
import type { Owner, ProcessProfile } from '../domain/profiles/index.js';
import type { Rating } from '../domain/severity.js';
import { asRating, type SeverityState, severityState } from '../domain/severityState.js';
import { Moot, NotYet, type NudgePayload, type WorkItem, work } from '../domain/work.js';
import type { WorkingHours } from '../domain/workingHours.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import type { MetaStore } from '../store/meta.js';
import type { SeverityStore } from '../store/severity.js';
import type { NudgeDmStore, StepStore } from '../store/steps.js';
import { nudgeDigest, nudgeReply, publicNoticeDm, publicNoticeReply, staleReply } from '../views/nudges.js';
import { sweepOpenIncidents } from './sweep.js';

/**
 * Bump when a change here (or to a profile's steps) changes which nudges open incidents should have: each is
 * planned again once. 2: the CVE record and the tracking issue steps after the release.
 */
const SCHEDULE_VERSION = 2;

/** How long a nudge waits when the card it replies under is not posted yet. */
const CARD_WAIT_MS = 60_000;

/** Who holds what on an incident, as its nudges see it. */
export interface Holders {
  commander: string | null;
  pendingCommander: string | null;
  fixLead: string | null;
  fixTeam: string[];
  releaseManagers: string[];
  /** The 2018 process's per-incident roles (Release/Project Manager, Triage, Infra, Disclosure). */
  perIncident: Partial<Record<Owner, string | null>>;
}

/** Everything the card, `/srp show`, `/srp status`, App Home and the nudges read about one incident. */
export interface Situation {
  incident: Incident;
  holders: Holders;
  severity: SeverityState;
  rating: Rating | null;
  schedule: Schedule;
  /** Public, or rated Critical: its nudges do not wait for working hours. */
  urgent: boolean;
}

/** Where the roles beyond an incident's own come from (the Release Managers' roster, the 2018 roles). */
export interface OwnerDirectory {
  releaseManagers(): string[];
  perIncident(incidentId: string): Partial<Record<Owner, string | null>>;
}

export const NO_DIRECTORY: OwnerDirectory = { releaseManagers: () => [], perIncident: () => ({}) };

/**
 * An incident's schedule, its nudges and its staleness pings. What is due is worked out by the pure
 * functions of domain/deadlines.ts from stored facts; this service stores it as due work (one row per
 * incident, step, kind and deadline), and when a row's time comes, checks the facts again and sends:
 * a reply under the card in the security channel and a line in the person's next nudge DM.
 */
export function scheduleService(deps: {
  incidents: IncidentStore;
  roles: IncidentRoleStore;
  severity: SeverityStore;
  steps: StepStore;
  nudgeDms: NudgeDmStore;
  workingHours: (userId: string) => WorkingHours | undefined;
  /** The disclosure's record: once its announcement is published, the release step is done by that fact. */
  disclosures?: { disclosure(incidentId: string): { state: string } | undefined };
  owners?: OwnerDirectory;
  /** The Home tabs that show an incident, redrawn after each change to it. */
  homes?: { incidentChanged(incidentId: string, at: Date): string[] };
  dueWork: DueWorkStore;
  meta: MetaStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
}) {
  const { clock, profile } = deps;
  const rules = profile.phases;
  const owners = deps.owners ?? NO_DIRECTORY;

  function situation(incidentId: string, now = clock.now(), known?: Incident): Situation | undefined {
    const incident = known ?? deps.incidents.get(incidentId);
    if (!incident) return undefined;
    const roles = deps.roles.holders(incidentId);
    const holders: Holders = {
      ...roles,
      releaseManagers: owners.releaseManagers(),
      perIncident: owners.perIncident(incidentId),
    };
    const row = deps.severity.get(incidentId);
    const severity = severityState(row, Boolean(incident.cveId), profile);
    const rating = effectiveRating({
      final: severity.final?.rating ?? null,
      questionnaire: severity.questionnaire?.rating ?? null,
      cvss: severity.cvss ? asRating(severity.cvss.rating) : null,
    });
    const s = schedule(
      rules,
      {
        phase: incident.phase,
        receivedAt: incident.receivedAt,
        publicAt: incident.publicAt,
        fixTeamSize: roles.fixTeam.length,
        hasCvss: severity.cvss !== null,
        hasFinalRating: severity.final !== null && !severity.needsFinalCall,
        hasCve: Boolean(incident.cveId),
        published: deps.disclosures?.disclosure(incidentId)?.state === 'published',
        distributorNotice: severity.track?.distributorNoticeRequired ?? null,
        records: deps.steps.records(incidentId),
      },
      now,
    );
    return {
      incident,
      holders,
      severity,
      rating,
      schedule: s,
      urgent: incident.publicAt !== null || rating === 'Critical',
    };
  }

  const hoursOf = (users: readonly string[]) => users.map((u) => deps.workingHours(u) ?? null);
  const cardKey = (incidentId: string) => work.card(incidentId, clock.now()).key;

  /** The nudges and the staleness ping an incident's situation makes due now. */
  function planFor(s: Situation, now: Date): WorkItem[] {
    const items: WorkItem[] = [];
    for (const n of plannedNudges(s.incident.phase, s.schedule)) {
      // A "due soon" for a deadline already passed says nothing the overdue nudge will not.
      if (n.kind === 'soon' && n.deadline <= now) continue;
      items.push(
        work.nudge(
          s.incident.id,
          { step: n.step, nudge: n.kind, deadline: n.deadline.getTime(), nth: 1 },
          n.at,
        ),
      );
    }
    const limit = stalenessLimit(rules, s.rating);
    if (limit !== null && s.incident.phase !== 'closed') {
      const last = s.incident.updatedAt;
      items.push(work.stale(s.incident.id, last.getTime(), 1, stalePingAt(last, limit, 1)));
    }
    return items;
  }

  /** A repeat of a planned nudge (`…:2`, `…:3`) lives as long as the nudge it repeats is planned. */
  const baseKey = (key: string) => key.replace(/(:\d+):\d+$/, '$1');

  /**
   * A later staleness ping (the 2nd, 3rd, … since the same last event, at the same limit) lives as long as
   * the first one is planned: planning again with no event between (an upgrade's replan) keeps it.
   */
  function laterPing(s: Situation | undefined, r: { key: string; payload: string | null }): boolean {
    const limit = s && stalenessLimit(rules, s.rating);
    if (!s || !limit || s.incident.phase === 'closed') return false;
    const p = JSON.parse(r.payload ?? '{}') as { lastEvent?: number; nth?: number };
    const last = s.incident.updatedAt.getTime();
    if (p.lastEvent !== last || !p.nth) return false;
    return r.key === work.stale(s.incident.id, last, p.nth, stalePingAt(new Date(last), limit, p.nth)).key;
  }

  /**
   * An overdue nudge already sent repeats daily; its next repeat was cancelled when the incident was closed
   * or the deadline moved away. Planned again (reopened, moved back), the repeat is the one to revive: the
   * first nudge is done, and planning it changes nothing.
   */
  function cancelledRepeat(item: WorkItem): WorkItem | undefined {
    const n = item.payload as NudgePayload | undefined;
    if (item.kind !== 'nudge' || n?.nudge !== 'overdue') return undefined;
    for (let nth = 1; ; nth++) {
      const key = work.nudge(item.subject, { ...n, nth }, item.dueAt).key;
      const row = deps.dueWork.get(key);
      if (row?.state === 'done') continue;
      if (nth === 1 || row?.state !== 'cancelled') return undefined;
      return work.nudge(item.subject, { ...n, nth }, row.dueAt);
    }
  }

  /**
   * Adds a nudge's line to each person's next DM, and makes sure a DM is planned to carry it. Returns the
   * keys of those DMs, to run once the nudges due at the same moment have added their lines.
   */
  function queueLines(
    users: readonly string[],
    line: {
      nudgeKey: string;
      incidentId: string;
      stepName: string;
      dueAt: Date;
      kind: 'soon' | 'overdue' | 'stale';
    },
    now: Date,
  ): string[] {
    const dms: string[] = [];
    for (const userId of users) {
      deps.nudgeDms.add({ ...line, userId, createdAt: now });
      const pending = deps.dueWork.pendingFor(userId, 'nudge-dm')[0];
      if (pending) dms.push(pending.key);
      else {
        const dm = work.nudgeDm(userId, line.nudgeKey, now);
        deps.dueWork.enqueue(dm, now);
        dms.push(dm.key);
      }
    }
    return dms;
  }

  /** Throws NotYet until one of `users` is working, unless the incident is urgent. */
  function waitForWorkingHours(users: readonly string[], urgent: boolean, now: Date): void {
    const at = deliveryTime(now, hoursOf(users), urgent);
    if (at > now) throw new NotYet(at);
  }

  return {
    situation,

    /**
     * After an upgrade that changes how nudges are planned (or brought phases in), every open incident's
     * nudges are planned again, once per version, in slices.
     */
    refreshAll: () =>
      sweepOpenIncidents(deps, {
        metaKey: 'schedule_version',
        version: SCHEDULE_VERSION,
        item: (id, at) => work.schedule(id, at),
        note: 'nudge planning changed; planning every open incident again',
      }),

    /**
     * Due work after any change to an incident: plans its nudges and its staleness ping from its situation,
     * cancels the planned ones that no longer apply (a step done, a deadline moved, the incident closed).
     * Nudges already sent stay sent: their keys are done, and planning them again changes nothing.
     */
    replan(incidentId: string): string[] {
      const now = clock.now();
      const s = situation(incidentId, now);
      const planned = s ? planFor(s, now) : [];
      const keep = new Set(planned.map((i) => i.key));
      const revived: WorkItem[] = [];
      // The nudges and the Home tabs that show the incident, in one transaction (one commit).
      const homes = deps.transact(() => {
        // Planning a row that is pending already changes nothing (only a cancelled one comes back): skipped.
        const pending = new Set<string>();
        for (const kind of ['nudge', 'stale'] as const) {
          const rows = deps.dueWork.pendingFor(incidentId, kind);
          for (const r of rows) pending.add(r.key);
          const obsolete = rows
            .filter(
              (r) =>
                !keep.has(r.key) &&
                !(kind === 'nudge' && keep.has(baseKey(r.key))) &&
                !(kind === 'stale' && laterPing(s, r)),
            )
            .map((r) => r.key);
          deps.dueWork.cancel(obsolete, now);
        }
        const unplanned = planned.filter((i) => !pending.has(i.key));
        for (const item of unplanned) deps.dueWork.plan(item, now);
        for (const item of unplanned) {
          const repeat = cancelledRepeat(item);
          if (repeat) {
            deps.dueWork.plan(repeat, now);
            revived.push(repeat);
          }
        }
        return deps.homes?.incidentChanged(incidentId, now) ?? [];
      });
      // Due already (a public incident, a deadline passed while the report was entered late): run them now,
      // and the Home tabs that show the incident.
      return [...[...planned, ...revived].filter((i) => i.dueAt <= now).map((i) => i.key), ...homes];
    },

    /** Due work: a step due soon or overdue, if it still is; the owner is mentioned under the card. */
    async deliverNudge(row: DueWorkRow): Promise<string[]> {
      const now = clock.now();
      const n = JSON.parse(row.payload ?? '{}') as NudgePayload;
      const s = situation(row.subject, now);
      const step = s && nudgeStillDue(s.incident.phase, s.schedule, n, now);
      // Nothing to say (done, moved, closed): cancelled, not done, so the deadline moved back revives it.
      if (!s || !step) throw new Moot('the nudge no longer applies');
      const users = responsible(step.rule.owner, s.holders);
      waitForWorkingHours(users, s.urgent, now);
      const dms = deps.transact(() => {
        // The card shows what is due soon and overdue, which changes with the clock, not with an event.
        deps.dueWork.rearm(work.card(row.subject, now), now);
        const keys = queueLines(
          users,
          {
            nudgeKey: row.key,
            incidentId: row.subject,
            stepName: step.rule.name,
            dueAt: step.dueAt,
            kind: n.nudge,
          },
          now,
        );
        if (n.nudge === 'overdue') {
          // Repeated once a working day until it is done or moved; a done step's repeat finds nothing to say.
          const at = nextRepeat(now, hoursOf(users), s.urgent);
          deps.dueWork.plan(work.nudge(row.subject, { ...n, nth: n.nth + 1 }, at), now);
        }
        return keys;
      });
      const posted = await deps.outbox.reply(cardKey(row.subject), {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => nudgeReply(row.subject, step, n, users, now),
      });
      if (!posted) throw new NotYet(new Date(now.getTime() + CARD_WAIT_MS));
      // A step came due (or overdue) by the clock, not by an event: the Home tabs showing it change too.
      return [
        work.card(row.subject, now).key,
        ...dms,
        ...(deps.homes?.incidentChanged(row.subject, now) ?? []),
      ];
    },

    /** Due work: an incident quiet for longer than its rating allows pings its commander, once a period. */
    async deliverStale(row: DueWorkRow): Promise<string[]> {
      const now = clock.now();
      const p = JSON.parse(row.payload ?? '{}') as { lastEvent: number; nth: number };
      const s = situation(row.subject, now);
      // Something happened since (its last event moved): the new schedule planned its own ping.
      if (!s || s.incident.phase === 'closed' || s.incident.updatedAt.getTime() !== p.lastEvent) return [];
      const limit = stalenessLimit(rules, s.rating);
      // Rated since it was planned (another limit): the ping planned for the new limit says it.
      if (
        limit === null ||
        stalePingAt(new Date(p.lastEvent), limit, p.nth).getTime() !== row.dueAt.getTime()
      ) {
        return [];
      }
      const users = responsible('commander', s.holders);
      waitForWorkingHours(users, s.urgent, now);
      const dms = deps.transact(() => {
        const keys = queueLines(
          users,
          {
            nudgeKey: row.key,
            incidentId: row.subject,
            stepName: 'No update',
            dueAt: new Date(p.lastEvent),
            kind: 'stale',
          },
          now,
        );
        const next = work.stale(
          row.subject,
          p.lastEvent,
          p.nth + 1,
          stalePingAt(new Date(p.lastEvent), limit, p.nth + 1),
        );
        deps.dueWork.plan(next, now);
        return keys;
      });
      const posted = await deps.outbox.reply(cardKey(row.subject), {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => staleReply(row.subject, users, new Date(p.lastEvent), s.rating, limit),
      });
      if (!posted) throw new NotYet(new Date(now.getTime() + CARD_WAIT_MS));
      return dms;
    },

    /**
     * Due work: one DM with every nudge line waiting for a person (ids, step names and due times only).
     * Lines that arrive while it is sent wait for the next one, planned here.
     */
    async deliverDigest(row: DueWorkRow): Promise<void> {
      const userId = row.subject;
      const lines = deps.transact(() => deps.nudgeDms.takeFor(userId, row.key));
      if (lines.length > 0) {
        await deps.outbox.directMessage({
          key: row.key,
          kind: row.kind,
          userId,
          render: () => nudgeDigest(lines),
        });
      }
      const now = clock.now();
      deps.transact(() => {
        const waiting = deps.nudgeDms.waitingLine(userId);
        if (waiting && deps.dueWork.pendingFor(userId, 'nudge-dm').length <= 1) {
          deps.dueWork.enqueue(work.nudgeDm(userId, waiting, now), now);
        }
      });
    },

    /**
     * Due work: an incident became public. A reply under its card with every step now due, and its
     * commander and Fix Lead told at once by DM (the id only).
     */
    async deliverPublicNotice(row: DueWorkRow): Promise<void> {
      const now = clock.now();
      const s = situation(row.subject, now);
      if (!s?.incident.publicAt) return;
      const open = s.schedule.steps.filter((x) => x.asap);
      const posted = await deps.outbox.reply(cardKey(row.subject), {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => publicNoticeReply(s.incident, open as StepStatus[], s.holders),
      });
      if (!posted) throw new NotYet(new Date(now.getTime() + CARD_WAIT_MS));
      const told = [
        ...new Set([s.holders.commander, s.holders.fixLead].filter((u): u is string => Boolean(u))),
      ];
      for (const userId of told) {
        await deps.outbox.directMessage({
          key: `${row.key}:dm:${userId}`,
          kind: row.kind,
          userId,
          render: () => publicNoticeDm(row.subject),
        });
      }
    },
  };
}
export type ScheduleService = ReturnType<typeof scheduleService>;
