import { DateTime } from 'luxon';
import { isValidZone, parseClockTime } from './workingHours.js';

/**
 * The oncall rotation is stored as rules (who, in which order, handing off at which local wall-clock time in
 * which IANA zone) and the schedule is computed from them. Leaves and overrides are layered on top; the rules
 * are never edited to express a swap, so a swap can be undone and a roster edit cannot silently eat one.
 * Storing the local time plus a zone, never a UTC offset, is what keeps a DST change from moving or dropping
 * a shift (Grafana OnCall's most reported class of bug).
 */
export interface RotationRules {
  /** Slack user ids in rotation order (at least one). */
  order: string[];
  /** 1 = Monday … 7 = Sunday (ISO, like Luxon). */
  handoffWeekday: number;
  /** 'HH:mm' local wall-clock time in `zone`. */
  handoffTime: string;
  /** IANA zone, e.g. 'Europe/Berlin'. */
  zone: string;
  /** 'YYYY-MM-DD' local date in `zone` of shift 0's handoff day (must fall on `handoffWeekday`). */
  startDate: string;
}

/** A member's absence over [start, end); `replacement` covers their shifts instead of the rotation skipping them. */
export interface Leave {
  userId: string;
  start: Date;
  end: Date;
  replacement?: string | null;
}

/** The two oncall positions of every shift: primary owns what comes up, secondary backs them up. */
export type OncallPosition = 'primary' | 'secondary';

/** Gives one position to `userId` over [start, end), whatever the rotation says. */
export interface Override {
  id: string;
  position: OncallPosition;
  userId: string;
  start: Date;
  end: Date;
}

export interface Shift {
  index: number;
  start: Date;
  end: Date;
  primary: string | null;
  secondary: string | null;
}

