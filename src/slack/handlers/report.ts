import { reportFormFor } from '../../domain/report.js';
import { noReport } from '../../services/incidents.js';
import { EDIT_REPORT_ACTION } from '../../views/incidentCard.js';
import {
  additionFromState,
  draftFromState,
  REPORT_ADD_CALLBACK,
  REPORT_CALLBACK,
  REPORT_EDIT_CALLBACK,
  reportAddModal,
  reportModal,
} from '../../views/reportModal.js';
import { argsOf } from '../parse.js';
import type { ActionArgs, ActionRoute, CommandRoute, Services, ViewArgs, ViewRoute } from '../routes.js';
import { ackOutcome, confirmation, openModal, readArgs } from './reply.js';

type FormResult = { ok: false; errors: Partial<Record<string, string>> } | { ok: true; due: string[] };

/** Answers a submitted form: its errors inline (keyed by block id), or closes it and runs the work it made due. */
async function answerForm(ack: ViewArgs['ack'], result: FormResult, services: Pick<Services, 'dueWork'>) {
  if (!result.ok) {
    await ack({ response_action: 'errors', errors: result.errors as Record<string, string> });
    return;
  }
  await ack();
  await services.dueWork.run(result.due);
}

/**
 * Opens the report form for `userId`, as `/srp report` and the Home tab's button do. Call it after the ack:
 * the trigger_id is good for 3 seconds and the open must not wait on anything.
 */
export async function openReportForm(
  args: Pick<ActionArgs, 'client' | 'respond'>,
  triggerId: string,
  userId: string,
  { clock, log, members }: Pick<Services, 'clock' | 'log' | 'members'>,
) {
  // Someone not on the committee is a reporter filing their own finding: the short form.
  const form = reportFormFor(undefined, members.isCommittee(userId));
  await openModal(
    args,
    triggerId,
    reportModal({ now: clock.now(), form }),
    log,
    'Slack did not let me open the report form in time. Please run `/srp report` again.',
  );
}

export const reportCommand: CommandRoute = {
  name: 'report',
  usage: 'report',
  description: 'Report a vulnerability privately to the Security Response Committee (anyone can).',
  access: 'anyone',
  async run({ ack, client, command, respond }, _rest, services) {
    await ack();
    await openReportForm({ client, respond }, command.trigger_id, command.user_id, services);
  },
};

export const reportView: ViewRoute = {
  callbackId: REPORT_CALLBACK,
  access: 'anyone',
  async run({ ack, body, view }, services, meta) {
    const result = services.incidents.submit(draftFromState(view.state.values as never), {
      userId: body.user.id,
      // A replayed submission (same view, same person) finds the same incident; another person's
      // submission never does, whatever view id it carries. Keys of the older form (`view:<id>`) stay
      // on existing incidents: a replay only matters within minutes, so they need no rewriting.
      sourceKey: `view:${view.id}:${body.user.id}`,
      // The form that was shown, checked again: only the committee's fields of someone on the committee count.
      form: reportFormFor(meta.form, services.members.isCommittee(body.user.id)),
    });
    await answerForm(ack, result.ok ? { ok: true, due: result.created ? result.due : [] } : result, services);
  },
};

export const reportAddCommand: CommandRoute = {
  name: 'report add',
  usage: 'report add <incident id>',
  description: 'Add information to a report you filed.',
  // Anyone may ask; only whoever filed the report gets its form, and its submission is checked again.
  access: 'anyone',
  async run({ ack, client, command, respond }, rest, { incidents, log }) {
    const id = await readArgs(ack, this.usage, () => argsOf(rest).incident());
    if (!id) return;
    if (!incidents.ownReport(id, command.user_id)) return ackOutcome(ack, noReport(id));
    await ack();
    await openModal({ client, respond }, command.trigger_id, reportAddModal(id), log);
  },
};

export const reportAddView: ViewRoute = {
  callbackId: REPORT_ADD_CALLBACK,
  access: 'anyone',
  async run({ ack, body, view }, services, { incidentId }) {
    const result = incidentId
      ? services.incidents.addFromReporter(incidentId, additionFromState(view.state.values as never), {
          userId: body.user.id,
          sourceKey: `view:${view.id}:${body.user.id}`,
        })
      : {
          ok: false as const,
          errors: { addition: 'This form lost track of its report; run the command again.' },
        };
    await answerForm(ack, result, services);
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
    const changed = result.changed.length;
    await ack(
      confirmation(
        'Report saved',
        changed
          ? `${incidentId}: ${changed} field${changed === 1 ? '' : 's'} changed; the card shows them and the timeline keeps the old values.`
          : `${incidentId}: nothing changed.`,
      ),
    );
    await services.dueWork.run(result.due);
  },
};
