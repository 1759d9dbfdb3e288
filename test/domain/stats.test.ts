import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../src/domain/deadlines.js';
import type { Phase } from '../../src/domain/phases.js';
import { PROFILES, resolveProfile } from '../../src/domain/profiles/index.js';
import {
  bar,
  computeStats,
  DATE_PROBLEM,
  formatDuration,
  formatShare,
  median,
  parseDate,
  parsePeriodArgs,
  percentile,
  periodFrom,
  type StatsEvent,
  type StatsFacts,
  type StatsIncident,
  statsFigures,
  statsText,
} from '../../src/domain/stats.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date('2026-03-02T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const profile = resolveProfile(PROFILES.src, {});

const NO_FACTS: StatsFacts = {
  incidents: [],
  severity: [],
  steps: [],
  events: [],
  disclosures: [],
  notices: [],
};

function incident(id: string, patch: Partial<StatsIncident> = {}): StatsIncident {
  return {
    id,
    arrival: 'hackerone',
    receivedAt: T0,
    createdAt: T0,
    phase: 'triage',
    publicAt: null,
    cveId: null,
    ...patch,
  };
}

const moved = (incidentId: string, ms: number, phase: Phase): StatsEvent => ({
  incidentId,
  at: at(ms),
  type: 'phase_changed',
  field: 'phase',
  newValue: JSON.stringify({ phase }),
});
const event = (incidentId: string, ms: number, type: string): StatsEvent => ({
  incidentId,
  at: at(ms),
  type,
  field: null,
  newValue: null,
});
function step(
  incidentId: string,
  stepId: string,
  r: Partial<StepRecord>,
): StepRecord & { incidentId: string; stepId: string } {
  return {
    incidentId,
    stepId,
    outcome: null,
    outcomeAt: null,
    outcomeBy: null,
    outcomeReason: null,
    dueAt: null,
    dueMovedBy: null,
    dueMovedAt: null,
    dueReason: null,
    ...r,
  };
}

const PERIOD_START = new Date('2026-01-01T00:00:00Z');
function stats(facts: Partial<StatsFacts>, untilMs: number) {
  return computeStats({ ...NO_FACTS, ...facts }, { since: PERIOD_START, until: at(untilMs) }, profile);
}
const phase = (s: ReturnType<typeof stats>, p: Phase) => s.deadlines.find((d) => d.phase === p);

