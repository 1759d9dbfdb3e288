import { DateTime } from 'luxon';
import type { CommitteeRules } from './profiles/index.js';

/**
 * Where someone stands on the committee. Members hold the seats, count towards the goal and take turns as Fix
 * Lead; associates are on their way in (the documents' "role for those wishing to join").
 */
export type Membership = 'member' | 'associate';
export interface CommitteeMember {
  userId: string;
  membership: Membership;
  company: string | null;
  joinedAt: Date;
}
/** `end` is exclusive: the member is back at `end`. */
export interface MemberLeave {
  userId: string;
  start: Date;
  end: Date;
  replacement: string | null;
}

/** One change to the roster, as audited; replaying them gives the roster at any time. */
export type RosterChange =
  | { at: Date; type: 'added'; userId: string; membership: Membership; company: string | null }
  | { at: Date; type: 'removed'; userId: string }
  | { at: Date; type: 'membership_changed'; userId: string; membership: Membership }
  | { at: Date; type: 'company_changed'; userId: string; company: string | null };

/** Members with no company are grouped under this name and never count as over the limit. */
export const UNAFFILIATED = 'unaffiliated';

// ── Roster replay ────────────────────────────────────────────────────────────────────────────────────────────

type Roster = Map<string, CommitteeMember>;

function apply(roster: Roster, change: RosterChange): void {
  const current = roster.get(change.userId);
  switch (change.type) {
    case 'added':
      // A repeated 'added' without a removal is an update; the member keeps the date they first joined.
      roster.set(change.userId, {
        userId: change.userId,
        membership: change.membership,
        company: change.company,
        joinedAt: current?.joinedAt ?? change.at,
      });
      return;
    case 'removed':
      roster.delete(change.userId);
      return;
    // Changes for someone not on the roster are ignored: an audit can record an edit racing a removal.
    case 'membership_changed':
      if (current) roster.set(change.userId, { ...current, membership: change.membership });
      return;
    case 'company_changed':
      if (current) roster.set(change.userId, { ...current, company: change.company });
      return;
  }
}

/**
 * The roster after each instant at which it changed, up to and including `until`. Changes sharing an instant
 * are applied together (in input order), so a swap made at one moment is never seen half done.
 */
function* replay(changes: RosterChange[], until: Date): Generator<{ at: Date; roster: Roster }> {
  const sorted = changes.filter((c) => c.at <= until).sort((a, b) => a.at.getTime() - b.at.getTime());
  const roster: Roster = new Map();
  for (const [i, change] of sorted.entries()) {
    apply(roster, change);
    const next = sorted[i + 1];
    if (!next || next.at.getTime() !== change.at.getTime()) yield { at: change.at, roster };
  }
}

