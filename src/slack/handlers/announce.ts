import type { ScheduleDone } from '../../services/publish.js';
import {
  proposalMessage,
  SCHEDULE_ACTION,
  SCHEDULE_CONFIRM_ACTION,
  SCHEDULE_MODAL,
  scheduleModal,
} from '../../views/announce.js';
import { argsOf, BadInput } from '../parse.js';
import type { ActionRoute, CommandRoute, ViewRoute } from '../routes.js';
import { ackDone, confirmation, openModal, readArgs, respondDone, respondOutcome } from './reply.js';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `YYYY-MM-DD HH:MM`, in UTC (the process states its target time in UTC). */
function utcTime(day: Date, time: string): Date {
  const m = TIME.exec(time);
  if (!m) throw new BadInput(`Times are HH:MM in UTC, e.g. 16:00 (not "${time.slice(0, 10)}").`);
  return new Date(day.getTime() + (Number(m[1]) * 60 + Number(m[2])) * 60_000);
}

export const announceRoutes: CommandRoute[] = [
  {
    name: 'schedule',
    usage: 'schedule <incident id> [YYYY-MM-DD HH:MM [override <reason>] | cancel]',
    description:
      "Schedule the approved announcement (its commander or Fix Lead), in UTC: without a time srp proposes the earliest 16:00 UTC Mon–Thu slot that keeps the distributors' notices; a time breaking a rule is refused with it unless the incident is public or the Fix Lead overrides with a reason. `cancel` withdraws it.",
    access: 'committee',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const id = a.incident();
        if (a.peek() === 'cancel') return { id, cancel: true as const };
        if (a.peek() === undefined) return { id };
        const day = a.date('the day of the announcement');
        const at = utcTime(day, a.word('the time, HH:MM in UTC, e.g. 16:00'));
        const word = a.peek();
        if (word !== undefined && word !== 'override') {
          throw new BadInput(
            `After the time, only \`override <reason>\` may follow (not "${word.slice(0, 20)}").`,
          );
        }
        if (word === 'override') a.word('override');
        const reason = word === 'override' ? a.rest('the reason for the override') : undefined;
        return { id, at, reason };
      });
      if (!input) return;
      const publish = services.publish;
      if ('cancel' in input) return ackDone(ack, publish.cancel(command.user_id, input.id), services);
      if (!('at' in input) || !input.at) {
        const plan = publish.plan(command.user_id, input.id);
        if ('outcome' in plan) return ackDone(ack, plan, services);
        return void (await ack({ response_type: 'ephemeral', ...proposalMessage(plan) }));
      }
      await ackDone(ack, publish.schedule(command.user_id, input.id, input.at, input.reason), services);
    },
  },
];

export const announceActions: ActionRoute[] = [
  {
    // "Schedule announcement…" (the card, the drafts, the proposal): the form with srp's proposal.
    actionId: SCHEDULE_ACTION,
    access: 'committee',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      const plan = services.publish.plan(args.body.user.id, incidentId);
      if ('outcome' in plan) return respondOutcome(args, plan.outcome);
      await openModal(args, args.body.trigger_id, scheduleModal(plan), services.log);
    },
  },
  {
    // "Schedule for that time" under a proposal: checked again now, as if typed.
    actionId: SCHEDULE_CONFIRM_ACTION,
    access: 'committee',
    incidentFrom: 'block',
    async run(args, services, incidentId) {
      await args.ack();
      const ms = Number((args.action as { value?: unknown }).value);
      if (!incidentId || !Number.isFinite(ms)) return;
      const d = services.publish.schedule(args.body.user.id, incidentId, new Date(ms));
      await respondDone(args, d, services, d.outcome.ok);
    },
  },
];

export const announceViews: ViewRoute[] = [
  {
    callbackId: SCHEDULE_MODAL,
    access: 'committee',
    async run(args, services, meta) {
      const id = meta.incidentId;
      const errors = (field: string, message: string) =>
        args.ack({ response_action: 'errors', errors: { [field]: message.slice(0, 2000) } });
      if (!id)
        return void (await errors('target', 'This form lost its incident; open it again from the card.'));
      const values = args.view.state.values as Record<
        string,
        Record<string, { value?: string | null; selected_date_time?: number | null }>
      >;
      const seconds = values.target?.value?.selected_date_time;
      if (typeof seconds !== 'number') return void (await errors('target', 'Pick the date and time.'));
      const reason = values.override?.value?.value?.trim() || undefined;
      const d: ScheduleDone = services.publish.schedule(
        args.body.user.id,
        id,
        new Date(seconds * 1000),
        reason,
      );
      if (!d.outcome.ok) return void (await errors(d.field ?? 'target', d.outcome.message));
      await args.ack(confirmation('Scheduled', d.outcome.message));
      await services.dueWork.run(d.due ?? []);
    },
  },
];
