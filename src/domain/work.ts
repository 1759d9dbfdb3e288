import type { PlannedEmail } from './disclosure/emails.js';
import type { PerIssueRole } from './owners.js';

/**
 * Due work: everything srp must do later or again (post a card, send a DM, remind someone), named by
 * typed builders so no service writes a key by hand. A key is unique: inserting work whose key exists
 * does nothing (or re-arms it, for messages redrawn in place), which is what makes work exactly once.
 * When the work is one Slack message, its key is also the message's delivery key in the outbox.
 */

export const WORK_KINDS = [
  /**
   * A new incident's commander (the oncall primary), Fix Lead (the round-robin) and per-issue roles, given
   * right after the report is acknowledged (database only: the roles and their notices in one commit).
   */
  'intake-roles',
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
  /** Someone's Home tab, drawn again (views.publish) when something it shows changed or they opened it. */
  'home',
  /**
   * The disclosure texts approved, or their approvals voided by an edit of the advisory record: a reply
   * under the card in the security channel (never a DM: it names the texts' state).
   */
  'approval-notice',
  /** A disclosure email, sent when due (or, without SMTP, the Fix Lead reminded to send it). */
  'email',
  /** An email whose send was cut short: the Fix Lead asked under the card whether it went out. */
  'email-check',
  /**
   * An advisory record saved from a modal: keyed by the submission (so a replayed one saves once), it
   * says under the card what the edit voided or cancelled, if anything.
   */
  'advisory-saved',
  /**
   * A message in a public channel named an incident under embargo: one alert in the security channel per
   * message and incident, updated in place once someone marks the incident public from it.
   */
  'leak-alert',
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
  /**
   * The retrospective's draft in the card's thread: posted once, a day after publication, then redrawn in
   * place when someone adds feedback or marks it done.
   */
  'retrospective',
] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** A nudge's payload: which step, which kind, the deadline it is about, and which repeat (1 = first). */
export interface NudgePayload {
  step: string;
  nudge: 'soon' | 'overdue';
  deadline: number;
  nth: number;
}

/** What an `approval-notice` says, fixed when it was planned. */
export type ApprovalNotice =
  | { event: 'approved'; hash: string; by: string; approvals: number }
  | { event: 'voided'; version: number; by: string; voided: string[] };

/** An email's payload: what the planner fixed (the email's text, the notice it is, for which hash and target). */
export interface EmailPayload {
  textId: string;
  notice: 'advance' | 'release_day' | null;
  hash: string;
  targetMs: number;
}

/** What an advisory save did, fixed when it was saved: its version, the approvals voided, a schedule cancelled. */
export interface AdvisorySavedPayload {
  version: number;
  by: string;
  voided: number;
  cancelled: boolean;
}

/** Where a leak was seen: the message, never its text. */
export interface LeakPayload {
  channel: string;
  ts: string;
  /** The thread the message is a reply in, if it is one (for its link). */
  threadTs?: string;
  /** What kind of term it named: the incident's CVE id, its srp id, or a watch word. */
  via: 'cve' | 'id' | 'word';
  /** A link to the message, when srp knows the workspace's address. */
  link?: string;
}

/**
 * The roles someone can be told about: the two incident roles, a seat on the Fix Team, and the 2018
 * process's per-issue roles.
 */
