import { DateTime } from 'luxon';
import { PHASES, type Phase } from './phases.js';
import type { Owner, PhaseRules, StepRule } from './profiles/types.js';
import type { Rating } from './severity.js';
import { nextWorkingTime, type WorkingHours } from './workingHours.js';

/**
 * An incident's schedule: each step of its process with its deadline, counted as the profile says from the
 * disclosure (the report's received time) or from the release date, moved where the Fix Lead moved it, and
 * brought forward to "now" once the disclosure is public ("all timelines become ASAP"). Which nudges are
 * due follows from it. Pure: the store reads the facts, this decides, the scheduler stores what is due.
 */

const DAY_MS = 86_400_000;

/** What srp recorded about one step (a row of `incident_steps`). */
export interface StepRecord {
  outcome: 'done' | 'skipped' | null;
  outcomeAt: Date | null;
  outcomeBy: string | null;
  outcomeReason: string | null;
  dueAt: Date | null;
  dueMovedBy: string | null;
  dueMovedAt: Date | null;
  dueReason: string | null;
}

/** The facts an incident's schedule depends on. */
export interface ScheduleFacts {
  phase: Phase;
  receivedAt: Date;
  publicAt: Date | null;
  fixTeamSize: number;
  hasCvss: boolean;
  hasFinalRating: boolean;
  hasCve: boolean;
  /** The advisory went out (the disclosure's own record says so). */
  published: boolean;
  /** Distributors get notice under this process for this incident; null while it cannot be told (no rating). */
  distributorNotice: boolean | null;
  records: Readonly<Record<string, StepRecord>>;
}

export type StepState = 'done' | 'skipped' | 'not_applicable' | 'upcoming' | 'due_soon' | 'overdue';

export interface StepStatus {
  rule: StepRule;
  state: StepState;
  /** The deadline as it stands: the profile's or a moved one, or the moment it became public (ASAP). */
  dueAt: Date;
  /** Made due at once by a public disclosure. */
  asap: boolean;
  /** When the "due soon" nudge is due; equal to `dueAt` when there is none (ASAP). */
  soonAt: Date;
  /** Done or skipped: when, by whom (`srp` when a fact made it done), why. */
  outcome?: { at: Date | null; by: string; reason: string | null };
  moved?: { by: string; at: Date; reason: string };
}

export interface Schedule {
  steps: StepStatus[];
  /** The release date other steps count from: the release step's deadline, as moved. */
  releaseAt: Date;
}

/** A step with a fact srp sees behind it is done when the fact holds. */
function autoDone(rule: StepRule, f: ScheduleFacts): boolean {
  if (rule.done === 'by_person') return false;
  switch (rule.done.auto) {
    case 'fix_team_added':
      return f.fixTeamSize > 0;
    case 'cvss_scored':
      return f.hasCvss;
    case 'final_rating':
      return f.hasFinalRating;
    case 'cve_assigned':
      return f.hasCve;
    case 'published':
      return f.published;
  }
}

function applies(rule: StepRule, f: ScheduleFacts): boolean {
  if (rule.when === 'has_cve') return f.hasCve;
  if (rule.when === 'distributor_notice') return f.distributorNotice === true;
  return true;
}

/** The profile's deadline for a step, and where its window opens, before any move or ASAP. */
function plannedWindow(rule: StepRule, receivedAt: Date, releaseAt: Date): { due: number; opens: number } {
  const origin = rule.due.from === 'disclosure' ? receivedAt.getTime() : releaseAt.getTime();
  return { due: origin + rule.due.days * DAY_MS, opens: origin + (rule.due.opensDays ?? 0) * DAY_MS };
}

/** How long before a deadline its "due soon" nudge comes: the step's own lead, else a share of its window. */
export function leadTime(rule: StepRule, windowMs: number, nudges: PhaseRules['nudges']): number {
  return rule.leadMs ?? Math.max(nudges.minLeadMs, Math.round(windowMs * nudges.leadShare));
}