describe('percentile (nearest rank)', () => {
  it('is the value at rank ⌈p/100 × n⌉ of the sorted values', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 90)).toBe(7);
    // Even count: the lower middle value, never an average.
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([3, 1, 2])).toBe(2);
    // Ten values: the 90th percentile is the 9th smallest; five values: the largest (⌈4.5⌉ = 5).
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90)).toBe(9);
    expect(percentile([5, 1, 4, 2, 3], 90)).toBe(5);
    expect(percentile([1, 2, 3], 100)).toBe(3);
    expect(percentile([1, 2, 3], 1)).toBe(1);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('is one of the values, with at least p% of them at or below it and fewer than p% below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 100 }),
        (values, p) => {
          const v = percentile(values, p) as number;
          expect(values).toContain(v);
          const n = values.length;
          expect(values.filter((x) => x <= v).length * 100).toBeGreaterThanOrEqual(p * n);
          expect(values.filter((x) => x < v).length * 100).toBeLessThan(p * n);
        },
      ),
    );
  });

  it('leaves its input unsorted', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('an empty period', () => {
  it('counts nothing and shows a dash for every time and share', () => {
    const s = stats({}, DAY);
    expect(s.incidents).toBe(0);
    expect(Object.values(s.bySeverity).every((n) => n === 0)).toBe(true);
    expect(s.reportToTriage).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(s.reportToPublication).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(s.deadlines.map((d) => d.phase)).toEqual([
      'fix_team',
      'development',
      'disclosure_planning',
      'release',
      'retrospective',
    ]);
    expect(s.deadlinesAll).toEqual({ met: 0, missed: 0 });
    expect(s.notices.advance).toEqual({ count: 0, medianMs: null, minMs: null });
    const f = statsFigures(s);
    expect(f.durations.reportToFix.median).toBe('–');
    expect(f.deadlines.all?.share).toBe('–');
    expect(statsText(f)).toContain('0 incidents received from 2026-01-01 to 2026-03-03 (UTC)');
  });

  it('leaves out incidents received before the period or after its end', () => {
    const s = computeStats(
      {
        ...NO_FACTS,
        incidents: [
          incident('before', { receivedAt: new Date('2025-12-31T23:59:59Z') }),
          incident('first', { receivedAt: PERIOD_START }),
          incident('after', { receivedAt: at(2 * DAY) }),
        ],
      },
      { since: PERIOD_START, until: at(DAY) },
      profile,
    );
    expect(s.incidents).toBe(1);
  });
});

describe('incidents by severity and by arrival', () => {
  it('takes the final rating, else the questionnaire, else CVSS, else unrated', () => {
    const s = stats(
      {
        incidents: ['a', 'b', 'c', 'd', 'e'].map((id, i) =>
          incident(id, { arrival: i < 3 ? 'hackerone' : 'security_email' }),
        ),
        severity: [
          { incidentId: 'a', finalRating: 'Critical', questionnaireRating: 'Low', cvssRating: 'Low' },
          { incidentId: 'b', finalRating: null, questionnaireRating: 'High', cvssRating: 'Low' },
          { incidentId: 'c', finalRating: null, questionnaireRating: null, cvssRating: 'Medium' },
          { incidentId: 'd', cvssRating: 'None' },
        ],
      },
      DAY,
    );
    expect(s.bySeverity).toEqual({ Critical: 1, High: 1, Medium: 1, Low: 1, unrated: 1 });
    expect(s.byArrival.hackerone).toBe(3);
    expect(s.byArrival.security_email).toBe(2);
    expect(s.byArrival.slack).toBe(0);
  });
});

describe('times from the report', () => {
  it('triage ends at the first move out of Triage, the fix at the first move past Development, publication at published_at', () => {
    const s = stats(
      {
        incidents: [incident('a'), incident('b'), incident('c', { receivedAt: at(-10 * HOUR) })],
        events: [
          moved('a', 5 * HOUR, 'fix_team'),
          moved('a', 2 * DAY, 'development'),
          // Back and forth: only the first move past Development counts.
          moved('a', 6 * DAY, 'disclosure_planning'),
          moved('a', 7 * DAY, 'development'),
          moved('a', 9 * DAY, 'release'),
          // Skipping straight from Triage to Release ends both.
          moved('b', 3 * DAY, 'release'),
          // Closed from Triage: never accepted, no triage time.
          { ...moved('c', HOUR, 'closed'), type: 'closed' },
        ],
        disclosures: [
          { incidentId: 'a', state: 'published', publishedAt: at(20 * DAY) },
          { incidentId: 'b', state: 'scheduled', publishedAt: null },
          { incidentId: 'c', state: 'published', publishedAt: at(40 * DAY) },
        ],
      },
      60 * DAY,
    );
    expect(s.reportToTriage).toEqual({ count: 2, medianMs: 5 * HOUR, p90Ms: 3 * DAY });
    expect(s.reportToFix).toEqual({ count: 2, medianMs: 3 * DAY, p90Ms: 6 * DAY });
    expect(s.reportToPublication).toEqual({ count: 2, medianMs: 20 * DAY, p90Ms: 40 * DAY + 10 * HOUR });
  });

  it('ignores what happened after the period ended', () => {
    const s = stats(
      {
        incidents: [incident('a')],
        events: [moved('a', 2 * DAY, 'fix_team')],
        disclosures: [{ incidentId: 'a', state: 'published', publishedAt: at(30 * DAY) }],
      },
      DAY,
    );
    expect(s.reportToTriage.count).toBe(0);
    expect(s.reportToPublication.count).toBe(0);
  });
});

describe('deadlines met per phase', () => {
  // The Fix Team phase has one step, "Fix Team organized", due a day after the report, done by the fact
  // that a Fix Team was added.
  it('counts a step done at or before its deadline as met, after it as missed', () => {
    const s = stats(
      {
        incidents: [incident('on-time'), incident('exactly'), incident('late')],
        events: [
          event('on-time', 12 * HOUR, 'fix_team_added'),
          event('exactly', DAY, 'fix_team_added'),
          event('late', 36 * HOUR, 'fix_team_added'),
        ],
      },
      2 * DAY,
    );
    expect(phase(s, 'fix_team')).toEqual({ phase: 'fix_team', met: 2, missed: 1 });
  });

  it('counts an open step past its deadline as missed and leaves out one not yet due', () => {
    expect(phase(stats({ incidents: [incident('a')] }, 2 * DAY), 'fix_team')).toMatchObject({
      met: 0,
      missed: 1,
    });
    expect(phase(stats({ incidents: [incident('a')] }, 12 * HOUR), 'fix_team')).toMatchObject({
      met: 0,
      missed: 0,
    });
  });

  it('leaves out skipped steps and the open steps of a closed incident', () => {
    const s = stats(
      {
        incidents: [incident('skipped', { phase: 'development' }), incident('closed', { phase: 'closed' })],
        steps: [
          step('skipped', 'fix_team_organized', { outcome: 'skipped', outcomeAt: at(HOUR), outcomeBy: 'U1' }),
        ],
      },
      // Past the Fix Team deadline (1 day), before any other (7 days).
      2 * DAY,
    );
    expect(s.deadlinesAll).toEqual({ met: 0, missed: 0 });
  });

  it('takes a step done by a person at its time, against a moved deadline or the ASAP of a public disclosure', () => {
    // A profile of two steps: Development is "Fix LGTMed" alone (due 7 days after the report).
    const lean = structuredClone(profile);
    lean.phases.steps = lean.phases.steps.filter((r) => r.id === 'fix_lgtm' || r.id === 'announce');
    const done = (id: string, ms: number, r: Partial<StepRecord> = {}) =>
      step(id, 'fix_lgtm', { outcome: 'done', outcomeAt: at(ms), outcomeBy: 'U1', ...r });
    const movedTo = (ms: number) => ({
      dueAt: at(ms),
      dueMovedBy: 'U1',
      dueMovedAt: at(DAY),
      dueReason: 'r',
    });
    const s = computeStats(
      {
        ...NO_FACTS,
        incidents: ['in-time', 'late', 'moved', 'public', 'after-end'].map((id) =>
          incident(id, { phase: 'development', ...(id === 'public' ? { publicAt: at(2 * DAY) } : {}) }),
        ),
        steps: [
          done('in-time', 5 * DAY),
          done('late', 8 * DAY),
          done('moved', 8 * DAY, movedTo(10 * DAY)),
          // Public at 2 days: due at once, so done at 3 days is late.
          done('public', 3 * DAY),
          // Done after the period's end: still open then, and not yet due (moved to 12 days).
          done('after-end', 10 * DAY, movedTo(12 * DAY)),
        ],
      },
      { since: PERIOD_START, until: at(9 * DAY) },
      lean,
    );
    expect(s.deadlines.map((d) => d.phase)).toEqual(['development', 'release']);
    expect(phase(s, 'development')).toMatchObject({ met: 2, missed: 2 });
  });

  it('takes a step done by a fact at the time the fact first held', () => {
    const s = stats(
      {
        incidents: [incident('a', { phase: 'development' })],
        steps: [step('a', 'fix_lgtm', { outcome: 'done', outcomeAt: at(8 * DAY), outcomeBy: 'U1' })],
        events: [
          event('a', HOUR, 'cvss_scored'),
          event('a', 2 * HOUR, 'severity_final'),
          event('a', 3 * HOUR, 'fix_team_added'),
          event('a', 4 * HOUR, 'cvss_scored'),
        ],
        severity: [
          {
            incidentId: 'a',
            cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
            cvssScore: 75,
            cvssRating: 'High',
            finalRating: 'High',
            // A later final call: the step was done at the first.
            finalAt: at(8 * DAY),
            finalBy: 'U1',
          },
        ],
      },
      9 * DAY,
    );
    // CVSS and the final rating in time; Fix LGTM late; no CVE yet, open past its deadline.
    expect(phase(s, 'development')).toMatchObject({ met: 2, missed: 2 });
    expect(phase(s, 'fix_team')).toMatchObject({ met: 1, missed: 0 });
  });

  it('formats the shares as whole percentages and draws them', () => {
    expect(formatShare({ met: 5, missed: 1 })).toBe('83%');
    expect(formatShare({ met: 0, missed: 0 })).toBe('–');
    const s = stats(
      {
        incidents: [incident('a'), incident('b')],
        events: [event('a', HOUR, 'fix_team_added'), event('b', 2 * DAY, 'fix_team_added')],
      },
      3 * DAY,
    );
    expect(statsText(statsFigures(s))).toContain('Fix Team             █████░░░░░  50%  1 of 2');
  });
});

describe('distributor notice lead times', () => {
  it('are publication minus each notice sent, per notice, over published incidents: median and minimum', () => {
    const published = at(20 * DAY);
    const s = stats(
      {
        incidents: [incident('a'), incident('b'), incident('unpublished')],
        disclosures: [
          { incidentId: 'a', state: 'published', publishedAt: published },
          { incidentId: 'b', state: 'published', publishedAt: published },
          { incidentId: 'unpublished', state: 'scheduled', publishedAt: null },
        ],
        notices: [
          { incidentId: 'a', notice: 'advance', sentAt: at(12 * DAY) },
          { incidentId: 'b', notice: 'advance', sentAt: at(14 * DAY) },
          { incidentId: 'a', notice: 'release_day', sentAt: at(19 * DAY) },
          // Sent after the publication: a negative lead time, shown as it is.
          { incidentId: 'b', notice: 'release_day', sentAt: at(20 * DAY + 3 * HOUR) },
          { incidentId: 'unpublished', notice: 'advance', sentAt: at(DAY) },
        ],
      },
      30 * DAY,
    );
    expect(s.notices.advance).toEqual({ count: 2, medianMs: 6 * DAY, minMs: 6 * DAY });
    expect(s.notices.releaseDay).toEqual({ count: 2, medianMs: -3 * HOUR, minMs: -3 * HOUR });
    const f = statsFigures(s);
    expect(f.notices.advance).toMatchObject({ median: '6.0 d', min: '6.0 d' });
    expect(f.notices.releaseDay).toMatchObject({ median: '-3 h', min: '-3 h' });
  });
});

describe('formatting', () => {
  it('shows durations under two days in whole hours, longer ones in days to a tenth', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(0)).toBe('0 h');
    expect(formatDuration(5 * HOUR + 29 * 60_000)).toBe('5 h');
    expect(formatDuration(47 * HOUR)).toBe('47 h');
    expect(formatDuration(2 * DAY)).toBe('2.0 d');
    expect(formatDuration(4 * DAY + 12 * HOUR)).toBe('4.5 d');
  });

  it('draws count bars in proportion, with at least one cell for any count', () => {
    expect(bar(0, 10)).toBe('');
    expect(bar(10, 10)).toHaveLength(20);
    expect(bar(5, 10)).toHaveLength(10);
    expect(bar(1, 1000)).toBe('█');
  });
});

