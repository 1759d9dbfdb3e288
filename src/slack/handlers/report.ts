import { errorCode } from '../../outbox/outbox.js';
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
  role: 'anyone',
  async run({ ack, client, command, respond }, _rest, { clock, log }) {
    // Ack first: the trigger_id is good for 3 seconds and the open must not wait on anything.
    await ack();
    try {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: reportModal({ now: clock.now() }) as never,
      });
    } catch (err) {
      log.warn({ error: errorCode(err) }, 'could not open the report modal');
      await respond({
        response_type: 'ephemeral',
        text: 'Slack did not let me open the report form in time. Please run `/srp report` again.',
      }).catch(() => {});
    }
  },
};

export const reportView: ViewRoute = {
  callbackId: REPORT_CALLBACK,
  role: 'anyone',
  async run({ ack, body, view }, { incidents }) {
    const result = incidents.submit(draftFromState(view.state.values as never), {
      userId: body.user.id,
      // A replayed submission carries the same view id and so finds the same incident.
      sourceKey: `view:${view.id}`,
    });
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors as Record<string, string> });
      return;
    }
    await ack();
    if (result.created) await incidents.announceIntake(result.incident.id);
  },
};

export const editReportAction: ActionRoute = {
  actionId: EDIT_REPORT_ACTION,
  role: 'member',
  async run({ ack, action, body, client, respond }, { incidents, clock, log }) {
    await ack();
    const id = 'value' in action ? action.value : undefined;
    const incident = id ? incidents.get(id) : undefined;
    if (!incident) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `I can't find ${id ?? 'that incident'}.`,
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
  role: 'member',
  async run({ ack, body, view }, { incidents }) {
    const { incidentId } = JSON.parse(view.private_metadata || '{}') as { incidentId?: string };
    const result = incidentId
      ? incidents.edit(incidentId, draftFromState(view.state.values as never), body.user.id)
      : {
          ok: false as const,
          errors: { summary: 'This form lost track of its incident; open it again from the card.' },
        };
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors as Record<string, string> });
      return;
    }
    await ack();
    if (incidentId && result.changed.length) await incidents.refreshCard(incidentId);
  },
};
