import type { RetroDone } from '../../services/retrospective.js';
import { plain, section } from '../../views/format.js';
import {
  feedbackModal,
  RETRO_CLOSE_ACTION,
  RETRO_DONE_ACTION,
  RETRO_FEEDBACK_CALLBACK,
  RETRO_FEEDBACK_OPEN_ACTION,
  retrospectiveMessage,
} from '../../views/retrospective.js';
import { argsOf, BadInput } from '../parse.js';
import type { ActionArgs, ActionRoute, CommandRoute, Services, ViewRoute } from '../routes.js';
import { ackDone, confirmation, openModal, readArgs, respondDone } from './reply.js';

/** An answer offering to close the incident: its message and the Close button. */
function withClose(incidentId: string, d: RetroDone) {
  const text = d.outcome.ok ? d.outcome.message : `:warning: ${d.outcome.message}`;
  if (!d.offerClose) return { text };
  return {
    text,
    blocks: [
      {
        ...section(text, 'retro_done'),
        accessory: {
          type: 'button',
          action_id: RETRO_CLOSE_ACTION,
          text: plain('Close'),
          value: incidentId,
          style: 'primary',
        },
      },
    ],
  };
}

export const retroRoutes: CommandRoute[] = [
  {
    name: 'retro',
    usage: 'retro <incident id> [done]',
    description:
      "An incident's retrospective draft (those involved); `done` marks it done (its Fix Lead or commander), and srp offers to close it.",
    access: 'incident',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const id = a.incident();
        const word = a.optionalRest()?.toLowerCase();
        if (word !== undefined && word !== 'done') {
          throw new BadInput(
            `"${word.slice(0, 30)}" is not something a retrospective does; say \`done\` or nothing.`,
          );
        }
        return { id, done: word === 'done' };
      });
      if (!input) return;
      if (input.done) {
        const d = services.retrospective.markDone(command.user_id, input.id);
        await ack({ response_type: 'ephemeral', ...withClose(input.id, d) });
        await services.dueWork.run(d.due ?? []);
        return;
      }
      const shown = services.retrospective.show(command.user_id, input.id);
      if (!('retro' in shown)) return ackDone(ack, shown, services);
      await ack({ response_type: 'ephemeral', ...retrospectiveMessage(shown.retro, shown.state) });
    },
  },
];

async function answer(args: ActionArgs, services: Services, incidentId: string, d: RetroDone) {
  await args
    .respond({ response_type: 'ephemeral', replace_original: false, ...withClose(incidentId, d) })
    .catch(() => {});
  await services.dueWork.run(d.due ?? []);
}

export const retroActions: ActionRoute[] = [
  {
    actionId: RETRO_FEEDBACK_OPEN_ACTION,
    access: 'incident',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      // Refused before the form opens, when the person could not add to it anyway.
      const shown = services.retrospective.show(args.body.user.id, incidentId);
      if (!('retro' in shown)) return respondDone(args, shown, services);
      await openModal(args, args.body.trigger_id, feedbackModal(incidentId), services.log);
    },
  },
  {
    actionId: RETRO_DONE_ACTION,
    access: 'incident',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      await answer(
        args,
        services,
        incidentId,
        services.retrospective.markDone(args.body.user.id, incidentId),
      );
    },
  },
  {
    actionId: RETRO_CLOSE_ACTION,
    access: 'incident',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      await answer(args, services, incidentId, services.retrospective.close(args.body.user.id, incidentId));
    },
  },
];

export const retroViews: ViewRoute[] = [
  {
    callbackId: RETRO_FEEDBACK_CALLBACK,
    access: 'incident',
    async run(args, services, meta) {
      const id = meta.incidentId;
      if (!id) {
        return void (await args.ack({
          response_action: 'errors',
          errors: { feedback: 'This form lost its incident; open it again from the draft.' },
        }));
      }
      const values = args.view.state.values as Record<string, Record<string, { value?: string | null }>>;
      const text = values.feedback?.value?.value ?? undefined;
      const d = services.retrospective.addFeedback(args.body.user.id, id, text, `view:${args.view.id}`);
      if (!d.outcome.ok) {
        return void (await args.ack({ response_action: 'errors', errors: { feedback: d.outcome.message } }));
      }
      await args.ack(confirmation('Feedback added', d.outcome.message));
      await services.dueWork.run(d.due ?? []);
    },
  },
];
