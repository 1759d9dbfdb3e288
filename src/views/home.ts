import type { StepState, StepStatus } from '../domain/deadlines.js';
import type { Incident } from '../domain/incident.js';
import type { OwnReport } from '../store/home.js';
import { context, divider, header, plain, section, slackDate, userText } from './format.js';
import { OWNER_NAME, phaseText } from './phase.js';

/**
 * srp's Home tab (views.publish), one view per standing: a member's (what needs them, the open incidents,
 * who is oncall), an associate's (the same over public incidents), a Fix Team member's (their incidents
 * only) and everyone else's (the report button and the ids of their own reports). Pure.
 *
 * A Home tab holds at most 100 blocks; every list here is cut to a fixed length and says how many more
 * there are, so the view stays inside the limit however many incidents are open (55 blocks at most).
 */

/** At most this many lines of "what needs you". */
export const NEEDS_LISTED = 20;
/** At most this many open incidents (and Fix Team incidents). */
export const OPEN_LISTED = 25;
/** At most this many of someone's own reports. */
export const OWN_LISTED = 20;
/** At most this many of a Fix Team member's steps per incident. */
const STEPS_PER_INCIDENT = 5;

/** The Home tab's "Report a vulnerability" button: opens the same form `/srp report` does. */
export const HOME_REPORT_ACTION = 'srp_home_report';

/** A step that needs the reader, on an incident they may see. */
export interface NeedsLine {
  incidentId: string;
  summary: string;
  step: StepStatus;
}

/** An open incident as the Home tab lists it: its phase and next deadline. */
export interface HomeIncident {
  incident: Incident;
  next: StepStatus | undefined;
  overdue: number;
}

export interface OncallNow {
  primary: string | null;
  secondary: string | null;
  until: Date;
}

export interface MemberHome {
  now: Date;
  /** An associate sees the publicly disclosed incidents only (what access.visibleOpen gives them). */
  associate?: boolean;
  /** The steps that need them, most urgent first, and how many in all. */
  needs: { total: number; lines: NeedsLine[] };
  open: { total: number; incidents: HomeIncident[] };
  /** Undefined: no rotation is set up. */
  oncall: OncallNow | undefined;
}

export interface FixTeamHome {
  now: Date;
  /** Their open Fix Team incidents, each with the steps that are theirs. */
  incidents: Array<HomeIncident & { mine: StepStatus[] }>;
  total: number;
  own: { total: number; reports: OwnReport[] };
}

const MARK: Record<StepState, string> = {
  done: ':white_check_mark:',
  skipped: ':fast_forward:',
  not_applicable: ':heavy_minus_sign:',
  upcoming: ':white_circle:',
  due_soon: ':alarm_clock:',
  overdue: ':warning:',
};

/** When a step is due, as a reader of the Home tab needs it. */
function due(step: StepStatus): string {
  if (step.asap) return '*due now* (ASAP: public)';
  if (step.state === 'overdue') return `*overdue* since ${slackDate(step.dueAt)}`;
  if (step.state === 'due_soon') return `due soon: ${slackDate(step.dueAt)}`;
  return `next, due ${slackDate(step.dueAt)}`;
}

const stepName = (step: StepStatus) => userText(step.rule.name, 80);

function nextText(next: StepStatus | undefined, overdue: number): string {
  const bits = [
    next
      ? `next: ${stepName(next)} (${OWNER_NAME[next.rule.owner]}) ${next.asap ? 'ASAP' : slackDate(next.dueAt)}`
      : 'no deadline left',
  ];
  if (overdue) bits.push(`:warning: ${overdue} overdue`);
  return bits.join(' · ');
}

function incidentLine({ incident, next, overdue }: HomeIncident): string {
  return `*${incident.id}* · ${userText(incident.summary, 100)}\n${phaseText(incident)} · ${nextText(next, overdue)}`;
}

const more = (total: number, shown: number, where: string) =>
  total > shown ? [context(`…and ${total - shown} more: ${where}`)] : [];

