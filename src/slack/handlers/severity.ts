import { BASE_METRICS } from '../../domain/cvss.js';
import { type Answers, QUESTIONS, RATINGS, type Rating, withAnswer } from '../../domain/severity.js';
import { errorCode } from '../../outbox/errors.js';
import {
  CVSS_CALLBACK,
  CVSS_OPEN_ACTION,
  cvssModal,
  FINAL_CALL_CALLBACK,
  FINAL_CALL_OPEN_ACTION,
  finalCallModal,
  PICKABLE_VERSIONS,
  type PickableVersion,
  pickBlock,
  SEVERITY_ANSWER_ACTION,
  SEVERITY_CALLBACK,
  SEVERITY_OPEN_ACTION,
  severityModal,
} from '../../views/severity.js';
import { argsOf, type ModalMetadata, parseMetadata } from '../parse.js';
import type { ActionRoute, CommandRoute, Services, ViewRoute } from '../routes.js';
import { ackDone, ackOutcome, confirmation, openModal, readArgs } from './reply.js';

/** A submitted modal's values: block_id → action_id → the element's state. */
type InputValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null }>
>;

/**
 * The answers as the modal shows them: those carried in private_metadata, overlaid with what its
 * selects hold now, so a second quick change that lost the race to redraw the view is not lost.
 */
function answersOf(
  meta: ModalMetadata,
  view: { state?: { values?: unknown } } | undefined,
): Partial<Answers> {
  let answers = (meta.answers ?? {}) as Partial<Answers>;
  const values = (view?.state?.values ?? {}) as InputValues;
  for (const q of QUESTIONS) {
    const chosen = values[q.id]?.[SEVERITY_ANSWER_ACTION]?.selected_option?.value;
    if (chosen === undefined) continue;
    try {
      answers = withAnswer(answers, q.id, chosen);
    } catch {
      // A value from another copy of the question that no longer applies: ignore it.
    }
  }
  return answers;
}

function questionnaire(services: Services, incidentId: string, answers: Partial<Answers>, notice?: string) {
  const result = services.severity.preview(answers);
  return severityModal({ incidentId, answers, ...(result ? { result } : {}), ...(notice ? { notice } : {}) });
}

export const severityRoutes: CommandRoute[] = [
  {
    name: 'severity',
    usage: 'severity <incident id>',
    description: "Walk the process document's severity thresholds for an incident.",
    access: 'incident',
    async run({ ack, command, client, respond }, rest, services) {
      const incidentId = await readArgs(ack, this.usage, () => argsOf(rest).incident());
      if (!incidentId) return;
      if (!services.incidents.get(incidentId))
        return ackOutcome(ack, { ok: false, message: `There is no incident ${incidentId}.` });
      await ack();
      const answers = services.severity.state(incidentId).questionnaire?.answers ?? {};
      await openModal(
        { client, respond },
        command.trigger_id,
        questionnaire(services, incidentId, answers),
        services.log,
      );
    },
  },
  {
    name: 'cvss',
    usage: 'cvss <incident id> <vector or calculator link>',
    description: 'Record a CVSS 3.0, 3.1 or 4.0 score for an incident.',
    access: 'incident',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { incidentId: a.incident(), vector: a.rest('the CVSS vector or a calculator link') };
      });
      if (!input) return;
      const check = services.severity.check(input.vector);
      if (!check.ok) return ackOutcome(ack, { ok: false, message: check.error });
      await ackDone(
        ack,
        services.severity.recordCvss(command.user_id, input.incidentId, input.vector),
        services,
      );
    },
  },
];

export const severityActions: ActionRoute[] = [
  {
    actionId: SEVERITY_OPEN_ACTION,
    access: 'incident',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      const answers = services.severity.state(incidentId).questionnaire?.answers ?? {};
      await openModal(args, args.body.trigger_id, questionnaire(services, incidentId, answers), services.log);
    },
  },
  {
    actionId: CVSS_OPEN_ACTION,
    access: 'incident',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (incidentId) await openModal(args, args.body.trigger_id, cvssModal(incidentId), services.log);
    },
  },
  {
    actionId: FINAL_CALL_OPEN_ACTION,
    access: 'incident',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      const problem = services.severity.deciderProblem(args.body.user.id, incidentId);
      if (problem) {
        await args
          .respond({ response_type: 'ephemeral', replace_original: false, text: `:warning: ${problem}` })
          .catch(() => {});
        return;
      }
      await openModal(
        args,
        args.body.trigger_id,
        finalCallModal(incidentId, services.severity.state(incidentId)),
        services.log,
      );
    },
  },
  {
    // A choice in the questionnaire: the view is redrawn in place, guarded by its hash so a stale
    // click (an older copy of the modal) changes nothing.
    actionId: SEVERITY_ANSWER_ACTION,
    access: 'incident',
    async run(args, services, incidentId) {
      await args.ack();
      const view = args.body.view;
      const selected = (args.action as { selected_option?: { value?: unknown } }).selected_option?.value;
      const question = QUESTIONS.find((q) => q.id === (args.action as { block_id?: unknown }).block_id);
      if (!view || typeof selected !== 'string' || !question || !incidentId) return;
      let next: Partial<Answers>;
      try {
        next = withAnswer(answersOf(parseMetadata(view.private_metadata), view), question.id, selected);
      } catch {
        return;
      }
      try {
        await args.client.views.update({
          view_id: view.id,
          hash: view.hash,
          view: questionnaire(services, incidentId, next) as never,
        });
      } catch (err) {
        services.log.info(
          { error: errorCode(err) },
          'questionnaire not redrawn (a newer copy of the modal exists)',
        );
      }
    },
  },
];

