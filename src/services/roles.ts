import type { Clock } from '../clock.js';
import { nextFixLead } from '../domain/fixLead.js';
import type { IncidentRole } from '../domain/incident.js';
import { PER_ISSUE_ROLE_NAME, PER_ISSUE_ROLES, type PerIssueRole } from '../domain/owners.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { afterEventKeys, type NoticeRole, NotYet, work } from '../domain/work.js';
import { isWorkingTime, nextWorkingTime } from '../domain/workingHours.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import { commanderHandoffRequest, roleNotice } from '../views/roles.js';
import type { MemberService } from './members.js';
import type { OwnerService } from './owners.js';
import { type Done, done, refused } from './result.js';
import type { RotationService } from './rotation.js';

/** How many quiet incidents and untriaged reports the start-of-shift digest names; it counts the rest. */
const DIGEST_LIST = 20;
const DAY_MS = 86_400_000;

/**
 * Incident roles: the commander (defaults to the primary oncall, handed off only when the incoming one
 * accepts), the Fix Lead (round-robin across members), and the Fix Team (per incident, chosen by the IC
 * or Fix Lead). Every change is a timeline event, which marks the card stale; the DMs a change causes are
 * due work stored with it.
 */
export function roleService(deps: {
  roles: IncidentRoleStore;
  incidents: IncidentStore;
  members: MemberService;
  rotation: Pick<RotationService, 'primaryAt'>;
  /** The 2018 per-issue roles' rotations and queues (nothing to assign under today's process). */
  owners: Pick<OwnerService, 'takeTurns' | 'perIssue' | 'noRoles'>;
  dueWork: DueWorkStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
}) {
  const { roles, members, clock } = deps;
  const cadence = deps.profile.reminders.commanderHandoff;

  const commander = (id: string) => roles.current(id, 'commander')?.userId ?? null;
  const fixLead = (id: string) => roles.current(id, 'fix_lead')?.userId ?? null;
  const changed = (id: string) => afterEventKeys(id, clock.now());
  /**
   * Tells someone of a role they were given (or that someone took theirs over), as due work stored with
   * the change. Returns the key, for the caller's list of work to run after answering.
   */
  function notify(
    n: {
      incidentId: string;
      role: NoticeRole;
      userId: string;
      change?: 'given' | 'taken_over';
      by: string;
      to?: string;
    },
    at: Date,
  ): string {
    const item = work.roleNotice({ change: 'given', ...n }, at);
    deps.dueWork.enqueue(item, at);
    return item.key;
  }

  /**
   * Moves an incident role to `to` with the reason on the timeline, telling the new holder, and the old
   * one when it was taken from them. Refuses what the process does not allow.
   */
  function hand(
    actor: string,
    incidentId: string,
    role: 'commander' | 'fix_lead' | PerIssueRole,
    to: string,
    reason: string,
  ): Done {
    // "the Fix Lead of SRP-…", but "the Triage role on SRP-…": the 2018 roles are roles held, not titles.
    const perIssue = role !== 'commander' && role !== 'fix_lead';
    const name =
      role === 'commander' ? 'incident commander' : perIssue ? PER_ISSUE_ROLE_NAME[role] : 'Fix Lead';
    const title = perIssue ? `${name} role on ${incidentId}` : `${name} of ${incidentId}`;
    if (!deps.incidents.get(incidentId)) return refused(`There is no incident ${incidentId}.`);
    if (!reason.trim())
      return refused(`A reason is needed: it goes on the timeline, e.g. "<@${actor}> is away".`);
    if (!members.isMember(to)) {
      return refused(
        `<@${to}> is not a committee member; the ${perIssue ? `${name} role goes to a member` : `${name} must be one`}.`,
      );
    }
    const before = roles.current(incidentId, role)?.userId ?? null;
    if (before === to) return refused(`<@${to}> ${perIssue ? 'already holds' : 'is already'} the ${title}.`);
    const at = clock.now();
    const due = deps.transact(() => {
      roles.assign({ incidentId, role, userId: to, at, by: actor, reason: reason.trim() });
      // Taking command ends any handoff that was waiting: the incident has a commander again.
      if (role === 'commander') {
        const waiting = roles.pendingHandoff(incidentId);
        if (waiting) roles.cancelHandoff(waiting.id, actor, at);
      }
      const keys = [notify({ incidentId, role, userId: to, by: actor }, at)];
      if (before && before !== actor) {
        keys.push(notify({ incidentId, role, userId: before, change: 'taken_over', by: actor, to }, at));
      }
      return keys;
    });
    const who = to === actor ? 'You' : `<@${to}>`;
    return done(
      perIssue
        ? `${who} now ${to === actor ? 'hold' : 'holds'} the ${title}.`
        : `${who} ${to === actor ? 'are' : 'is'} now the ${title}.`,
      [...changed(incidentId), ...due],
    );
  }

  /** "<@X> asks you" only while X commands the incident; for one without a commander, nobody is in charge. */
  const askedBy = (h: { incidentId: string; fromUser: string }) =>
    commander(h.incidentId) === h.fromUser ? h.fromUser : null;

  return {
    commander,
    fixLead,

    /**
     * The primary oncall when the report arrived (`reportedAt`) commands it (if a member: associates never
     * command an embargoed report); the Fix Lead is the next in the round-robin; under the 2018 process each
     * configured per-issue role goes to its rotation's or queue's member. All are told. The new incident's
     * `intake-roles` due work, run in one transaction right after the report is acknowledged, or later (a
     * retry, a restart): a role someone already holds by then (taken from the card) is left to them, the
     * roles are given as of now, and the round-robin counts every turn given so far, whatever order the
     * reports' rows ran in. Returns the notices.
     */
    assignAtIntake(incidentId: string, reportedAt: Date): string[] {
      const at = clock.now();
      const held = roles.holders(incidentId);
      const leaves = members.leaves();
      const due: string[] = [];
      const give = (role: IncidentRole, userId: string) => {
        roles.assign({ incidentId, role, userId, at, by: 'srp' });
        due.push(notify({ incidentId, role, userId, by: 'srp' }, at));
      };
      const primary = held.commander ? null : deps.rotation.primaryAt(reportedAt, leaves);
      if (primary && members.isMember(primary)) give('commander', primary);
      if (!held.fixLead) {
        const roster = members.roster();
        const lead = nextFixLead({
          members: roster,
          leaves,
          history: roles.lastFixLeadTurns(
            roster.map((m) => m.userId),
            at,
          ),
          at,
        });
        if (lead) give('fix_lead', lead.userId);
      }
      const open = new Set<PerIssueRole>(PER_ISSUE_ROLES.filter((role) => !held.perIncident[role]));
      for (const turn of deps.owners.takeTurns(reportedAt, leaves, open)) give(turn.role, turn.userId);
      return due;
    },

    /**
     * A member gives one of the 2018 per-issue roles on an incident to another member, with the reason on
     * the timeline; the new holder is told, and the old one when it was taken from them.
     */
    reassign(actor: string, incidentId: string, role: PerIssueRole, to: string, reason: string): Done {
      if (!deps.owners.perIssue) return deps.owners.noRoles();
      if (!members.isMember(actor)) return refused('Only full members can reassign a role.');
      return hand(actor, incidentId, role, to, reason);
    },

    /** A member takes command of an incident whose commander does not answer, with the reason. */
    takeCommand: (actor: string, incidentId: string, reason: string) =>
      hand(actor, incidentId, 'commander', actor, reason),

    /** A member takes over as Fix Lead, with the reason. */
    takeFixLead: (actor: string, incidentId: string, reason: string) =>
      hand(actor, incidentId, 'fix_lead', actor, reason),

    /** Due work: the DM telling someone of a role they got (or lost to someone who took it over). */
    async deliverNotice(row: DueWorkRow): Promise<void> {
      const n = JSON.parse(row.payload ?? '{}') as {
        incidentId: string;
        role: NoticeRole;
        change: 'given' | 'taken_over';
        by: string;
        to: string;
      };
      // Members get a link to the card; a Fix Team member outside the committee is told how to see it.
      const cardLink = members.isCommittee(row.subject)
        ? await deps.outbox.permalink(work.card(n.incidentId, clock.now()).key)
        : undefined;
      await deps.outbox.directMessage({
        key: row.key,
        kind: row.kind,
        userId: row.subject,
        render: () => roleNotice({ ...n, cardLink }),
      });
    },

    /**
     * Asks `to` to take over as commander. Only the commander (or, when there is none, any member) may
     * ask; the outgoing commander stays in charge until `to` accepts.
     */
    requestCommanderHandoff(actor: string, incidentId: string, to: string): Done {
      if (!deps.incidents.get(incidentId)) return refused(`There is no incident ${incidentId}.`);
      if (!members.isMember(to)) {
        return refused(`<@${to}> is not a committee member; the incident commander must be one.`);
      }
      const from = commander(incidentId);
      if (from && actor !== from)
        return refused(`Only ${incidentId}'s commander (<@${from}>) can hand it off.`);
      if (from === to) return refused(`<@${to}> is already the incident commander.`);
      const at = clock.now();
      const ask = deps.transact(() => {
        const h = roles.requestHandoff({
          incidentId,
          fromUser: from ?? actor,
          toUser: to,
          requestedBy: actor,
          at,
        });
        const request = work.commanderHandoffRequest(h.id, at);
        deps.dueWork.enqueue(request, at);
        deps.dueWork.enqueue(
          work.commanderHandoffReminder(h.id, 1, new Date(at.getTime() + cadence.firstAfterMs)),
          at,
        );
        return request;
      });
      return done(
        `Asked <@${to}> to take over as incident commander of ${incidentId}; ${from ? 'you stay in charge' : 'it has no commander'} until they accept.`,
        [ask.key, ...changed(incidentId)],
      );
    },

    /** Only the person asked can accept or decline; declining leaves the sender in charge. */
    resolveCommanderHandoff(actor: string, handoffId: number, outcome: 'accepted' | 'declined'): Done {
      const pending = roles.handoff(handoffId);
      if (!pending) return refused('That handoff no longer exists.');
      if (pending.toUser !== actor) return refused('Only the person asked can answer this handoff.');
      const at = clock.now();
      const answer = work.commanderHandoffAnswer(handoffId, outcome, at);
      const accepted = outcome === 'accepted';
      const notices: string[] = [];
      const row = deps.transact(() => {
        const resolved = roles.resolveHandoff(handoffId, outcome, actor, at);
        if (resolved) deps.dueWork.enqueue(answer, at);
        if (resolved && accepted)
          notices.push(
            notify({ incidentId: resolved.incidentId, role: 'commander', userId: actor, by: actor }, at),
          );
        return resolved;
      });
      if (!row) return refused(`That handoff was already ${pending.state}.`);
      return done(
        outcome === 'accepted'
          ? `You are now the incident commander of ${row.incidentId}.`
          : `Declined; <@${row.fromUser}> stays in charge of ${row.incidentId}.`,
        [answer.key, ...changed(row.incidentId), ...notices],
      );
    },

    /** Due work: the DM asking the incoming commander to take over. */
    async deliverHandoffRequest(row: DueWorkRow): Promise<void> {
      const h = roles.handoff(Number(row.subject));
      if (h?.state !== 'pending') return;
      await deps.outbox.directMessage({
        key: row.key,
        kind: row.kind,
        userId: h.toUser,
        // "<@X> asks you" only when X commands it; a request for an incident without one is just "asked".
        render: () =>
          commanderHandoffRequest(
            h.id,
            h.incidentId,
            commander(h.incidentId) === h.fromUser ? h.fromUser : null,
          ),
      });
    },

    /** Due work: the outgoing commander hears whether the handoff was accepted. */
    async deliverHandoffAnswer(row: DueWorkRow): Promise<void> {
      const h = roles.handoff(Number(row.subject));
      if (!h || (h.state !== 'accepted' && h.state !== 'declined')) return;
      await deps.outbox.directMessage({
        key: row.key,
        kind: row.kind,
        userId: h.fromUser,
        render: () => ({
          text:
            h.state === 'accepted'
              ? `<@${h.toUser}> accepted and is now the incident commander of ${h.incidentId}.`
              : `<@${h.toUser}> declined to take over ${h.incidentId}; you are still in charge of it.`,
        }),
      });
    },

    /**
     * Due work: reminds the incoming commander of a handoff still waiting, within their working hours,
     * then plans the next reminder. A handoff answered meanwhile needs no reminder.
     */
    async remindHandoff(row: DueWorkRow): Promise<void> {
      const h = roles.handoff(Number(row.subject));
      if (h?.state !== 'pending') return;
      const now = clock.now();
      const hours = members.workingHours(h.toUser);
      if (hours && !isWorkingTime(hours, now)) throw new NotYet(nextWorkingTime(hours, now));
      await deps.outbox.directMessage({
        key: row.key,
        kind: row.kind,
        userId: h.toUser,
        render: () => commanderHandoffRequest(h.id, h.incidentId, askedBy(h), true),
      });
      const nth = (JSON.parse(row.payload ?? '{}') as { nth?: number }).nth ?? 1;
      deps.transact(() => {
        roles.markReminded(h.id, now);
        deps.dueWork.enqueue(
          work.commanderHandoffReminder(h.id, nth + 1, new Date(now.getTime() + cadence.everyMs)),
          now,
        );
      });
    },

    /** Why a Fix Lead reassignment would be refused, if it would; checked before a modal closes. */
    fixLeadProblem(incidentId: string, to: string, reason: string): string | undefined {
      if (!deps.incidents.get(incidentId)) return `There is no incident ${incidentId}.`;
      if (!reason.trim()) return 'Give a reason for reassigning the Fix Lead.';
      if (!members.isMember(to)) return `<@${to}> is not a committee member; the Fix Lead must be one.`;
      if (fixLead(incidentId) === to) return `<@${to}> is already the Fix Lead of ${incidentId}.`;
      return undefined;
    },

    reassignFixLead: (actor: string, incidentId: string, to: string, reason: string) =>
      hand(actor, incidentId, 'fix_lead', to, reason),

    changeFixTeam(actor: string, incidentId: string, userId: string, change: 'add' | 'remove'): Done {
      if (!deps.incidents.get(incidentId)) return refused(`There is no incident ${incidentId}.`);
      if (actor !== commander(incidentId) && actor !== fixLead(incidentId)) {
        return refused(`Only ${incidentId}'s incident commander or Fix Lead can change its Fix Team.`);
      }
      const at = clock.now();
      const result = deps.transact(() => {
        const changed =
          change === 'add'
            ? roles.addToFixTeam(incidentId, userId, actor, at)
            : roles.removeFromFixTeam(incidentId, userId, actor, at);
        const told =
          changed && change === 'add'
            ? [notify({ incidentId, role: 'fix_team', userId, by: actor }, at)]
            : [];
        return { changed, told };
      });
      if (!result.changed)
        return refused(`<@${userId}> is ${change === 'add' ? 'already' : 'not'} on the Fix Team.`);
      return done(
        `${change === 'add' ? 'Added' : 'Removed'} <@${userId}> ${change === 'add' ? 'to' : 'from'} ${incidentId}'s Fix Team.`,
        [...changed(incidentId), ...result.told],
      );
    },

    isOnFixTeam: (incidentId: string, userId: string) => roles.isOnFixTeam(incidentId, userId),
    fixTeam: (incidentId: string) => roles.fixTeam(incidentId).map((m) => m.userId),
    tenures: (id: string) => roles.tenures(id),
    holderAt: roles.holderAt.bind(roles),

    /**
     * For the start-of-shift digest: open incidents whose commander has been quiet for a day (or that
     * have none), and untriaged reports; the first few of each by id, and how many in all.
     */
    digest(now: Date) {
      return {
        needsUpdate: deps.incidents.quietCommanders(new Date(now.getTime() - DAY_MS), DIGEST_LIST),
        untriaged: deps.incidents.untriaged(DIGEST_LIST),
      };
    },
  };
}
export type RoleService = ReturnType<typeof roleService>;
