import { EDIT_REPORT_ACTION } from '../../views/incidentCard.js';
import {
  draftFromState,
  REPORT_CALLBACK,
  REPORT_EDIT_CALLBACK,
  reportModal,
} from '../../views/reportModal.js';
import type { ActionRoute, CommandRoute, ViewRoute } from '../routes.js';
import { openModal } from './reply.js';

export const reportCommand: CommandRoute = {
  name: 'report',
  usage: 'report',
  description: 'Report a vulnerability privately to the Security Response Committee (anyone can).',
  access: 'anyone',
  async run({ ack, client, command, respond }, _rest, { clock, log }) {
    // Ack first: the trigger_id is good for 3 seconds and the open must not wait on anything.
    await ack();
    await openModal(
      { client, respond },
      command.trigger_id,
      reportModal({ now: clock.now() }),
      log,
      'Slack did not let me open the report form in time. Please run `/srp report` again.',
    );
  },
};

export const reportView: ViewRoute = {
  callbackId: REPORT_CALLBACK,
  access: 'anyone',
  async run({ ack, body, view }, services) {
    const result = services.incidents.submit(draftFromState(view.state.values as never), {
      userId: body.user.id,
      // A replayed submission (same view, same person) finds the same incident; another person's
      // submission never does, whatever view id it carries. Keys of the older form (`view:<id>`) stay
      // on existing incidents: a replay only matters within minutes, so they need no rewriting.
      sourceKey: `view:${view.id}:${body.user.id}`,
    });
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors as Record<string, string> });
      return;
    }
    await ack();
    if (result.created) await services.dueWork.run(result.due);
  },
};

export const editReportAction: ActionRoute = {
  actionId: EDIT_REPORT_ACTION,
  access: 'member',
  incidentFrom: 'value',
  async run({ ack, body, client, respond }, { incidents, clock, log }, incidentId) {
    await ack();
    const incident = incidentId ? incidents.get(incidentId) : undefined;
    if (!incident) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `I can't find ${incidentId ?? 'that incident'}.`,
      });
      return;
    }
    await openModal(
      { client, respond },
      body.trigger_id,
      reportModal({ now: clock.now(), initial: incident, incidentId: incident.id }),
      log,
    );
  },
};

export const editReportView: ViewRoute = {
  callbackId: REPORT_EDIT_CALLBACK,
  access: 'member',
  async run({ ack, body, view }, services, { incidentId }) {
    const result = incidentId
      ? services.incidents.edit(incidentId, draftFromState(view.state.values as never), body.user.id)
      : {
          ok: false as const,
          errors: { summary: 'This form lost track of its incident; open it again from the card.' },
        };
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors as Record<string, string> });
      return;
    }
    await ack();
    await services.dueWork.run(result.due);
  },
};
