import { FIX_LEAD_CALLBACK, fixLeadModal } from '../../views/fixLeadModal.js';
import {
  FIX_LEAD_REASSIGN_ACTION,
  FIX_TEAM_ADD_ACTION,
  IC_HANDOFF_ACTION,
  incidentCard,
  incidentFromBlockId,
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
    role: 'member',
    async run({ ack, command }, rest, { roles }) {
      const [id, who] = words(rest);
      const incidentId = incidentArg(id);
      const to = userArg(who);
      if (!incidentId || !to) return ackOutcome(ack, usage(this.usage));
      await ackDone(ack, roles.requestCommanderHandoff(command.user_id, incidentId, to));
    },
  },
  {
    name: 'fixlead',
    usage: 'fixlead <incident id> @user <reason>',
    description: 'Reassign the Fix Lead, with the reason on the timeline.',
    role: 'member',
    async run({ ack, command }, rest, { roles }) {
      const [id, who, ...reason] = words(rest);
      const incidentId = incidentArg(id);
      const to = userArg(who);
      if (!incidentId || !to || !reason.length) return ackOutcome(ack, usage(this.usage));
      await ackDone(ack, roles.reassignFixLead(command.user_id, incidentId, to, reason.join(' ')));
    },
  },
  {
    name: 'fixteam',
    usage: 'fixteam <incident id> add|remove @user',
    description:
      "Change an incident's Fix Team (its commander or Fix Lead); they see that incident and nothing else.",
    role: 'incident',
    async run({ ack, command }, rest, { roles }) {
      const [id, op, who] = words(rest);
      const incidentId = incidentArg(id);
      const userId = userArg(who);
      if (!incidentId || !userId || (op !== 'add' && op !== 'remove'))
        return ackOutcome(ack, usage(this.usage));
      await ackDone(ack, roles.changeFixTeam(command.user_id, incidentId, userId, op));
    },
  },
  {
    name: 'show',
    usage: 'show <incident id>',
    description: 'One incident in full (the committee, and that incident’s Fix Team).',
    role: 'incident',
    async run({ ack }, rest, { incidents, roles }) {
      const id = incidentArg(words(rest)[0]);
      const incident = id ? incidents.get(id) : undefined;
      if (!incident) return ackOutcome(ack, usage(this.usage));
      const card = incidentCard(incident, roles.cardRoles(incident.id));
      // Fix Team members get the facts, not the committee's buttons.
      await ack({
        response_type: 'ephemeral',
        text: card.text,
        blocks: card.blocks.filter((b) => b.type !== 'actions'),
      });
    },
  },
];

const selected = (action: unknown) => (action as { selected_user?: string }).selected_user;
const blockIncident = (action: unknown) => incidentFromBlockId((action as { block_id: string }).block_id);

export const roleActions: ActionRoute[] = [
  {
    actionId: IC_HANDOFF_ACTION,
    role: 'member',
    async run(args, { roles }) {
      await args.ack();
      const to = selected(args.action);
      const incidentId = blockIncident(args.action);
      if (!to || !incidentId) return;
      await respondDone(args, roles.requestCommanderHandoff(args.body.user.id, incidentId, to));
    },
  },
  {
    actionId: FIX_TEAM_ADD_ACTION,
    role: 'incident',
    async run(args, { roles }) {
      await args.ack();
      const userId = selected(args.action);
      const incidentId = blockIncident(args.action);
      if (!userId || !incidentId) return;
      await respondDone(args, roles.changeFixTeam(args.body.user.id, incidentId, userId, 'add'));
    },
  },
  {
    actionId: FIX_LEAD_REASSIGN_ACTION,
    role: 'member',
    async run(args, { roles, log }) {
      await args.ack();
      const incidentId = 'value' in args.action ? args.action.value : undefined;
      if (!incidentId) return;
      await openModal(args, args.body.trigger_id, fixLeadModal(incidentId, roles.fixLead(incidentId)), log);
    },
  },
  ...(['accepted', 'declined'] as const).map(
    (outcome): ActionRoute => ({
      actionId: outcome === 'accepted' ? IC_ACCEPT_ACTION : IC_DECLINE_ACTION,
      role: 'member',
      async run(args, { roles }) {
        await args.ack();
        const id = Number('value' in args.action ? args.action.value : Number.NaN);
        const done = roles.resolveCommanderHandoff(args.body.user.id, id, outcome);
        await respondDone(args, done, done.outcome.ok);
      },
    }),
  ),
];

export const fixLeadView: ViewRoute = {
  callbackId: FIX_LEAD_CALLBACK,
  role: 'member',
  async run({ ack, body, view }, { roles }) {
    const { incidentId } = JSON.parse(view.private_metadata || '{}') as { incidentId?: string };
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
    await roles.reassignFixLead(body.user.id, incidentId, to, reason).followUp?.();
  },
};