/** Every step with its deadline and state at `now`. */
export function schedule(rules: PhaseRules, f: ScheduleFacts, now: Date): Schedule {
  const releaseRule = rules.steps.find((s) => s.id === rules.releaseStep);
  if (releaseRule?.due.from !== 'disclosure') {
    throw new Error(`the release step "${rules.releaseStep}" must exist and count from the disclosure`);
  }
  const releaseAt =
    f.records[releaseRule.id]?.dueAt ?? new Date(plannedWindow(releaseRule, f.receivedAt, f.receivedAt).due);
  const steps = rules.steps.map((rule): StepStatus => {
    const record = f.records[rule.id];
    const window = plannedWindow(rule, f.receivedAt, releaseAt);
    const moved =
      record?.dueAt && record.dueMovedBy && record.dueMovedAt
        ? { by: record.dueMovedBy, at: record.dueMovedAt, reason: record.dueReason ?? '' }
        : undefined;
    const planned = record?.dueAt?.getTime() ?? window.due;
    // Public makes it due at once, unless the deadline was moved after it became public: the Fix Lead's
    // new date for a public incident is the date.
    const asap =
      f.publicAt !== null &&
      planned > f.publicAt.getTime() &&
      !(moved && moved.at.getTime() >= f.publicAt.getTime());
    const dueAt = new Date(asap ? (f.publicAt as Date).getTime() : planned);
    const soonAt = asap
      ? dueAt
      : new Date(planned - leadTime(rule, Math.max(0, planned - window.opens), rules.nudges));
    const base = { rule, dueAt, asap, soonAt, ...(moved ? { moved } : {}) };
    if (record?.outcome) {
      return {
        ...base,
        state: record.outcome,
        outcome: { at: record.outcomeAt, by: record.outcomeBy ?? 'srp', reason: record.outcomeReason },
      };
    }
    if (autoDone(rule, f)) return { ...base, state: 'done', outcome: { at: null, by: 'srp', reason: null } };
    if (!applies(rule, f)) return { ...base, state: 'not_applicable' };
    const t = now.getTime();
    const state = t >= dueAt.getTime() ? 'overdue' : t >= soonAt.getTime() ? 'due_soon' : 'upcoming';
    return { ...base, state };
  });
  return { steps, releaseAt };
}

export const isOpenStep = (s: StepStatus) =>
  s.state === 'upcoming' || s.state === 'due_soon' || s.state === 'overdue';

/** The earliest deadline among open steps, or undefined when none is open. */
export function nextDeadline(s: Schedule): StepStatus | undefined {
  let best: StepStatus | undefined;
  for (const step of s.steps) {
    if (isOpenStep(step) && (!best || step.dueAt < best.dueAt)) best = step;
  }
  return best;
}

export const overdueSteps = (s: Schedule) => s.steps.filter((x) => x.state === 'overdue');

/**
 * The open steps of the phases an incident leaves when it moves to `to`: moving past them skips them, which
 * needs a reason. Going back (or closing without a fix) leaves nothing behind.
 */
export function stepsLeftBehind(s: Schedule, from: Phase, to: Phase): StepStatus[] {
  const toIndex = PHASES.indexOf(to);
  if (toIndex <= PHASES.indexOf(from)) return [];
  return s.steps.filter((x) => isOpenStep(x) && PHASES.indexOf(x.rule.phase) < toIndex);
}

/** A nudge: before a deadline ("due soon") or once it has passed ("overdue"), possibly repeated. */
export type NudgeKind = 'soon' | 'overdue';

export interface PlannedNudge {
  step: string;
  kind: NudgeKind;
  /** When the nudge is due. */
  at: Date;
  /** The deadline it is about: a moved deadline is another nudge, and this one becomes obsolete. */
  deadline: Date;
}

/**
 * The nudges an incident's schedule makes: for each open step, "due soon" before its deadline (none when
 * it is ASAP) and "overdue" when it passes. Repeats of an overdue nudge are planned as each one is sent.
 * A closed incident nudges nobody.
 */
export function plannedNudges(phase: Phase, s: Schedule): PlannedNudge[] {
  if (phase === 'closed') return [];
  const out: PlannedNudge[] = [];
  for (const step of s.steps) {
    if (!isOpenStep(step)) continue;
    if (!step.asap && step.soonAt < step.dueAt) {
      out.push({ step: step.rule.id, kind: 'soon', at: step.soonAt, deadline: step.dueAt });
    }
    out.push({ step: step.rule.id, kind: 'overdue', at: step.dueAt, deadline: step.dueAt });
  }
  return out;
}

