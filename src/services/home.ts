import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import { isOpenStep, nextDeadline, overdueSteps, responsible, type StepStatus } from '../domain/deadlines.js';
import type { Incident } from '../domain/incident.js';
import { work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import { errorCode } from '../outbox/errors.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { HomeStore } from '../store/home.js';
import {
  fixTeamHome,
  type HomeIncident,
  memberHome,
  NEEDS_LISTED,
  type NeedsLine,
  OPEN_LISTED,
  OWN_LISTED,
  outsiderHome,
} from '../views/home.js';
import type { AccessService } from './access.js';
import type { DepartureService } from './departures.js';
import type { MemberService } from './members.js';
import type { Done, Outcome } from './result.js';
import type { RotationService } from './rotation.js';
import type { ScheduleService, Situation } from './schedule.js';

/**
 * Which Home tabs a change makes stale, re-armed as due work (`home:<user>`, one row each, so a burst of
 * changes is one redraw). Only people who have opened the tab are redrawn; anyone else's is drawn when
 * they open it. Needs no other service, so the services that record changes can depend on it.
 */
export function homeRefresh(deps: {
  store: HomeStore;
  dueWork: DueWorkStore;
  transact: <T>(fn: () => T) => T;
}) {
  function rearm(users: Iterable<string>, at: Date): string[] {
    return deps.transact(() =>
      [...new Set(users)].map((userId) => {
        const item = work.home(userId, at);
        deps.dueWork.rearm(item, at);
        return item.key;
      }),
    );
  }
  return {
    /**
     * Something about an incident changed (its schedule is planned again after every timeline event): the
     * committee's tabs (its lists), its Fix Team's (also whoever was taken off it), its reporter's.
     */
    incidentChanged(incidentId: string, at: Date): string[] {
      return rearm([...deps.store.committeeViewers(), ...deps.store.concernedViewers(incidentId)], at);
    },
    /** The oncall shift changed hands: the committee's tabs say who is oncall now. */
    oncallChanged(at: Date): string[] {
      return rearm(deps.store.committeeViewers(), at);
    },
    /** Someone's standing changed (joined, left, became a member or an associate): their tab changes whole. */
    personChanged(userId: string, at: Date): string[] {
      return deps.store.isViewer(userId) ? rearm([userId], at) : [];
    },
  };
}
export type HomeRefresh = ReturnType<typeof homeRefresh>;

const withHome = (d: Done, refresh: HomeRefresh, userId: string, at: Date): Done =>
  d.outcome.ok ? { ...d, due: [...(d.due ?? []), ...refresh.personChanged(userId, at)] } : d;

/** The committee's roster, each change of someone's standing (joined, member or associate) redrawing their tab. */
export function refreshingMembers(members: MemberService, refresh: HomeRefresh, clock: Clock): MemberService {
  return {
    ...members,
    add: (actor, userId, membership, company) =>
      withHome(members.add(actor, userId, membership, company), refresh, userId, clock.now()),
    setMembership: (actor, userId, membership): Outcome => {
      const outcome = members.setMembership(actor, userId, membership);
      // An Outcome hands back no due keys: the next drain (within a minute) redraws it.
      if (outcome.ok) refresh.personChanged(userId, clock.now());
      return outcome;
    },
  };
}

/** Leaving the committee redraws the leaver's tab (to what anyone sees), right after the answer. */
export function refreshingDepartures(
  departures: DepartureService,
  refresh: HomeRefresh,
  clock: Clock,
): DepartureService {
  return {
    ...departures,
    remove: (actor, userId, replacement) =>
      withHome(departures.remove(actor, userId, replacement), refresh, userId, clock.now()),
  };
}

/**
 * srp's Home tab: what it shows each person, by their standing, and its publishing as due work. A member
 * sees what needs them, the open incidents and who is oncall; an associate the same over public incidents;
 * a Fix Team member outside the committee their incidents only; anyone else the report button and the ids
 * of their own reports.
 */
export function homeService(deps: {
  store: HomeStore;
  access: Pick<AccessService, 'standing' | 'canSee' | 'visibleOpen'>;
  schedule: Pick<ScheduleService, 'situation'>;
  rotation: Pick<RotationService, 'now'>;
  dueWork: DueWorkStore;
  client: WebClient;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
}) {
  const { store, access, clock } = deps;

  /** Overdue first, then due soon, then upcoming; earliest deadline first within each. */
  const URGENCY: Record<string, number> = { overdue: 0, due_soon: 1, upcoming: 2 };
  const byUrgency = (a: StepStatus, b: StepStatus) =>
    (URGENCY[a.state] ?? 3) - (URGENCY[b.state] ?? 3) || a.dueAt.getTime() - b.dueAt.getTime();

  /** The view `userId` gets now, read from one snapshot of the database. */
  const render = (userId: string, now = clock.now()) => store.snapshot(() => draw(userId, now));

  function draw(userId: string, now: Date) {
    const standing = access.standing(userId);
    if (standing === 'anyone') return outsiderHome(store.reportsBy(userId, OWN_LISTED));

    // Each incident's situation once, however many lists it is in.
    const situations = new Map<string, Situation | undefined>();
    const situationOf = (i: Incident) => {
      if (!situations.has(i.id)) situations.set(i.id, deps.schedule.situation(i.id, now, i));
      return situations.get(i.id);
    };
    const listed = (i: Incident): HomeIncident => {
      const s = situationOf(i);
      return {
        incident: i,
        next: s && nextDeadline(s.schedule),
        overdue: s ? overdueSteps(s.schedule).length : 0,
      };
    };
    /** The open steps `userId` answers for on an incident, most urgent first. */
    const theirs = (s: Situation | undefined) =>
      (s?.schedule.steps ?? [])
        .filter((x) => isOpenStep(x) && responsible(x.rule.owner, s?.holders ?? NOBODY).includes(userId))
        .sort(byUrgency);

    if (standing === 'fix_team') {
      const open = access.visibleOpen(userId, OPEN_LISTED);
      return fixTeamHome({
        now,
        total: open.total,
        incidents: open.incidents.map((i) => ({ ...listed(i), mine: theirs(situationOf(i)) })),
        own: store.reportsBy(userId, OWN_LISTED),
      });
    }

    // A step can only be someone's through a seat on its incident (commander, Fix Lead, Fix Team; the
    // others fall back to those): so only the incidents they sit on are worked out, not every open one.
    const needs: NeedsLine[] = [];
    for (const i of store.openHeldBy(userId)) {
      if (standing === 'associate' && !access.canSee(userId, i.id)) continue;
      const mine = theirs(situationOf(i));
      const pressing = mine.filter((x) => x.state !== 'upcoming');
      // And, on an incident they sit on, the next thing coming up for them.
      const upcoming = mine.find((x) => x.state === 'upcoming');
      for (const step of upcoming ? [...pressing, upcoming] : pressing) {
        needs.push({ incidentId: i.id, summary: i.summary, step });
      }
    }
    needs.sort((a, b) => byUrgency(a.step, b.step));
    const open = access.visibleOpen(userId, OPEN_LISTED);
    const oncall = deps.rotation.now(now);
    return memberHome({
      now,
      associate: standing === 'associate',
      needs: { total: needs.length, lines: needs.slice(0, NEEDS_LISTED) },
      open: { total: open.total, incidents: open.incidents.map(listed) },
      oncall: oncall && { primary: oncall.primary, secondary: oncall.secondary, until: oncall.until },
    });
  }

  return {
    render,

    /** They opened the Home tab: remember them (their tab is kept current from now on) and draw it now. */
    opened(userId: string): string[] {
      const now = clock.now();
      const item = work.home(userId, now);
      deps.transact(() => {
        store.recordOpen(userId, now);
        deps.dueWork.rearm(item, now);
      });
      return [item.key];
    },

    /**
     * Due work: publishes someone's Home tab as it stands now. Not a message, so not the outbox's: publishing
     * the same view twice is harmless. A Slack failure throws, so the runner retries (honouring Retry-After).
     */
    async publish(row: DueWorkRow): Promise<void> {
      const view = render(row.subject);
      try {
        await deps.client.views.publish({ user_id: row.subject, view: view as never });
      } catch (err) {
        // A view Slack refuses is a bug no retry can fix; the next change draws the tab again.
        if (errorCode(err) !== 'invalid_arguments') throw err;
        deps.log.error({ key: row.key, error: errorCode(err) }, 'Slack refused a Home tab');
      }
    },
  };
}
export type HomeService = ReturnType<typeof homeService>;

const NOBODY = { commander: null, fixLead: null, fixTeam: [], releaseManagers: [], perIncident: {} };
