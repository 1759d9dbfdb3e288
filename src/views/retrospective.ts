import type { Line, Retrospective } from '../domain/retrospective.js';
import { context, escapeMrkdwn, header, plain, section, slackDate, truncate, userText } from './format.js';

export const RETRO_FEEDBACK_OPEN_ACTION = 'srp_retro_feedback_open';
export const RETRO_DONE_ACTION = 'srp_retro_done';
export const RETRO_CLOSE_ACTION = 'srp_retro_close';
export const RETRO_FEEDBACK_CALLBACK = 'srp_retro_feedback';
export const MAX_FEEDBACK = 3000;

/** A section's text stays under Slack's 3,000 characters; a longer part is split into several sections. */
const SECTION_MAX = 2900;
/** Slack allows 50 blocks a message; the draft keeps a few for its header, buttons and footer. */
const MAX_BLOCKS = 50;

/** A line for mrkdwn: people as mentions, typed text escaped, times in each reader's zone. */
export function slackLine(line: Line): string {
  return line
    .map((s) => {
      if (typeof s === 'string') return s;
      if ('user' in s) return `<@${s.user}>`;
      if ('typed' in s) return userText(s.typed, 500);
      if ('at' in s) return slackDate(s.at);
      return linkText(s.link);
    })
    .join('');
}

/** A recorded link: a web link as a link, anything else (`#123`, a commit id) as escaped text. */
export const linkText = (url: string) =>
  /^https?:\/\/[^\s<>|]+$/.test(url) ? `<${url}>` : escapeMrkdwn(truncate(url, 300));

/**
 * Lines under a title, split into sections of at most SECTION_MAX characters each, and at most `budget`
 * characters in all: Slack refuses a message whose blocks hold more than about 12,000 characters of text, so
 * each part has its share, and what does not fit is counted with a pointer to the full Markdown.
 */
function part(title: string, lines: string[], blockId: string, budget: number, more: string) {
  const chunks: string[] = [];
  let current = `*${title}*`;
  let used = current.length;
  const all = lines.length ? lines : ['_None recorded._'];
  for (const [i, raw] of all.entries()) {
    const line = truncate(raw, Math.min(SECTION_MAX - 10, budget - 100));
    if (used + line.length + 1 > budget - 150) {
      const left = all.length - i;
      const note = `_…and ${left} more: ${more}._`;
      if (current.length + note.length + 1 > SECTION_MAX) {
        chunks.push(current);
        current = note;
      } else current = `${current}\n${note}`;
      break;
    }
    used += line.length + 1;
    if (current.length + 1 + line.length > SECTION_MAX) {
      chunks.push(current);
      current = line;
    } else current = `${current}\n${line}`;
  }
  chunks.push(current);
  return chunks.map((text, i) => section(text, i === 0 ? blockId : `${blockId}_${i}`));
}

export interface DraftState {
  fixLead: string | null;
  /** The retrospective step's deadline. */
  dueAt: Date | null;
  done: { by: string; at: Date | null } | null;
}

/** The notification text: the incident id and a stock phrase only. */
export const retrospectiveText = (incidentId: string) => `Retrospective draft for ${incidentId}`;

/** The sections of the draft, each within Block Kit's limits. */
export function retrospectiveSections(r: Retrospective) {
  const more = `the whole draft is in its Markdown (\`npx srp export ${r.incidentId} --format retro-md\`)`;
  return [
    ...part(
      'Who was involved',
      r.people.map((p) => `• ${p.role}: ${slackLine([p.who])}, ${slackLine(p.line)}`),
      'retro_people',
      1200,
      more,
    ),
    ...part(
      'Timeline',
      r.timeline.map((t) => `• ${slackDate(t.at)}: ${slackLine(t.line)}`),
      'retro_timeline',
      2600,
      more,
    ),
    ...part(
      'Phases against the process windows',
      r.phases.map(
        (p) =>
          `• ${p.verdict === 'met' ? ':white_check_mark:' : ':small_blue_diamond:'} *${p.name}*: ${p.text}`,
      ),
      'retro_phases',
      1500,
      more,
    ),
    ...part(
      'Deadlines moved',
      r.moved.map(
        (m) =>
          `• ${m.name}: ${m.from ? `from ${slackDate(m.from)} ` : ''}to ${slackDate(m.to)}, by <@${m.by}>: ${m.reason ? userText(m.reason, 500) : '_no reason recorded_'}`,
      ),
      'retro_moved',
      1000,
      more,
    ),
    ...part(
      'Severity',
      [
        ...r.severity.assessments.map((a) => `• ${slackDate(a.at)}: ${slackLine(a.line)}`),
        `• Final call: ${r.severity.final ? slackLine(r.severity.final) : '_none recorded_'}`,
      ],
      'retro_severity',
      800,
      more,
    ),
    ...part(
      'Distributor notices',
      r.notices.map((n) => `• ${n.text} (<@${n.sentBy}>, ${slackDate(n.sentAt)})`),
      'retro_notices',
      600,
      more,
    ),
    ...part(
      'Links',
      r.links.map((l) => `• ${l.label}: ${linkText(l.url)}`),
      'retro_links',
      700,
      more,
    ),
    ...part(
      'Critiques',
      r.critiques.map((c) => `• <@${c.author}> (${slackDate(c.at)}): ${userText(c.text, 2000)}`),
      'retro_critiques',
      2600,
      more,
    ),
  ];
}

