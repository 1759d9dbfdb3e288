import { refused } from '../../services/members.js';
import {
  ASK_COVER_ACTION,
  HAND_OFF_ACTION,
  oncallMessage,
  TAKE_COVER_ACTION,
  TAKE_SHIFT_ACTION,
} from '../../views/oncall.js';
import { userArg, weekdayArg, words } from '../parse.js';
import type { ActionArgs, ActionRoute, CommandRoute, Services } from '../routes.js';
import { ackOutcome, respondDone, usage } from './reply.js';

function oncallView(services: Services, viewer: string) {
  const now = services.rotation.now();
  if (!now) return undefined;
  return oncallMessage({ now, shifts: services.rotation.upcoming(), viewer });
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
    role: 'committee',
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
    role: 'member',
    async run({ ack, command }, rest, { rotation }) {
      const w = words(rest);
      const order = w.map(userArg).filter((u): u is string => Boolean(u));
      const [day, time, zone, startDate] = w.slice(order.length);
      const handoffWeekday = weekdayArg(day);
      if (!order.length || !handoffWeekday || !time || !zone || !startDate)
        return ackOutcome(ack, usage(this.usage));
      await ackOutcome(
        ack,
        rotation.configure(command.user_id, { order, handoffWeekday, handoffTime: time, zone, startDate }),
      );
    },
  },
  {
    name: 'oncall export rotate',
    usage: 'oncall export rotate',
    description: 'Replace the calendar feed link (the old one stops working), e.g. after it leaked.',
    role: 'member',
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
    role: 'committee',
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

/** Calendar files are small; anything bigger is not an oncall schedule. */
const MAX_ICAL_BYTES = 1_000_000;
const FETCH_TIMEOUT_MS = 10_000;

/** Fetches a calendar over https only, bounded in size and time, since a member supplies the URL. */
async function fetchCalendar(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok || !res.body) throw new Error(`the server answered ${res.status}`);
  // Read no more than the limit, whatever the server claims or sends.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ICAL_BYTES) throw new Error('the calendar is larger than 1 MB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const oncallImportRoute: CommandRoute = {
  name: 'oncall import',
  usage: 'oncall import <https URL of an .ics calendar>',
  description:
    'Bring a schedule across from another tool (e.g. an Opsgenie iCal link); its events become overrides.',
  role: 'member',
  async run({ ack, command, respond, client }, rest, { rotation, members, log }) {
    const url = words(rest)[0]?.replace(/^<|>$/g, '');
    if (!url || !/^https:\/\//.test(url)) return ackOutcome(ack, usage(this.usage));
    await ackOutcome(ack, 'Importing the calendar…');
    let text: string;
    try {
      text = await fetchCalendar(url);
    } catch (err) {
      await respond({
        response_type: 'ephemeral',
        text: `:warning: Could not fetch the calendar: ${(err as Error).message}.`,
      });
      return;
    }
    // Foreign calendars name people by email; Slack maps an email to a member.
    const byEmail = new Map<string, string>();
    for (const m of members.list()) {
      try {
        const info = await client.users.info({ user: m.userId });
        const email = info.user?.profile?.email;
        if (email) byEmail.set(email.toLowerCase(), m.userId);
      } catch {
        log.warn({ user: m.userId }, 'could not read a member profile for the import');
      }
    }
    const result = rotation.importICal(command.user_id, text, (e) =>
      e.email ? (byEmail.get(e.email.toLowerCase()) ?? null) : null,
    );
    const problems = result.problems.slice(0, 10).map((p) => `• ${p}`);
    await respond({
      response_type: 'ephemeral',
      text: [`Imported ${result.imported} shift(s) as overrides.`, ...problems].join('\n'),
    });
  },
};

export const oncallActions: ActionRoute[] = [
  {
    actionId: TAKE_SHIFT_ACTION,
    role: 'committee',
    async run(args, services) {
      await args.ack();
      const index = Number('value' in args.action ? args.action.value : Number.NaN);
      const outcome = Number.isInteger(index)
        ? services.rotation.takeShift(args.body.user.id, index)
        : { ok: false as const, message: 'That button lost track of its shift.' };
      await redraw(args, services, outcome.ok ? outcome.message : `:warning: ${outcome.message}`);
    },
  },
  {
    actionId: HAND_OFF_ACTION,
    role: 'committee',
    async run(args, services) {
      await args.ack();
      const to = 'selected_user' in args.action ? args.action.selected_user : undefined;
      const outcome = to
        ? services.rotation.handOff(args.body.user.id, to)
        : { ok: false as const, message: 'Pick someone to hand off to.' };
      await redraw(args, services, outcome.ok ? outcome.message : `:warning: ${outcome.message}`);
    },
  },
  {
    actionId: ASK_COVER_ACTION,
    role: 'committee',
    async run(args, services) {
      await args.ack();
      await respondDone(args, services.rotation.askCover(args.body.user.id));
    },
  },
  {
    actionId: TAKE_COVER_ACTION,
    role: 'committee',
    async run(args, services) {
      await args.ack();
      const id = 'value' in args.action ? args.action.value : undefined;
      // The request message is updated for everyone by the follow-up; this answer is for the presser only.
      await respondDone(
        args,
        id
          ? services.rotation.takeCover(args.body.user.id, id)
          : refused('That button lost track of its request.'),
      );
    },
  },
];
