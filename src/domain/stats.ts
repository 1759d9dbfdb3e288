import { type StepRecord, schedule } from './deadlines.js';
import { PHASE_NAME, PHASES, type Phase } from './phases.js';
import type { ProcessProfile, StepRule } from './profiles/types.js';
import { ARRIVAL_CHANNELS, type Arrival } from './report.js';
import { RATINGS, type Rating } from './severity.js';
import { asRating, type SeverityFacts, severityState } from './severityState.js';

/**
 * How the committee did over a period: `npx srp stats` and `/srp stats` both show what `computeStats`
 * works out, formatted by `statsFigures` and `statsText`, so the terminal and Slack never disagree. Pure:
 * the store reads the facts of the incidents received in the period (one query per table), this decides.
 *
 * Definitions (the README's "Stats" section says the same):
 * - The period: incidents *received* (the report's received time) at or after `since` and before `until`.
 *   Facts recorded after `until` are left out, so a period's figures are what srp knew at its end.
 * - Severity: the final rating, else the questionnaire's, else the CVSS rating, else "unrated".
 * - Report to triage: received → the first move out of Triage into a later phase (accepting it; a report
 *   closed from Triage was never accepted and has no triage time).
 * - Report to fix: received → the first move into a phase after Development (Disclosure planning or
 *   later): the fix is done when its incident leaves Development. The same in every process profile.
 * - Report to publication: received → the announcement's publication (`disclosures.published_at`).
 * - Median and 90th percentile are nearest-rank percentiles (`percentile`).
 * - Deadlines met, per phase of the process profile: every step of each incident, with its deadline as
 *   srp's schedule has it (moved, or made ASAP by a public disclosure). A step done at or before its
 *   deadline is met, done after it is missed, still open past it is missed. Excluded: open steps not yet
 *   due, skipped and not-applicable steps, the open steps of a closed incident (it ended without them),
 *   and a step done by a fact whose time srp cannot tell.
 * - Distributor notice lead time: the announcement's publication minus the notice's sent time, per
 *   notice (advance, release day), over the published incidents that recorded it: median and minimum.
 */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The default period: the last 365 days. */
export const DEFAULT_PERIOD_DAYS = 365;

// ---------------------------------------------------------------------------------------------------------
// Percentiles

/**
 * The nearest-rank `p`-th percentile (0 < p ≤ 100) of `values`: sorted ascending, the value at rank
 * ⌈p/100 × n⌉ (1-based). Always one of the values, never an interpolation; undefined for no values.
 * So the median (p = 50) of an even count is the lower of the two middle values: of [1, 2, 3, 4] it is 2;
 * the 90th percentile of ten values is the 9th smallest, of five values the largest.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  // p × n is an integer for integer p and n, so the division is exact enough for ceil: 90 × 10 / 100 = 9.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1];
}

export const median = (values: readonly number[]) => percentile(values, 50);

// ---------------------------------------------------------------------------------------------------------
// The facts, as the store reads them

export interface StatsIncident {
  id: string;
  arrival: Arrival;
  receivedAt: Date;
  createdAt: Date;
  phase: Phase;
  publicAt: Date | null;
  cveId: string | null;
}

/** A timeline event of one of the types in `STATS_EVENT_TYPES`; `newValue` as stored (JSON). */
export interface StatsEvent {
  incidentId: string;
  at: Date;
  type: string;
  field: string | null;
  newValue: string | null;
}

/** The only timeline events stats read: the store asks for these types alone. */
export const STATS_EVENT_TYPES = [
  'phase_changed',
  'fix_team_added',
  'cvss_scored',
  'severity_final',
  'field_changed',
] as const;

export interface StatsFacts {
  incidents: readonly StatsIncident[];
  severity: readonly (Partial<SeverityFacts> & { incidentId: string })[];
  steps: readonly (StepRecord & { incidentId: string; stepId: string })[];
  events: readonly StatsEvent[];
  disclosures: readonly { incidentId: string; state: string; publishedAt: Date | null }[];
  notices: readonly { incidentId: string; notice: 'advance' | 'release_day'; sentAt: Date }[];
}

export interface Period {
  since: Date;
  until: Date;
}

// ---------------------------------------------------------------------------------------------------------
// The figures

export type SeverityBucket = Rating | 'unrated';
export const SEVERITY_BUCKETS: readonly SeverityBucket[] = [...RATINGS, 'unrated'];
export const ARRIVALS = Object.keys(ARRIVAL_CHANNELS) as Arrival[];

