import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import {
  type CommitteeMember,
  type CommitteeWarning,
  committeeWarnings,
  inactiveWarnings,
  type MemberLeave,
  type Membership,
  type RosterChange,
  validateLeave,
} from '../domain/committee.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { work } from '../domain/work.js';
import { isValidZone, parseClockTime, type WorkingHours } from '../domain/workingHours.js';
import type { Logger } from '../logger.js';
import { errorCode } from '../outbox/errors.js';
import type { DueWorkStore } from '../store/dueWork.js';
import type { MemberRow, MemberStore } from '../store/members.js';
import { type Done, done, type Outcome } from './result.js';

/** Activity is kept to the hour: enough to tell a month of silence, without a write per request. */
const ACTIVITY_GRAIN_MS = 3_600_000;

export function toCommitteeMember(m: MemberRow): CommitteeMember {
  return { userId: m.userId, membership: m.membership, company: m.company, joinedAt: m.addedAt };
}

/** A member's working hours, in their zone (UTC until Slack or a member says otherwise). */
export function workingHoursOf(m: MemberRow): WorkingHours {
  return {
    zone: m.tz ?? 'UTC',
    days: JSON.parse(m.workDays) as number[],
    start: m.workStart,
    end: m.workEnd,
  };
}

/** The committee: members and associates, their affiliation, time zone, working hours and leave. */
export function memberService(deps: {
  members: MemberStore;
  dueWork: DueWorkStore;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
  /** Reads time zones from Slack's profiles (users.info); absent in tests that need none. */
  client?: WebClient;
}) {
  const { members, clock, log } = deps;

  const rosterChanges = (): RosterChange[] =>
    members.rosterChanges().map((c): RosterChange => {
      switch (c.type) {
        case 'added':
          return {
            at: c.at,
            type: 'added',
            userId: c.userId,
            membership: c.membership ?? 'member',
            company: c.company,
          };
        case 'removed':
          return { at: c.at, type: 'removed', userId: c.userId };
        case 'role_changed':
          // Stored as 'role_changed' (the roster_changes enum predates the word "membership").
          return {
            at: c.at,
            type: 'membership_changed',
            userId: c.userId,
            membership: c.membership ?? 'member',
          };
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

    /** Members and associates. Read from the database on every request, so a removal takes effect at once. */
    isCommittee(userId: string): boolean {
      return members.get(userId) !== undefined;
    },

    /** Full members only. */
    isMember(userId: string): boolean {
      return members.get(userId)?.membership === 'member';
    },

    workingHours(userId: string): WorkingHours | undefined {
      const m = members.get(userId);
      return m ? workingHoursOf(m) : undefined;
    },

    warnings(): CommitteeWarning[] {
      const now = clock.now();
      const activity = members
        .list()
        .map((m) => ({ userId: m.userId, lastActiveAt: m.lastActiveAt, addedAt: m.addedAt }));
      return [
        ...committeeWarnings(rosterChanges(), leaves(), deps.profile.committee, now),
        ...inactiveWarnings(activity, leaves(), deps.profile.phases.inactiveMember, now),
      ];
    },

    /**
     * Someone used srp (a command, a button, a form): for a member, remembered to the hour, so a month of
     * silence can be flagged. A read for everyone, a write at most once an hour per member.
     */
    noteActivity(userId: string): void {
      const m = members.get(userId);
      if (!m) return;
      const now = clock.now();
      if (m.lastActiveAt && now.getTime() - m.lastActiveAt.getTime() < ACTIVITY_GRAIN_MS) return;
      members.noteActive(userId, now);
    },

    /** Adds someone; their time zone is read from Slack right after (due work), not before answering. */
    add(actor: string, userId: string, membership: Membership, company: string | null): Done {
      const now = clock.now();
      if (!members.addIfAbsent(userId, membership, actor, now, { company })) {
        return { outcome: { ok: false, message: `<@${userId}> is already on the committee.` } };
      }
      const zone = work.memberZones(`user:${userId}`, now);
      deps.dueWork.enqueue(zone, now);
      return done(`Added <@${userId}> as ${membership === 'member' ? 'a member' : 'an associate'}.`, [
        zone.key,
      ]);
    },

    remove(actor: string, userId: string): Outcome {
      const m = members.get(userId);
      if (!m) return { ok: false, message: `<@${userId}> is not on the committee.` };
      const fullMembers = members.list().filter((x) => x.membership === 'member');
      if (m.membership === 'member' && fullMembers.length === 1) {
        return {
          ok: false,
          message: 'That would leave the committee with no members; add another member first.',
        };
      }
      members.remove(userId, actor, clock.now());
      return { ok: true, message: `Removed <@${userId}> from the committee.` };
    },

    setMembership(actor: string, userId: string, membership: Membership): Outcome {
      const m = members.get(userId);
      if (!m) return { ok: false, message: `<@${userId}> is not on the committee; add them first.` };
      const as = membership === 'member' ? 'a member' : 'an associate';
      if (m.membership === membership) return { ok: false, message: `<@${userId}> is already ${as}.` };
      if (
        membership === 'associate' &&
        members.list().filter((x) => x.membership === 'member').length === 1
      ) {
        return {
          ok: false,
          message: 'That would leave the committee with no members; add another member first.',
        };
      }
      members.setMembership(userId, membership, actor, clock.now());
      return { ok: true, message: `<@${userId}> is now ${as}.` };
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

    /** Plans today's refresh of every member's time zone (once a day, whichever replica asks first). */
    planZoneRefresh(): void {
      const now = clock.now();
      deps.dueWork.enqueue(work.memberZones(now.toISOString().slice(0, 10), now), now);
    },

    /**
     * Due work: fills in time zones from Slack's profiles where nobody set one by hand, for one member
     * (`user:<id>`, just added) or everyone (a day).
     */
    async refreshTimeZones(scope: string): Promise<void> {
      if (!deps.client) return;
      const userIds = scope.startsWith('user:') ? [scope.slice(5)] : members.list().map((m) => m.userId);
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
