import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/domain/deadlines.js';
import {
  checkTarget,
  describeTime,
  MIN_LEAD_MS,
  type NoticeFact,
  noticeFacts,
  proposeTarget,
  type TargetFacts,
} from '../../src/domain/disclosure/targetTime.js';
import { PROFILES } from '../../src/domain/profiles/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const rules = PROFILES.src.disclosure;
const ADVANCE_QUOTE = PROFILES.src.phases.steps.find((s) => s.id === 'distributors_advance')
  ?.source as string;
const RELEASE_DAY_QUOTE = PROFILES.src.phases.steps.find((s) => s.id === 'distributors_release_day')
  ?.source as string;

const advance = (sentAt: string | null): NoticeFact => ({
  notice: 'advance',
  name: 'Distributors told (7 days ahead)',
  minBeforeMs: 7 * DAY,
  quote: ADVANCE_QUOTE,
  sentAt: sentAt ? new Date(sentAt) : null,
});
const releaseDay = (sentAt: string | null): NoticeFact => ({
  notice: 'release_day',
  name: 'Distributors told (24 h ahead)',
  minBeforeMs: DAY,
  quote: RELEASE_DAY_QUOTE,
  sentAt: sentAt ? new Date(sentAt) : null,
});
const facts = (now: string, notices: NoticeFact[] = [], pub = false): TargetFacts => ({
  now: new Date(now),
  public: pub,
  notices,
});
const iso = (d: Date) => d.toISOString();

describe('proposeTarget', () => {
  it.each([
    // [now, notices, expected, why]
    ['2026-12-01T10:00:00Z', [], '2026-12-01T16:00:00.000Z', 'a Tuesday morning: that afternoon'],
    [
      '2026-12-01T15:56:00Z',
      [],
      '2026-12-02T16:00:00.000Z',
      'less than 5 minutes before 16:00: the next day',
    ],
    ['2026-12-03T17:00:00Z', [], '2026-12-07T16:00:00.000Z', 'a Thursday evening: not Friday or the weekend'],
    ['2026-12-04T09:00:00Z', [], '2026-12-07T16:00:00.000Z', 'a Friday: the Monday'],
    ['2026-12-05T09:00:00Z', [], '2026-12-07T16:00:00.000Z', 'a Saturday: the Monday'],
    [
      '2026-12-01T10:00:00Z',
      [advance(null), releaseDay(null)],
      '2026-12-08T16:00:00.000Z',
      'both notices unsent: a week from now, a Tuesday',
    ],
    [
      '2026-12-01T17:00:00Z',
      [advance(null)],
      '2026-12-09T16:00:00.000Z',
      'unsent after 16:00: seven days from now is past that day’s slot',
    ],
    [
      '2026-12-01T10:00:00Z',
      [advance('2026-11-20T12:00:00Z'), releaseDay(null)],
      '2026-12-02T16:00:00.000Z',
      'advance sent 11 days ago: the release-day notice sent now needs 24 h',
    ],
    [
      '2026-12-01T10:00:00Z',
      [advance('2026-11-27T18:00:00Z')],
      '2026-12-07T16:00:00.000Z',
      'advance sent on a Friday at 18:00: 7 days on is Friday 18:00, so the Monday after',
    ],
  ] as const)('at %s with %j → %s (%s)', (now, notices, expected, _why) => {
    const at = proposeTarget(rules, facts(now, [...notices]));
    expect(iso(at)).toBe(expected);
    const t = DateTime.fromJSDate(at, { zone: 'utc' });
    expect(t.hour).toBe(16);
    expect([1, 2, 3, 4]).toContain(t.weekday);
  });

  it('keeps seven days from an advance notice not sent yet, from now', () => {
    // Wednesday 10:00: seven days on is Wednesday the 9th at 10:00, so its 16:00 slot.
    expect(iso(proposeTarget(rules, facts('2026-12-02T10:00:00Z', [advance(null)])))).toBe(
      '2026-12-09T16:00:00.000Z',
    );
  });

  it('proposes now for a public incident', () => {
    expect(iso(proposeTarget(rules, facts('2026-12-04T21:13:00Z', [advance(null)], true)))).toBe(
      '2026-12-04T21:13:00.000Z',
    );
  });
});