export interface Segment {
  start: Date;
  end: Date;
  primary: string | null;
  secondary: string | null;
  shiftIndex: number;
  /** Id of the override that set the position over this segment, null when the rotation did. */
  primaryOverride: string | null;
  secondaryOverride: string | null;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** How far onCallAt looks for the next change of hands: about a year, longer than any leave (3 months). */
const LOOKAHEAD_SHIFTS = 53;

export function validateRules(r: RotationRules): string[] {
  const problems: string[] = [];
  if (r.order.length === 0) problems.push('The rotation has nobody in it; add at least one member.');
  const seen = new Set<string>();
  for (const id of r.order) {
    if (seen.has(id)) problems.push(`${id} is listed more than once in the rotation order.`);
    seen.add(id);
  }
  const weekdayOk = Number.isInteger(r.handoffWeekday) && r.handoffWeekday >= 1 && r.handoffWeekday <= 7;
  if (!weekdayOk) problems.push('The handoff weekday must be 1 (Monday) to 7 (Sunday).');
  if (!parseClockTime(r.handoffTime)) {
    problems.push(`The handoff time "${r.handoffTime}" is not a 24-hour HH:mm time such as 09:00.`);
  }
  if (!isValidZone(r.zone)) {
    problems.push(`"${r.zone}" is not a time zone I know; use an IANA name such as Europe/Berlin.`);
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(r.startDate)
    ? DateTime.fromISO(r.startDate, { zone: 'UTC' })
    : null;
  if (!date?.isValid) {
    problems.push(`The start date "${r.startDate}" is not a real date in YYYY-MM-DD form.`);
  } else if (weekdayOk && date.weekday !== r.handoffWeekday) {
    problems.push(
      `The start date ${r.startDate} is a ${WEEKDAYS[date.weekday - 1]}, ` +
        `but handoffs happen on ${WEEKDAYS[r.handoffWeekday - 1]}s.`,
    );
  }
  return problems;
}

/** Anchors by rules, since resolving a date in an IANA zone is the costly part of every shift lookup. */
const anchors = new Map<string, DateTime>();

function anchor(r: RotationRules): DateTime {
  const key = `${r.startDate}|${r.handoffTime}|${r.zone}`;
  const known = anchors.get(key);
  if (known) return known;
  const start = parseClockTime(r.handoffTime);
  const dt = start ? DateTime.fromISO(r.startDate, { zone: r.zone }).set(start) : null;
  if (!dt?.isValid) throw new RangeError(`Invalid rotation rules: ${validateRules(r).join(' ')}`);
  // A deployment has one rotation (a few over its life); the bound only guards against misuse.
  if (anchors.size >= 64) anchors.clear();
  anchors.set(key, dt);
  return dt;
}

/**
 * Adds whole weeks in local time from shift 0, so every shift starts at the local handoff time and the
 * shifts spanning a DST change are 167 h or 169 h long. A handoff time inside a DST gap is pushed forward
 * by the gap, as Luxon does.
 */
export function shiftStart(r: RotationRules, index: number): Date {
  return new Date(startMillis(r, index));
}

/** Shift starts by rules and index: the weeks around now are asked for at every report and tick. */
const starts = new Map<string, number>();

function startMillis(r: RotationRules, index: number): number {
  const key = `${r.startDate}|${r.handoffTime}|${r.zone}|${index}`;
  let ms = starts.get(key);
  if (ms === undefined) {
    ms = anchor(r).plus({ weeks: index }).toMillis();
    // Bounded: a deployment asks about a few dozen weeks at a time.
    if (starts.size >= 4096) starts.clear();
    starts.set(key, ms);
  }
  return ms;
}

export function shiftIndexAt(r: RotationRules, at: Date): number {
  const base = anchor(r);
  const startOf = (k: number) => startMillis(r, k);
  // A UTC estimate is off by at most one because offsets change by hours, not weeks.
  let k = Math.floor((at.getTime() - base.toMillis()) / WEEK_MS);
  while (startOf(k) > at.getTime()) k--;
  while (startOf(k + 1) <= at.getTime()) k++;
  return k;
}

interface Span {
  start: Date;
  end: Date;
}

/** Half-open overlap; an empty or inverted span overlaps nothing. */
function overlaps(a: Span, start: Date, end: Date): boolean {
  return a.start < a.end && a.start < end && start < a.end;
}

function isAway(leaves: Leave[], userId: string, start: Date, end: Date): boolean {
  return leaves.some((l) => l.userId === userId && overlaps(l, start, end));
}

/** Who serves for `member` over a shift: themselves, their leave's replacement, or nobody (skip them). */
function standIn(leaves: Leave[], member: string, start: Date, end: Date): string | null {
  const away = leaves.filter((l) => l.userId === member && overlaps(l, start, end));
  if (away.length === 0) return member;
  for (const leave of away) {
    if (leave.replacement && !isAway(leaves, leave.replacement, start, end)) return leave.replacement;
  }
  return null;
}

function assign(r: RotationRules, leaves: Leave[], index: number, start: Date, end: Date) {
  const n = r.order.length;
  const first = ((index % n) + n) % n;
  const picked: string[] = [];
  // Leave anywhere in the shift skips the person for the whole shift: a half-covered week helps nobody.
  for (let i = 0; i < n && picked.length < 2; i++) {
    const holder = standIn(leaves, r.order[(first + i) % n] as string, start, end);
    if (holder !== null && !picked.includes(holder)) picked.push(holder);
  }
  return { primary: picked[0] ?? null, secondary: picked[1] ?? null };
}

export function baseShifts(r: RotationRules, leaves: Leave[], from: Date, to: Date): Shift[] {
  const shifts: Shift[] = [];
  if (from >= to) return shifts;
  let index = shiftIndexAt(r, from);
  let start = shiftStart(r, index);
  while (start < to) {
    const end = shiftStart(r, index + 1);
    shifts.push({ index, start, end, ...assign(r, leaves, index, start, end) });
    index++;
    start = end;
  }
  return shifts;
}

/** The override holding `position` over [start, end): the last one in the array wins, like a higher layer. */
function topOverride(
  overrides: Override[],
  position: OncallPosition,
  start: Date,
  end: Date,
): Override | undefined {
  return overrides.findLast((o) => o.position === position && overlaps(o, start, end));
}

/**
 * The schedule people actually follow: base shifts carved by overrides, clipped to [from, to). An override
 * may make primary and secondary the same person; it is applied as given and the service warns about it.
 */
export function finalSchedule(
  r: RotationRules,
  leaves: Leave[],
  overrides: Override[],
  from: Date,
  to: Date,
): Segment[] {
  const relevant = overrides.filter((o) => overlaps(o, from, to));
  const segments: Segment[] = [];
  for (const shift of baseShifts(r, leaves, from, to)) {
    const lo = Math.max(shift.start.getTime(), from.getTime());
    const hi = Math.min(shift.end.getTime(), to.getTime());
    const cuts = new Set([lo, hi]);
    for (const o of relevant) {
      for (const t of [o.start.getTime(), o.end.getTime()]) if (t > lo && t < hi) cuts.add(t);
    }
    const times = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < times.length; i++) {
      const start = new Date(times[i] as number);
      const end = new Date(times[i + 1] as number);
      const p = topOverride(relevant, 'primary', start, end);
      const s = topOverride(relevant, 'secondary', start, end);
      const next: Segment = {
        start,
        end,
        primary: p ? p.userId : shift.primary,
        secondary: s ? s.userId : shift.secondary,
        shiftIndex: shift.index,
        primaryOverride: p?.id ?? null,
        secondaryOverride: s?.id ?? null,
      };
      const last = segments.at(-1);
      if (last && sameHands(last, next)) last.end = end;
      else segments.push(next);
    }
  }
  return segments;
}

function sameHands(a: Segment, b: Segment): boolean {
  return (
    a.end.getTime() === b.start.getTime() &&
    a.primary === b.primary &&
    a.secondary === b.secondary &&
    a.shiftIndex === b.shiftIndex &&
    a.primaryOverride === b.primaryOverride &&
    a.secondaryOverride === b.secondaryOverride
  );
}

/** Who holds each position at `at`: one shift's schedule, for when the next change of hands does not matter. */
export function onCallAtOnly(
  r: RotationRules,
  leaves: Leave[],
  overrides: Override[],
  at: Date,
): { primary: string | null; secondary: string | null } {
  const [now] = finalSchedule(r, leaves, overrides, at, new Date(at.getTime() + 1));
  return { primary: now?.primary ?? null, secondary: now?.secondary ?? null };
}

/**
 * Who holds each position at `at`, and `until` when that pair next changes hands (a shift boundary or an
 * override edge; a handoff to the same pair does not count). If nothing changes within about a year (a
 * one-person rotation), `until` is the end of that look-ahead.
 */
export function onCallAt(
  r: RotationRules,
  leaves: Leave[],
  overrides: Override[],
  at: Date,
): { primary: string | null; secondary: string | null; until: Date; shiftIndex: number } {
  const first = shiftIndexAt(r, at);
  // Most pairs change hands at the next handoff: two shifts ahead is enough to see it, and costs a
  // fraction of a year of shifts (each one's start is a time-zone computation). A window's segments are
  // a prefix of a longer window's, so a change seen early is the same change.
  for (const ahead of [2, LOOKAHEAD_SHIFTS]) {
    const horizon = shiftStart(r, first + ahead);
    const segments = finalSchedule(r, leaves, overrides, at, horizon);
    const now = segments[0] as Segment;
    const change = segments.find((s) => s.primary !== now.primary || s.secondary !== now.secondary);
    if (change || ahead === LOOKAHEAD_SHIFTS) {
      return {
        primary: now.primary,
        secondary: now.secondary,
        until: change?.start ?? horizon,
        shiftIndex: now.shiftIndex,
      };
    }
  }
  throw new Error('unreachable: the last look-ahead always answers');
}

/** An existing override for the same position whose time overlaps the candidate's, if any. */
export function overlapsExisting(
  overrides: Override[],
  candidate: Omit<Override, 'id'>,
): Override | undefined {
  return overrides.find(
    (o) =>
      o.position === candidate.position &&
      candidate.start < candidate.end &&
      overlaps(o, candidate.start, candidate.end),
  );
}

/**
 * Shifts missing a primary or a secondary because too many people are on leave. A one-person rotation has
 * no secondary at all, so every one of its shifts is listed.
 */
export function uncoveredShifts(r: RotationRules, leaves: Leave[], from: Date, to: Date): Shift[] {
  return baseShifts(r, leaves, from, to).filter((s) => s.primary === null || s.secondary === null);
}