/**
 * The draft as posted under the card: what srp recorded, the critiques by author, and its buttons. Blocks
 * beyond Slack's 50 are left out with a pointer to `/srp retro`, whose answer and the Markdown export
 * carry everything.
 */
export function retrospectiveMessage(r: Retrospective, state: DraftState) {
  const id = r.incidentId;
  const ask = state.done
    ? `:white_check_mark: Marked done${state.done.by === 'srp' ? '' : ` by <@${state.done.by}>`}${state.done.at ? ` ${slackDate(state.done.at)}` : ''}.`
    : `${state.fixLead ? `<@${state.fixLead}>, please` : 'Please'} finish it${state.dueAt ? ` by ${slackDate(state.dueAt)}` : ''}: anyone involved can add feedback, and the Fix Lead marks it done.`;
  const head = [
    header(`Retrospective draft: ${id}`),
    section(
      `*${userText(r.title, 200)}*\nBuilt from what srp recorded; blameless: durations and decisions. ${ask}`,
      'retro_intro',
    ),
  ];
  const actions = {
    type: 'actions',
    block_id: `retro:${id}`,
    elements: [
      { type: 'button', action_id: RETRO_FEEDBACK_OPEN_ACTION, text: plain('Add feedback'), value: id },
      ...(state.done
        ? []
        : [
            {
              type: 'button',
              action_id: RETRO_DONE_ACTION,
              text: plain('Mark done'),
              value: id,
              style: 'primary',
            },
          ]),
    ],
  };
  const foot = context(`Also \`/srp retro ${id}\`. Nothing here leaves the security channel.`);
  let body = retrospectiveSections(r);
  const room = MAX_BLOCKS - head.length - 2;
  if (body.length > room) {
    const left = body.length - (room - 1);
    body = [
      ...body.slice(0, room - 1),
      section(`_${left} more parts: see \`/srp retro ${id}\`._`, 'retro_more'),
    ];
  }
  return { text: retrospectiveText(id), blocks: [...head, ...body, actions, foot] };
}

/** The form that adds feedback to an incident's retrospective. */
export function feedbackModal(incidentId: string) {
  return {
    type: 'modal' as const,
    callback_id: RETRO_FEEDBACK_CALLBACK,
    private_metadata: JSON.stringify({ incidentId }),
    title: plain('Retrospective feedback'),
    submit: plain('Add'),
    close: plain('Cancel'),
    blocks: [
      section(
        `Your feedback on ${incidentId}'s response and release: what went well, what did not, what to change. It is listed with your name under Critiques. Blameless: about the process, not people.`,
      ),
      {
        type: 'input',
        block_id: 'feedback',
        label: plain('Feedback'),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: MAX_FEEDBACK,
        },
      },
    ],
  };
}

/** What the card says of closing: complete and ready to close, or the final summary of a closed incident. */
export interface CardClosing {
  /** Published, and every step after the release done: srp offers to close it. */
  complete: boolean;
  summary?: FinalSummary;
}

export interface FinalSummary {
  receivedAt: Date;
  publishedAt: Date;
  closedAt: Date | null;
  closedBy: string | null;
  severity: string | null;
  permalink: string | null;
  trackingIssue: string | null;
  cveId: string | null;
}

/** The card's closing block, if any. */
export function closingBlocks(
  incidentId: string,
  c: CardClosing | undefined,
): Array<{ type: string; [k: string]: unknown }> {
  if (c?.summary) {
    const s = c.summary;
    const links = [
      ...(s.permalink ? [`<${s.permalink}|Announcement>`] : []),
      ...(s.trackingIssue ? [`Tracking issue: ${linkText(s.trackingIssue)}`] : []),
      ...(s.cveId ? [`<https://www.cve.org/CVERecord?id=${s.cveId}|${s.cveId}>`] : []),
    ];
    return [
      section(
        [
          '*Final summary*',
          `Received ${slackDate(s.receivedAt)} · published ${slackDate(s.publishedAt)}${s.closedAt ? ` · closed ${slackDate(s.closedAt)}${s.closedBy ? ` by <@${s.closedBy}>` : ''}` : ''}`,
          `Severity: ${s.severity ?? '_not rated_'}`,
          links.length ? links.join(' · ') : '_No links recorded._',
        ].join('\n'),
        'final_summary',
      ),
    ];
  }
  if (c?.complete) {
    return [
      {
        type: 'section',
        block_id: 'complete',
        text: {
          type: 'mrkdwn',
          text: ':white_check_mark: *Complete*: published, and every step after the release is done (Fix Team removed, CVE record published, tracking issue closed, retrospective done). Close the incident?',
        },
        accessory: {
          type: 'button',
          action_id: RETRO_CLOSE_ACTION,
          text: plain('Close'),
          value: incidentId,
          style: 'primary',
        },
      },
    ];
  }
  return [];
}