/** The committee as it stood at `at`, in join order. */
export function rosterAt(changes: RosterChange[], at: Date): CommitteeMember[] {
  let roster: Roster = new Map();
  for (const step of replay(changes, at)) roster = step.roster;
  return [...roster.values()].sort(
    (a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || compare(a.userId, b.userId),
  );
}

// ── Company representation ───────────────────────────────────────────────────────────────────────────────────

export interface CompanyShare {
  company: string;
  members: number;
  share: number;
}

/** Seats per company, largest first. Associates are not members, so they hold no seat. */
export function companyShares(roster: CommitteeMember[]): CompanyShare[] {
  const members = roster.filter((m) => m.membership === 'member');
  const counts = new Map<string, number>();
  for (const m of members) {
    const company = m.company ?? UNAFFILIATED;
    counts.set(company, (counts.get(company) ?? 0) + 1);
  }
  return [...counts]
    .map(([company, n]) => ({ company, members: n, share: n / members.length }))
    .sort((a, b) => b.members - a.members || compare(a.company, b.company));
}

// "1/2 maximal representation" allows exactly half, so only a larger share is over; the epsilon keeps
// 2 of 6 from reading as over 1/3 because of floating point.
function isOver(share: CompanyShare, maxShare: number): boolean {
  return share.company !== UNAFFILIATED && share.share > maxShare + 1e-9;
}

/** When the company's current, uninterrupted run over `maxShare` began; null if it is not over now. */
export function overShareSince(
  changes: RosterChange[],
  company: string,
  maxShare: number,
  now: Date,
): Date | null {
  let since: Date | null = null;
  for (const { at, roster } of replay(changes, now)) {
    const share = companyShares([...roster.values()]).find((s) => s.company === company);
    const over = share !== undefined && isOver(share, maxShare);
    since = over ? (since ?? at) : null;
  }
  return since;
}

// ── Warnings ─────────────────────────────────────────────────────────────────────────────────────────────────

export type CommitteeWarning =
  | { kind: 'below_goal'; members: number; goal: number; message: string }
  | {
      kind: 'company_over_share';
      company: string;
      share: number;
      max: number;
      since: Date;
      /** Whole calendar months over the share so far. */
      months: number;
      /** True once the run is longer than the rules' `maxMonthsOverShare` (to the day, not whole months). */
      overLimit: boolean;
      message: string;
    }
  | { kind: 'long_leave_without_replacement'; userId: string; start: Date; end: Date; message: string }
  | { kind: 'leave_too_long'; userId: string; months: number; message: string }
  | { kind: 'inactive'; userId: string; since: Date; message: string };

/** How far ahead a planned leave is flagged, so a replacement can be found before it starts. */
const LEAVE_LOOKAHEAD_DAYS = 30;

/**
 * Every rule in `rules` (a process profile's `committee`) that the committee breaks at `now`.
 * Months are calendar months in UTC (luxon), so a leave from 31 January lasts a month on 28 February. Leave
 * rules are about members; associates are not members.
 */
export function committeeWarnings(
  changes: RosterChange[],
  leaves: MemberLeave[],
  rules: CommitteeRules,
  now: Date,
): CommitteeWarning[] {
  const roster = rosterAt(changes, now);
  const memberIds = new Set(roster.filter((m) => m.membership === 'member').map((m) => m.userId));
  const warnings: CommitteeWarning[] = [];

  if (memberIds.size < rules.memberGoal) {
    const message = `Only ${memberIds.size} member${plural(memberIds.size)}; the committee's goal is at least ${rules.memberGoal}.`;
    warnings.push({ kind: 'below_goal', members: memberIds.size, goal: rules.memberGoal, message });
  }

  for (const share of companyShares(roster)) {
    if (!isOver(share, rules.maxCompanyShare)) continue;
    warnings.push(overShareWarning(changes, share, memberIds.size, rules, now));
  }

  const horizon = utc(now).plus({ days: LEAVE_LOOKAHEAD_DAYS });
  const relevant = leaves
    .filter((l) => memberIds.has(l.userId) && l.end > l.start && l.end > now && utc(l.start) <= horizon)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const leave of relevant) warnings.push(...leaveWarnings(leave, rules, now));
  return warnings;
}

function overShareWarning(
  changes: RosterChange[],
  share: CompanyShare,
  seats: number,
  rules: CommitteeRules,
  now: Date,
): CommitteeWarning {
  const max = rules.maxCompanyShare;
  const limit = rules.maxMonthsOverShare;
  // The replay that found the share over now also finds a start for the run; `now` is only a type fallback.
  const since = overShareSince(changes, share.company, max, now) ?? now;
  const months = Math.floor(utc(now).diff(utc(since), 'months').months);
  const overLimit = limit !== null && utc(since).plus({ months: limit }) < utc(now);
  const duration = months < 1 ? 'less than a month' : `${months} month${plural(months)}`;
  const head =
    `${share.company} holds ${share.members} of ${seats} member seats (${percent(share.share)}), ` +
    `above the ${fraction(max)} maximum, for ${duration}`;
  const tail = limit === null ? '.' : overLimit ? `, past the ${limit}-month limit.` : ` (limit ${limit}).`;
  return {
    kind: 'company_over_share',
    company: share.company,
    share: share.share,
    max,
    since,
    months,
    overLimit,
    message: head + tail,
  };
}

function leaveWarnings(leave: MemberLeave, rules: CommitteeRules, now: Date): CommitteeWarning[] {
  const { userId, start, end } = leave;
  const from = utc(start);
  const verb = start <= now ? 'is' : 'will be';
  const span = describeSpan(start, end);
  const warnings: CommitteeWarning[] = [];
  if (leave.replacement === null && from.plus({ months: rules.leaveNeedsCoordinationMonths }) <= utc(end)) {
    const message =
      `<@${userId}> ${verb} on leave for ${span} from ${isoDate(start)} with no replacement named; ` +
      `leaves of ${monthsText(rules.leaveNeedsCoordinationMonths)} or more need one.`;
    warnings.push({ kind: 'long_leave_without_replacement', userId, start, end, message });
  }
  const maxMonths = rules.maxLeaveMonthsWithReplacement;
  if (from.plus({ months: maxMonths }) < utc(end)) {
    const months = Math.floor(utc(end).diff(from, 'months').months);
    const message =
      `<@${userId}> ${verb} on leave for ${span} (${isoDate(start)} to ${isoDate(end)}), ` +
      `longer than the ${maxMonths} months the process allows with a temporary replacement.`;
    warnings.push({ kind: 'leave_too_long', userId, months, message });
  }
  return warnings;
}

