import type { Membership } from '../../domain/committee.js';
import { membersMessage } from '../../views/members.js';
import { dateArg, userArg, words } from '../parse.js';
import type { CommandRoute } from '../routes.js';
import { ackDone, ackOutcome, usage } from './reply.js';

const membership = (w: string | undefined): Membership | undefined =>
  w === 'member' || w === 'associate' ? w : undefined;

export const membersRoutes: CommandRoute[] = [
  {
    name: 'members',
    usage: 'members',
    description: 'The committee at a glance, with every membership rule it breaks.',
    access: 'committee',
    async run({ ack }, _rest, { members, clock }) {
      await ack({
        response_type: 'ephemeral',
        ...membersMessage({
          members: members.list(),
          leaves: members.leaves(),
          warnings: members.warnings(),
          profile: members.profile,
          now: clock.now(),
        }),
      });
    },
  },
  {
    name: 'members add',
    usage: 'members add @user member|associate [company]',
    description: 'Add someone to the committee.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const [who, r, ...company] = words(rest);
      const userId = userArg(who);
      const as = membership(r);
      if (!userId || !as) return ackOutcome(ack, usage(this.usage));
      await ackDone(
        ack,
        services.members.add(command.user_id, userId, as, company.join(' ') || null),
        services,
      );
    },
  },
  {
    name: 'members remove',
    usage: 'members remove @user',
    description: 'Remove someone from the committee.',
    access: 'member',
    async run({ ack, command }, rest, { members }) {
      const userId = userArg(words(rest)[0]);
      await ackOutcome(ack, userId ? members.remove(command.user_id, userId) : usage(this.usage));
    },
  },
  {
    name: 'members role',
    usage: 'members role @user member|associate',
    description: 'Make someone a member or an associate.',
    access: 'member',
    async run({ ack, command }, rest, { members }) {
      const [who, r] = words(rest);
      const userId = userArg(who);
      const as = membership(r);
      await ackOutcome(
        ack,
        userId && as ? members.setMembership(command.user_id, userId, as) : usage(this.usage),
      );
    },
  },
  {
    name: 'members company',
    usage: 'members company @user <company>|none',
    description: "Record someone's company affiliation.",
    access: 'member',
    async run({ ack, command }, rest, { members }) {
      const [who, ...company] = words(rest);
      const userId = userArg(who);
      const name = company.join(' ');
      await ackOutcome(
        ack,
        userId && name
          ? members.setCompany(command.user_id, userId, name.toLowerCase() === 'none' ? null : name)
          : usage(this.usage),
      );
    },
  },
  {
    name: 'members tz',
    usage: 'members tz @user <IANA zone>',
    description: "Set someone's time zone by hand (otherwise Slack's is used).",
    access: 'member',
    async run({ ack, command }, rest, { members }) {
      const [who, zone] = words(rest);
      const userId = userArg(who);
      await ackOutcome(
        ack,
        userId && zone ? members.setTimeZone(command.user_id, userId, zone) : usage(this.usage),
      );
    },
  },
  {
    name: 'members leave',
    usage: 'members leave @user YYYY-MM-DD YYYY-MM-DD [@replacement]',
    description: 'Record a leave (first day, day after the last); the rotation skips them.',
    access: 'member',
    async run({ ack, command }, rest, { members, rotation }) {
      const [who, from, to, repl] = words(rest);
      const userId = userArg(who);
      if (!userId || !dateArg(from) || !dateArg(to)) return ackOutcome(ack, usage(this.usage));
      // Days become the rotation's handoff moments, so the leave covers whole oncall weeks as people mean it.
      const start = rotation.dayBoundary(from as string);
      const end = rotation.dayBoundary(to as string);
      const replacement = repl ? userArg(repl) : null;
      if (repl && !replacement) return ackOutcome(ack, usage(this.usage));
      const outcome = members.recordLeave(command.user_id, {
        userId,
        start,
        end,
        replacement: replacement ?? null,
      });
      // A leave may empty a week of the rotation: say so now rather than at the handoff.
      const gaps = outcome.ok ? rotation.uncovered(start, end) : 0;
      await ackOutcome(
        ack,
        gaps
          ? {
              ok: true,
              message: `${outcome.message} :warning: ${gaps} oncall week(s) in that time now lack a primary or a secondary; ask someone to take them.`,
            }
          : outcome,
      );
    },
  },
  {
    name: 'members hours',
    usage: 'members hours @user <days, e.g. 1-5> <HH:mm>-<HH:mm>',
    description: 'Set when someone works (ISO weekdays, local time); oncall and reminders keep to it.',
    access: 'member',
    async run({ ack, command }, rest, { members }) {
      const [who, days, span] = words(rest);
      const userId = userArg(who);
      const dayRange = /^([1-7])-([1-7])$/.exec(days ?? '');
      const times = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(span ?? '');
      if (!userId || !dayRange || !times) return ackOutcome(ack, usage(this.usage));
      const from = Number(dayRange[1]);
      const to = Number(dayRange[2]);
      const list = Array.from({ length: 7 }, (_, i) => i + 1).filter((d) =>
        from <= to ? d >= from && d <= to : d >= from || d <= to,
      );
      await ackOutcome(
        ack,
        members.setWorkingHours(command.user_id, userId, {
          days: list,
          start: times[1] as string,
          end: times[2] as string,
        }),
      );
    },
  },
];
