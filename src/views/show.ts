import {
  ADVISORY_FIELD_LABELS,
  type AdvisoryField,
  type AffectedRange,
  formatAffected,
} from '../domain/disclosure/advisory.js';
import { isPerIssueRole, PER_ISSUE_ROLE_NAME } from '../domain/owners.js';
import { PHASE_NAME, type Phase, RESOLUTIONS, type Resolution } from '../domain/phases.js';
import type { TimelineEvent } from '../store/incidents.js';
import { context, plain, section, slackDate, truncate, userText } from './format.js';
import { ACTIONS, stepLines } from './phase.js';

/** Timeline events per page of `/srp show`: a page stays well inside a message's 50 blocks. */
export const TIMELINE_PAGE = 20;

const who = (u: unknown) => (typeof u === 'string' && /^[UW][A-Z0-9]+$/.test(u) ? `<@${u}>` : '_nobody_');
const text = (v: unknown, max = 200) =>
  v === null || v === undefined ? '_empty_' : userText(typeof v === 'string' ? v : JSON.stringify(v), max);
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const phaseName = (v: unknown) =>
  typeof v === 'string' && v in PHASE_NAME ? PHASE_NAME[v as Phase] : text(v);
const reasonOf = (v: unknown) => (typeof obj(v).reason === 'string' ? `: ${text(obj(v).reason)}` : '');

/** A role as the timeline names it: "incident commander", "fix lead", the 2018 roles by their names. */
const roleName = (field: string | null) =>
  field === 'commander'
    ? 'incident commander'
    : isPerIssueRole(field)
      ? PER_ISSUE_ROLE_NAME[field]
      : (field ?? 'role').replaceAll('_', ' ');

/** One timeline event as a line: when, who, what changed (old → new), every user value escaped. */
export function timelineLine(e: TimelineEvent): string {
  const actor = e.actor === 'srp' ? 'srp' : who(e.actor);
  const n = obj(e.newValue);
  const what = ((): string => {
    switch (e.type) {
      case 'created':
        return 'took the report in';
      case 'field_changed':
        return `changed ${e.field}: ${text(e.oldValue, 120)} → ${text(e.newValue, 120)}`;
      case 'reporter_added':
        return 'added to their report';
      case 'role_changed':
        return `made ${who(typeof e.newValue === 'string' ? e.newValue : n.userId)} ${roleName(e.field)}${reasonOf(e.newValue)}`;
      case 'fix_team_added':
        return `added ${who(e.newValue)} to the Fix Team`;
      case 'fix_team_removed':
        return `removed ${who(e.oldValue)} from the Fix Team`;
      case 'phase_changed': {
        const skipped = Array.isArray(n.skipped) && n.skipped.length ? ` (skipped ${n.skipped.length})` : '';
        return `moved it ${phaseName(e.oldValue)} → ${phaseName(n.phase)}${skipped}${reasonOf(e.newValue)}`;
      }
      case 'closed':
        return `closed it as ${typeof n.resolution === 'string' ? RESOLUTIONS[n.resolution as Resolution] : 'done'}${reasonOf(e.newValue)}`;
      case 'reopened':
        return `reopened it in ${phaseName(n.phase)}${reasonOf(e.newValue)}`;
      case 'made_public':
        return `marked it public (seen: ${text(n.where)}${typeof n.link === 'string' ? `, ${text(n.link, 300)}` : ''})`;
      case 'step_done':
        return `marked *${text(n.step)}* done`;
      case 'step_skipped':
        return `skipped *${text(n.step)}*${reasonOf(e.newValue)}`;
      case 'step_reopened':
        return `reopened *${text(n.step)}*`;
      case 'deadline_moved':
        return `moved the deadline of *${text(n.step)}* from ${typeof e.oldValue === 'number' ? slackDate(new Date(e.oldValue)) : '?'} to ${typeof n.due === 'number' ? slackDate(new Date(n.due)) : '?'}${reasonOf(e.newValue)}`;
      case 'advisory_created':
        return 'started the advisory record';
      case 'advisory_edited': {
        const label = ADVISORY_FIELD_LABELS[e.field as AdvisoryField] ?? e.field;
        const shown = (v: unknown) =>
          Array.isArray(v) ? text(formatAffected(v as AffectedRange[]), 120) : text(v, 120);
        return `changed the advisory's ${label}: ${shown(e.oldValue)} → ${shown(e.newValue)}`;
      }
      case 'approvals_voided':
        return `voided ${Array.isArray(e.oldValue) ? e.oldValue.length : ''} approval(s) of the texts by editing the advisory (version ${text(e.newValue)})`;
      case 'announcement_cancelled':
        return `cancelled the scheduled announcement${typeof n.why === 'string' ? `: ${text(n.why)}` : ''}`;
      case 'watch_words':
        return Array.isArray(e.newValue) && e.newValue.length
          ? `set the watch words: ${e.newValue.map((w) => text(w, 60)).join(', ')}`
          : 'cleared the watch words';
      default:
        return `${e.type.replaceAll('_', ' ')}${e.field ? ` (${e.field})` : ''}`;
    }
  })();
  return `${slackDate(e.at, '{date_short} {time}')} · ${actor} ${what}`;
}

/** Lines packed into sections of at most ~2,900 characters (Slack's limit is 3,000 per text). */
function packed(lines: readonly string[], blockId: string) {
  const chunks: string[] = [];
  for (const line of lines) {
    const l = truncate(line, 1000);
    const last = chunks.at(-1);
    if (last !== undefined && last.length + l.length + 1 <= 2900) chunks[chunks.length - 1] = `${last}\n${l}`;
    else chunks.push(l);
  }
  return chunks.map((c, i) => section(c, `${blockId}-${i}`));
}

/**
 * `/srp show` and the card's Timeline button: the card's facts (without its buttons), every step with its
 * deadline, and one page of the timeline, newest first, with buttons to page through the rest.
 */
export function showMessage(opts: {
  incidentId: string;
  card: { text: string; blocks: Array<{ type: string }> };
  steps: Parameters<typeof stepLines>[0];
  timeline: readonly TimelineEvent[];
  page: number;
}) {
  const { incidentId, timeline } = opts;
  const pages = Math.max(1, Math.ceil(timeline.length / TIMELINE_PAGE));
  const page = Math.min(Math.max(1, opts.page), pages);
  const newestFirst = [...timeline].reverse();
  const shown = newestFirst.slice((page - 1) * TIMELINE_PAGE, page * TIMELINE_PAGE);
  const nav = [
    ...(page > 1 ? [{ text: 'Newer', page: page - 1 }] : []),
    ...(page < pages ? [{ text: 'Older', page: page + 1 }] : []),
  ];
  return {
    text: opts.card.text,
    blocks: [
      ...opts.card.blocks.filter((b) => b.type !== 'actions'),
      section('*Steps and deadlines*', 'steps-title'),
      ...packed(stepLines(opts.steps), 'steps'),
      section(
        `*Timeline* (page ${page} of ${pages}, ${timeline.length} events, newest first)`,
        'timeline-title',
      ),
      ...packed(shown.map(timelineLine), 'timeline'),
      ...(nav.length
        ? [
            {
              type: 'actions',
              block_id: `timeline:${incidentId}`,
              elements: nav.map((n) => ({
                type: 'button',
                action_id: `${ACTIONS.timeline}_${n.text.toLowerCase()}`,
                text: plain(n.text),
                value: `${incidentId}:${n.page}`,
              })),
            },
          ]
        : []),
      context('Only you can see this.'),
    ].slice(0, 50),
  };
}