describe('checkTarget', () => {
  const now = '2026-12-01T10:00:00Z';

  it('refuses a Friday with the rule and the document’s sentence', () => {
    const r = checkTarget(rules, facts(now), new Date('2026-12-04T16:00:00Z'));
    expect(r).toEqual({
      ok: false,
      refusals: [
        {
          rule: 'friday',
          message: expect.stringContaining('Friday'),
          quote: 'The recommended target time is 4pm UTC on a non-Friday weekday.',
        },
      ],
    });
  });

  it.each(['2026-12-05T16:00:00Z', '2026-12-06T16:00:00Z'])('refuses the weekend (%s)', (at) => {
    const r = checkTarget(rules, facts(now), new Date(at));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.refusals.map((x) => x.rule)).toEqual(['weekend']);
  });

  it('refuses a time 5 days after the advance notice, quoting the 7-day sentence', () => {
    const r = checkTarget(
      rules,
      facts(now, [advance('2026-12-01T09:00:00Z')]),
      new Date('2026-12-07T09:00:00Z'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusals).toEqual([
      {
        rule: 'advance_notice',
        message:
          'The advance notice to distributors must go at least 7 days before the target; it was sent 6 days before that time.',
        quote: ADVANCE_QUOTE,
      },
    ]);
    expect(ADVANCE_QUOTE).toContain('at least 7 days before the planned public disclosure date');
    const five = checkTarget(
      rules,
      facts(now, [advance('2026-12-01T09:00:00Z')]),
      new Date('2026-12-06T09:00:00Z'),
    );
    expect(five.ok ? [] : five.refusals.map((x) => x.message)).toContain(
      'The advance notice to distributors must go at least 7 days before the target; it was sent 5 days before that time.',
    );
  });

  it('counts an unsent notice from now', () => {
    const r = checkTarget(rules, facts(now, [advance(null)]), new Date('2026-12-07T16:00:00Z'));
    expect(r.ok ? [] : r.refusals.map((x) => [x.rule, x.message])).toEqual([
      [
        'advance_notice',
        'The advance notice to distributors must go at least 7 days before the target; it is not sent yet, and sent now it would come 6 days 6 hours before that time.',
      ],
    ]);
    expect(checkTarget(rules, facts(now, [advance(null)]), new Date('2026-12-08T16:00:00Z')).ok).toBe(true);
  });

  it('refuses less than 24 hours after the release-day notice, and allows exactly 24', () => {
    const sent = releaseDay('2026-12-01T16:30:00Z');
    const r = checkTarget(rules, facts('2026-12-01T17:00:00Z', [sent]), new Date('2026-12-02T16:00:00Z'));
    expect(r.ok ? [] : r.refusals).toEqual([
      { rule: 'release_day_notice', message: expect.stringContaining('24 hours'), quote: RELEASE_DAY_QUOTE },
    ]);
    const exactly = releaseDay('2026-12-01T16:00:00Z');
    expect(
      checkTarget(rules, facts('2026-12-01T17:00:00Z', [exactly]), new Date('2026-12-02T16:00:00Z')).ok,
    ).toBe(true);
  });

  it('refuses the past and anything under 5 minutes ahead, even with an override', () => {
    const override = { reason: 'the Fix Lead says so' };
    for (const at of ['2026-12-01T09:00:00Z', '2026-12-01T10:04:00Z']) {
      const r = checkTarget(rules, facts(now), new Date(at), override);
      expect(r.ok ? [] : r.refusals.map((x) => [x.rule, x.quote])).toEqual([['past', null]]);
    }
  });

  it('lets the Fix Lead override the slot and notice rules, saying which it allowed', () => {
    const r = checkTarget(rules, facts(now, [advance(null)]), new Date('2026-12-04T16:00:00Z'), {
      reason: 'a vendor broke the embargo',
    });
    expect(r.ok && r.allowed.map((x) => x.rule)).toEqual(['friday', 'advance_notice']);
  });

  it('allows a public incident now, whatever the day and the notices', () => {
    const r = checkTarget(
      rules,
      facts('2026-12-05T03:00:00Z', [advance(null)], true),
      new Date('2026-12-05T02:00:00Z'),
    );
    expect(r).toMatchObject({
      ok: true,
      at: new Date('2026-12-05T03:00:00Z'),
      notes: [expect.stringContaining('public')],
    });
  });

  it('notes a time that is not the recommended hour, and 16:00 UTC when it is not 9AM PT', () => {
    const off = checkTarget(rules, facts(now), new Date('2026-12-02T14:00:00Z'));
    expect(off.ok && off.notes).toEqual(['Not the recommended 16:00 UTC.']);
    // December: Pacific standard time, 16:00 UTC is 8AM.
    const winter = checkTarget(rules, facts(now), new Date('2026-12-02T16:00:00Z'));
    expect(winter.ok && winter.notes).toEqual([
      '16:00 UTC is 8:00AM PST Pacific that day, not 9AM PT: the distributors\' "at or after 9AM PT" is 17:00 UTC.',
    ]);
  });
});

