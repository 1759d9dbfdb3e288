import { DateTime } from 'luxon';
import { isOpenStep, stepsLeftBehind } from '../../domain/deadlines.js';
import { type CannedReply, nextPhase, PHASES, type Phase, type Resolution } from '../../domain/phases.js';
import type { PhaseDone } from '../../services/phases.js';
import { ACTIONS } from '../../views/phase.js';
import {
  closeModal,
  deadlineModal,
  draftText,
  draftView,
  MODALS,
  moveModal,
  publicModal,
  reopenModal,
} from '../../views/phaseModals.js';
import { showMessage } from '../../views/show.js';
import { argsOf, BadInput } from '../parse.js';
import type {
  ActionArgs,
  ActionRoute,
  CommandArgs,
  CommandRoute,
  Services,
  ViewArgs,
  ViewRoute,
} from '../routes.js';
import { ackDone, confirmation, openModal, readArgs, respondDone, respondOutcome } from './reply.js';

/** Phases as typed: `fix-team`, `fix_team`, `disclosure-planning`. */
const PHASE_WORDS = Object.fromEntries(
  PHASES.filter((p) => p !== 'closed').flatMap((p) => [
    [p, p],
    [p.replaceAll('_', '-'), p],
  ]),
) as Record<string, Exclude<Phase, 'closed'>>;

/** How a report ended, as typed; the SRC's canned replies close it with their draft. */
const CLOSE_WORDS: Record<string, { resolution: Resolution; canned?: CannedReply }> = {
  fixed: { resolution: 'fixed' },
  'not-a-vulnerability': { resolution: 'not_vulnerability', canned: 'not_vulnerability' },
  'not-vulnerability': { resolution: 'not_vulnerability', canned: 'not_vulnerability' },
  duplicate: { resolution: 'duplicate' },
  'out-of-scope': { resolution: 'out_of_scope' },
  'wont-fix': { resolution: 'wont_fix' },
  "won't-fix": { resolution: 'wont_fix' },
  'container-image-cve': { resolution: 'out_of_scope', canned: 'container_image_cve' },
  clickjacking: { resolution: 'not_vulnerability', canned: 'clickjacking' },
  'spf-record': { resolution: 'out_of_scope', canned: 'spf_record' },
};