export interface Distribution {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface DeadlineShare {
  met: number;
  missed: number;
}

export interface NoticeLeads {
  count: number;
  medianMs: number | null;
  minMs: number | null;
}

export interface Stats {
  period: Period;
  incidents: number;
  bySeverity: Record<SeverityBucket, number>;
  byArrival: Record<Arrival, number>;
  reportToTriage: Distribution;
  reportToFix: Distribution;
  reportToPublication: Distribution;
  /** Per phase of the profile that has steps, in the phases' order; `all` is every phase together. */
  deadlines: { phase: Phase; met: number; missed: number }[];
  deadlinesAll: DeadlineShare;
  notices: { advance: NoticeLeads; releaseDay: NoticeLeads };
}

function distribution(values: number[]): Distribution {
  return { count: values.length, medianMs: median(values) ?? null, p90Ms: percentile(values, 90) ?? null };
}

function groupBy<T extends { incidentId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.incidentId);
    if (list) list.push(r);
    else out.set(r.incidentId, [r]);
  }
  return out;
}

function parsed(v: string | null): unknown {
  if (v === null) return null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}

/** The phase an event moved the incident to (`phase_changed`'s `newValue.phase`). */
function movedTo(e: StatsEvent): Phase | undefined {
  const v = parsed(e.newValue) as { phase?: unknown } | null;
  const p = v?.phase;
  return typeof p === 'string' && (PHASES as readonly string[]).includes(p) ? (p as Phase) : undefined;
}

/** The first move into a phase after `phase` (never `closed`), or undefined. Events sorted by time. */
function firstMovePast(events: readonly StatsEvent[], phase: Phase): Date | undefined {
  const after = PHASES.indexOf(phase);
  for (const e of events) {
    if (e.type !== 'phase_changed') continue;
    const to = movedTo(e);
    if (to && to !== 'closed' && PHASES.indexOf(to) > after) return e.at;
  }
  return undefined;
}

const firstOf = (events: readonly StatsEvent[], test: (e: StatsEvent) => boolean) => events.find(test)?.at;

/** When a step done by a fact (no one pressed Done) became done: when that fact first held. */
function autoDoneAt(
  rule: StepRule,
  incident: StatsIncident,
  events: readonly StatsEvent[],
  severity: Partial<SeverityFacts> | undefined,
  publishedAt: Date | null,
): Date | undefined {
  if (rule.done === 'by_person') return undefined;
  switch (rule.done.auto) {
    case 'fix_team_added':
      return firstOf(events, (e) => e.type === 'fix_team_added');
    case 'cvss_scored':
      return firstOf(events, (e) => e.type === 'cvss_scored');
    case 'final_rating':
      return firstOf(events, (e) => e.type === 'severity_final') ?? severity?.finalAt ?? undefined;
    case 'cve_assigned':
      // Given later (an edit of the report), or entered with the report itself.
      return (
        firstOf(
          events,
          (e) => e.type === 'field_changed' && e.field === 'cveId' && parsed(e.newValue) !== null,
        ) ?? (incident.cveId ? incident.createdAt : undefined)
      );
    case 'published':
      return publishedAt ?? undefined;
  }
}

/**
 * The figures for the incidents received in `period`, with `profile`'s steps and deadlines. Facts dated
 * after `period.until` are ignored; deadlines are judged as of `period.until`.
 */
