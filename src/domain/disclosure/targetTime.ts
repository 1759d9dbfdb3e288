import { DateTime } from 'luxon';
import type { Schedule } from '../deadlines.js';
import type { DisclosureRules } from '../profiles/types.js';

/**
 * The announcement's target time: the earliest slot the process recommends (4pm UTC on a weekday other than
 * Friday) that keeps the distributors' notices, and the check of a time someone chose. Pure: the service
 * gathers the facts (which notices apply, when each was sent) and stores what is decided.
 *
 * A notice already sent counts from when it was sent; one not sent yet counts from now, since it can be
 * sent at the earliest now. A public incident (or a broken embargo) may go out as soon as possible; the
 * Fix Lead may override the slot and notice rules with a reason. Nothing makes a time in the past good:
 * Slack can only schedule the future, and a public incident's "now" is now.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A target must be at least this far ahead: Slack refuses the past, and a reschedule needs its last minute. */
export const MIN_LEAD_MS = 5 * 60_000;
export const PACIFIC = 'America/Los_Angeles';

export type NoticeId = 'advance' | 'release_day';

/** One distributor notice as it applies to an incident: its minimum interval and the sentence behind it. */
export interface NoticeFact {
  notice: NoticeId;
  /** The step's name ("Distributors told (7 days ahead)"). */
  name: string;
  /** It must be sent at least this long before the target (its step's deadline, counted back from it). */
  minBeforeMs: number;
  /** The document's sentence. */
  quote: string;
  /** "changed by <file>" when a team's process file changed the step's deadline. */
  adjusted?: string;
  /** When it was sent (recorded "Sent", or its step marked done); null: not yet. */
  sentAt: Date | null;
}

export interface TargetFacts {
  now: Date;
  /** Public, or its embargo broken: "as soon as possible" is allowed. */
  public: boolean;
  /** Only the notices that apply to this incident. */
  notices: readonly NoticeFact[];
}

export type TargetRule = 'past' | 'weekend' | 'friday' | 'advance_notice' | 'release_day_notice';

export interface Refusal {
  rule: TargetRule;
  /** What is wrong, in a sentence. */
  message: string;
  /** The document's sentence it breaks; null for srp's own rule (a time in the past). */
  quote: string | null;
}

export type TargetCheck =
  | {
      ok: true;
      /** The target to store: the time chosen, or now for a public incident's "as soon as possible". */
      at: Date;
      /** Rules broken but allowed (by the Fix Lead's override, or because it is public). */
      allowed: Refusal[];
      /** Worth saying, not refusing: not the recommended hour, 4pm UTC not being 9AM PT that week. */
      notes: string[];
    }
  | { ok: false; refusals: Refusal[] };

/**
 * The notices of `rules` that apply to an incident, from its schedule (a step that does not apply, such as
 * the advance notice before a CVE exists, has no notice), each with when it was sent: the recorded notice,
 * else the moment its step was marked done.
 */
export function noticeFacts(
  rules: DisclosureRules,
  s: Schedule,
  sent: Partial<Record<NoticeId, Date>>,
): NoticeFact[] {
  const out: NoticeFact[] = [];
  const pairs: Array<[NoticeId, string | null]> = [
    ['advance', rules.notices.advance],
    ['release_day', rules.notices.releaseDay],
  ];
  for (const [notice, stepId] of pairs) {
    const step = stepId ? s.steps.find((x) => x.rule.id === stepId) : undefined;
    if (!step || step.state === 'not_applicable') continue;
    // Skipped on purpose (the 2018 notice is optional): nothing to keep.
    if (step.state === 'skipped') continue;
    const due = step.rule.due;
    const minBeforeMs = due.from === 'release' && due.days < 0 ? -due.days * DAY_MS : 0;
    const doneAt = step.state === 'done' ? (step.outcome?.at ?? null) : null;
    out.push({
      notice,
      name: step.rule.name,
      minBeforeMs,
      quote: step.rule.source,
      ...(step.rule.adjusted ? { adjusted: step.rule.adjusted } : {}),
      sentAt: sent[notice] ?? doneAt,
    });
  }
  return out;
}

/** The earliest instant the notices allow: each one's send time (or now) plus its interval. */
function earliestForNotices(f: TargetFacts): number {
  let at = f.now.getTime() + MIN_LEAD_MS;
  for (const n of f.notices) at = Math.max(at, (n.sentAt ?? f.now).getTime() + n.minBeforeMs);
  return at;
}

/**
 * srp's proposal: now for a public incident; otherwise the first slot at the recommended hour on an allowed
 * weekday at or after the earliest time every notice allows.
 */
export function proposeTarget(rules: DisclosureRules, f: TargetFacts): Date {
  if (f.public) return new Date(f.now);
  const earliest = earliestForNotices(f);
  let day = DateTime.fromMillis(earliest, { zone: 'utc' }).startOf('day');
  // A week always holds an allowed weekday; the loop is bounded all the same.
  for (let i = 0; i < 15; i++, day = day.plus({ days: 1 })) {
    const slot = day.set({ hour: rules.slot.hourUtc });
    if (slot.toMillis() >= earliest && rules.slot.weekdays.includes(slot.weekday)) return slot.toJSDate();
  }
  throw new Error('the slot rules allow no weekday');
}