const reportButton = () => ({
  type: 'actions',
  block_id: 'home_report',
  elements: [
    {
      type: 'button',
      action_id: HOME_REPORT_ACTION,
      text: plain('Report a vulnerability'),
      value: 'report',
      style: 'primary',
    },
  ],
});

const home = (blocks: object[]) => ({ type: 'home' as const, blocks });

/** A member's (or an associate's) Home tab: what needs them, the open incidents they may see, who is oncall. */
export function memberHome(m: MemberHome) {
  const needs = m.needs.lines.slice(0, NEEDS_LISTED);
  const open = m.open.incidents.slice(0, OPEN_LISTED);
  const oncall = m.oncall
    ? `*Oncall now*: primary ${m.oncall.primary ? `<@${m.oncall.primary}>` : 'nobody'}, secondary ${
        m.oncall.secondary ? `<@${m.oncall.secondary}>` : 'nobody'
      }, until ${slackDate(m.oncall.until)}`
    : '*Oncall now*: no rotation is set up (`/srp oncall setup`).';
  return home([
    header('Security Response'),
    context(`Updated ${slackDate(m.now)}`),
    section('*What needs you*'),
    ...(needs.length
      ? needs.map(
          (n) =>
            `${MARK[n.step.state]} *${n.incidentId}* · ${stepName(n.step)} (${OWNER_NAME[n.step.rule.owner]}) · ${due(n.step)}\n${userText(n.summary, 100)}`,
        )
      : [':white_check_mark: Nothing needs you now.']
    ).map((t) => section(t)),
    ...more(m.needs.total, needs.length, '`/srp show <incident id>` lists every step of an incident.'),
    divider(),
    section(
      `*Open ${m.associate ? 'public ' : ''}incidents* (${m.open.total})${m.open.total ? '' : '\nNone.'}`,
    ),
    ...open.map((i) => section(incidentLine(i))),
    ...more(m.open.total, open.length, '`/srp status` lists them.'),
    divider(),
    section(oncall),
    reportButton(),
  ]);
}

/** Someone's own reports: ids and received dates, nothing else. */
function ownReports(own: { total: number; reports: OwnReport[] }): object[] {
  const shown = own.reports.slice(0, OWN_LISTED);
  if (shown.length === 0) return [section('*Your reports*\nNone yet.')];
  return [
    section(
      `*Your reports*\n${shown.map((r) => `• \`${r.id}\` · received ${slackDate(r.receivedAt)}`).join('\n')}`,
    ),
    ...more(own.total, shown.length, 'only the newest are listed.'),
  ];
}

/** Anyone else's Home tab: the report button, and the ids and received dates of their own reports. */
export function outsiderHome(own: { total: number; reports: OwnReport[] }) {
  return home([
    section(
      'Found a security problem? Report it privately to the Security Response Committee; only the committee sees it.',
    ),
    reportButton(),
    ...ownReports(own),
  ]);
}

/**
 * A Fix Team member's Home tab (outside the committee): their open Fix Team incidents, each with its phase,
 * next deadline and the steps that are theirs; nothing about any other incident. Like anyone, they can
 * report, and see their own reports' ids.
 */
export function fixTeamHome(f: FixTeamHome) {
  const shown = f.incidents.slice(0, OPEN_LISTED);
  return home([
    header('Security Response'),
    context(`Updated ${slackDate(f.now)}`),
    section(`*Your Fix Team incidents* (${f.total})${f.total ? '' : '\nNone open.'}`),
    ...shown.map((i) => {
      const mine = i.mine.slice(0, STEPS_PER_INCIDENT);
      const steps = mine.length
        ? mine.map((s) => `${MARK[s.state]} ${stepName(s)} · ${due(s)}`).join('\n')
        : 'Nothing of yours is open.';
      const cut = i.mine.length > mine.length ? `\n…and ${i.mine.length - mine.length} more` : '';
      return section(`${incidentLine(i)}\n*Your steps*\n${steps}${cut}`);
    }),
    ...more(f.total, shown.length, '`/srp status` lists them.'),
    divider(),
    reportButton(),
    ...ownReports(f.own),
  ]);
}
