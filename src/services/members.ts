import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import {
  type CommitteeMember,
  type CommitteeWarning,
  committeeWarnings,
  type MemberLeave,
  type RosterChange,
  validateLeave,
} from '../domain/committee.js';
import type { ProcessProfile } from '../domain/profiles.js';
import { isValidZone, parseClockTime } from '../domain/workingHours.js';
import type { Logger } from '../logger.js';
import { errorCode } from '../outbox/outbox.js';
import type { MemberRole, MemberRow, MemberStore } from '../store/members.js';

/**
 * Who may do what: `anyone` in the workspace; the `committee` (members and
 * associates); `member` (full members only: membership and rotation changes).
 */
export type Role = 'anyone' | 'committee' | 'member';

export type Outcome = { ok: true; message: string } | { ok: false; message: string };

/**
 * A change made at once (inside Slack's 3-second window) and the Slack work that follows it (DMs, card
 * updates), which the handler runs only after it has answered Slack.
 */
export interface Done {
  outcome: Outcome;
  followUp?: () => Promise<void>;
}

export const refused = (message: string): Done => ({ outcome: { ok: false, message } });

export function toCommitteeMember(m: MemberRow): CommitteeMember {
  return { userId: m.userId, role: m.role, company: m.company, joinedAt: m.addedAt };
}

