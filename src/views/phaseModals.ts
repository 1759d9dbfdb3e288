import type { StepStatus } from '../domain/deadlines.js';
import {
  CANNED_REPLIES,
  type CannedReply,
  NO_FIX,
  PHASE_NAME,
  PHASES,
  type Phase,
  RESOLUTIONS,
  type Resolution,
} from '../domain/phases.js';
import { plain, section, truncate, userText } from './format.js';

export const MODALS = {
  move: 'srp_phase_move',
  close: 'srp_close',
  reopen: 'srp_reopen',
  public: 'srp_public',
  deadline: 'srp_deadline',
} as const;

const reasonInput = (label: string, hint: string, optional = false) => ({
  type: 'input',
  block_id: 'reason',
  label: plain(label),
  hint: plain(hint),
  optional,
  element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1000 },
});

const option = (text: string, value: string) => ({ text: plain(truncate(text, 75)), value });

const modal = (callbackId: string, meta: object, title: string, submit: string, blocks: object[]) => ({
  type: 'modal',
  callback_id: callbackId,
  private_metadata: JSON.stringify(meta),
  title: plain(title),
  submit: plain(submit),
  close: plain('Cancel'),
  blocks,
});

/** Moving on needs a reason: the steps the move would leave open, and a box for why. */
export function moveModal(incidentId: string, from: Phase, to: Phase, leftOpen: readonly StepStatus[]) {
  const steps = leftOpen.length
    ? `These steps are not done and will be marked skipped:\n${leftOpen.map((s) => `• ${s.rule.name}`).join('\n')}`
    : `This skips ${PHASE_NAME[from]}'s next phase.`;
  return modal(MODALS.move, { incidentId, to }, 'Move on', 'Move', [
    section(`*${incidentId}*: ${PHASE_NAME[from]} → *${PHASE_NAME[to]}*\n${truncate(steps, 2800)}`),
    reasonInput('Why move on now?', 'Recorded on the timeline with the steps skipped.'),
  ]);
}

/** Closing: how it ended, why, and (for a report that is not a vulnerability) a canned reply to copy. */
export function closeModal(incidentId: string, phase: Phase) {
  const resolutions = (Object.keys(RESOLUTIONS) as Resolution[]).map((r) =>
    option(r === 'fixed' ? 'Fixed' : `Closed without a fix: ${RESOLUTIONS[r]}`, r),
  );
  const initial = phase === 'retrospective' ? resolutions[0] : resolutions[1];
  return modal(MODALS.close, { incidentId }, `Close ${incidentId}`.slice(0, 24), 'Close it', [
    {
      type: 'input',
      block_id: 'resolution',
      label: plain('How did it end?'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: resolutions,
        ...(initial ? { initial_option: initial } : {}),
      },
    },
    reasonInput(
      'Reason',
      'Needed unless it is fixed and its retrospective is done. Recorded on the timeline.',
      true,
    ),
    {
      type: 'input',
      block_id: 'canned',
      optional: true,
      label: plain('Draft a reply to the reporter'),
      hint: plain(
        'srp shows you the draft to copy; it sends the reporter only a "your report was reviewed" note.',
      ),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: (Object.keys(CANNED_REPLIES) as CannedReply[]).map((c) =>
          option(CANNED_REPLIES[c].title, c),
        ),
      },
    },
  ]);
}

/** After closing with a canned reply: the draft, for the member to copy into their answer. */
export function draftView(incidentId: string, message: string, draft: string) {
  return {
    response_action: 'update' as const,
    view: {
      type: 'modal' as const,
      title: plain('Reply draft'),
      close: plain('Done'),
      blocks: [
        section(`:white_check_mark: ${message}`.slice(0, 3000)),
        section(`*A reply to copy and send to the reporter of ${incidentId}:*\n\`\`\`${draft}\`\`\``),
      ],
    },
  };
}

export function reopenModal(incidentId: string, to: Phase) {
  const phases = PHASES.filter((p) => p !== 'closed').map((p) => option(PHASE_NAME[p], p));
  return modal(MODALS.reopen, { incidentId }, `Reopen ${incidentId}`.slice(0, 24), 'Reopen', [
    {
      type: 'input',
      block_id: 'to',
      label: plain('Into which phase?'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: phases,
        initial_option: phases.find((p) => p.value === to) ?? phases[0],
      },
    },
    reasonInput('Why reopen it?', 'Recorded on the timeline.'),
  ]);
}

export function publicModal(incidentId: string) {
  return modal(MODALS.public, { incidentId }, 'Mark public', 'Mark public', [
    section(
      `:rotating_light: Marking *${incidentId}* public makes every remaining deadline due now and tells its commander and Fix Lead. It cannot be undone.`,
    ),
    {
      type: 'input',
      block_id: 'where',
      label: plain('Where was it seen?'),
      hint: plain('e.g. "a public GitHub issue", "oss-security", "a conference talk"'),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 300 },
    },
    {
      type: 'input',
      block_id: 'link',
      optional: true,
      label: plain('Link'),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
    },
  ]);
}

/** Moving a deadline: which step (with its deadline now), the new time, and why. */
export function deadlineModal(incidentId: string, steps: readonly StepStatus[], initial?: string) {
  const options = steps
    .slice(0, 100)
    .map((s) => option(`${s.rule.name}${s.asap ? ' (ASAP)' : ''}`, s.rule.id));
  const first = steps.find((s) => s.rule.id === initial) ?? steps[0];
  return modal(MODALS.deadline, { incidentId }, 'Move a deadline', 'Move it', [
    {
      type: 'input',
      block_id: 'step',
      label: plain('Step'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options,
        ...(first ? { initial_option: options.find((o) => o.value === first.rule.id) } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'due',
      label: plain('New deadline'),
      hint: plain('In your own time zone. Nudges follow the new time.'),
      element: {
        type: 'datetimepicker',
        action_id: 'value',
        ...(first ? { initial_date_time: Math.floor(first.dueAt.getTime() / 1000) } : {}),
      },
    },
    reasonInput('Reason', 'Recorded on the timeline, e.g. "waiting for the upstream fix".'),
  ]);
}

/** The canned reply drafts as a command answers them (for `/srp close … not-a-vulnerability`). */
export function draftText(incidentId: string, draft: string): string {
  return `*A reply to copy and send to the reporter of ${incidentId}:*\n\`\`\`${userText(draft, 2500)}\`\`\``;
}

export const NO_FIX_RESOLUTIONS = NO_FIX;
