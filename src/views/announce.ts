import { type NoticeFact, timeLine } from '../domain/disclosure/targetTime.js';
import type { DisclosureRow } from '../store/advisory.js';
import { mrkdwn, plain, section, truncate, userText } from './format.js';

/** Scheduling the announcement: the button (its value the incident id), the form, and the confirm button. */
export const SCHEDULE_ACTION = 'disclosure_schedule';
export const SCHEDULE_CONFIRM_ACTION = 'disclosure_schedule_confirm';
export const SCHEDULE_MODAL = 'srp_disclosure_schedule';

/** What the command and the form show: srp's proposal and the notices it keeps. */
export interface ScheduleView {
  incidentId: string;
  proposal: Date;
  public: boolean;
  notices: readonly NoticeFact[];
  slotQuote: string;
  disclosure: DisclosureRow | undefined;
  canOverride: boolean;
}

function noticeLines(v: ScheduleView): string[] {
  return v.notices.map((n) =>
    n.sentAt
      ? `• ${n.name}: sent ${timeLine(n.sentAt)}`
      : `• ${n.name}: *not sent yet*, due by ${timeLine(new Date(v.proposal.getTime() - n.minBeforeMs))}`,
  );
}

function current(d: DisclosureRow | undefined): string | undefined {
  if (d?.state !== 'scheduled' || !d.targetAt) return undefined;
  return `Now scheduled for ${timeLine(d.targetAt)}; a new time replaces it.`;
}

function explanation(v: ScheduleView): string {
  const why = v.public
    ? `${v.incidentId} is public: it may go out *as soon as possible*.`
    : `The earliest slot at the recommended time that keeps the distributors' notices.\n> ${v.slotQuote}`;
  return [
    `*Proposed*: ${timeLine(v.proposal)}`,
    why,
    ...(v.notices.length ? ['*Distributors*', ...noticeLines(v)] : []),
    ...(current(v.disclosure) ? [current(v.disclosure) as string] : []),
  ].join('\n');
}

/** `/srp schedule <id>` without a time: the proposal, to confirm or change. */
export function proposalMessage(v: ScheduleView) {
  return {
    text: `${v.incidentId}: proposed announcement time`,
    blocks: [
      section(truncate(explanation(v), 2900)),
      {
        type: 'actions',
        block_id: `schedule:${v.incidentId}`,
        elements: [
          {
            type: 'button',
            action_id: SCHEDULE_CONFIRM_ACTION,
            text: plain('Schedule for that time'),
            value: String(v.proposal.getTime()),
            style: 'primary',
          },
          {
            type: 'button',
            action_id: SCHEDULE_ACTION,
            text: plain('Choose another time…'),
            value: v.incidentId,
          },
        ],
      },
    ],
  };
}

/** The form: the proposal prefilled, and (for the Fix Lead) a reason to override the rules. */
export function scheduleModal(v: ScheduleView) {
  return {
    type: 'modal',
    callback_id: SCHEDULE_MODAL,
    private_metadata: JSON.stringify({ incidentId: v.incidentId }),
    title: plain('Schedule announcement'),
    submit: plain('Schedule'),
    close: plain('Cancel'),
    blocks: [
      section(truncate(explanation(v), 2900)),
      {
        type: 'input',
        block_id: 'target',
        label: plain('Announce at'),
        hint: plain('Shown in your time zone; srp schedules it in UTC and Slack posts it then.'),
        element: {
          type: 'datetimepicker',
          action_id: 'value',
          initial_date_time: Math.floor(v.proposal.getTime() / 1000),
        },
      },
      ...(v.canOverride
        ? [
            {
              type: 'input',
              block_id: 'override',
              optional: true,
              label: plain('Override the rules (Fix Lead)'),
              hint: plain(
                'Only to schedule a time the rules refuse; the reason is recorded on the timeline.',
              ),
              element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1000 },
            },
          ]
        : []),
    ],
  };
}

/** The card's line about the announcement. */
export function announcementCardText(d: DisclosureRow | undefined): string | undefined {
  if (!d) return undefined;
  if (d.state === 'published') {
    const when = d.publishedAt ? ` ${timeLine(d.publishedAt)}` : '';
    return `*Announced*${when}: ${d.permalink ? `<${d.permalink}|the announcement>` : 'posted'}`;
  }
  if (d.state === 'scheduled' && d.targetAt) {
    const override = d.overrideReason ? `\nOverride: ${userText(d.overrideReason, 300)}` : '';
    return `*Announcement*: scheduled for ${timeLine(d.targetAt)}${override}`;
  }
  return '*Announcement*: not scheduled';
}

/** What happened to an announcement srp withdrew, in the card's thread. */
export const withdrawnReply = {
  withdrawn: (at: Date) => `The announcement scheduled for ${timeLine(at)} was withdrawn from Slack.`,
  posted: (at: Date) =>
    `:warning: The announcement scheduled for ${timeLine(at)} was already posted: a message already posted can't be unsent.`,
  undeletable: (at: Date) =>
    `:warning: The announcement scheduled for ${timeLine(at)} could not be withdrawn: Slack no longer deletes a scheduled message within its last minute. It goes out as it was; a message already posted can't be unsent.`,
  message: (incidentId: string, lines: readonly string[]) => ({
    text: `${incidentId}: the scheduled announcement changed`,
    blocks: [section(truncate(lines.join('\n'), 2900))],
  }),
};

/** A distributor notice whose time passed unsent, under the card (mentioning the Fix Lead). */
export function noticeWarningReply(incidentId: string, n: NoticeFact, target: Date, who: string | null) {
  const by = new Date(target.getTime() - n.minBeforeMs);
  const mention = who ? `<@${who}> ` : '';
  return {
    text: `${incidentId}: a distributor notice is late`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          truncate(
            `:warning: ${mention}*${n.name}* was due by ${timeLine(by)} for the announcement at ${timeLine(target)}, and is not recorded as sent. Send it and press Sent, then move the announcement (\`/srp schedule ${incidentId}\`), or the Fix Lead overrides with a reason.\n> ${n.quote}`,
            2900,
          ),
        ),
      },
    ],
  };
}

/** The reporter's DM once it is public: the id, "is now public", and the link. Nothing else. */
export const publicDm = (incidentId: string, permalink: string) =>
  `${incidentId} is now public: ${permalink}`;