function phaseWord(word: string): Exclude<Phase, 'closed'> {
  const p = PHASE_WORDS[word.toLowerCase()];
  if (!p) {
    throw new BadInput(
      `"${word.slice(0, 30)}" is not a phase; say one of ${Object.keys(PHASE_WORDS)
        .filter((w) => w.includes('-') || !w.includes('_'))
        .map((w) => `\`${w}\``)
        .join(', ')}.`,
    );
  }
  return p;
}

/** A command's answer for a phase change, with a canned reply draft when there is one. */
async function ackPhase(ack: CommandArgs['ack'], d: PhaseDone, services: Services, id = '') {
  if (d.draft && d.outcome.ok) {
    await ack({ response_type: 'ephemeral', text: `${d.outcome.message}\n\n${draftText(id, d.draft)}` });
    await services.dueWork.run(d.due ?? []);
    return;
  }
  await ackDone(ack, d, services);
}

/**
 * A deadline typed as `YYYY-MM-DD [HH:MM]`, in the person's own zone (a member's working-hours zone, else
 * UTC); the time defaults to 16:00, the documents' announcement hour.
 */
function deadlineArg(day: Date, time: string | undefined, zone: string): Date {
  const [h, m] = (time ?? '16:00').split(':').map(Number);
  const local = DateTime.fromObject(
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: h, minute: m },
    { zone },
  );
  return local.toJSDate();
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const phaseRoutes: CommandRoute[] = [
  {
    name: 'accept',
    usage: 'accept <incident id>',
    description: 'Triage: take a report on; it moves to the Fix Team phase.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const id = await readArgs(ack, this.usage, () => argsOf(rest).incident());
      if (!id) return;
      await ackPhase(ack, services.phases.accept(command.user_id, id), services);
    },
  },
  {
    name: 'move',
    usage: 'move <incident id> <phase> [reason]',
    description:
      'Move an incident to a phase (triage, fix-team, development, disclosure-planning, release, retrospective); leaving steps open needs a reason.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return {
          id: a.incident(),
          to: phaseWord(a.word('the phase, e.g. development')),
          reason: a.optionalRest(),
        };
      });
      if (!input) return;
      await ackPhase(ack, services.phases.move(command.user_id, input.id, input.to, input.reason), services);
    },
  },
  {
    name: 'close',
    usage:
      'close <incident id> <fixed|not-a-vulnerability|duplicate|out-of-scope|wont-fix|container-image-cve|clickjacking|spf-record> [reason]',
    description:
      'Close an incident: fixed, or without a fix with the reason (a canned reply comes back as a draft to copy).',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const id = a.incident();
        const word = a.word('how it ended, e.g. not-a-vulnerability').toLowerCase();
        const how = CLOSE_WORDS[word];
        if (!how) {
          throw new BadInput(
            `"${word.slice(0, 30)}" is not how an incident ends; say one of ${Object.keys(CLOSE_WORDS)
              .map((w) => `\`${w}\``)
              .join(', ')}.`,
          );
        }
        return { id, ...how, reason: a.optionalRest() };
      });
      if (!input) return;
      const d = services.phases.close(
        command.user_id,
        input.id,
        input.resolution,
        input.reason,
        input.canned,
      );
      await ackPhase(ack, d, services, input.id);
    },
  },
  {
    name: 'reopen',
    usage: 'reopen <incident id> <reason>',
    description: 'Open a closed incident again, in the phase it was closed from, with the reason.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { id: a.incident(), reason: a.rest('a reason (it goes on the timeline)') };
      });
      if (!input) return;
      await ackPhase(ack, services.phases.reopen(command.user_id, input.id, input.reason), services);
    },
  },
  {
    name: 'public',
    usage: 'public <incident id> [where it was seen] [link]',
    description:
      'Mark an incident public (embargo broken): every remaining deadline becomes due now. Without details, opens a form.',
    access: 'committee',
    async run(args, rest, services) {
      const { ack, command } = args;
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { id: a.incident(), text: a.optionalRest() };
      });
      if (!input) return;
      if (!input.text) {
        await ack();
        await openModal(
          { client: args.client, respond: args.respond },
          command.trigger_id,
          publicModal(input.id),
          services.log,
        );
        return;
      }
      const link = input.text.split(/\s+/).find((w) => /^https?:\/\//i.test(w));
      const where = (link ? input.text.replace(link, '') : input.text).trim() || 'a link';
      await ackPhase(ack, services.phases.markPublic(command.user_id, input.id, where, link), services);
    },
  },
  {
    name: 'private',
    usage: 'private <incident id>',
    description: 'Refused once an incident was public: says when and by whom it became public.',
    access: 'committee',
    async run({ ack, command }, rest, services) {
      const id = await readArgs(ack, this.usage, () => argsOf(rest).incident());
      if (!id) return;
      await ackPhase(ack, services.phases.keepPrivate(command.user_id, id), services);
    },
  },
  {
    name: 'done',
    usage: 'done <incident id> <step>',
    description: "Mark a step done (members any; a Fix Team member the Fix Team's own).",
    access: 'incident',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { id: a.incident(), step: a.word('the step, e.g. fix_lgtm (see /srp show)') };
      });
      if (!input) return;
      await ackPhase(ack, services.phases.markDone(command.user_id, input.id, input.step), services);
    },
  },
  {
    name: 'deadline',
    usage: 'deadline <incident id> <step> <YYYY-MM-DD> [HH:MM] <reason>',
    description:
      "Move a step's deadline (its Fix Lead or commander), in your time zone, with the reason; nudges follow.",
    access: 'committee',
    async run({ ack, command }, rest, services) {
      const zone = services.members.workingHours(command.user_id)?.zone ?? 'UTC';
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const id = a.incident();
        const step = a.word('the step, e.g. announce (see /srp show)');
        const day = a.date('the new deadline');
        const time = a.peek() && TIME.test(a.peek() as string) ? a.word('the time') : undefined;
        return {
          id,
          step,
          due: deadlineArg(day, time, zone),
          reason: a.rest('a reason (it goes on the timeline)'),
        };
      });
      if (!input) return;
      const d = services.phases.moveDeadline(command.user_id, input.id, input.step, input.due, input.reason);
      await ackPhase(ack, d, services);
    },
  },
  {
    name: 'show',
    usage: 'show <incident id> [page]',
    description:
      'One incident in full: roles, severity, phase, every deadline and its timeline (the committee, and that incident’s Fix Team).',
    access: 'incident',
    async run({ ack }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const id = a.incident();
        const page = Number(a.optionalRest() ?? '1');
        return { id, page: Number.isInteger(page) && page > 0 ? page : 1 };
      });
      if (!input) return;
      const message = show(services, input.id, input.page);
      if (!message)
        return ackDone(
          ack,
          { outcome: { ok: false, message: `There is no incident ${input.id}.` } },
          services,
        );
      await ack({ response_type: 'ephemeral', ...message });
    },
  },
];

function show(services: Services, id: string, page: number) {
  const s = services.schedule.situation(id);
  const card = services.cards.render(id);
  if (!s || !card) return undefined;
  return showMessage({
    incidentId: id,
    card,
    steps: s.schedule,
    timeline: services.incidents.timeline(id),
    page,
  });
}

/** A button's answer, or the form it opens when the change needs more from the person. */
async function answer(args: ActionArgs, services: Services, d: PhaseDone) {
  await respondDone(args, d, services);
}

const timelineNav = (which: 'newer' | 'older'): ActionRoute => ({
  actionId: `${ACTIONS.timeline}_${which}`,
  access: 'incident',
  incidentFrom: 'block',
  async run(args, services, incidentId) {
    await args.ack();
    const page = Number(String((args.action as { value?: unknown }).value ?? '').split(':')[1] ?? '1');
    const message = incidentId ? show(services, incidentId, page) : undefined;
    if (!message) return;
    await args.respond({ response_type: 'ephemeral', replace_original: true, ...message }).catch(() => {});
  },
});

export const phaseActions: ActionRoute[] = [
  {
    actionId: ACTIONS.advance,
    access: 'member',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      const s = services.schedule.situation(incidentId);
      if (!s) return;
      const to = s.incident.phase === 'triage' ? 'fix_team' : nextPhase(s.incident.phase);
      if (!to || to === 'closed')
        return respondOutcome(args, { ok: false, message: `${incidentId} has no next phase: close it.` });
      const d = services.phases.move(args.body.user.id, incidentId, to);
      // Moving on would leave steps open: ask why, in a form, rather than refuse.
      if (!d.outcome.ok && d.field === 'reason') {
        const left = stepsLeftBehind(s.schedule, s.incident.phase, to);
        return openModal(
          args,
          args.body.trigger_id,
          moveModal(incidentId, s.incident.phase, to, left),
          services.log,
        );
      }
      await answer(args, services, d);
    },
  },
  {
    actionId: ACTIONS.close,
    access: 'member',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      const s = incidentId ? services.schedule.situation(incidentId) : undefined;
      if (!s) return;
      await openModal(args, args.body.trigger_id, closeModal(s.incident.id, s.incident.phase), services.log);
    },
  },
  {
    actionId: ACTIONS.reopen,
    access: 'member',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      const to = services.phases.reopenTarget(incidentId);
      await openModal(args, args.body.trigger_id, reopenModal(incidentId, to), services.log);
    },
  },
  {
    actionId: ACTIONS.public,
    access: 'committee',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      await openModal(args, args.body.trigger_id, publicModal(incidentId), services.log);
    },
  },
  {
    actionId: ACTIONS.deadline,
    access: 'committee',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      const s = incidentId ? services.schedule.situation(incidentId) : undefined;
      if (!s) return;
      const open = s.schedule.steps.filter(isOpenStep);
      if (open.length === 0)
        return respondOutcome(args, { ok: false, message: `${s.incident.id} has no open steps.` });
      await openModal(args, args.body.trigger_id, deadlineModal(s.incident.id, open), services.log);
    },
  },
  {
    actionId: ACTIONS.stepDone,
    access: 'incident',
    incidentFrom: 'block',
    async run(args, services, incidentId) {
      await args.ack();
      const step = (args.action as { selected_option?: { value?: unknown } }).selected_option?.value;
      if (!incidentId || typeof step !== 'string') return;
      await answer(args, services, services.phases.markDone(args.body.user.id, incidentId, step));
    },
  },
  {
    actionId: ACTIONS.timeline,
    access: 'incident',
    incidentFrom: 'value',
    async run(args, services, incidentId) {
      await args.ack();
      const message = incidentId ? show(services, incidentId, 1) : undefined;
      if (!message) return;
      await args.respond({ response_type: 'ephemeral', replace_original: false, ...message }).catch(() => {});
    },
  },
  timelineNav('newer'),
  timelineNav('older'),
];

type Values = Record<
  string,
  Record<
    string,
    { value?: string | null; selected_option?: { value: string } | null; selected_date_time?: number | null }
  >
>;
const valuesOf = (args: ViewArgs) => args.view.state.values as Values;
const textOf = (args: ViewArgs, block: string) => valuesOf(args)[block]?.value?.value?.trim() || undefined;
const choiceOf = (args: ViewArgs, block: string) => valuesOf(args)[block]?.value?.selected_option?.value;

/** A form's answer: its errors inline, or a confirmation the person closes. */
async function ackForm(
  args: ViewArgs,
  services: Services,
  d: PhaseDone,
  form: { title: string; field: string; incidentId: string },
) {
  if (!d.outcome.ok) {
    await args.ack({ response_action: 'errors', errors: { [d.field ?? form.field]: d.outcome.message } });
    return;
  }
  await args.ack(
    d.draft
      ? draftView(form.incidentId, d.outcome.message, d.draft)
      : confirmation(form.title, d.outcome.message),
  );
  await services.dueWork.run(d.due ?? []);
}

const lost = (field: string) => ({
  response_action: 'errors' as const,
  errors: { [field]: 'This form lost its incident; open it again from the card.' },
});

export const phaseViews: ViewRoute[] = [
  {
    callbackId: MODALS.move,
    access: 'member',
    async run(args, services, meta) {
      const to = meta.to;
      if (!meta.incidentId || !to) return void (await args.ack(lost('reason')));
      const d = services.phases.move(args.body.user.id, meta.incidentId, to, textOf(args, 'reason'));
      await ackForm(args, services, d, { title: 'Move on', field: 'reason', incidentId: meta.incidentId });
    },
  },
  {
    callbackId: MODALS.close,
    access: 'member',
    async run(args, services, meta) {
      if (!meta.incidentId) return void (await args.ack(lost('resolution')));
      const resolution = choiceOf(args, 'resolution') as Resolution | undefined;
      if (!resolution)
        return void (await args.ack({
          response_action: 'errors',
          errors: { resolution: 'Say how it ended.' },
        }));
      const canned = choiceOf(args, 'canned') as CannedReply | undefined;
      const d = services.phases.close(
        args.body.user.id,
        meta.incidentId,
        resolution,
        textOf(args, 'reason'),
        canned,
      );
      await ackForm(args, services, d, {
        title: 'Closed',
        field: d.field === 'to' ? 'resolution' : 'reason',
        incidentId: meta.incidentId,
      });
    },
  },
  {
    callbackId: MODALS.reopen,
    access: 'member',
    async run(args, services, meta) {
      if (!meta.incidentId) return void (await args.ack(lost('reason')));
      const to = choiceOf(args, 'to') as Phase | undefined;
      const d = services.phases.reopen(args.body.user.id, meta.incidentId, textOf(args, 'reason'), to);
      await ackForm(args, services, d, { title: 'Reopened', field: 'reason', incidentId: meta.incidentId });
    },
  },
  {
    callbackId: MODALS.public,
    access: 'committee',
    async run(args, services, meta) {
      if (!meta.incidentId) return void (await args.ack(lost('where')));
      const d = services.phases.markPublic(
        args.body.user.id,
        meta.incidentId,
        textOf(args, 'where'),
        textOf(args, 'link'),
      );
      await ackForm(args, services, d, {
        title: 'Marked public',
        field: 'where',
        incidentId: meta.incidentId,
      });
    },
  },
  {
    callbackId: MODALS.deadline,
    access: 'committee',
    async run(args, services, meta) {
      if (!meta.incidentId) return void (await args.ack(lost('step')));
      const step = choiceOf(args, 'step');
      const seconds = valuesOf(args).due?.value?.selected_date_time;
      if (!step)
        return void (await args.ack({ response_action: 'errors', errors: { step: 'Pick the step.' } }));
      if (typeof seconds !== 'number') {
        return void (await args.ack({
          response_action: 'errors',
          errors: { due: 'Pick the new date and time.' },
        }));
      }
      const d = services.phases.moveDeadline(
        args.body.user.id,
        meta.incidentId,
        step,
        new Date(seconds * 1000),
        textOf(args, 'reason'),
      );
      await ackForm(args, services, d, {
        title: 'Deadline moved',
        field: 'reason',
        incidentId: meta.incidentId,
      });
    },
  },
];
