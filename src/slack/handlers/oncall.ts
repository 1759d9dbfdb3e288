import { refused } from '../../services/result.js';
import {
  ASK_COVER_ACTION,
  HAND_OFF_ACTION,
  oncallMessage,
  TAKE_COVER_ACTION,
  TAKE_SHIFT_ACTION,
} from '../../views/oncall.js';
import { BadInput, userArg, weekdayArg, words } from '../parse.js';
import type { ActionArgs, ActionRoute, CommandRoute, Services } from '../routes.js';
import { oncallImportRoute, oncallImportView } from './oncallImport.js';
import { ackOutcome, readArgs, respondDone } from './reply.js';

function oncallView(services: Services, viewer: string) {
  const now = services.rotation.now();
  if (!now) return undefined;
  return oncallMessage({
    now,
    shifts: services.rotation.upcoming(),
    viewer,
    viewerIsMember: services.members.isMember(viewer),
  });
}

const NOT_SET_UP =
  'No rotation is set up yet. A member can set one up with `/srp oncall setup @first @second ... <weekday> <HH:mm> <IANA zone> <YYYY-MM-DD>`.';

/** After a change, the person's schedule view is redrawn in place with the outcome above it. */
async function redraw(args: ActionArgs, services: Services, message: string) {
  const view = oncallView(services, args.body.user.id);
  await args
    .respond({
      response_type: 'ephemeral',
      replace_original: true,
      text: message,
      blocks: (view
        ? [{ type: 'section', text: { type: 'mrkdwn', text: message } }, ...view.blocks]
        : undefined) as never,
    })
    .catch(() => {});
}

export const oncallRoutes: CommandRoute[] = [
  {
    name: 'oncall',
    usage: 'oncall',
    description:
      'Who is primary and secondary now and for the next four weeks; take, cover or hand off a shift.',
    access: 'committee',
    async run({ ack, command }, _rest, services) {
      const view = oncallView(services, command.user_id);
      await (view ? ack({ response_type: 'ephemeral', ...view }) : ackOutcome(ack, NOT_SET_UP));
    },
  },
  {
    name: 'oncall setup',
    usage: 'oncall setup @first @second ... <weekday> <HH:mm> <IANA zone> <YYYY-MM-DD>',
    description:
      'Set the weekly rotation: who, in order, and when shifts hand off (the date is the first handoff).',
    access: 'member',
    async run({ ack, command }, rest, { rotation }) {
      const input = await readArgs(ack, this.usage, () => {
        const w = words(rest);
        const order = w.map(userArg).filter((u): u is string => Boolean(u));
        if (!order.length)
          throw new BadInput('Mention the people of the rotation first, in order, e.g. @ada @bob.');
        const [day, time, zone, startDate] = w.slice(order.length);
        const handoffWeekday = weekdayArg(day);
        if (!handoffWeekday) throw new BadInput('After the people, give the handoff weekday, e.g. monday.');
        if (!time) throw new BadInput('After the weekday, give the handoff time, e.g. 10:00.');
        if (!zone)
          throw new BadInput('After the time, give the IANA time zone it is in, e.g. Europe/Berlin.');
        if (!startDate) throw new BadInput('Last, give the date of the first handoff, YYYY-MM-DD.');
        return { order, handoffWeekday, handoffTime: time, zone, startDate };
      });
      if (!input) return;
      await ackOutcome(ack, rotation.configure(command.user_id, input));
    },
  },
  {
    name: 'oncall export rotate',
    usage: 'oncall export rotate',
    description: 'Replace the calendar feed link (the old one stops working), e.g. after it leaked.',
    access: 'member',
    async run({ ack }, _rest, { rotation }) {
      const token = rotation.rotateFeedToken();
      await ackOutcome(
        ack,
        token ? 'The old calendar link no longer works; `/srp oncall export` gives the new one.' : NOT_SET_UP,
      );
    },
  },
  {
    name: 'oncall export',
    usage: 'oncall export',
    description: 'A calendar feed (iCal) of the schedule to subscribe to.',
    access: 'committee',
    async run({ ack }, _rest, { rotation, publicUrl }) {
      const token = rotation.feedToken();
      if (!token) return ackOutcome(ack, NOT_SET_UP);
      const path = `/oncall.ics?token=${token}`;
      await ackOutcome(
        ack,
        `Subscribe to this calendar (keep the link private): ${publicUrl ? `${publicUrl}${path}` : `<srp's URL>${path} (set SRP_PUBLIC_URL to print the full link)`}`,
      );
    },
  },
];

export { oncallImportRoute, oncallImportView };

export const oncallActions: ActionRoute[] = [
  {
    actionId: TAKE_SHIFT_ACTION,
    access: 'committee',
    async run(args, services) {
      await args.ack();
      const index = Number((args.action as { value?: unknown }).value ?? Number.NaN);
      const outcome = Number.isInteger(index)
        ? services.rotation.takeShift(args.body.user.id, index)
        : { ok: false as const, message: 'That button lost track of its shift.' };
      await redraw(args, services, outcome.ok ? outcome.message : `:warning: ${outcome.message}`);
    },
  },
  {
    actionId: HAND_OFF_ACTION,
    access: 'committee',
    async run(args, services) {
      await args.ack();
      const to = (args.action as { selected_user?: unknown }).selected_user;
      const outcome =
        typeof to === 'string'
          ? services.rotation.handOff(args.body.user.id, to)
          : { ok: false as const, message: 'Pick someone to hand off to.' };
      await redraw(args, services, outcome.ok ? outcome.message : `:warning: ${outcome.message}`);
    },
  },
  {
    actionId: ASK_COVER_ACTION,
    access: 'committee',
    async run(args, services) {
      await args.ack();
      await respondDone(args, services.rotation.askCover(args.body.user.id), services);
    },
  },
  {
    actionId: TAKE_COVER_ACTION,
    access: 'committee',
    async run(args, services) {
      await args.ack();
      const id = (args.action as { value?: unknown }).value;
      // The request message is updated for everyone by the due work; this answer is for the presser only.
      await respondDone(
        args,
        typeof id === 'string'
          ? services.rotation.takeCover(args.body.user.id, id)
          : refused('That button lost track of its request.'),
        services,
      );
    },
  },
];