describe('times across the DST change (US: 2027-03-14)', () => {
  it.each([
    ['2027-03-09T16:00:00Z', 'Tue 2027-03-09 8:00AM PST', false, '17:00'],
    ['2027-03-11T16:00:00Z', 'Thu 2027-03-11 8:00AM PST', false, '17:00'],
    ['2027-03-15T16:00:00Z', 'Mon 2027-03-15 9:00AM PDT', true, '16:00'],
    ['2026-10-27T16:00:00Z', 'Tue 2026-10-27 9:00AM PDT', true, '16:00'],
    ['2026-11-03T16:00:00Z', 'Tue 2026-11-03 8:00AM PST', false, '17:00'],
  ])('%s is %s (9AM PT: %s; 9AM PT is %s UTC)', (at, pacific, ninePt, nineUtc) => {
    const d = describeTime(new Date(at));
    expect(d.pacific).toBe(pacific);
    expect(d.ninePt).toBe(ninePt);
    expect(d.ninePtUtc).toBe(nineUtc);
    expect(d.utc).toBe(`${pacific.slice(0, 14)} 16:00 UTC`);
    expect(d.slack).toMatch(/^<!date\^\d+\^\{date_long_pretty\} at \{time\}\|\d{4}-\d\d-\d\d 16:00 UTC>$/);
  });

  it('proposes 16:00 UTC in the week the clocks change, and says it is 8AM PT before it', () => {
    // Friday 2027-03-05, advance notice not sent: a week on is Friday the 12th, so Monday the 15th (PDT).
    const at = proposeTarget(rules, facts('2027-03-05T12:00:00Z', [advance(null)]));
    expect(iso(at)).toBe('2027-03-15T16:00:00.000Z');
    expect(describeTime(at).ninePt).toBe(true);
    const before = proposeTarget(rules, facts('2027-03-02T12:00:00Z', [advance(null)]));
    expect(iso(before)).toBe('2027-03-09T16:00:00.000Z');
    expect(describeTime(before).ninePt).toBe(false);
  });
});

