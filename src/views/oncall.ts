import type { OncallPosition, Segment } from '../domain/rotation.js';
import { context, divider, header, mrkdwn, plain, section, slackDate, truncate } from './format.js';

export const TAKE_SHIFT_ACTION = 'srp_oncall_take';
export const ASK_COVER_ACTION = 'srp_oncall_cover';
export const HAND_OFF_ACTION = 'srp_oncall_handoff';
export const TAKE_COVER_ACTION = 'srp_cover_take';

const who = (u: string | null) => (u ? `<@${u}>` : '_nobody_');

export interface ShiftView {
  index: number;
  start: Date;
  end: Date;
  segments: Segment[];
}

/**
 * `/srp oncall`: who is on now and until when, then the next weeks, every time in the reader's zone. Only
 * the buttons that can work for this reader are shown: a member takes a shift they are not already in;
 * whoever has a shift coming may ask for cover; whoever is on call now may hand off.
 */
export function oncallMessage(v: {
  now: { primary: string | null; secondary: string | null; until: Date };
  shifts: ShiftView[];
  viewer: string;
  /** Full members take shifts; associates see the schedule only. */
  viewerIsMember: boolean;
}) {
  const onCallNow = v.now.primary === v.viewer || v.now.secondary === v.viewer;
  const hasShift = v.shifts.some((s) =>
    s.segments.some((seg) => seg.primary === v.viewer || seg.secondary === v.viewer),
  );
  const nowActions = [
    ...(hasShift
      ? [{ type: 'button', action_id: ASK_COVER_ACTION, text: plain('Ask for cover'), value: 'cover' }]
      : []),
    ...(onCallNow
      ? [{ type: 'users_select', action_id: HAND_OFF_ACTION, placeholder: plain('Hand off to...') }]
      : []),
  ];
  const blocks: object[] = [
    header('Oncall'),
    section(
      `*Primary* ${who(v.now.primary)}\n*Secondary* ${who(v.now.secondary)}\nuntil ${slackDate(v.now.until)}`,
      'now',
    ),
    ...(nowActions.length ? [{ type: 'actions', block_id: 'now_actions', elements: nowActions }] : []),
    context(
      'Oncall is business hours only: the primary and the secondary answer within their own working hours (`/srp members hours`), not at night or on their weekends. Times are shown in your own time zone.',
    ),
    divider(),
  ];
  for (const s of v.shifts) {
    const lines = s.segments.map((seg) => {
      const span = s.segments.length > 1 ? `${slackDate(seg.start, '{date_short} {time}')}: ` : '';
      const note = seg.primaryOverride || seg.secondaryOverride ? ' _(override)_' : '';
      return `${span}primary ${who(seg.primary)}, secondary ${who(seg.secondary)}${note}`;
    });
    // One person can't hold both roles: no "Take" where the reader is already primary or secondary.
    const canTake =
      v.viewerIsMember && !s.segments.some((seg) => seg.primary === v.viewer || seg.secondary === v.viewer);
    blocks.push({
      type: 'section',
      block_id: `shift_${s.index}`,
      // An imported calendar can split a week into many pieces: keep within a section's 3000 characters.
      text: mrkdwn(
        truncate(
          `*${slackDate(s.start, '{date_short_pretty} {time}')} → ${slackDate(s.end, '{date_short_pretty} {time}')}*\n${lines.join('\n')}`,
          3000,
        ),
      ),
      ...(!canTake
        ? {}
        : {
            accessory: {
              type: 'button',
              action_id: TAKE_SHIFT_ACTION,
              text: plain('Take this shift'),
              value: String(s.index),
            },
          }),
    });
  }
  return { text: `Oncall: primary ${who(v.now.primary)}, secondary ${who(v.now.secondary)}`, blocks };
}

export function coverRequestMessage(r: {
  id: string;
  position: OncallPosition;
  requestedBy: string;
  start: Date;
  end: Date;
  takenBy: string | null;
}) {
  const span = `${slackDate(r.start)} → ${slackDate(r.end)}`;
  if (r.takenBy) {
    return {
      text: `Cover found for <@${r.requestedBy}>'s ${r.position} shift`,
      blocks: [
        section(
          `:white_check_mark: <@${r.takenBy}> is covering <@${r.requestedBy}>'s *${r.position}* oncall, ${span}.`,
        ),
      ],
    };
  }
  return {
    text: `<@${r.requestedBy}> is asking for cover`,
    blocks: [
      section(
        `:raising_hand: <@${r.requestedBy}> is asking for someone to cover their *${r.position}* oncall, ${span}.`,
      ),
      {
        type: 'actions',
        block_id: 'cover',
        elements: [
          {
            type: 'button',
            style: 'primary',
            action_id: TAKE_COVER_ACTION,
            text: plain('Take'),
            value: r.id,
          },
        ],
      },
    ],
  };
}

export function handoffMessage(h: { primary: string | null; secondary: string | null; until: Date }) {
  const text = `Oncall handoff: primary ${who(h.primary)}, secondary ${who(h.secondary)}`;
  return {
    text,
    blocks: [
      section(
        `:rotating_light: *Oncall handoff*\nPrimary ${who(h.primary)} · Secondary ${who(h.secondary)}\nuntil ${slackDate(h.until)}`,
      ),
    ],
  };
}

/** A few incident ids and how many in all: the digest stays one short DM however many are open. */
interface IdList {
  total: number;
  ids: string[];
}

/** The incoming primary's start-of-shift digest: ids only, since a DM is outside the private channel. */
export function shiftDigest(d: {
  securityChannel: string;
  needsUpdate: IdList;
  untriaged: IdList;
  until: Date;
}) {
  const list = ({ total, ids }: IdList) =>
    total === 0 ? 'none' : `${ids.join(', ')}${total > ids.length ? ` and ${total - ids.length} more` : ''}`;
  const text = `You are the primary oncall until ${slackDate(d.until)}.`;
  return {
    text: 'Your oncall shift starts now',
    blocks: [
      section(
        `:wave: ${text}\n*Open incidents without a commander's update in the last day:* ${list(d.needsUpdate)}\n*Reports not yet triaged:* ${list(d.untriaged)}\nDetails are on the cards in <#${d.securityChannel}>.`,
      ),
    ],
  };
}
