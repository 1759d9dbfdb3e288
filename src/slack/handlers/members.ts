import { membersMessage } from '../../views/members.js';
import { argsOf, BadInput } from '../parse.js';
import type { CommandRoute } from '../routes.js';
import { ackDone, ackOutcome, readArgs } from './reply.js';

const MEMBERSHIPS = ['member', 'associate'] as const;

export const membersRoutes: CommandRoute[] = [
  {
    name: 'members',
    usage: 'members',
    description: 'The committee at a glance, with every membership rule it breaks.',
    access: 'committee',
    async run({ ack }, _rest, { members, owners, clock }) {
      await ack({
        response_type: 'ephemeral',
        ...membersMessage({
          members: members.list(),
          leaves: members.leaves(),
          warnings: members.warnings(),
          profile: members.profile,
          now: clock.now(),
          releaseManagers: owners.releaseManagers(),
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
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { userId: a.user('the person to add'), as: a.oneOf(MEMBERSHIPS), company: a.optionalRest() };
      });
      if (!input) return;
      await ackDone(
        ack,
        services.members.add(command.user_id, input.userId, input.as, input.company ?? null),
        services,
      );
    },
  },
  {
    name: 'members remove',
    usage: 'members remove @user [@replacement]',
    description:
      'Remove someone from the committee; if they hold roles or oncall weeks, name who takes every one over.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { userId: a.user('the person to remove'), replacement: a.optionalUser('the replacement') };
      });
      if (!input) return;
      await ackDone(
        ack,
        services.departures.remove(command.user_id, input.userId, input.replacement),
        services,
      );
    },
  },
  {
    name: 'members role',
    usage: 'members role @user member|associate',
    description: 'Make someone a member or an associate.',
    access: 'member',
    async run({ ack, command }, rest, { members }) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { userId: a.user('the person'), as: a.oneOf(MEMBERSHIPS) };
      });
      if (input) await ackOutcome(ack, members.setMembership(command.user_id, input.userId, input.as));
    },
  },
  {
    name: 'members company',
    usage: 'members company @user <company>|none',
    description: "Record someone's company affiliation.",
    access: 'member',
    async run({ ack, command }, rest, { members }) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { userId: a.user('the person'), company: a.rest('the company (or none)') };
      });
      if (!input) return;
      const company = input.company.toLowerCase() === 'none' ? null : input.company;
      await ackOutcome(ack, members.setCompany(command.user_id, input.userId, company));
    },
  },
  {
    name: 'members tz',
    usage: 'members tz @user <IANA zone>',
    description: "Set someone's time zone by hand (otherwise Slack's is used).",
    access: 'member',
    async run({ ack, command }, rest, { members }) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { userId: a.user('the person'), zone: a.word('an IANA time zone such as Europe/Berlin') };
      });
      if (input) await ackOutcome(ack, members.setTimeZone(command.user_id, input.userId, input.zone));
    },
  },
  {
    name: 'members leave',
    usage: 'members leave @user YYYY-MM-DD YYYY-MM-DD [@replacement]',
    description: 'Record a leave (first day, day after the last); the rotation skips them.',
    access: 'member',
    async run({ ack, command }, rest, { members, rotation }) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return {
          userId: a.user('the person on leave'),
          from: a.date('the first day of the leave'),
          to: a.date('the day after the last day'),
          replacement: a.optionalUser('the replacement') ?? null,
        };
      });
      if (!input) return;
      // Days become the rotation's handoff moments, so the leave covers whole oncall weeks as people mean it.
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const start = rotation.dayBoundary(day(input.from));
      const end = rotation.dayBoundary(day(input.to));
      const outcome = members.recordLeave(command.user_id, {
        userId: input.userId,
        start,
        end,
        replacement: input.replacement,
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
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const userId = a.user('the person');
        const days = /^([1-7])-([1-7])$/.exec(
          a.word('the working days as ISO weekdays, e.g. 1-5 (Monday to Friday)'),
        );
        if (!days)
          throw new BadInput('Give the working days as ISO weekdays, e.g. 1-5 for Monday to Friday.');
        const times = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(a.word('the hours, e.g. 09:00-17:00'));
        if (!times) throw new BadInput('Give the hours as HH:mm-HH:mm, e.g. 09:00-17:00.');
        return {
          userId,
          from: Number(days[1]),
          to: Number(days[2]),
          start: times[1] as string,
          end: times[2] as string,
        };
      });
      if (!input) return;
      const { from, to } = input;
      const list = Array.from({ length: 7 }, (_, i) => i + 1).filter((d) =>
        from <= to ? d >= from && d <= to : d >= from || d <= to,
      );
      await ackOutcome(
        ack,
        members.setWorkingHours(command.user_id, input.userId, {
          days: list,
          start: input.start,
          end: input.end,
        }),
      );
    },
  },
];
