import type { Clock } from '../clock.js';
import { isOnLeave, type MemberLeave } from '../domain/committee.js';
import {
  type AssignmentMode,
  type AssignmentRule,
  orderProblems,
  PER_ISSUE_ROLE_NAME,
  PER_ISSUE_ROLES,
  type PerIssueRole,
  rotationPair,
  takeTurn,
} from '../domain/owners.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import type { Logger } from '../logger.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { OwnerStore } from '../store/owners.js';
import type { MemberService } from './members.js';
import { type Outcome, refused } from './result.js';
import type { RotationService } from './rotation.js';
import type { OwnerDirectory } from './schedule.js';

const ONLY_MEMBERS_ROSTER = 'Only full members can change who the Release Managers are.';

/** What `/srp roles` shows of one role. */
export interface RoleOverview {
  role: PerIssueRole;
  rule: AssignmentRule | undefined;
  /** Who takes the next incident now, and who after them (the secondary, or the next in the queue). */
  now: string | null;
  next: string | null;
  /** A rotation's current week: when it ends. */
  weekEnds?: Date;
}

/**
 * Who owns an incident's steps beyond its commander, Fix Lead and Fix Team: the project's Release
 * Managers (a roster kept here, whatever the process) and, under the 2018 process, its per-issue roles,
 * each given to a member per incident by a weekly rotation or a queue. This is the schedule's
 * OwnerDirectory: nudges and "Done" go to whoever it names.
 */
export function ownerService(deps: {
  store: OwnerStore;
  roles: Pick<IncidentRoleStore, 'perIncident'>;
  members: Pick<MemberService, 'isMember' | 'leaves'>;
  rotation: Pick<RotationService, 'week'>;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
}) {
  const { store, members, clock } = deps;
  /** The 2018 document assigns per-issue roles; today's has none. */
  const perIssue = deps.profile.id === 'pst2018';

  /** Someone who can take a role now: a full member, not on leave. */
  const availableAt = (at: Date, leaves: MemberLeave[]) => (userId: string) =>
    members.isMember(userId) && !isOnLeave(leaves, userId, at);

  const noRoles = () =>
    refused(
      `The process srp follows (${deps.profile.name}) has no per-issue roles: its incidents have an incident commander, a Fix Lead and a Fix Team, and the Release Managers (\`/srp releasemanagers\`) own the release-day steps.`,
    );

  const directory: OwnerDirectory = {
    releaseManagers: () => store.releaseManagers().map((r) => r.userId),
    perIncident: (incidentId) => deps.roles.perIncident(incidentId),
  };

  return {
    ...directory,
    /** Whether this process assigns per-issue roles (the 2018 one); `/srp roles` answers so otherwise. */
    perIssue,
    noRoles,

    isReleaseManager: (userId: string) => store.isReleaseManager(userId),

    /** Members only: the edge checks it too, but the roster is changed here. */
    addReleaseManager(actor: string, userId: string): Outcome {
      if (!members.isMember(actor)) return { ok: false, message: ONLY_MEMBERS_ROSTER };
      if (!store.addReleaseManager(userId, actor, clock.now())) {
        return { ok: false, message: `<@${userId}> is already a Release Manager.` };
      }
      deps.log.info({ user: userId }, 'release manager added');
      return {
        ok: true,
        message: `<@${userId}> is now a Release Manager: they see an incident from its release on and own its release-day steps.`,
      };
    },

    removeReleaseManager(actor: string, userId: string): Outcome {
      if (!members.isMember(actor)) return { ok: false, message: ONLY_MEMBERS_ROSTER };
      if (!store.removeReleaseManager(userId, actor, clock.now())) {
        return { ok: false, message: `<@${userId}> is not a Release Manager.` };
      }
      deps.log.info({ user: userId }, 'release manager removed');
      return { ok: true, message: `<@${userId}> is no longer a Release Manager.` };
    },

    /** Each per-issue role: how it is assigned, and who is up now and next. */
    overview(at = clock.now()): RoleOverview[] {
      const rules = new Map(store.assignmentRules().map((r) => [r.role, r]));
      const leaves = members.leaves();
      const available = availableAt(at, leaves);
      const week = deps.rotation.week(at);
      return PER_ISSUE_ROLES.map((role): RoleOverview => {
        const rule = rules.get(role);
        if (!rule) return { role, rule, now: null, next: null };
        if (rule.mode === 'rotation') {
          const { primary, secondary } = rotationPair(rule.order, week.index);
          return { role, rule, now: primary, next: secondary, weekEnds: week.end };
        }
        const first = takeTurn(rule, week.index, available);
        const second = takeTurn({ ...rule, queue: first.queue }, week.index, available);
        return { role, rule, now: first.userId, next: second.userId === first.userId ? null : second.userId };
      });
    },

    /** Sets how a role is given to new incidents. Members only; only members may be listed. */
    configure(actor: string, role: PerIssueRole, mode: AssignmentMode, order: string[]): Outcome {
      if (!perIssue) return noRoles().outcome;
      if (!members.isMember(actor)) {
        return { ok: false, message: 'Only full members can change how roles are assigned.' };
      }
      const problems = orderProblems(order, members.isMember);
      if (problems.length) return { ok: false, message: problems.join(' ') };
      store.setAssignmentRule({ role, mode, order }, actor, clock.now());
      const name = PER_ISSUE_ROLE_NAME[role];
      const list = order.map((u) => `<@${u}>`).join(', ');
      return {
        ok: true,
        message:
          mode === 'rotation'
            ? `${name} now rotates weekly: ${list}; each week's primary takes its new incidents, the secondary when the primary is away.`
            : `${name} is now a queue: ${list}; the top takes the next incident and goes to the bottom.`,
      };
    },

    /**
     * Gives each configured per-issue role of a new incident to its holder: the week's primary (or
     * secondary), or the queue's first available member, who goes to the bottom. Call inside the intake's
     * transaction, so two reports at once take two turns. Nothing under a process without these roles.
     */
    takeTurns(
      at: Date,
      leaves: MemberLeave[],
      /** The roles to give (a role someone holds already takes no turn); all when absent. */
      only?: ReadonlySet<PerIssueRole>,
    ): Array<{ role: PerIssueRole; userId: string }> {
      if (!perIssue) return [];
      const available = availableAt(at, leaves);
      const week = deps.rotation.week(at).index;
      const given: Array<{ role: PerIssueRole; userId: string }> = [];
      for (const rule of store.assignmentRules()) {
        if (only && !only.has(rule.role)) continue;
        const turn = takeTurn(rule, week, available);
        if (turn.userId === null) {
          deps.log.warn({ role: rule.role }, 'nobody available for a per-issue role; left unassigned');
          continue;
        }
        if (rule.mode === 'queue') store.setQueue(rule.role, turn.queue);
        given.push({ role: rule.role, userId: turn.userId });
      }
      // In the document's order, so notices and the timeline read the same way every time.
      return given.sort((a, b) => PER_ISSUE_ROLES.indexOf(a.role) - PER_ISSUE_ROLES.indexOf(b.role));
    },
  };
}
export type OwnerService = ReturnType<typeof ownerService>;