/**
 * Whether a nudge planned earlier still says something true at `now`: its step is still open with the same
 * deadline, and a "due soon" one comes before that deadline (one that passed while srp was down is not sent;
 * the overdue one is).
 */
export function nudgeStillDue(
  phase: Phase,
  s: Schedule,
  n: { step: string; nudge: NudgeKind; deadline: number },
  now: Date,
): StepStatus | undefined {
  if (phase === 'closed') return undefined;
  const step = s.steps.find((x) => x.rule.id === n.step);
  if (!step || !isOpenStep(step) || step.dueAt.getTime() !== n.deadline) return undefined;
  if (n.nudge === 'soon' && now >= step.dueAt) return undefined;
  return step;
}

/** The rating staleness counts by: the final call, else the questionnaire's, else CVSS's. */
export function effectiveRating(r: {
  final: Rating | null;
  questionnaire: Rating | null;
  cvss: Rating | null;
}): Rating | null {
  return r.final ?? r.questionnaire ?? r.cvss;
}

/**
 * How long an incident may go without a timeline event before its commander is pinged. An unrated incident
 * counts as Medium until someone rates it: quiet for a month is worth a word whatever it turns out to be.
 */
export function stalenessLimit(rules: PhaseRules, rating: Rating | null): number | null {
  return rules.staleness.limits[rating ?? 'Medium'];
}

/** The `nth` staleness ping after the last event: one per staleness period while nothing happens. */
export function stalePingAt(lastEventAt: Date, limitMs: number, nth: number): Date {
  return new Date(lastEventAt.getTime() + nth * limitMs);
}

/**
 * When a nudge may reach people with these working hours: now when it is urgent (public, or rated Critical)
 * or one of them is working (or someone has no working hours on record), else the earliest start of anyone's
 * next working period.
 */
export function deliveryTime(now: Date, hours: readonly (WorkingHours | null)[], urgent: boolean): Date {
  if (urgent || hours.length === 0 || hours.some((h) => h === null)) return now;
  let best: Date | undefined;
  for (const h of hours as WorkingHours[]) {
    const at = nextWorkingTime(h, now);
    if (!best || at < best) best = at;
  }
  return best ?? now;
}

/**
 * When an overdue nudge sent at `now` is repeated: at the start of the next working day (of whoever
 * starts first), or a day later when it is urgent or nobody's hours are known. At most once a working day.
 */
export function nextRepeat(now: Date, hours: readonly (WorkingHours | null)[], urgent: boolean): Date {
  const dayLater = new Date(now.getTime() + DAY_MS);
  if (urgent || hours.length === 0 || hours.some((h) => h === null)) return dayLater;
  let best: Date | undefined;
  for (const h of hours as WorkingHours[]) {
    const at = nextWorkingTime(h, startOfNextLocalDay(h.zone, now));
    if (!best || at < best) best = at;
  }
  return best ?? dayLater;
}

/** Midnight starting the next day in `zone` (Luxon resolves DST: a day may be 23 or 25 hours long). */
function startOfNextLocalDay(zone: string, at: Date): Date {
  return DateTime.fromJSDate(at, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
}

/**
 * Who a step's nudges go to: its owner's holder, falling back to the Fix Lead and then the commander when
 * the owner is nobody yet (no Fix Team, no Release Managers, a 2018 role nobody was given).
 */
export function responsible(
  owner: Owner,
  holders: {
    commander: string | null;
    fixLead: string | null;
    fixTeam: readonly string[];
    releaseManagers: readonly string[];
    perIncident: Partial<Record<Owner, string | null>>;
  },
): string[] {
  const fallback = holders.fixLead ?? holders.commander;
  const one = (u: string | null | undefined) => (u ? [u] : fallback ? [fallback] : []);
  switch (owner) {
    case 'commander':
      return holders.commander ? [holders.commander] : one(holders.fixLead);
    case 'fix_lead':
      return one(holders.fixLead);
    case 'fix_team':
      return holders.fixTeam.length ? [...holders.fixTeam] : one(null);
    case 'release_managers':
      return holders.releaseManagers.length ? [...holders.releaseManagers] : one(null);
    default:
      return one(holders.perIncident[owner]);
  }
}
