import type { Standing } from '../domain/committee.js';
import type { Incident } from '../domain/incident.js';
import { RELEASE_MANAGER_PHASES, releaseManagersSee } from '../domain/owners.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import type { MemberService } from './members.js';
import type { OwnerService } from './owners.js';

/**
 * Who may see which incident. Members see every incident; associates see publicly disclosed ones
 * ("they should not currently be a member of security@"); a Fix Team member sees only the incidents they
 * work on; a Release Manager sees an incident from its release on (in release or retrospective, or closed
 * from there), never an embargoed one before. Read from the database on every request, so a change takes
 * effect at once.
 */
export function accessService(deps: {
  members: Pick<MemberService, 'isMember' | 'isCommittee'>;
  roles: Pick<IncidentRoleStore, 'isOnFixTeam' | 'isOnAnOpenFixTeam'>;
  owners: Pick<OwnerService, 'isReleaseManager'>;
  incidents: Pick<IncidentStore, 'get' | 'closedFrom' | 'openPage' | 'openVisible'>;
}) {
  /** Whether a Release Manager sees this incident now. */
  function releaseManagersSeeIt(incidentId: string): boolean {
    const incident = deps.incidents.get(incidentId);
    if (!incident) return false;
    const closedFrom = incident.phase === 'closed' ? deps.incidents.closedFrom(incidentId) : undefined;
    return releaseManagersSee(incident.phase, closedFrom);
  }

  return {
    /**
     * What someone is to srp, most first: a member, an associate, a Release Manager, on a Fix Team (of an
     * open incident) without being any of those, or nobody in particular (who may still report).
     */
    standing(userId: string): Standing {
      if (deps.members.isMember(userId)) return 'member';
      if (deps.members.isCommittee(userId)) return 'associate';
      if (deps.owners.isReleaseManager(userId)) return 'release_manager';
      return deps.roles.isOnAnOpenFixTeam(userId) ? 'fix_team' : 'anyone';
    },

    canSee(userId: string, incidentId: string): boolean {
      if (deps.members.isMember(userId) || deps.roles.isOnFixTeam(incidentId, userId)) return true;
      if (deps.members.isCommittee(userId) && deps.incidents.get(incidentId)?.disclosure === 'public') {
        return true;
      }
      return deps.owners.isReleaseManager(userId) && releaseManagersSeeIt(incidentId);
    },

    /**
     * The open incidents someone may see, oldest first, a page of them and how many in all: all of them
     * for a member; for anyone else those of the kinds they see (public ones for an associate, those in
     * release or retrospective for a Release Manager, their own for a Fix Team member); one query whatever
     * the standing, never a check per incident.
     */
    visibleOpen(userId: string, limit: number): { total: number; incidents: Incident[] } {
      if (deps.members.isMember(userId)) return deps.incidents.openPage({ limit });
      return deps.incidents.openVisible({
        limit,
        publicToo: deps.members.isCommittee(userId),
        phases: deps.owners.isReleaseManager(userId) ? RELEASE_MANAGER_PHASES : [],
        fixTeamOf: userId,
      });
    },
  };
}
export type AccessService = ReturnType<typeof accessService>;