export const severityViews: ViewRoute[] = [
  {
    callbackId: SEVERITY_CALLBACK,
    access: 'incident',
    async run({ ack, body, view }, services, meta) {
      const { incidentId } = meta;
      const answers = answersOf(meta, view);
      if (!incidentId || !services.severity.preview(answers)) {
        // Errors can only point at input blocks; the questionnaire has none, so it is redrawn instead.
        await ack({
          response_action: 'update',
          view: questionnaire(services, incidentId ?? '', answers, 'Answer every question first.') as never,
        });
        return;
      }
      const done = services.severity.recordAssessment(body.user.id, incidentId, answers);
      await ack(done.outcome.ok ? confirmation('Severity', done.outcome.message) : undefined);
      await services.dueWork.run(done.due ?? []);
    },
  },
  {
    callbackId: CVSS_CALLBACK,
    access: 'incident',
    async run({ ack, body, view }, services, { incidentId }) {
      const values = view.state.values as InputValues;
      const pasted = values.vector?.value?.value?.trim();
      let input = pasted;
      if (!pasted) {
        const picked = (version: PickableVersion) =>
          Object.fromEntries(
            BASE_METRICS[version].flatMap((m) => {
              const chosen = values[pickBlock(version, m.key)]?.value?.selected_option?.value;
              return chosen ? [[m.key, chosen]] : [];
            }),
          );
        const [v31, v40] = PICKABLE_VERSIONS.map(picked) as [Record<string, string>, Record<string, string>];
        const count = (p: Record<string, string>) => Object.keys(p).length;
        if (count(v31) && count(v40)) {
          await ack({
            response_action: 'errors',
            errors: { vector: 'Pick the metrics of one CVSS version, not both.' },
          });
          return;
        }
        const version: PickableVersion = count(v40) ? '4.0' : '3.1';
        const picks = version === '4.0' ? v40 : v31;
        const built = services.severity.vectorFromPicks(version, picks);
        if (!built.ok) {
          // The error goes on the picker of the metric it names, when the modal has one.
          const picker = BASE_METRICS[version].some((m) => m.key === built.metric);
          const block = picker && built.metric ? pickBlock(version, built.metric) : 'vector';
          await ack({
            response_action: 'errors',
            errors: { [block]: count(picks) ? built.error : 'Paste a vector or pick every metric.' },
          });
          return;
        }
        input = built.result.vector;
      }
      const check = services.severity.check(input as string);
      if (!check.ok || !incidentId) {
        await ack({
          response_action: 'errors',
          errors: { vector: check.ok ? 'This form lost its incident; open it again.' : check.error },
        });
        return;
      }
      const done = services.severity.recordCvss(body.user.id, incidentId, input as string);
      await ack(done.outcome.ok ? confirmation('CVSS score', done.outcome.message) : undefined);
      await services.dueWork.run(done.due ?? []);
    },
  },
  {
    callbackId: FINAL_CALL_CALLBACK,
    access: 'incident',
    async run({ ack, body, view }, services, { incidentId }) {
      const values = view.state.values as InputValues;
      const rating = values.rating?.value?.selected_option?.value as Rating | undefined;
      const reason = values.reason?.value?.value ?? '';
      if (!incidentId || !rating || !RATINGS.includes(rating)) {
        await ack({ response_action: 'errors', errors: { rating: 'Choose the final rating.' } });
        return;
      }
      // Re-checked on submission: only the Fix Lead (or the IC without one) decides, whoever opened the form.
      const problem = services.severity.finalCallProblem(body.user.id, incidentId, reason);
      if (problem) {
        await ack({ response_action: 'errors', errors: { [reason.trim() ? 'rating' : 'reason']: problem } });
        return;
      }
      const done = services.severity.finalCall(body.user.id, incidentId, rating, reason);
      await ack(done.outcome.ok ? confirmation('Final severity', done.outcome.message) : undefined);
      await services.dueWork.run(done.due ?? []);
    },
  },
];