export type NoticeRole = 'commander' | 'fix_lead' | 'fix_team' | PerIssueRole;

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
  /**
   * The roles a report taken in at `reportedAt` starts with; one row per incident. Due a millisecond before
   * the report's other work: a drain runs the oldest first, so the card is drawn with its roles.
   */
  intakeRoles: (incidentId: string, reportedAt: Date) =>
    item('intake-roles', `intake-roles:${incidentId}`, incidentId, new Date(reportedAt.getTime() - 1), {
      reportedAt: reportedAt.getTime(),
    }),
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
  /**
   * A DM gathering the nudge lines waiting for `userId`, named by the first line it was planned for (a
   * nudge's or ping's key): a line is added once, so planning a DM for it twice is one DM, and a DM planned
   * for a later line is another one even in the same millisecond.
   */
  nudgeDm: (userId: string, firstLine: string, at: Date) =>
    item('nudge-dm', `nudge-dm:${userId}:${firstLine}`, userId, at),
  publicNotice: (incidentId: string, publicAt: Date) =>
    item('public-notice', `public:${incidentId}:${publicAt.getTime()}`, incidentId, publicAt),
  /**
   * `userId`'s Home tab: one row per person, re-armed by every change it shows, so a burst of changes is
   * one redraw of the newest state.
   */
  home: (userId: string, at: Date) => item('home', `home:${userId}`, userId, at),
  /** An approval of the texts' `hash` by `by`: one reply, however often it is planned. */
  approvalRecorded: (incidentId: string, hash: string, by: string, approvals: number, at: Date) =>
    item('approval-notice', `approved:${incidentId}:${hash}:${by}`, incidentId, at, {
      event: 'approved',
      hash,
      by,
      approvals,
    } satisfies ApprovalNotice),
  /** A disclosure email as planned by `dueEmails` (its key is the email's key too). */
  email: (e: PlannedEmail, incidentId: string) =>
    item('email', e.key, incidentId, e.dueAt, {
      textId: e.textId,
      notice: e.notice,
      hash: e.hash,
      targetMs: e.targetMs,
    } satisfies EmailPayload),
  /** The question about the email `emailKey` whose outcome is unknown: asked once. */
  emailCheck: (incidentId: string, emailKey: string, at: Date) =>
    item('email-check', `email-check:${emailKey}`, incidentId, at, { emailKey }),
  /** An edit (`version`) that voided the approvals standing then. */
  approvalsVoided: (incidentId: string, version: number, by: string, voided: string[], at: Date) =>
    item('approval-notice', `approvals-voided:${incidentId}:${version}`, incidentId, at, {
      event: 'voided',
      version,
      by,
      voided,
    } satisfies ApprovalNotice),
  /**
   * The advisory record of `incidentId` saved by a submission (`source`: `view:<view id>:<user>`): one row
   * per submission, inserted with the save, so a replay finds it and saves nothing more.
   */
  advisorySaved: (incidentId: string, source: string, payload: AdvisorySavedPayload, at: Date) =>
    item('advisory-saved', `advisory-saved:${incidentId}:${source}`, incidentId, at, payload),
  /**
   * The alert for a message (`channel`, `ts`: a thread reply's own ts, an edit's original one) that named
   * `incidentId`; keyed by all three, so a retried or edited message is still one alert.
   */
  leakAlert: (incidentId: string, leak: LeakPayload, at: Date) =>
    item('leak-alert', `leak:${incidentId}:${leak.channel}:${leak.ts}`, incidentId, at, leak),
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
  /** The incident's retrospective draft: one row (and one message) per incident, re-armed to redraw it. */
  retrospective: (incidentId: string, at: Date) =>
    item('retrospective', `retro:${incidentId}`, incidentId, at),
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
 * Thrown inside database-only work whose lease another runner took meanwhile (the process paused past it):
 * the work is rolled back, and the row is that runner's.
 */
export class LeaseLost extends Error {}

/**
 * Thrown by a handler whose facts no longer hold (a nudge about a deadline since moved): nothing was sent,
 * so the row is cancelled rather than done, and planning the same work again (the deadline moved back)
 * makes it due again.
 */
export class Moot extends Error {
  constructor(reason: string) {
    super(reason);
  }
}

/**
 * A handler's way to say "not yet after all" (e.g. outside the person's working hours): the row waits
 * until `at` without counting as a failure.
 */
export class NotYet extends Error {
  constructor(readonly at: Date) {
    super(`not due until ${at.toISOString()}`);
  }
}
