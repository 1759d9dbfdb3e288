import type { RenderedText } from '../domain/disclosure/texts.js';
import { missingSentence } from '../domain/disclosure/texts.js';
import type { ApprovalNotice } from '../domain/work.js';
import type { OutboundMessage } from '../outbox/outbox.js';
import { context, divider, escapeMrkdwn, header, mrkdwn, plain, section, slackDate } from './format.js';

/**
 * `/srp drafts`: every disclosure text, readable in full and copyable exactly. Pure Block Kit.
 *
 * Bodies are shown in code blocks (so nothing in them formats), split at line boundaries into sections
 * of at most 3000 characters; the Slack line is shown as it will look in #announcements. A message holds
 * at most 50 blocks: when the texts need more, `draftsMessage` says so and the handler uploads them as
 * one file into the security channel instead (`draftsFile`).
 */

export const DRAFT_ACTIONS = {
  approve: 'disclosure_approve',
  noticeSent: 'disclosure_notice_sent',
  /** Implemented with the target time (`/srp schedule`); the drafts only carry the button. */
  schedule: 'disclosure_schedule',
} as const;

const MAX_BLOCKS = 50;
const MAX_SECTION = 3000;
/** GitHub's new-issue form takes a URL up to about 8000 characters; a Slack button's URL, 3000. */
const MAX_GITHUB_URL = 8000;
const MAX_BUTTON_URL = 3000;

export interface DraftsView {
  incidentId: string;
  version: number;
  editedBy: string;
  editedAt: Date;
  texts: RenderedText[];
  hash: string;
  approval: { needed: number; approvers: string[]; approved: boolean };
  blocking: string[];
  targetAt: Date | null;
  /** The notices recorded as sent, and which ones the process has a "Sent" for. */
  notices: Array<{ notice: 'advance' | 'release_day'; sentAt: Date; sentBy: string }>;
  noticeKinds: Array<'advance' | 'release_day'>;
  githubRepo: string;
  /** Set when the texts were uploaded as a file instead of shown. */
  fileLink?: string | undefined;
}

/** A body split at line boundaries into code blocks that each fit a section once escaped. */
export function codeChunks(body: string, max = MAX_SECTION): string[] {
  const fence = (s: string) => `\`\`\`\n${s}\n\`\`\``;
  const room = max - fence('').length;
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current) chunks.push(fence(current));
    current = '';
  };
  for (const raw of body.replace(/\n$/, '').split('\n')) {
    let line = escapeMrkdwn(raw);
    // A line longer than a section on its own is cut (never inside an escaped entity).
    while (line.length > room) {
      flush();
      let cut = room;
      const amp = line.lastIndexOf('&', cut);
      if (amp > cut - 6 && amp > 0) cut = amp;
      chunks.push(fence(line.slice(0, cut)));
      line = line.slice(cut);
    }
    const next = current ? `${current}\n${line}` : line;
    if (next.length > room) {
      flush();
      current = line;
    } else current = next;
  }
  flush();
  // An empty line inside a code block still shows: a blank body is one empty block, never none.
  return chunks.length > 0 ? chunks : [fence(' ')];
}

/** GitHub's new-issue form, prefilled; undefined when it would be too long for a link. */
export function githubIssueLink(repo: string, t: RenderedText): string | undefined {
  const url = `https://github.com/${repo}/issues/new?title=${encodeURIComponent(t.subject ?? '')}&body=${encodeURIComponent(t.body)}`;
  return url.length <= Math.min(MAX_GITHUB_URL, MAX_BUTTON_URL) ? url : undefined;
}

function textBlocks(t: RenderedText, repo: string): unknown[] {
  const lines = [`*${t.title}*`];
  if (t.to) lines.push(`To: ${escapeMrkdwn(t.to)}`);
  if (t.subject)
    lines.push(`${t.id.endsWith('issue') ? 'Title' : 'Subject'}: \`${escapeMrkdwn(t.subject)}\``);
  const missing = missingSentence(t);
  if (missing) lines.push(`:warning: ${escapeMrkdwn(missing.charAt(0).toUpperCase() + missing.slice(1))}`);
  const blocks: unknown[] = [section(lines.join('\n'))];
  if (t.id === 'slack-line') {
    // As it will look in #announcements: the body is Slack text already, its user parts escaped.
    blocks.push({ type: 'section', text: mrkdwn(t.body.slice(0, MAX_SECTION)) });
  } else {
    for (const chunk of codeChunks(t.body)) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  }
  if (t.id === 'tracking-issue') {
    const url = githubIssueLink(repo, t);
    blocks.push(
      url
        ? {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'disclosure_open_github', text: plain('Open in GitHub'), url },
            ],
          }
        : context(
            'Too long to prefill GitHub’s new-issue form from a link: copy the title and the text above.',
          ),
    );
  }
  return blocks;
}