describe('noticeFacts', () => {
  const received = new Date('2026-11-01T10:00:00Z');
  const base = {
    phase: 'disclosure_planning' as const,
    receivedAt: received,
    publicAt: null,
    fixTeamSize: 1,
    hasCvss: true,
    hasFinalRating: true,
    published: false,
    distributorNotice: true,
    records: {},
  };

  it('under today’s process: both notices once there is a CVE, with the step’s interval and sentence', () => {
    const s = schedule(PROFILES.src.phases, { ...base, hasCve: true }, received);
    const sent = new Date('2026-11-20T10:00:00Z');
    expect(noticeFacts(rules, s, { advance: sent })).toEqual([
      expect.objectContaining({
        notice: 'advance',
        minBeforeMs: 7 * DAY,
        quote: ADVANCE_QUOTE,
        sentAt: sent,
      }),
      expect.objectContaining({
        notice: 'release_day',
        minBeforeMs: DAY,
        quote: RELEASE_DAY_QUOTE,
        sentAt: null,
      }),
    ]);
    expect(
      noticeFacts(rules, schedule(PROFILES.src.phases, { ...base, hasCve: false }, received), {}),
    ).toEqual([]);
  });

  it('a notice step marked done counts as sent when it was marked', () => {
    const at = new Date('2026-11-21T09:00:00Z');
    const records = {
      distributors_advance: {
        outcome: 'done' as const,
        outcomeAt: at,
        outcomeBy: 'U1',
        outcomeReason: null,
        dueAt: null,
        dueMovedBy: null,
        dueMovedAt: null,
        dueReason: null,
      },
    };
    const s = schedule(PROFILES.src.phases, { ...base, hasCve: true, records }, received);
    expect(noticeFacts(rules, s, {})[0]?.sentAt).toEqual(at);
  });

  it('under the 2018 process: only the optional notice, only when expected, before the target', () => {
    const p = PROFILES.pst2018;
    const expected = noticeFacts(p.disclosure, schedule(p.phases, { ...base, hasCve: true }, received), {});
    expect(expected).toEqual([expect.objectContaining({ notice: 'advance', minBeforeMs: 0 })]);
    const notExpected = schedule(p.phases, { ...base, hasCve: true, distributorNotice: false }, received);
    expect(noticeFacts(p.disclosure, notExpected, {})).toEqual([]);
  });
});

describe('a proposal always passes the check (property)', () => {
  const START = Date.parse('2026-01-01T00:00:00Z');
  const SPAN = 3 * 365 * DAY;
  const notice = (kind: 'advance' | 'release_day') =>
    fc.option(fc.integer({ min: -30 * DAY, max: 0 }), { nil: undefined }).map((ago) => ({ kind, ago }));

  it('for any now, notices sent or not, public or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: START, max: START + SPAN }),
        fc.boolean(),
        fc.option(notice('advance'), { nil: undefined }),
        fc.option(notice('release_day'), { nil: undefined }),
        (nowMs, pub, a, r) => {
          const now = new Date(nowMs);
          const notices: NoticeFact[] = [];
          if (a) notices.push(advance(a.ago === undefined ? null : new Date(nowMs + a.ago).toISOString()));
          if (r) notices.push(releaseDay(r.ago === undefined ? null : new Date(nowMs + r.ago).toISOString()));
          const f: TargetFacts = { now, public: pub, notices };
          const at = proposeTarget(rules, f);
          const check = checkTarget(rules, f, at);
          expect(check.ok).toBe(true);
          if (!check.ok) return;
          expect(check.at).toEqual(at);
          if (!pub) {
            // Not public: it breaks nothing at all (a public one may leave notices short: ASAP).
            expect(check.allowed).toEqual([]);
            expect(at.getTime()).toBeGreaterThanOrEqual(nowMs + MIN_LEAD_MS);
            // The earliest such slot: every earlier slot still ahead breaks a rule.
            for (let back = 1; back <= 8; back++) {
              const earlier = new Date(at.getTime() - back * DAY);
              if (!isSlot(earlier) || earlier.getTime() < nowMs + MIN_LEAD_MS) continue;
              expect(checkTarget(rules, f, earlier).ok).toBe(false);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

function isSlot(at: Date): boolean {
  const t = DateTime.fromJSDate(at, { zone: 'utc' });
  return t.hour === 16 && t.weekday <= 4;
}
