import { FIX_LEAD_CALLBACK, fixLeadModal } from '../../views/fixLeadModal.js';
import {
  FIX_LEAD_REASSIGN_ACTION,
  FIX_TEAM_ADD_ACTION,
  IC_HANDOFF_ACTION,
  IC_TAKE_OPEN_ACTION,
} from '../../views/incidentCard.js';
import {
  IC_ACCEPT_ACTION,
  IC_DECLINE_ACTION,
  IC_TAKE_CALLBACK,
  takeCommandModal,
} from '../../views/roles.js';
import { argsOf } from '../parse.js';
import type { ActionRoute, CommandRoute, ViewRoute } from '../routes.js';
import { ackDone, confirmation, openModal, readArgs, respondDone } from './reply.js';

export const roleRoutes: CommandRoute[] = [
  {
    name: 'ic',
    usage: 'ic <incident id> @user | take <reason>',
    description:
      'Hand off incident command (the commander stays in charge until the new one accepts), or take it yourself with a reason.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const incidentId = a.incident();
        if (a.peek() === 'take') {
          a.word('take');
          return { take: true as const, incidentId, reason: a.rest('a reason (it goes on the timeline)') };
        }
        return { take: false as const, incidentId, to: a.user('the new incident commander') };
      });
      if (!input) return;
      const done = input.take
        ? services.roles.takeCommand(command.user_id, input.incidentId, input.reason)
        : services.roles.requestCommanderHandoff(command.user_id, input.incidentId, input.to);
      await ackDone(ack, done, services);
    },
  },
  {
    name: 'fixlead',
    usage: 'fixlead <incident id> @user <reason> | take <reason>',
    description: 'Reassign the Fix Lead, or take it yourself, with the reason on the timeline.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const incidentId = a.incident();
        const taking = a.peek() === 'take';
        if (taking) a.word('take');
        const to = taking ? command.user_id : a.user('the new Fix Lead');
        return { incidentId, to, reason: a.rest('a reason (it goes on the timeline)') };
      });
      if (!input) return;
      await ackDone(
        ack,
        services.roles.reassignFixLead(command.user_id, input.incidentId, input.to, input.reason),
        services,
      );
    },
  },
  {
    name: 'fixteam',
    usage: 'fixteam <incident id> add|remove @user',
    description:
      "Change an incident's Fix Team (its commander or Fix Lead); they see that incident and nothing else.",
    access: 'incident',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return {
          incidentId: a.incident(),
          op: a.oneOf(['add', 'remove'] as const),
          who: a.user('the person'),
        };
      });
      if (!input) return;
      await ackDone(
        ack,
        services.roles.changeFixTeam(command.user_id, input.incidentId, input.who, input.op),
        services,
      );
    },
  },
];

const selected = (action: unknown) => {
  const user = (action as { selected_user?: unknown }).selected_user;
  return typeof user === 'string' ? user : undefined;
};

export const roleActions: ActionRoute[] = [
  {
    actionId: IC_HANDOFF_ACTION,
    access: 'member',
    incidentFrom: 'block',
    async run(args, services, incidentId) {
      await args.ack();
      const to = selected(args.action);
      if (!to || !incidentId) return;
      await respondDone(
        args,
        services.roles.requestCommanderHandoff(args.body.user.id, incidentId, to),
        services,
      );
    },
  },
  {
    actionId: FIX_TEAM_ADD_ACTION,
    access: 'incident',
    incidentFrom: 'block',
    async run(args, services, incidentId) {
      await args.ack();
      const userId = selected(args.action);
      if (!userId || !incidentId) return;
      await respondDone(
        args,
        services.roles.changeFixTeam(args.body.user.id, incidentId, userId, 'add'),
        services,
      );
    },
  },
  {
    actionId: FIX_LEAD_REASSIGN_ACTION,
    access: 'member',
    incidentFrom: 'value',
    async run(args, { roles, log }, incidentId) {
      await args.ack();
      if (!incidentId) return;
      await openModal(args, args.body.trigger_id, fixLeadModal(incidentId, roles.fixLead(incidentId)), log);
    },
  },
  {
    actionId: IC_TAKE_OPEN_ACTION,
    access: 'member',
    incidentFrom: 'value',
    async run(args, { roles, log }, incidentId) {
      await args.ack();
      if (!incidentId) return;
      await openModal(
        args,
        args.body.trigger_id,
        takeCommandModal(incidentId, roles.commander(incidentId)),
        log,
      );
    },
  },
  ...(['accepted', 'declined'] as const).map(
    (outcome): ActionRoute => ({
      actionId: outcome === 'accepted' ? IC_ACCEPT_ACTION : IC_DECLINE_ACTION,
      access: 'member',
      async run(args, services) {
        await args.ack();
        const value = (args.action as { value?: unknown }).value;
        const done = services.roles.resolveCommanderHandoff(args.body.user.id, Number(value), outcome);
        await respondDone(args, done, services, done.outcome.ok);
      },
    }),
  ),
];

export const takeCommandView: ViewRoute = {
  callbackId: IC_TAKE_CALLBACK,
  access: 'member',
  async run({ ack, body, view }, services, { incidentId }) {
    const reason = (view.state.values as Record<string, Record<string, { value?: string | null }>>).reason
      ?.value?.value;
    if (!incidentId)
      return void (await ack({
        response_action: 'errors',
        errors: { reason: 'This form lost its incident; open it again from the card.' },
      }));
    const done = services.roles.takeCommand(body.user.id, incidentId, reason ?? '');
    // Refused (a reason missing, someone took it a moment ago): said inline, where it can be fixed.
    if (!done.outcome.ok)
      return void (await ack({ response_action: 'errors', errors: { reason: done.outcome.message } }));
    await ack(confirmation('Take command', done.outcome.message));
    await services.dueWork.run(done.due ?? []);
  },
};

export const fixLeadView: ViewRoute = {
  callbackId: FIX_LEAD_CALLBACK,
  access: 'member',
  async run({ ack, body, view }, services, { incidentId }) {
    const { roles } = services;
    const values = view.state.values as Record<
      string,
      Record<string, { selected_user?: string; value?: string }>
    >;
    const to = values.fixLead?.value?.selected_user;
    const reason = values.reason?.value?.value?.trim() ?? '';
    if (!to)
      return void (await ack({ response_action: 'errors', errors: { fixLead: 'Pick the new Fix Lead.' } }));
    if (!reason)
      return void (await ack({
        response_action: 'errors',
        errors: { reason: 'Say why the Fix Lead changes.' },
      }));
    if (!incidentId)
      return void (await ack({
        response_action: 'errors',
        errors: { fixLead: 'This form lost its incident; open it again.' },
      }));
    // Checked before closing the modal, so a refusal is shown inline where it can be fixed.
    const problem = roles.fixLeadProblem(incidentId, to, reason);
    if (problem) return void (await ack({ response_action: 'errors', errors: { fixLead: problem } }));
    const done = roles.reassignFixLead(body.user.id, incidentId, to, reason);
    await ack(confirmation('Reassign Fix Lead', done.outcome.message));
    await services.dueWork.run(done.due ?? []);
  },
};
