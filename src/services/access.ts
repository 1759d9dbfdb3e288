import type { Standing } from '../domain/committee.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import type { MemberService } from './members.js';

/**
 * Who may see which incident. Members see every incident; associates see publicly disclosed ones
 * ("they should not currently be a member of security@"); a Fix Team member sees only the incidents they
 * work on. Read from the database on every request, so a change takes effect at once.
 */
export function accessService(deps: {
  members: Pick<MemberService, 'isMember' | 'isCommittee'>;
  roles: Pick<IncidentRoleStore, 'isOnFixTeam' | 'isOnAnOpenFixTeam'>;
  incidents: IncidentStore;
}) {
  return {
    /**
     * What someone is to srp, most first: a member, an associate, on a Fix Team (of an open incident)
     * without being on the committee, or nobody in particular (who may still report).
     */
    standing(userId: string): Standing {
      if (deps.members.isMember(userId)) return 'member';
      if (deps.members.isCommittee(userId)) return 'associate';
      return deps.roles.isOnAnOpenFixTeam(userId) ? 'fix_team' : 'anyone';
    },

    canSee(userId: string, incidentId: string): boolean {
      if (deps.members.isMember(userId) || deps.roles.isOnFixTeam(incidentId, userId)) return true;
      return deps.members.isCommittee(userId) && deps.incidents.get(incidentId)?.disclosure === 'public';
    },

    /**
     * The open incidents someone may see, oldest first, a page of them and how many in all: all of them
     * for a member, the public ones for an associate, their own for a Fix Team member; one query whatever
     * the standing, never a check per incident.
     */
    visibleOpen(userId: string, limit: number): { total: number; incidents: Incident[] } {
      if (deps.members.isMember(userId)) return deps.incidents.openPage({ limit });
      if (deps.members.isCommittee(userId)) return deps.incidents.openPage({ limit, publicOnly: true });
      return deps.incidents.openOnFixTeam(userId, limit);
    },
  };
}
export type AccessService = ReturnType<typeof accessService>;
