import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { MemberStore } from '../store/members.js';

/** Who may do what. `committee` is members and associates; `anyone` is the whole workspace. */
export type Role = 'anyone' | 'committee';

export function memberService(deps: { members: MemberStore; clock: Clock; log: Logger }) {
  return {
    /** SRP_ADMINS are committee members from the start; later changes live in the database. */
    seedAdmins(userIds: string[]): number {
      const now = deps.clock.now();
      const added = userIds.filter((id) => deps.members.addIfAbsent(id, 'member', 'config:SRP_ADMINS', now));
      if (added.length) deps.log.info({ count: added.length }, 'seeded committee members from SRP_ADMINS');
      return added.length;
    },

    isCommittee(userId: string): boolean {
      return deps.members.get(userId) !== undefined;
    },

    /** Re-read from the database on every request, so a removal takes effect at once. */
    hasRole(userId: string, role: Role): boolean {
      return role === 'anyone' || this.isCommittee(userId);
    },
  };
}
export type MemberService = ReturnType<typeof memberService>;