/** When someone on the committee last did anything in srp (or joined it, if they never did). */
export interface Activity {
  userId: string;
  lastActiveAt: Date | null;
  addedAt: Date;
}

/**
 * Members who have done nothing in srp for longer than `afterMs` and recorded no leave in that time: both
 * documents ask members to remove those who "cannot be reached for more than 1 month". srp flags them;
 * removing someone stays a decision of the members.
 */
export function inactiveWarnings(
  activity: readonly Activity[],
  leaves: readonly MemberLeave[],
  rule: { afterMs: number; quote: string },
  now: Date,
): CommitteeWarning[] {
  const out: CommitteeWarning[] = [];
  for (const a of activity) {
    const since = a.lastActiveAt && a.lastActiveAt > a.addedAt ? a.lastActiveAt : a.addedAt;
    if (now.getTime() - since.getTime() <= rule.afterMs) continue;
    // A leave recorded for any part of the silence explains it.
    if (leaves.some((l) => l.userId === a.userId && l.end > since && l.start < now)) continue;
    const message = `<@${a.userId}> has done nothing in srp since ${isoDate(since)} and has no leave recorded: “${rule.quote}”`;
    out.push({ kind: 'inactive', userId: a.userId, since, message });
  }
  return out;
}

// ── Leaves ───────────────────────────────────────────────────────────────────────────────────────────────────

export function isOnLeave(leaves: MemberLeave[], userId: string, at: Date): boolean {
  return leaves.some((l) => l.userId === userId && l.start <= at && at < l.end);
}

function overlaps(a: MemberLeave, b: MemberLeave): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Problems with a leave about to be recorded, as sentences; empty when it is fine. `existing` holds the other
 * recorded leaves (leave out the one being edited, or it overlaps itself).
 */
export function validateLeave(
  leave: MemberLeave,
  roster: CommitteeMember[],
  existing: MemberLeave[],
): string[] {
  const errors: string[] = [];
  const onCommittee = new Set(roster.map((m) => m.userId));
  const { userId, replacement } = leave;
  if (!(leave.end > leave.start)) errors.push('The leave must end after it starts.');
  if (!onCommittee.has(userId)) errors.push(`<@${userId}> is not on the committee.`);
  if (replacement === userId) {
    errors.push(`<@${userId}> cannot be their own replacement.`);
  } else if (replacement !== null) {
    if (!onCommittee.has(replacement))
      errors.push(`The replacement <@${replacement}> is not on the committee.`);
    const away = existing.find((l) => l.userId === replacement && overlaps(l, leave));
    if (away) {
      errors.push(
        `The replacement <@${replacement}> is on leave from ${isoDate(away.start)} to ${isoDate(away.end)}, during this leave.`,
      );
    }
  }
  const clash = existing.find((l) => l.userId === userId && overlaps(l, leave));
  if (clash) {
    errors.push(
      `<@${userId}> already has a leave from ${isoDate(clash.start)} to ${isoDate(clash.end)} that overlaps this one.`,
    );
  }
  return errors;
}

// ── Wording ──────────────────────────────────────────────────────────────────────────────────────────────────

function utc(d: Date): DateTime {
  return DateTime.fromJSDate(d, { zone: 'utc' });
}

function isoDate(d: Date): string {
  return utc(d).toISODate() ?? d.toISOString();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

function monthsText(n: number): string {
  return n === 1 ? 'a month' : `${n} months`;
}

/** "2 months", "1 month 5 days", "12 days": a leave's length as people say it. */
function describeSpan(from: Date, to: Date): string {
  const { months = 0, days = 0 } = utc(to).diff(utc(from), ['months', 'days']).toObject();
  const d = Math.floor(days);
  const parts = [months ? `${months} month${plural(months)}` : '', d ? `${d} day${plural(d)}` : ''];
  return parts.filter(Boolean).join(' ') || 'less than a day';
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** 0.5 → "1/2", 1/3 → "1/3": the way the documents write the share; other values as a percentage. */
function fraction(share: number): string {
  if (share >= 1) return '100%';
  for (let d = 2; d <= 12; d++) {
    const n = share * d;
    if (Math.abs(n - Math.round(n)) < 1e-9) return `${Math.round(n)}/${d}`;
  }
  return percent(share);
}

/**
 * How someone stands towards the committee, most first: a member, an associate, one of the project's
 * Release Managers (who see incidents from their release on), on the Fix Team of an open incident without
 * being any of those, or nobody in particular (who may still report).
 */
export type Standing = 'member' | 'associate' | 'release_manager' | 'fix_team' | 'anyone';
