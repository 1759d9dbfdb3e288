import { FIX_LEAD_CALLBACK, fixLeadModal } from '../../views/fixLeadModal.js';
import {
  FIX_LEAD_REASSIGN_ACTION,
  FIX_TEAM_ADD_ACTION,
  IC_HANDOFF_ACTION,
} from '../../views/incidentCard.js';
import { IC_ACCEPT_ACTION, IC_DECLINE_ACTION } from '../../views/roles.js';
import { incidentArg, userArg, words } from '../parse.js';
import type { ActionRoute, CommandRoute, ViewRoute } from '../routes.js';
import { ackDone, ackOutcome, openModal, respondDone, usage } from './reply.js';

export const roleRoutes: CommandRoute[] = [
  {
    name: 'ic',
    usage: 'ic <incident id> @user',
    description:
      'Hand off incident command; the current commander stays in charge until the new one accepts.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const [id, who] = words(rest);
      const incidentId = incidentArg(id);
      const to = userArg(who);
      if (!incidentId || !to) return ackOutcome(ack, usage(this.usage));
      await ackDone(ack, services.roles.requestCommanderHandoff(command.user_id, incidentId, to), services);
    },
  },
  {
    name: 'fixlead',
    usage: 'fixlead <incident id> @user <reason>',
    description: 'Reassign the Fix Lead, with the reason on the timeline.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const [id, who, ...reason] = words(rest);
      const incidentId = incidentArg(id);
      const to = userArg(who);
      if (!incidentId || !to || !reason.length) return ackOutcome(ack, usage(this.usage));
      await ackDone(
        ack,
        services.roles.reassignFixLead(command.user_id, incidentId, to, reason.join(' ')),
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
      const [id, op, who] = words(rest);
      const incidentId = incidentArg(id);
      const userId = userArg(who);
      if (!incidentId || !userId || (op !== 'add' && op !== 'remove'))
        return ackOutcome(ack, usage(this.usage));
      await ackDone(ack, services.roles.changeFixTeam(command.user_id, incidentId, userId, op), services);
    },
  },
  {
    name: 'show',
    usage: 'show <incident id>',
    description: 'One incident in full (the committee, and that incident’s Fix Team).',
    access: 'incident',
    async run({ ack }, rest, { cards }) {
      const id = incidentArg(words(rest)[0]);
      const card = id ? cards.render(id) : undefined;
      if (!card) return ackOutcome(ack, usage(this.usage));
      // Fix Team members get the facts, not the committee's buttons.
      await ack({
        response_type: 'ephemeral',
        text: card.text,
        blocks: card.blocks.filter((b) => b.type !== 'actions'),
      });
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
    await ack();
    await services.dueWork.run(roles.reassignFixLead(body.user.id, incidentId, to, reason).due ?? []);
  },
};
