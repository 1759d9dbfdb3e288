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
  roles: Pick<IncidentRoleStore, 'isOnFixTeam'>;
  incidents: IncidentStore;
}) {
  return {
    canSee(userId: string, incidentId: string): boolean {
      if (deps.members.isMember(userId) || deps.roles.isOnFixTeam(incidentId, userId)) return true;
      return deps.members.isCommittee(userId) && deps.incidents.get(incidentId)?.disclosure === 'public';
    },

    /**
     * The open incidents a committee member or associate may see, oldest first, a page of them and how
     * many in all: one query whatever the role, never a check per incident.
     */
    visibleOpen(userId: string, limit: number): { total: number; incidents: Incident[] } {
      if (deps.members.isMember(userId)) return deps.incidents.openPage({ limit });
      if (deps.members.isCommittee(userId)) return deps.incidents.openPage({ limit, publicOnly: true });
      return { total: 0, incidents: [] };
    },
  };
}
export type AccessService = ReturnType<typeof accessService>;
