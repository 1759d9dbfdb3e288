/**
 * Due work: everything srp must do later or again (post a card, send a DM, remind someone), named by
 * typed builders so no service writes a key by hand. A key is unique: inserting work whose key exists
 * does nothing (or re-arms it, for messages redrawn in place), which is what makes work exactly once.
 * When the work is one Slack message, its key is also the message's delivery key in the outbox.
 */

export const WORK_KINDS = [
  /** The incident's card in the security channel: posted once, then redrawn in place when stale. */
  'card',
  /** The reporter's receipt DM. */
  'receipt',
  /** What a reporter added to their report, as a reply in the card's thread in the security channel. */
  'reporter-addition',
  /** The DM telling the reporter their addition was received (the id only). */
  'addition-receipt',
  /** The DM asking someone to take over as incident commander. */
  'ic-handoff-request',
  /** The DM telling the outgoing commander whether the handoff was accepted or declined. */
  'ic-handoff-answer',
  /** A reminder of a handoff still waiting, in the incoming commander's working hours. */
  'ic-handoff-reminder',
  /** A cover request in the security channel, updated in place once someone takes it. */
  'cover-request',
  /** The DM telling the requester who covers their shift. */
  'cover-taken',
  /** The oncall handoff post in the security channel. */
  'oncall-handoff',
  /** The incoming primary's start-of-shift digest DM. */
  'shift-digest',
  /** A one-off DM whose text was fixed when it was planned (e.g. the result of an import). */
  'note',
  /** Members' time zones read again from Slack's profiles. */
  'member-zones',
  /** A DM telling someone they now hold a role on an incident, or that someone took theirs over. */
  'role-notice',
  /** An incident's nudges planned again from its schedule, after any change to it. */
  'schedule',
  /** A step due soon or overdue: a reply under the card mentioning who owns it, and a line in their DM. */
  'nudge',
  /** An incident quiet for longer than its rating allows: a reply pinging its commander, and a DM line. */
  'stale',
  /** One DM to a person with every nudge line waiting for them. */
  'nudge-dm',
  /** An incident became public: a reply under the card, and the commander and Fix Lead told at once. */
  'public-notice',
  /** The approved announcement of one generation handed to Slack with chat.scheduleMessage. */
  'announce-schedule',
  /**
   * After a generation's target time: the announcement confirmed in the channel's history, or posted by srp
   * if Slack's schedule lost it; then the incident is published.
   */
  'announce-confirm',
  /**
   * The generations before `generation` withdrawn from Slack (chat.deleteScheduledMessage): after an edit of
   * the advisory record, a reschedule or a cancel. One already posted cannot be unsent: the thread is told.
   */
  'announce-unschedule',
  /** A distributor notice's time (the target less its interval) passed unsent: a warning under the card. */
  'notice-warning',
] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** A nudge's payload: which step, which kind, the deadline it is about, and which repeat (1 = first). */
export interface NudgePayload {
  step: string;
  nudge: 'soon' | 'overdue';
  deadline: number;
  nth: number;
}

/** The roles someone can be told about: the two incident roles, and a seat on the Fix Team. */
export type NoticeRole = 'commander' | 'fix_lead' | 'fix_team';

export interface WorkItem {
  key: string;
  kind: WorkKind;
  /** What the work is about; its handler reads it. */
  subject: string;
  dueAt: Date;
  /** Facts fixed at planning time, for work whose subject alone does not say it all. */
  payload?: unknown;
}

const item = (kind: WorkKind, key: string, subject: string, dueAt: Date, payload?: unknown): WorkItem => ({
  key,
  kind,
  subject,
  dueAt,
  ...(payload === undefined ? {} : { payload }),
});