/** Whole days and hours, as people say an interval ("7 days", "24 hours", "5 days 3 hours"). */
export function formatInterval(ms: number): string {
  const hours = Math.round(ms / HOUR_MS);
  if (hours % 24 === 0 && hours >= 48) return `${hours / 24} days`;
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return `${d} days ${h} hour${h === 1 ? '' : 's'}`;
}

/** The rules a chosen time breaks, each with its sentence. */
export function brokenRules(rules: DisclosureRules, f: TargetFacts, at: Date): Refusal[] {
  const out: Refusal[] = [];
  const t = DateTime.fromJSDate(at, { zone: 'utc' });
  if (at.getTime() < f.now.getTime() + MIN_LEAD_MS) {
    out.push({
      rule: 'past',
      message: `${at.getTime() <= f.now.getTime() ? 'That time has passed' : 'That is less than 5 minutes away'}: Slack can only schedule a message in the future; choose a later time.`,
      quote: null,
    });
  }
  if (t.weekday >= 6) {
    out.push({
      rule: 'weekend',
      message: `${t.toFormat('cccc')} is a weekend day; the announcement goes out on a weekday.`,
      quote: rules.slot.quote,
    });
  } else if (!rules.slot.weekdays.includes(t.weekday)) {
    out.push({
      rule: 'friday',
      message: `${t.toFormat('cccc')} is not a day for announcements: not a Friday.`,
      quote: rules.slot.quote,
    });
  }
  for (const n of f.notices) {
    const from = n.sentAt ?? f.now;
    const gap = at.getTime() - from.getTime();
    if (gap >= n.minBeforeMs) continue;
    const rule: TargetRule = n.notice === 'advance' ? 'advance_notice' : 'release_day_notice';
    const need =
      n.minBeforeMs > 0 ? `at least ${formatInterval(n.minBeforeMs)} before the target` : 'before the target';
    const what =
      n.notice === 'advance' ? 'The advance notice to distributors' : "The distributors' release-day notice";
    const since = n.sentAt
      ? `it was sent ${formatInterval(Math.max(0, gap))} before that time`
      : `it is not sent yet, and sent now it would come ${formatInterval(Math.max(0, gap))} before that time`;
    out.push({
      rule,
      message: `${what} must go ${need}; ${since}.${n.adjusted ? ` (Its interval is ${n.adjusted}.)` : ''}`,
      quote: n.quote,
    });
  }
  return out;
}

/**
 * Checks a chosen time. A public incident may go out now (a time already passed means now); the Fix Lead's
 * override (a reason) allows the slot and notice rules; nothing allows a future time too close for Slack.
 */
export function checkTarget(
  rules: DisclosureRules,
  f: TargetFacts,
  at: Date,
  override?: { reason: string },
): TargetCheck {
  const asap = f.public && at.getTime() < f.now.getTime() + MIN_LEAD_MS;
  const target = asap ? new Date(f.now) : at;
  const broken = brokenRules(rules, f, target).filter((r) => !(asap && r.rule === 'past'));
  const blocking = broken.filter((r) => r.rule === 'past' || !(f.public || override));
  if (blocking.length > 0) return { ok: false, refusals: blocking };
  return { ok: true, at: target, allowed: broken, notes: notesFor(rules, target, asap) };
}

function notesFor(rules: DisclosureRules, at: Date, asap: boolean): string[] {
  if (asap) return ['As soon as possible: the incident is public.'];
  const notes: string[] = [];
  const t = DateTime.fromJSDate(at, { zone: 'utc' });
  if (t.hour !== rules.slot.hourUtc || t.minute !== 0) {
    notes.push(`Not the recommended ${rules.slot.hourUtc}:00 UTC.`);
  }
  const pt = describeTime(at);
  if (t.hour === 16 && t.minute === 0 && !pt.ninePt) {
    notes.push(
      `16:00 UTC is ${pt.pacificTime} Pacific that day, not 9AM PT: the distributors' "at or after 9AM PT" is ${pt.ninePtUtc} UTC.`,
    );
  }
  return notes;
}

/** A time as each reader needs it: UTC, Pacific (with whether it is 9AM PT), and Slack's own date token. */
export function describeTime(at: Date) {
  const utc = DateTime.fromJSDate(at, { zone: 'utc' });
  const pt = DateTime.fromJSDate(at, { zone: PACIFIC });
  const nineAm = pt.set({ hour: 9, minute: 0, second: 0, millisecond: 0 }).setZone('utc');
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    utc: `${utc.toFormat('ccc yyyy-MM-dd HH:mm')} UTC`,
    pacific: `${pt.toFormat('ccc yyyy-MM-dd h:mma')} ${pt.offsetNameShort ?? 'PT'}`,
    pacificTime: `${pt.toFormat('h:mma')} ${pt.offsetNameShort ?? 'PT'}`,
    /** Slack shows each reader their own zone. */
    slack: `<!date^${seconds}^{date_long_pretty} at {time}|${utc.toFormat('yyyy-MM-dd HH:mm')} UTC>`,
    ninePt: pt.hour === 9 && pt.minute === 0,
    /** When 9AM Pacific falls that day, in UTC (16:00 in daylight time, 17:00 otherwise). */
    ninePtUtc: nineAm.toFormat('HH:mm'),
  };
}

/** One line: "Tue 2027-03-09 16:00 UTC · Tue 2027-03-09 8:00AM PST · <!date^…>". */
export function timeLine(at: Date): string {
  const d = describeTime(at);
  return `${d.slack} (${d.utc} · ${d.pacific})`;
}
