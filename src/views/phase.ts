import {
  isOpenStep,
  nextDeadline,
  overdueSteps,
  type Schedule,
  type StepState,
  type StepStatus,
} from '../domain/deadlines.js';
import type { Incident } from '../domain/incident.js';
import { nextPhase, PHASE_NAME, RESOLUTIONS } from '../domain/phases.js';
import type { Owner, PhaseRules } from '../domain/profiles/types.js';
import { plain, slackDate, truncate, userText } from './format.js';

/** What the card needs to show an incident's phase and deadlines. */
export interface CardSchedule {
  schedule: Schedule;
  rules: PhaseRules;
}

export const OWNER_NAME: Record<Owner, string> = {
  commander: 'Incident commander',
  fix_lead: 'Fix Lead',
  fix_team: 'Fix Team',
  release_managers: 'Release Managers',
  project_manager: 'Release/Project Manager',
  triage: 'Triage',
  infra: 'Infra',
  disclosure: 'Disclosure',
};

const STATE_MARK: Record<StepState, string> = {
  done: ':white_check_mark:',
  skipped: ':fast_forward:',
  not_applicable: ':heavy_minus_sign:',
  upcoming: ':white_circle:',
  due_soon: ':alarm_clock:',
  overdue: ':warning:',
};

export function phaseText(incident: Pick<Incident, 'phase' | 'resolution'>): string {
  if (incident.phase === 'closed') {
    return `Closed${incident.resolution ? `: ${RESOLUTIONS[incident.resolution]}` : ''}`;
  }
  return PHASE_NAME[incident.phase];
}

export function disclosureText(
  incident: Pick<Incident, 'publicAt' | 'publicBy' | 'publicWhere' | 'publicLink'>,
): string {
  if (!incident.publicAt) return 'Private';
  const by = incident.publicBy ? `, marked by <@${incident.publicBy}>` : '';
  const where = incident.publicWhere ? `\nSeen: ${userText(incident.publicWhere, 300)}` : '';
  const link = incident.publicLink ? ` · ${userText(incident.publicLink, 500)}` : '';
  return `:rotating_light: Public since ${slackDate(incident.publicAt)}${by}: every deadline is ASAP${where}${link}`;
}

const when = (s: StepStatus) => (s.asap ? '*due now* (ASAP)' : slackDate(s.dueAt));

/** The card's schedule: the next deadline, anything overdue, and the release date. */
export function scheduleText(incident: Incident, plan: CardSchedule): string {
  if (incident.phase === 'closed') return '*Schedule*\nClosed: no deadlines.';
  const s = plan.schedule;
  const next = nextDeadline(s);
  const overdue = overdueSteps(s);
  const lines = [
    next
      ? `*Next deadline*: ${next.rule.name} (${OWNER_NAME[next.rule.owner]}), ${when(next)}`
      : '*Next deadline*: none: every step is done',
    ...(overdue.length
      ? [
          `:warning: *Overdue*: ${overdue
            .slice(0, 8)
            .map((o) => `${o.rule.name} (${o.asap ? 'ASAP' : `due ${slackDate(o.dueAt)}`})`)
            .join(', ')}${overdue.length > 8 ? ` and ${overdue.length - 8} more` : ''}`,
        ]
      : []),
    `*Release date*: ${slackDate(s.releaseAt)}`,
  ];
  return truncate(lines.join('\n'), 2900);
}

const button = (actionId: string, text: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  action_id: actionId,
  text: plain(text),
  value,
  ...(style ? { style } : {}),
});

/** The buttons that move an incident along, as its phase allows. */
export function phaseActions(incident: Incident, plan: CardSchedule) {
  const id = incident.id;
  const open = incident.phase !== 'closed';
  const next = nextPhase(incident.phase);
  const openSteps = plan.schedule.steps.filter(isOpenStep);
  const elements: object[] = [];
  if (!open) {
    elements.push(button(ACTIONS.reopen, 'Reopen…', id));
  } else {
    if (incident.phase === 'triage') elements.push(button(ACTIONS.advance, 'Accept report', id, 'primary'));
    else if (next && next !== 'closed')
      elements.push(button(ACTIONS.advance, `Move to ${PHASE_NAME[next]}`, id, 'primary'));
    elements.push(button(ACTIONS.close, incident.phase === 'retrospective' ? 'Close' : 'Close…', id));
    if (!incident.publicAt) elements.push(button(ACTIONS.public, 'Mark public', id, 'danger'));
    elements.push(button(ACTIONS.deadline, 'Move a deadline…', id));
    if (openSteps.length) {
      elements.push({
        type: 'static_select',
        action_id: ACTIONS.stepDone,
        placeholder: plain('Mark a step done…'),
        options: openSteps.slice(0, 100).map((s) => ({
          text: plain(truncate(s.rule.name, 75)),
          value: s.rule.id,
        })),
      });
    }
  }
  elements.push(button(ACTIONS.timeline, 'Timeline', id));
  return { type: 'actions', block_id: `phase:${id}`, elements };
}

/** The card's phase buttons, named once here and in the routing table. */
export const ACTIONS = {
  advance: 'srp_phase_advance',
  close: 'srp_close_open',
  reopen: 'srp_reopen_open',
  public: 'srp_public_open',
  timeline: 'srp_timeline',
  deadline: 'srp_deadline_open',
  stepDone: 'srp_step_done',
} as const;

/** Each step as `/srp show` lists it: state, name, owner, deadline, and what happened to it. */
export function stepLines(s: Schedule): string[] {
  return s.steps.map((step) => {
    const bits = [
      `${STATE_MARK[step.state]} *${step.rule.name}* \`${step.rule.id}\` (${OWNER_NAME[step.rule.owner]})`,
    ];
    if (step.state === 'not_applicable') bits.push('does not apply');
    else if (step.outcome) {
      const by = step.outcome.by === 'srp' ? 'srp saw it' : `<@${step.outcome.by}>`;
      bits.push(
        `${step.state} ${step.outcome.at ? slackDate(step.outcome.at) : ''} by ${by}${step.outcome.reason ? `: ${userText(step.outcome.reason, 200)}` : ''}`,
      );
    } else bits.push(step.asap ? 'due now (ASAP: public)' : `due ${slackDate(step.dueAt)}`);
    if (step.moved) bits.push(`moved by <@${step.moved.by}>: ${userText(step.moved.reason, 200)}`);
    return bits.join(' · ');
  });
}