function statusBlocks(v: DraftsView): unknown[] {
  const who = v.approval.approvers.map((u) => `<@${u}>`).join(', ');
  const lines = [
    `Record version ${v.version}, last edited by <@${v.editedBy}> ${slackDate(v.editedAt)}.`,
    v.approval.approved
      ? `:white_check_mark: *Approved* (${who}): the texts are locked; any edit of the record voids the approvals.`
      : `Approvals: ${v.approval.approvers.length} of ${v.approval.needed}${who ? ` (${who})` : ''}; by members other than <@${v.editedBy}>, the last editor.`,
    ...v.blocking.map((b) => `:warning: Cannot be approved yet: ${escapeMrkdwn(b)}.`),
    v.targetAt
      ? `Target time: ${slackDate(v.targetAt, '{date_long_pretty} at {time}')} (${v.targetAt.toISOString().slice(0, 16).replace('T', ' ')} UTC).`
      : 'No target time yet: the distributors’ email shows its date once one is chosen (Schedule).',
  ];
  for (const kind of v.noticeKinds) {
    const sent = v.notices.find((n) => n.notice === kind);
    const name = kind === 'advance' ? 'Advance notice to distributors' : 'Release-day notice to distributors';
    lines.push(
      sent
        ? `${name}: sent, recorded by <@${sent.sentBy}> ${slackDate(sent.sentAt)}.`
        : `${name}: not sent yet.`,
    );
  }
  return [section(lines.join('\n'))];
}

function actionBlock(v: DraftsView) {
  const elements: unknown[] = [];
  if (!v.approval.approved) {
    elements.push({
      type: 'button',
      action_id: DRAFT_ACTIONS.approve,
      style: 'primary',
      text: plain('Approve'),
      // The hash of the texts shown: an approval is of these texts, refused if they changed since.
      value: `${v.incidentId}:${v.hash}`,
    });
  }
  for (const kind of v.noticeKinds) {
    if (v.notices.some((n) => n.notice === kind)) continue;
    elements.push({
      type: 'button',
      action_id: `${DRAFT_ACTIONS.noticeSent}_${kind}`,
      text: plain(kind === 'advance' ? 'Sent: advance notice' : 'Sent: release-day notice'),
      value: `${v.incidentId}:${kind}`,
    });
  }
  elements.push({
    type: 'button',
    action_id: DRAFT_ACTIONS.schedule,
    text: plain('Schedule'),
    value: v.incidentId,
  });
  return { type: 'actions', block_id: `drafts:${v.incidentId}`, elements };
}

/** The drafts as one message, or `tooLong` when they need more than 50 blocks (then: a file). */
export function draftsMessage(v: DraftsView): (OutboundMessage & { tooLong: false }) | { tooLong: true } {
  const top = [header(`Disclosure texts of ${v.incidentId}`), ...statusBlocks(v)];
  const bottom = [divider(), actionBlock(v)];
  if (v.fileLink) {
    const summary = v.texts.map((t) => {
      const m = missingSentence(t);
      return `• *${t.title}*${m ? `: :warning: ${escapeMrkdwn(m)}` : ''}`;
    });
    return {
      tooLong: false,
      text: `Disclosure texts of ${v.incidentId}`,
      blocks: [
        ...top,
        section(
          `The texts are too long for one message: <${v.fileLink}|read and copy them in the file> in the security channel.\n${summary.join('\n')}`,
        ),
        ...bottom,
      ],
    };
  }
  const body = v.texts.flatMap((t) => [divider(), ...textBlocks(t, v.githubRepo)]);
  const blocks = [...top, ...body, ...bottom];
  if (blocks.length > MAX_BLOCKS) return { tooLong: true };
  return { tooLong: false, text: `Disclosure texts of ${v.incidentId}`, blocks };
}

/** Every text in one Markdown file, exactly as it is to be sent (no escaping for display). */
export function draftsFile(incidentId: string, version: number, hash: string, texts: RenderedText[]): string {
  const parts = [
    `Disclosure texts of ${incidentId} (record version ${version}, texts ${hash.slice(0, 12)})`,
    '',
  ];
  for (const t of texts) {
    parts.push(`===== ${t.title} =====`);
    const m = missingSentence(t);
    if (m) parts.push(`(${m})`);
    if (t.to) parts.push(`To: ${t.to}`);
    if (t.subject) parts.push(`${t.id.endsWith('issue') ? 'Title' : 'Subject'}: ${t.subject}`);
    parts.push('', t.body.replace(/\n$/, ''), '');
  }
  return `${parts.join('\n')}\n`;
}

/** The reply under the card when texts are approved, or an edit voided the approvals. */
export function approvalNoticeReply(
  incidentId: string,
  n: ApprovalNotice,
  state: { needed: number; approved: boolean } | undefined,
): OutboundMessage {
  if (n.event === 'approved') {
    const enough = state ? n.approvals >= state.needed : false;
    return {
      text: `${incidentId}: texts approved by a member`,
      blocks: [
        section(
          `:ballot_box_with_check: <@${n.by}> approved the disclosure texts (\`${n.hash.slice(0, 12)}\`): ${n.approvals} of ${state?.needed ?? '?'}${enough ? ', *approved*: the texts are locked.' : '.'}`,
        ),
      ],
    };
  }
  const who = n.voided.map((u) => `<@${u}>`).join(', ');
  return {
    text: `${incidentId}: approvals voided by an edit`,
    blocks: [
      section(
        `:warning: <@${n.by}> changed the advisory record (version ${n.version}): the approvals of the texts${who ? ` by ${who}` : ''} no longer stand, and anything scheduled with them is cancelled. Read and approve the new texts with \`/srp drafts ${incidentId}\`.`,
      ),
    ],
  };
}