/** The one place keys are spelled; existing keys (`card:…`, `receipt:…`) are kept as deployed. */
export const work = {
  card: (incidentId: string, at: Date) => item('card', `card:${incidentId}`, incidentId, at),
  /** `reporter`: who filed it, so the receipt needs no read of the report. */
  receipt: (incidentId: string, reporter: string, at: Date) =>
    item('receipt', `receipt:${incidentId}`, incidentId, at, { reporter }),
  /**
   * A reporter's addition to `incidentId`, posted under its card; `source` names what sent it (the modal's
   * view id), so a replayed submission is one row. The text is fixed when it is added.
   */
  reporterAddition: (incidentId: string, source: string, reporter: string, text: string, at: Date) =>
    item('reporter-addition', `reporter-added:${incidentId}:${source}`, incidentId, at, { reporter, text }),
  additionReceipt: (incidentId: string, source: string, reporter: string, at: Date) =>
    item('addition-receipt', `reporter-added-receipt:${incidentId}:${source}`, incidentId, at, { reporter }),
  commanderHandoffRequest: (handoffId: number, at: Date) =>
    item('ic-handoff-request', `ic-handoff:${handoffId}`, String(handoffId), at),
  commanderHandoffAnswer: (handoffId: number, outcome: 'accepted' | 'declined', at: Date) =>
    item('ic-handoff-answer', `ic-handoff-${outcome}:${handoffId}`, String(handoffId), at),
  /** The `nth` reminder (1, 2, ...) of a pending handoff. */
  commanderHandoffReminder: (handoffId: number, nth: number, dueAt: Date) =>
    item('ic-handoff-reminder', `ic-handoff-reminder:${handoffId}:${nth}`, String(handoffId), dueAt, {
      nth,
    }),
  coverRequest: (requestId: string, at: Date) => item('cover-request', `cover:${requestId}`, requestId, at),
  coverTaken: (requestId: string, at: Date) => item('cover-taken', `cover-taken:${requestId}`, requestId, at),
  /** `transition` names the change of shift (from the last announced one), so it is announced once. */
  oncallHandoff: (
    transition: string,
    shift: { primary: string | null; secondary: string | null; until: Date },
    at: Date,
  ) =>
    item('oncall-handoff', `handoff:${transition}`, transition, at, {
      primary: shift.primary,
      secondary: shift.secondary,
      until: shift.until.toISOString(),
    }),
  shiftDigest: (transition: string, primary: string, until: Date, at: Date) =>
    item('shift-digest', `digest:${transition}`, primary, at, { until: until.toISOString() }),
  /** `key` names what the note reports (e.g. `oncall-import:<view id>`), so it is sent once. */
  note: (key: string, userId: string, text: string, at: Date) => item('note', `${key}`, userId, at, { text }),
  /**
   * A role on an incident given to `userId` (or, `change: 'taken_over'`, taken from them by `by`). One
   * notice per person, role and moment: the same change planned twice is one DM.
   */
  roleNotice: (
    n: {
      incidentId: string;
      role: NoticeRole;
      userId: string;
      change: 'given' | 'taken_over';
      by: string;
      /** The new holder, when the role was taken from `userId`. */
      to?: string;
    },
    at: Date,
  ) =>
    item(
      'role-notice',
      `role-notice:${n.incidentId}:${n.role}:${n.change}:${n.userId}:${at.getTime()}`,
      n.userId,
      at,
      { incidentId: n.incidentId, role: n.role, change: n.change, by: n.by, to: n.to ?? n.userId },
    ),
  /** Plans the incident's nudges again; re-armed by every timeline event, like its card. */
  schedule: (incidentId: string, at: Date) => item('schedule', `schedule:${incidentId}`, incidentId, at),
  /**
   * One nudge per incident, step, kind and deadline (and repeat, for an overdue step): planned any number
   * of times, by any replica, it is one row and so one message.
   */
  nudge: (incidentId: string, n: NudgePayload, at: Date) =>
    item(
      'nudge',
      `nudge:${incidentId}:${n.step}:${n.nudge}:${n.deadline}${n.nth > 1 ? `:${n.nth}` : ''}`,
      incidentId,
      at,
      n,
    ),
  /**
   * The `nth` staleness ping since the incident's last event at `lastEvent` (ms), due `at`. Keyed by its due
   * time: a new rating (another limit) makes it another ping, and the old one is cancelled.
   */
  stale: (incidentId: string, lastEvent: number, nth: number, at: Date) =>
    item('stale', `stale:${incidentId}:${at.getTime()}`, incidentId, at, { lastEvent, nth }),
  /** A DM gathering the nudge lines waiting for `userId`; `since` (ms) names the first, so it is one DM. */
  nudgeDm: (userId: string, since: number, at: Date) =>
    item('nudge-dm', `nudge-dm:${userId}:${since}`, userId, at),
  publicNotice: (incidentId: string, publicAt: Date) =>
    item('public-notice', `public:${incidentId}:${publicAt.getTime()}`, incidentId, publicAt),
  /** Hands generation `generation` of the incident's announcement to Slack's schedule. */
  announceSchedule: (incidentId: string, generation: number, at: Date) =>
    item('announce-schedule', `announce-schedule:${incidentId}:${generation}`, incidentId, at, {
      generation,
    }),
  /** Confirms (or posts) generation `generation`'s announcement, due at its target time. */
  announceConfirm: (incidentId: string, generation: number, target: Date) =>
    item('announce-confirm', `announce-confirm:${incidentId}:${generation}`, incidentId, target, {
      generation,
    }),
  /**
   * Withdraws from Slack every generation of the incident's announcement before `generation`, the one now
   * current (after bumping `disclosures.generation`: an edit of the record, a reschedule, a cancel).
   */
  announceUnschedule: (incidentId: string, generation: number, at: Date) =>
    item('announce-unschedule', `announce-unschedule:${incidentId}:${generation}`, incidentId, at, {
      generation,
    }),
  /** A warning if `notice` is still unsent when its time for the target `target` comes (`at`). */
  noticeWarning: (incidentId: string, notice: 'advance' | 'release_day', target: Date, at: Date) =>
    item('notice-warning', `notice-warning:${incidentId}:${notice}:${target.getTime()}`, incidentId, at, {
      notice,
      target: target.getTime(),
    }),
  /** One refresh per day (`YYYY-MM-DD`), or one for a member just added (`user:<id>`). */
  memberZones: (scope: string, at: Date) => item('member-zones', `member-zones:${scope}`, scope, at),
};

/**
 * What every timeline event makes due about its incident (timeline.ts re-arms both in the event's
 * transaction): its card and its schedule of nudges. A service that recorded an event runs these keys
 * after answering, so the change shows at once.
 */
export function afterEvent(incidentId: string, at: Date): WorkItem[] {
  return [work.card(incidentId, at), work.schedule(incidentId, at)];
}
export const afterEventKeys = (incidentId: string, at: Date) => afterEvent(incidentId, at).map((i) => i.key);

/**
 * A handler's way to say "not yet after all" (e.g. outside the person's working hours): the row waits
 * until `at` without counting as a failure.
 */
export class NotYet extends Error {
  constructor(readonly at: Date) {
    super(`not due until ${at.toISOString()}`);
  }
}