describe('the period as typed', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  it('takes --since YYYY-MM-DD (or --since=…) as 00:00 UTC that day, and defaults to the last 365 days', () => {
    expect(parsePeriodArgs(['--since', '2026-01-01'], now)).toEqual({
      ok: true,
      since: new Date('2026-01-01T00:00:00Z'),
    });
    expect(parsePeriodArgs(['--since=2026-01-01'], now)).toMatchObject({ ok: true });
    // A phone's autocorrected dash.
    expect(parsePeriodArgs(['—since', '2026-01-01'], now)).toMatchObject({ ok: true });
    expect(parsePeriodArgs([], now)).toEqual({ ok: true, since: undefined });
    expect(periodFrom(undefined, now)).toEqual({ since: new Date(now.getTime() - 365 * DAY), until: now });
  });

  it('says dates are YYYY-MM-DD for anything else', () => {
    for (const words of [['--since', '01/02/2026'], ['--since', '2026-02-30'], ['--since=yesterday']]) {
      const r = parsePeriodArgs(words, now);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.problem).toContain(DATE_PROBLEM);
    }
    expect(parsePeriodArgs(['--since'], now)).toMatchObject({ ok: false });
    expect(parsePeriodArgs(['--until', '2026-01-01'], now)).toMatchObject({
      ok: false,
      problem: 'Unknown option "--until".',
    });
    expect(parsePeriodArgs(['--since', '2026-07-01'], now)).toMatchObject({
      ok: false,
      problem: '2026-07-01 is in the future.',
    });
    expect(parseDate('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(parseDate('2026-02-29')).toBeUndefined();
  });
});
