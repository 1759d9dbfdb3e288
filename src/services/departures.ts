import type { Clock } from '../clock.js';
import type { IncidentRole } from '../domain/incident.js';
import { PER_ISSUE_ROLE_NAME, PER_ISSUE_ROLES } from '../domain/owners.js';
import { afterEventKeys, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { DueWorkStore } from '../store/dueWork.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import { slackDate } from '../views/format.js';
import type { MemberService } from './members.js';
import { type Done, done, refused } from './result.js';
import type { RotationService } from './rotation.js';

const ROLE_NAME: Record<IncidentRole, string> = {
  commander: 'incident commander',
  fix_lead: 'Fix Lead',
  ...PER_ISSUE_ROLE_NAME,
};
const ROLES: readonly IncidentRole[] = ['commander', 'fix_lead', ...PER_ISSUE_ROLES];

/**
 * Someone leaving the committee. What they hold (commanding or leading open incidents, handoffs waiting
 * for them, oncall weeks) must not be left with nobody, nor a card name someone who is gone: so a
 * removal is refused while they hold anything, saying what and how to go on, or, given a member to take
 * over, hands every role and week to them first, in one transaction with the removal.
 */
export function departureService(deps: {
  members: MemberService;
  roles: IncidentRoleStore;
  rotation: Pick<RotationService, 'heldBy' | 'handOver'>;
  dueWork: DueWorkStore;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
}) {
  const { members, roles, clock } = deps;

  /** What `userId` holds, in words, one line each; empty when nothing. */
  function holdings(userId: string): string[] {
    const lines: string[] = [];
    const held = roles.heldBy(userId);
    for (const role of ROLES) {
      const ids = held.filter((h) => h.role === role).map((h) => h.incidentId);
      if (ids.length) lines.push(`${ROLE_NAME[role]} of ${ids.join(', ')}`);
    }
    const asked = roles.pendingHandoffsTo(userId).map((h) => h.incidentId);
    if (asked.length) lines.push(`asked to take command of ${asked.join(', ')}`);
    const oncall = deps.rotation.heldBy(userId);
    if (oncall.shifts.length) {
      const weeks = oncall.shifts.map(
        (s) => `${s.position} from ${slackDate(s.start)} to ${slackDate(s.end)}`,
      );
      lines.push(`oncall: ${weeks.join('; ')}`);
    } else if (oncall.inOrder) {
      lines.push('in the oncall rotation');
    }
    return lines;
  }

  return {
    holdings,

    /**
     * Removes `userId` from the committee. While they hold anything, only with `replacement` (a member),
     * who takes over every role and oncall week first.
     */
    remove(actor: string, userId: string, replacement?: string): Done {
      if (!members.get(userId)) return refused(`<@${userId}> is not on the committee.`);
      const held = holdings(userId);
      if (held.length && !replacement) {
        const who = actor === userId ? 'You hold' : `<@${userId}> holds`;
        return refused(
          `${who} roles that would be left with nobody:\n${held.map((l) => `• ${l}`).join('\n')}\n` +
            `Name who takes them over: \`/srp members remove <@${userId}> @replacement\` hands every one to the replacement, then removes <@${userId}>.`,
        );
      }
      if (replacement !== undefined) {
        if (replacement === userId) return refused('The replacement must be someone else.');
        if (!members.isMember(replacement)) {
          return refused(
            `<@${replacement}> is not a committee member; only a member can take these roles over.`,
          );
        }
      }
      const at = clock.now();
      const reason = `handed over as <@${userId}> left the committee`;
      let problems: string[] = [];
      let due: string[];
      try {
        due = deps.transact(() => {
          const due: string[] = [];
          if (replacement) {
            for (const h of roles.heldBy(userId)) {
              roles.assign({
                incidentId: h.incidentId,
                role: h.role,
                userId: replacement,
                at,
                by: actor,
                reason,
              });
              due.push(...afterEventKeys(h.incidentId, at));
              const notice = work.roleNotice(
                { incidentId: h.incidentId, role: h.role, userId: replacement, change: 'given', by: actor },
                at,
              );
              deps.dueWork.enqueue(notice, at);
              due.push(notice.key);
            }
            for (const h of roles.pendingHandoffsTo(userId)) {
              roles.cancelHandoff(h.id, actor, at);
              due.push(...afterEventKeys(h.incidentId, at));
            }
            problems = deps.rotation.handOver(actor, userId, replacement);
          }
          const outcome = members.remove(actor, userId);
          // Refused (the last member): throwing rolls back the hand-over, so nothing above stands.
          if (!outcome.ok) throw new Refusal(outcome.message);
          return due;
        });
      } catch (err) {
        if (err instanceof Refusal) return refused(err.message);
        throw err;
      }
      deps.log.info({ user: userId, replacement: replacement ?? null }, 'member left the committee');
      const handed = replacement ? ` Everything they held is now <@${replacement}>'s.` : '';
      const unsolved = problems.length ? `\n:warning: ${problems.join(' ')}` : '';
      return done(`Removed <@${userId}> from the committee.${handed}${unsolved}`, due);
    },
  };
}
export type DepartureService = ReturnType<typeof departureService>;

class Refusal extends Error {}