export function memberService(deps: {
  members: MemberStore;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
  client?: WebClient;
}) {
  const { members, clock, log } = deps;

  const rosterChanges = (): RosterChange[] =>
    members.rosterChanges().map((c): RosterChange => {
      switch (c.type) {
        case 'added':
          return { at: c.at, type: 'added', userId: c.userId, role: c.role ?? 'member', company: c.company };
        case 'removed':
          return { at: c.at, type: 'removed', userId: c.userId };
        case 'role_changed':
          return { at: c.at, type: 'role_changed', userId: c.userId, role: c.role ?? 'member' };
        default:
          return { at: c.at, type: 'company_changed', userId: c.userId, company: c.company };
      }
    });

  const leaves = (): MemberLeave[] =>
    members
      .leaves()
      .map((l) => ({ userId: l.userId, start: l.start, end: l.end, replacement: l.replacement }));

  return {
    profile: deps.profile,

    /**
     * SRP_ADMINS are committee members from the start; later changes live in the database, so someone
     * who was removed is not brought back by the next restart.
     */
    seedAdmins(userIds: string[]): number {
      const now = clock.now();
      const removed = new Set(
        members
          .rosterChanges()
          .filter((c) => c.type === 'removed')
          .map((c) => c.userId),
      );
      const added = userIds.filter(
        (id) => !removed.has(id) && members.addIfAbsent(id, 'member', 'config:SRP_ADMINS', now),
      );
      if (added.length) log.info({ count: added.length }, 'seeded committee members from SRP_ADMINS');
      return added.length;
    },

    get: (userId: string) => members.get(userId),
    list: () => members.list(),
    roster: () => members.list().map(toCommitteeMember),
    leaves,

    isCommittee(userId: string): boolean {
      return members.get(userId) !== undefined;
    },

    isMember(userId: string): boolean {
      return members.get(userId)?.role === 'member';
    },

    /** Re-read from the database on every request, so a removal takes effect at once. */
    hasRole(userId: string, role: Role): boolean {
      if (role === 'anyone') return true;
      const m = members.get(userId);
      if (!m) return false;
      return role === 'committee' || m.role === 'member';
    },

    warnings(): CommitteeWarning[] {
      return committeeWarnings(rosterChanges(), leaves(), deps.profile, clock.now());
    },

    add(actor: string, userId: string, role: MemberRole, company: string | null): Outcome {
      if (!members.addIfAbsent(userId, role, actor, clock.now(), { company })) {
        return { ok: false, message: `<@${userId}> is already on the committee.` };
      }
      return {
        ok: true,
        message: `Added <@${userId}> as ${role === 'member' ? 'a member' : 'an associate'}.`,
      };
    },

    remove(actor: string, userId: string): Outcome {
      const m = members.get(userId);
      if (!m) return { ok: false, message: `<@${userId}> is not on the committee.` };
      const fullMembers = members.list().filter((x) => x.role === 'member');
      if (m.role === 'member' && fullMembers.length === 1) {
        return {
          ok: false,
          message: 'That would leave the committee with no members; add another member first.',
        };
      }
      members.remove(userId, actor, clock.now());
      return { ok: true, message: `Removed <@${userId}> from the committee.` };
    },

    setRole(actor: string, userId: string, role: MemberRole): Outcome {
      const m = members.get(userId);
      if (!m) return { ok: false, message: `<@${userId}> is not on the committee; add them first.` };
      if (m.role === role)
        return {
          ok: false,
          message: `<@${userId}> is already ${role === 'member' ? 'a member' : 'an associate'}.`,
        };
      if (role === 'associate' && members.list().filter((x) => x.role === 'member').length === 1) {
        return {
          ok: false,
          message: 'That would leave the committee with no members; add another member first.',
        };
      }
      members.setRole(userId, role, actor, clock.now());
      return { ok: true, message: `<@${userId}> is now ${role === 'member' ? 'a member' : 'an associate'}.` };
    },

    setCompany(actor: string, userId: string, company: string | null): Outcome {
      if (!members.get(userId)) return { ok: false, message: `<@${userId}> is not on the committee.` };
      members.setCompany(userId, company, actor, clock.now());
      return { ok: true, message: `<@${userId}>'s affiliation is now ${company ?? 'none'}.` };
    },

    setTimeZone(actor: string, userId: string, zone: string): Outcome {
      if (!members.get(userId)) return { ok: false, message: `<@${userId}> is not on the committee.` };
      if (!isValidZone(zone))
        return { ok: false, message: `"${zone}" is not an IANA time zone such as Europe/Berlin.` };
      members.setTimeZone(userId, zone, true, actor, clock.now());
      return { ok: true, message: `<@${userId}>'s time zone is now ${zone}.` };
    },

    setWorkingHours(
      actor: string,
      userId: string,
      h: { days: number[]; start: string; end: string },
    ): Outcome {
      if (!members.get(userId)) return { ok: false, message: `<@${userId}> is not on the committee.` };
      const start = parseClockTime(h.start);
      const end = parseClockTime(h.end);
      if (!start || !end || !h.days.length)
        return { ok: false, message: 'Give the hours as HH:mm-HH:mm, e.g. 09:00-17:00.' };
      if (end.hour * 60 + end.minute <= start.hour * 60 + start.minute) {
        return { ok: false, message: 'The working day must end after it starts.' };
      }
      members.setWorkingHours(userId, h, actor, clock.now());
      return {
        ok: true,
        message: `<@${userId}> works ${h.start}-${h.end} on ISO weekdays ${h.days.join(',')} (their local time).`,
      };
    },

    recordLeave(actor: string, leave: MemberLeave): Outcome {
      const problems = validateLeave(leave, members.list().map(toCommitteeMember), leaves());
      if (problems.length) return { ok: false, message: problems.join(' ') };
      members.addLeave({ ...leave, createdBy: actor, createdAt: clock.now() });
      return { ok: true, message: `Recorded leave for <@${leave.userId}>.` };
    },

    /** Fills in time zones from Slack's profiles where nobody set one by hand. Slow: call after acking. */
    async refreshTimeZones(userIds = members.list().map((m) => m.userId)): Promise<void> {
      if (!deps.client) return;
      for (const userId of userIds) {
        try {
          const res = await deps.client.users.info({ user: userId });
          if (res.user?.tz) members.setTimeZone(userId, res.user.tz, false);
        } catch (err) {
          log.warn({ user: userId, error: errorCode(err) }, 'could not read a time zone from Slack');
        }
      }
    },
  };
}
export type MemberService = ReturnType<typeof memberService>;
