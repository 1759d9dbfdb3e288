import type { Clock } from '../clock.js';
import { nextFixLead } from '../domain/fixLead.js';
import { isWorkingTime } from '../domain/workingHours.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import type { CardRoles } from '../views/incidentCard.js';
import { commanderHandoffRequest } from '../views/roles.js';
import { type Done, type MemberService, refused } from './members.js';
import type { RotationService } from './rotation.js';

/** How long an IC handoff may wait before the incoming commander is reminded, and how often after. */
const REMIND_AFTER_MS = 2 * 3_600_000;
const REMIND_EVERY_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Incident roles: the commander (defaults to the primary oncall, handed off
 * only when the incoming one accepts), the Fix Lead (round-robin across
 * members), and the Fix Team (per incident, chosen by the IC or Fix Lead).
 */
export function roleService(deps: {
  roles: IncidentRoleStore;
  incidents: IncidentStore;
  members: MemberService;
  rotation: RotationService;
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  /** Re-renders the incident card; injected to keep the card's owner in one place. */
  refreshCard: (incidentId: string) => Promise<void>;
}) {
  const { roles, members, clock } = deps;

  const commander = (id: string) => roles.current(id, 'commander')?.userId ?? null;
  const fixLead = (id: string) => roles.current(id, 'fix_lead')?.userId ?? null;

  return {
    commander,
    fixLead,

    cardRoles(id: string): CardRoles {
      return {
        commander: commander(id),
        pendingCommander: roles.pendingHandoff(id)?.toUser ?? null,
        fixLead: fixLead(id),
        fixTeam: roles.fixTeam(id).map((m) => m.userId),
      };
    },

    /** The primary oncall when the report arrived commands it; the Fix Lead is the next in the round-robin. */
    assignAtIntake(incidentId: string, at: Date): void {
      const primary = deps.rotation.now(at)?.primary;
      if (primary) roles.assign({ incidentId, role: 'commander', userId: primary, at, by: 'srp' });
      const lead = nextFixLead({
        members: members.roster(),
        leaves: members.leaves(),
        history: roles.fixLeadHistory(),
        at,
      });
      if (lead) roles.assign({ incidentId, role: 'fix_lead', userId: lead.userId, at, by: 'srp' });
    },

    /**
     * Asks `to` to take over as commander. Only the commander (or, when there is none, any member) may
     * ask; the outgoing commander stays in charge until `to` accepts.
     */
    requestCommanderHandoff(actor: string, incidentId: string, to: string): Done {
      if (!deps.incidents.get(incidentId)) return refused(`There is no incident ${incidentId}.`);
      if (!members.hasRole(to, 'member')) {
        return refused(`<@${to}> is not a committee member; the incident commander must be one.`);
      }
      const from = commander(incidentId);
      if (from && actor !== from)
        return refused(`Only ${incidentId}'s commander (<@${from}>) can hand it off.`);
      if (from === to) return refused(`<@${to}> is already the incident commander.`);
      const h = roles.requestHandoff({
        incidentId,
        fromUser: from ?? actor,
        toUser: to,
        requestedBy: actor,
        at: clock.now(),
      });
      return {
        outcome: {
          ok: true,
          message: `Asked <@${to}> to take over as incident commander of ${incidentId}; ${from ? 'you stay in charge' : 'it has no commander'} until they accept.`,
        },
        followUp: async () => {
          await deps.outbox.directMessage(`ic-handoff:${h.id}`, to, () =>
            commanderHandoffRequest(h.id, incidentId, from),
          );
          await deps.refreshCard(incidentId);
        },
      };
    },

    /** Only the person asked can accept or decline; declining leaves the sender in charge. */
    resolveCommanderHandoff(actor: string, handoffId: number, outcome: 'accepted' | 'declined'): Done {
      const pending = roles.handoff(handoffId);
      if (!pending) return refused('That handoff no longer exists.');
      if (pending.toUser !== actor) return refused('Only the person asked can answer this handoff.');
      const row = roles.resolveHandoff(handoffId, outcome, actor, clock.now());
      if (!row) return refused(`That handoff was already ${pending.state}.`);
      const accepted = outcome === 'accepted';
      return {
        outcome: {
          ok: true,
          message: accepted
            ? `You are now the incident commander of ${row.incidentId}.`
            : `Declined; <@${row.fromUser}> stays in charge of ${row.incidentId}.`,
        },
        followUp: async () => {
          await deps.outbox.directMessage(`ic-handoff-${outcome}:${row.id}`, row.fromUser, () => ({
            text: accepted
              ? `<@${actor}> accepted and is now the incident commander of ${row.incidentId}.`
              : `<@${actor}> declined to take over ${row.incidentId}; you are still in charge of it.`,
          }));
          await deps.refreshCard(row.incidentId);
        },
      };
    },

    /** Reminds incoming commanders of handoffs still waiting, in their working hours, once a day. */
    async remindPendingHandoffs(): Promise<number> {
      const now = clock.now();
      let sent = 0;
      for (const h of roles.pendingHandoffs()) {
        if (now.getTime() - h.requestedAt.getTime() < REMIND_AFTER_MS) continue;
        if (h.remindedAt && now.getTime() - h.remindedAt.getTime() < REMIND_EVERY_MS) continue;
        const m = members.get(h.toUser);
        const hours = m
          ? {
              zone: m.tz ?? 'UTC',
              days: JSON.parse(m.workDays) as number[],
              start: m.workStart,
              end: m.workEnd,
            }
          : undefined;
        if (hours && !isWorkingTime(hours, now)) continue;
        const day = Math.floor(now.getTime() / DAY_MS);
        await deps.outbox.directMessage(`ic-handoff-reminder:${h.id}:${day}`, h.toUser, () =>
          commanderHandoffRequest(h.id, h.incidentId, h.fromUser, true),
        );
        roles.markReminded(h.id, now);
        sent++;
      }
      return sent;
    },

    /** Why a Fix Lead reassignment would be refused, if it would; checked before a modal closes. */
    fixLeadProblem(incidentId: string, to: string, reason: string): string | undefined {
      if (!deps.incidents.get(incidentId)) return `There is no incident ${incidentId}.`;
      if (!reason.trim()) return 'Give a reason for reassigning the Fix Lead.';
      if (!members.hasRole(to, 'member'))
        return `<@${to}> is not a committee member; the Fix Lead must be one.`;
      if (fixLead(incidentId) === to) return `<@${to}> is already the Fix Lead of ${incidentId}.`;
      return undefined;
    },

    reassignFixLead(actor: string, incidentId: string, to: string, reason: string): Done {
      const problem = this.fixLeadProblem(incidentId, to, reason);
      if (problem) return refused(problem);
      roles.assign({
        incidentId,
        role: 'fix_lead',
        userId: to,
        at: clock.now(),
        by: actor,
        reason: reason.trim(),
      });
      return {
        outcome: { ok: true, message: `<@${to}> is now the Fix Lead of ${incidentId}.` },
        followUp: () => deps.refreshCard(incidentId),
      };
    },

    changeFixTeam(actor: string, incidentId: string, userId: string, change: 'add' | 'remove'): Done {
      if (!deps.incidents.get(incidentId)) return refused(`There is no incident ${incidentId}.`);
      if (actor !== commander(incidentId) && actor !== fixLead(incidentId)) {
        return refused(`Only ${incidentId}'s incident commander or Fix Lead can change its Fix Team.`);
      }
      const at = clock.now();
      const changed =
        change === 'add'
          ? roles.addToFixTeam(incidentId, userId, actor, at)
          : roles.removeFromFixTeam(incidentId, userId, actor, at);
      if (!changed)
        return refused(`<@${userId}> is ${change === 'add' ? 'already' : 'not'} on the Fix Team.`);
      return {
        outcome: {
          ok: true,
          message: `${change === 'add' ? 'Added' : 'Removed'} <@${userId}> ${change === 'add' ? 'to' : 'from'} ${incidentId}'s Fix Team.`,
        },
        followUp: () => deps.refreshCard(incidentId),
      };
    },

    /**
     * Members see every incident; associates see publicly disclosed ones; a Fix Team member sees only
     * the incidents they work on.
     */
    canSee(userId: string, incidentId: string): boolean {
      if (members.isMember(userId) || roles.isOnFixTeam(incidentId, userId)) return true;
      // Associates lead publicly disclosed issues; embargoed ones are for members ("they should not
      // currently be a member of security@").
      return members.hasRole(userId, 'committee') && deps.incidents.get(incidentId)?.disclosure === 'public';
    },

    tenures: (id: string) => roles.tenures(id),
    holderAt: roles.holderAt.bind(roles),

    /** For the start-of-shift digest: incidents whose commander has been quiet for a day, and untriaged reports. */
    digest(now: Date): { needsUpdate: string[]; untriaged: string[] } {
      const open = deps.incidents.listOpen();
      const needsUpdate = open
        .filter((i) => {
          const ic = commander(i.id);
          if (!ic) return true;
          const last = deps.incidents
            .timeline(i.id)
            .filter((e) => e.actor === ic)
            .at(-1);
          return !last || now.getTime() - last.at.getTime() > DAY_MS;
        })
        .map((i) => i.id);
      return { needsUpdate, untriaged: open.filter((i) => i.status === 'triage').map((i) => i.id) };
    },
  };
}
export type RoleService = ReturnType<typeof roleService>;