export function computeStats(facts: StatsFacts, period: Period, profile: ProcessProfile): Stats {
  const { since, until } = period;
  const end = until.getTime();
  const upToEnd = (at: Date | null | undefined) => at != null && at.getTime() <= end;
  const inPeriod = facts.incidents.filter(
    (i) => i.receivedAt.getTime() >= since.getTime() && i.receivedAt.getTime() < end,
  );
  const severity = new Map(facts.severity.map((s) => [s.incidentId, s]));
  const steps = groupBy(facts.steps);
  const events = groupBy(
    [...facts.events].filter((e) => upToEnd(e.at)).sort((a, b) => a.at.getTime() - b.at.getTime()),
  );
  const published = new Map(
    facts.disclosures
      .filter((d) => d.state === 'published' && upToEnd(d.publishedAt))
      .map((d) => [d.incidentId, d.publishedAt as Date]),
  );
  const notices = groupBy(facts.notices.filter((n) => upToEnd(n.sentAt)));

  const bySeverity = Object.fromEntries(SEVERITY_BUCKETS.map((b) => [b, 0])) as Record<
    SeverityBucket,
    number
  >;
  const byArrival = Object.fromEntries(ARRIVALS.map((a) => [a, 0])) as Record<Arrival, number>;
  const triage: number[] = [];
  const fix: number[] = [];
  const publication: number[] = [];
  const phaseShares = new Map<Phase, DeadlineShare>();
  const leads = { advance: [] as number[], release_day: [] as number[] };

  for (const incident of inPeriod) {
    const received = incident.receivedAt.getTime();
    const sev = severity.get(incident.id);
    const rating =
      sev?.finalRating ?? sev?.questionnaireRating ?? (sev?.cvssRating ? asRating(sev.cvssRating) : null);
    bySeverity[rating ?? 'unrated'] += 1;
    byArrival[incident.arrival] = (byArrival[incident.arrival] ?? 0) + 1;

    const evs = events.get(incident.id) ?? [];
    const triaged = firstMovePast(evs, 'triage');
    if (triaged) triage.push(triaged.getTime() - received);
    const fixed = firstMovePast(evs, 'development');
    if (fixed) fix.push(fixed.getTime() - received);
    const publishedAt = published.get(incident.id) ?? null;
    if (publishedAt) publication.push(publishedAt.getTime() - received);

    // The schedule as srp has it at the period's end, from the facts known by then.
    const records: Record<string, StepRecord> = {};
    for (const r of steps.get(incident.id) ?? []) {
      const settled = r.outcome !== null && upToEnd(r.outcomeAt);
      records[r.stepId] = settled
        ? r
        : { ...r, outcome: null, outcomeAt: null, outcomeBy: null, outcomeReason: null };
    }
    const hasCve = Boolean(incident.cveId);
    const state = severityState(sev, hasCve, profile);
    const s = schedule(
      profile.phases,
      {
        phase: incident.phase,
        receivedAt: incident.receivedAt,
        publicAt: upToEnd(incident.publicAt) ? incident.publicAt : null,
        // Organized once, organized: a Fix Team removed after the release still counts.
        fixTeamSize: evs.some((e) => e.type === 'fix_team_added') ? 1 : 0,
        hasCvss: state.cvss !== null,
        hasFinalRating: state.final !== null && !state.needsFinalCall,
        hasCve,
        published: publishedAt !== null,
        distributorNotice: state.track?.distributorNoticeRequired ?? null,
        records,
      },
      until,
    );
    for (const step of s.steps) {
      let met: boolean | undefined;
      if (step.state === 'done') {
        const doneAt =
          records[step.rule.id]?.outcome === 'done'
            ? records[step.rule.id]?.outcomeAt
            : autoDoneAt(step.rule, incident, evs, sev, publishedAt);
        if (doneAt) met = doneAt.getTime() <= step.dueAt.getTime();
      } else if (step.state === 'overdue' && incident.phase !== 'closed') {
        met = false;
      }
      if (met === undefined) continue;
      const share = phaseShares.get(step.rule.phase) ?? { met: 0, missed: 0 };
      if (met) share.met += 1;
      else share.missed += 1;
      phaseShares.set(step.rule.phase, share);
    }

    if (publishedAt) {
      for (const n of notices.get(incident.id) ?? []) {
        leads[n.notice].push(publishedAt.getTime() - n.sentAt.getTime());
      }
    }
  }

  const profilePhases = PHASES.filter((p) => profile.phases.steps.some((s) => s.phase === p));
  const deadlines = profilePhases.map((phase) => ({
    phase,
    ...(phaseShares.get(phase) ?? { met: 0, missed: 0 }),
  }));
  const noticeLeads = (values: number[]): NoticeLeads => ({
    count: values.length,
    medianMs: median(values) ?? null,
    minMs: values.length ? Math.min(...values) : null,
  });
  return {
    period: { since, until },
    incidents: inPeriod.length,
    bySeverity,
    byArrival,
    reportToTriage: distribution(triage),
    reportToFix: distribution(fix),
    reportToPublication: distribution(publication),
    deadlines,
    deadlinesAll: {
      met: deadlines.reduce((n, d) => n + d.met, 0),
      missed: deadlines.reduce((n, d) => n + d.missed, 0),
    },
    notices: { advance: noticeLeads(leads.advance), releaseDay: noticeLeads(leads.release_day) },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The period as typed

export type PeriodArgs = { ok: true; since: Date | undefined } | { ok: false; problem: string };

export const DATE_PROBLEM = 'Dates are YYYY-MM-DD, e.g. --since 2026-01-01.';

/** A calendar date `YYYY-MM-DD` as 00:00 UTC that day; undefined for anything else (2026-02-30 too). */
export function parseDate(s: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d ? at : undefined;
}

/**
 * `--since YYYY-MM-DD` (or `--since=YYYY-MM-DD`) from the words after `stats`, as both `/srp stats` and
 * `npx srp stats` take them. Any other word is a problem; the CLI takes its own flags out first.
 */
export function parsePeriodArgs(words: readonly string[], now: Date): PeriodArgs {
  let since: Date | undefined;
  for (let i = 0; i < words.length; i++) {
    // Phones and some keyboards turn a typed "--" into a dash: read "—since" as "--since".
    const w = (words[i] ?? '').replace(/^[—–]/, '--');
    let value: string | undefined;
    if (w === '--since') {
      value = words[++i];
      if (value === undefined) return { ok: false, problem: `--since needs a date. ${DATE_PROBLEM}` };
    } else if (w.startsWith('--since=')) {
      value = w.slice('--since='.length);
    } else {
      return { ok: false, problem: `Unknown option "${w}".` };
    }
    const at = parseDate(value);
    if (!at) return { ok: false, problem: `"${value}" is not a date. ${DATE_PROBLEM}` };
    if (at.getTime() > now.getTime()) return { ok: false, problem: `${value} is in the future.` };
    since = at;
  }
  return { ok: true, since };
}

/** The period from `since` (default: 365 days before `now`) to `now`. */
export function periodFrom(since: Date | undefined, now: Date): Period {
  return { since: since ?? new Date(now.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS), until: now };
}

// ---------------------------------------------------------------------------------------------------------
// One formatter for both outputs

/**
 * A duration as both outputs show it: under two days in whole hours ("5 h", "-3 h"), else days to one
 * decimal ("4.5 d"); "–" when there is none.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (Math.abs(ms) < 2 * DAY_MS) return `${Math.round(ms / HOUR_MS)} h`;
  return `${(ms / DAY_MS).toFixed(1)} d`;
}

/** A share as a whole percentage ("83%"); "–" when nothing counted. */
export function formatShare(s: DeadlineShare): string {
  const n = s.met + s.missed;
  return n === 0 ? '–' : `${Math.round((s.met / n) * 100)}%`;
}

/** A UTC date, YYYY-MM-DD. */
export const formatDay = (at: Date) => at.toISOString().slice(0, 10);

/** The figures as shown, each number formatted once: the text, the Block Kit message and `--json` read this. */
export interface StatsFigures {
  period: { since: string; until: string };
  incidents: number;
  bySeverity: Record<SeverityBucket, number>;
  byArrival: Record<Arrival, number>;
  durations: Record<
    'reportToTriage' | 'reportToFix' | 'reportToPublication',
    Distribution & { median: string; p90: string }
  >;
  deadlines: Record<string, DeadlineShare & { share: string }>;
  notices: Record<'advance' | 'releaseDay', NoticeLeads & { median: string; min: string }>;
}

export function statsFigures(s: Stats): StatsFigures {
  const dist = (d: Distribution) => ({
    ...d,
    median: formatDuration(d.medianMs),
    p90: formatDuration(d.p90Ms),
  });
  const lead = (n: NoticeLeads) => ({
    ...n,
    median: formatDuration(n.medianMs),
    min: formatDuration(n.minMs),
  });
  const share = (d: DeadlineShare) => ({ met: d.met, missed: d.missed, share: formatShare(d) });
  return {
    period: { since: formatDay(s.period.since), until: formatDay(s.period.until) },
    incidents: s.incidents,
    bySeverity: s.bySeverity,
    byArrival: s.byArrival,
    durations: {
      reportToTriage: dist(s.reportToTriage),
      reportToFix: dist(s.reportToFix),
      reportToPublication: dist(s.reportToPublication),
    },
    deadlines: {
      ...Object.fromEntries(s.deadlines.map((d) => [d.phase, share(d)])),
      all: share(s.deadlinesAll),
    },
    notices: { advance: lead(s.notices.advance), releaseDay: lead(s.notices.releaseDay) },
  };
}

const BAR_WIDTH = 20;

/** A bar of `value` out of `max`, `width` cells of █ (at least one for any non-zero value). */
export function bar(value: number, max: number, width = BAR_WIDTH): string {
  if (value <= 0 || max <= 0) return '';
  return '█'.repeat(Math.max(1, Math.round((value / max) * width)));
}

/** A share as a bar of █ (met) and ░ (missed). */
function shareBar(s: DeadlineShare, width = 10): string {
  const n = s.met + s.missed;
  if (n === 0) return ' '.repeat(width);
  const full = Math.round((s.met / n) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

const pad = (s: string, n: number) => s.padEnd(n);
const padStart = (s: string, n: number) => s.padStart(n);

export interface StatsSection {
  title: string;
  /** Monospaced lines (a code block in Slack, as they are in a terminal). */
  lines: string[];
}

const DURATION_LABELS = {
  reportToTriage: 'Report to triage',
  reportToFix: 'Report to fix',
  reportToPublication: 'Report to publication',
} as const;

/** The figures as titled blocks of monospaced lines, the same in the terminal and in Slack. */
export function statsSections(f: StatsFigures): StatsSection[] {
  const counts = (entries: [string, number][]) => {
    const max = Math.max(0, ...entries.map(([, n]) => n));
    const width = Math.max(...entries.map(([label]) => label.length));
    return entries.map(([label, n]) =>
      `${pad(label, width)}  ${padStart(String(n), 3)} ${bar(n, max)}`.trimEnd(),
    );
  };
  const severity = counts(SEVERITY_BUCKETS.map((b) => [b === 'unrated' ? 'Unrated' : b, f.bySeverity[b]]));
  const arrivals = ARRIVALS.filter((a) => f.byArrival[a] > 0);
  const arrival = arrivals.length
    ? counts(arrivals.map((a) => [ARRIVAL_CHANNELS[a], f.byArrival[a]]))
    : ['(none)'];
  const durationRows = (Object.keys(DURATION_LABELS) as (keyof typeof DURATION_LABELS)[]).map((k) => {
    const d = f.durations[k];
    return `${pad(DURATION_LABELS[k], 22)} ${padStart(String(d.count), 3)}  ${padStart(d.median, 7)}  ${padStart(d.p90, 7)}`;
  });
  const phases = Object.keys(f.deadlines).filter((k) => k !== 'all') as Phase[];
  const deadlineRow = (label: string, d: DeadlineShare & { share: string }) =>
    `${pad(label, 20)} ${shareBar(d)} ${padStart(d.share, 4)}  ${d.met} of ${d.met + d.missed}`;
  const noticeRow = (label: string, n: NoticeLeads & { median: string; min: string }) =>
    `${pad(label, 22)} ${padStart(String(n.count), 3)}  ${padStart(n.median, 7)}  ${padStart(n.min, 7)}`;
  return [
    { title: 'By severity', lines: severity },
    { title: 'By how they arrived', lines: arrival },
    {
      title: 'Time from the report',
      lines: [
        `${pad('', 22)} ${padStart('n', 3)}  ${padStart('median', 7)}  ${padStart('90th pct', 7)}`,
        ...durationRows,
      ],
    },
    {
      title: 'Deadlines met, per phase',
      lines: [
        ...phases.map((p) => deadlineRow(PHASE_NAME[p], f.deadlines[p] as DeadlineShare & { share: string })),
        deadlineRow('All phases', f.deadlines.all as DeadlineShare & { share: string }),
      ],
    },
    {
      title: 'Distributor notice lead time (before publication)',
      lines: [
        `${pad('', 22)} ${padStart('n', 3)}  ${padStart('median', 7)}  ${padStart('min', 7)}`,
        noticeRow('Advance notice', f.notices.advance),
        noticeRow('Release-day notice', f.notices.releaseDay),
      ],
    },
  ];
}

/** The headline: how many incidents, received when. */
export function statsHeadline(f: StatsFigures): string {
  const n = f.incidents;
  return `${n} incident${n === 1 ? '' : 's'} received from ${f.period.since} to ${f.period.until} (UTC)`;
}

/** The whole report as plain text, for the terminal. */
export function statsText(f: StatsFigures): string {
  const parts = [statsHeadline(f)];
  for (const s of statsSections(f)) parts.push('', s.title, ...s.lines.map((l) => `  ${l}`));
  return parts.join('\n');
}
