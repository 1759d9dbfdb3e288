import {
  DISCLOSE_CALLBACK,
  DISCLOSE_OPEN_ACTION,
  disclosureModal,
  readDisclosureValues,
} from '../../views/disclosureModal.js';
import { argsOf } from '../parse.js';
import type { ActionRoute, CommandRoute, ViewRoute } from '../routes.js';
import { ackOutcome, confirmation, openModal, readArgs } from './reply.js';

/**
 * The advisory record: `/srp disclose <id>` and the card's "Prepare disclosure" open its form; the
 * routing table lets in whoever may see the incident, and the disclosure service then allows its
 * commander and Fix Lead only, on opening and again on saving.
 */
export const disclosureRoutes: CommandRoute[] = [
  {
    name: 'disclose',
    usage: 'disclose <incident id>',
    description:
      "Prepare an incident's advisory record (summary, affected versions, credits, CVE…), which the disclosure texts are made from (its commander or Fix Lead).",
    access: 'incident',
    async run({ ack, command, client, respond }, rest, services) {
      const incidentId = await readArgs(ack, this.usage, () => argsOf(rest).incident());
      if (!incidentId) return;
      const form = services.disclosure.form(command.user_id, incidentId);
      if (!form.ok) return ackOutcome(ack, { ok: false, message: form.message });
      await ack();
      await openModal({ client, respond }, command.trigger_id, disclosureModal(form.form), services.log);
    },
  },
];

export const disclosureActions: ActionRoute[] = [
  {
    actionId: DISCLOSE_OPEN_ACTION,
    access: 'incident',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      const form = services.disclosure.form(args.body.user.id, incidentId);
      if (!form.ok) {
        await args
          .respond({ response_type: 'ephemeral', replace_original: false, text: `:warning: ${form.message}` })
          .catch(() => {});
        return;
      }
      await openModal(args, args.body.trigger_id, disclosureModal(form.form), services.log);
    },
  },
];

export const disclosureViews: ViewRoute[] = [
  {
    callbackId: DISCLOSE_CALLBACK,
    access: 'incident',
    async run({ ack, body, view }, services, meta) {
      const { incidentId } = meta;
      if (!incidentId) {
        await ack({
          response_action: 'errors',
          errors: { summary: 'This form lost its incident; open it again.' },
        });
        return;
      }
      const saved = services.disclosure.save(
        body.user.id,
        incidentId,
        readDisclosureValues(view.state.values),
        // A replayed submission (same view, same person) saves nothing more.
        `view:${view.id}:${body.user.id}`,
        meta.version ?? 0,
      );
      if (saved.errors) {
        // Shown beside each field; the modal stays open with everything typed in it.
        await ack({ response_action: 'errors', errors: saved.errors });
        return;
      }
      if (!saved.outcome.ok) {
        // Refused (no longer the commander or Fix Lead, the incident gone): said where it was typed.
        await ack({ response_action: 'errors', errors: { summary: saved.outcome.message } });
        return;
      }
      await ack(confirmation('Advisory record', saved.outcome.message));
      await services.dueWork.run(saved.due ?? []);
    },
  },
];
