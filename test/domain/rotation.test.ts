import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  baseShifts,
  finalSchedule,
  type Leave,
  type Override,
  onCallAt,
  onCallAtOnly,
  overlapsExisting,
  type RotationRules,
  type Segment,
  shiftIndexAt,
  shiftStart,
  uncoveredShifts,
  validateRules,
} from '../../src/domain/rotation.js';

const d = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const hours = (s: { start: Date; end: Date }) => (s.end.getTime() - s.start.getTime()) / HOUR;

// Three people, Monday 09:00. In Berlin shift 0 is 2026-03-02T08:00Z, shift 1 starts 03-09, shift 2 03-16.
const berlin: RotationRules = {
  order: ['UA', 'UB', 'UC'],
  handoffWeekday: 1,
  handoffTime: '09:00',
  zone: 'Europe/Berlin',
  startDate: '2026-03-02',
};
const newYork: RotationRules = { ...berlin, zone: 'America/New_York' };
const SHIFT0 = d('2026-03-02T08:00:00Z');
const SHIFT1 = d('2026-03-09T08:00:00Z');
const SHIFT2 = d('2026-03-16T08:00:00Z');

function leave(userId: string, start: string, end: string, replacement?: string | null): Leave {
  return { userId, start: d(start), end: d(end), replacement };
}
function override(
  id: string,
  position: Override['position'],
  userId: string,
  start: string,
  end: string,
): Override {
  return { id, position, userId, start: d(start), end: d(end) };
}
const pairs = (segs: Segment[]) => segs.map((s) => [s.start.toISOString(), s.primary, s.secondary]);

describe('shift starts across DST', () => {
  it.each([
    // EU spring forward 2026-03-29: the week containing it is 167 h, and the handoff stays at 09:00 local.
    ['Europe/Berlin', 2, '2026-03-16T08:00:00.000Z', 168],
    ['Europe/Berlin', 3, '2026-03-23T08:00:00.000Z', 167],
    ['Europe/Berlin', 4, '2026-03-30T07:00:00.000Z', 168],
    ['Europe/Berlin', 33, '2026-10-19T07:00:00.000Z', 169],
    ['Europe/Berlin', 34, '2026-10-26T08:00:00.000Z', 168],
    // US spring forward 2026-03-08 falls in shift 0 itself; fall back 2026-11-01 in shift 34.
    ['America/New_York', -1, '2026-02-23T14:00:00.000Z', 168],
    ['America/New_York', 0, '2026-03-02T14:00:00.000Z', 167],
    ['America/New_York', 1, '2026-03-09T13:00:00.000Z', 168],
    ['America/New_York', 33, '2026-10-19T13:00:00.000Z', 168],
    ['America/New_York', 34, '2026-10-26T13:00:00.000Z', 169],
  ])('%s shift %i starts at %s and lasts %i h', (zone, index, start, length) => {
    const r = { ...berlin, zone };
    expect(shiftStart(r, index).toISOString()).toBe(start);
    expect(hours({ start: shiftStart(r, index), end: shiftStart(r, index + 1) })).toBe(length);
  });

  it.each([berlin, newYork])(
    'keeps every 2026 shift of $zone at Monday 09:00 local, none dropped or doubled',
    (r) => {
      const shifts = baseShifts(r, [], d('2026-01-01T00:00:00Z'), d('2027-01-01T00:00:00Z'));
      expect(shifts).toHaveLength(53);
      shifts.forEach((s, i) => {
        const local = DateTime.fromJSDate(s.start, { zone: r.zone });
        expect([local.weekday, local.hour, local.minute]).toEqual([1, 9, 0]);
        expect(s.index).toBe((shifts[0]?.index ?? 0) + i);
        expect(s.primary).toBe(r.order[(((s.index % 3) + 3) % 3) as number]);
        if (i > 0) expect(s.start).toEqual(shifts[i - 1]?.end);
      });
      const lengths = shifts.map(hours);
      expect(lengths.filter((h) => h === 167)).toHaveLength(1);
      expect(lengths.filter((h) => h === 169)).toHaveLength(1);
      expect(lengths.filter((h) => h === 168)).toHaveLength(51);
    },
  );

  it('pushes a handoff inside the spring-forward gap to just after it, keeping the shift', () => {
    // Sunday 02:30 does not exist in Berlin on 2026-03-29; that shift starts 03:30 CEST (01:30Z) instead.
    const r = { ...berlin, handoffWeekday: 7, handoffTime: '02:30', startDate: '2026-03-22' };
    expect(shiftStart(r, 1).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    const shifts = baseShifts(r, [], d('2026-03-22T00:00:00Z'), d('2026-04-12T00:00:00Z'));
    expect(shifts.map((s) => s.index)).toEqual([-1, 0, 1, 2]);
    expect(shifts.map(hours)).toEqual([168, 168, 167, 168]);
  });

  it('finds the shift containing an instant, boundaries included, before shift 0 too', () => {
    expect(shiftIndexAt(berlin, SHIFT1)).toBe(1);
    expect(shiftIndexAt(berlin, new Date(SHIFT1.getTime() - 1))).toBe(0);
    expect(shiftIndexAt(berlin, d('2026-03-30T07:00:00Z'))).toBe(4);
    expect(shiftIndexAt(berlin, d('2026-03-30T06:59:59Z'))).toBe(3);
    expect(shiftIndexAt(berlin, d('2025-12-31T12:00:00Z'))).toBe(-9);
    expect(shiftStart(berlin, -9).toISOString()).toBe('2025-12-29T08:00:00.000Z');
  });

  it('refuses to compute shifts from invalid rules, saying why', () => {
    expect(() => shiftStart({ ...berlin, zone: 'Mars/Olympus' }, 0)).toThrow(/Mars\/Olympus/);
  });
});

describe('assignment with leave', () => {
  const shift = (leaves: Leave[], index = 0, r = berlin) =>
    baseShifts(r, leaves, shiftStart(r, index), shiftStart(r, index + 1))[0];

  it('follows the order with no leave: primary order[k], secondary the next person', () => {
    expect(
      baseShifts(berlin, [], SHIFT0, d('2026-03-23T08:00:00Z')).map((s) => [s.primary, s.secondary]),
    ).toEqual([
      ['UA', 'UB'],
      ['UB', 'UC'],
      ['UC', 'UA'],
    ]);
  });

  it('skips a primary on leave at any moment of the shift; the next person covers and keeps their own week', () => {
    const leaves = [leave('UA', '2026-03-04T00:00:00Z', '2026-03-04T01:00:00Z')];
    const shifts = baseShifts(berlin, leaves, SHIFT0, d('2026-03-23T08:00:00Z'));
    expect(shifts.map((s) => [s.primary, s.secondary])).toEqual([
      ['UB', 'UC'],
      ['UB', 'UC'],
      ['UC', 'UA'],
    ]);
  });

  it('treats leave as half-open: ending at the handoff or starting at the next one does not touch the shift', () => {
    const leaves = [
      leave('UA', '2026-02-20T00:00:00Z', SHIFT0.toISOString()),
      leave('UA', SHIFT1.toISOString(), '2026-03-12T00:00:00Z'),
    ];
    expect(shift(leaves)).toMatchObject({ primary: 'UA', secondary: 'UB' });
  });

  it('skips a secondary on leave', () => {
    expect(shift([leave('UB', '2026-03-08T00:00:00Z', '2026-03-20T00:00:00Z')])).toMatchObject({
      primary: 'UA',
      secondary: 'UC',
    });
  });

  it('leaves the secondary empty with one eligible person, and both empty with none', () => {
    const away = (u: string) => leave(u, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    expect(shift([away('UA'), away('UB')])).toMatchObject({ primary: 'UC', secondary: null });
    expect(shift([away('UA'), away('UB'), away('UC')])).toMatchObject({ primary: null, secondary: null });
  });

  it('lets a named replacement take the absent person’s place instead of skipping them', () => {
    const leaves = [leave('UA', '2026-03-01T00:00:00Z', '2026-03-20T00:00:00Z', 'UD')];
    expect(shift(leaves)).toMatchObject({ primary: 'UD', secondary: 'UB' });
    expect(shift([leave('UB', '2026-03-01T00:00:00Z', '2026-03-20T00:00:00Z', 'UD')])).toMatchObject({
      primary: 'UA',
      secondary: 'UD',
    });
  });

  it('skips as usual when the replacement is on leave too, and never doubles up a replacement', () => {
    const away = leave('UA', '2026-03-01T00:00:00Z', '2026-03-20T00:00:00Z', 'UD');
    expect(shift([away, leave('UD', '2026-03-08T00:00:00Z', '2026-03-08T01:00:00Z')])).toMatchObject({
      primary: 'UB',
      secondary: 'UC',
    });
    // UB covers for UA, so UB's own turn as secondary passes to UC.
    expect(shift([{ ...away, replacement: 'UB' }])).toMatchObject({ primary: 'UB', secondary: 'UC' });
  });
});

describe('finalSchedule', () => {
  const week0: [Date, Date] = [SHIFT0, SHIFT1];

  it('carves an override out of the base shift for exactly its time', () => {
    const o = override('o1', 'primary', 'UD', '2026-03-04T12:00:00Z', '2026-03-05T12:00:00Z');
    const segs = finalSchedule(berlin, [], [o], ...week0);
    expect(pairs(segs)).toEqual([
      ['2026-03-02T08:00:00.000Z', 'UA', 'UB'],
      ['2026-03-04T12:00:00.000Z', 'UD', 'UB'],
      ['2026-03-05T12:00:00.000Z', 'UA', 'UB'],
    ]);
    expect(segs.map((s) => s.primaryOverride)).toEqual([null, 'o1', null]);
    expect(segs.at(-1)?.end).toEqual(SHIFT1);
  });

  it('splits an override that spans a handoff by shift, and keeps the other position from the rotation', () => {
    const o = override('o2', 'secondary', 'UD', '2026-03-08T00:00:00Z', '2026-03-10T00:00:00Z');
    const segs = finalSchedule(berlin, [], [o], SHIFT0, SHIFT2);
    expect(segs.map((s) => [s.shiftIndex, s.primary, s.secondary, s.secondaryOverride])).toEqual([
      [0, 'UA', 'UB', null],
      [0, 'UA', 'UD', 'o2'],
      [1, 'UB', 'UD', 'o2'],
      [1, 'UB', 'UC', null],
    ]);
    expect(segs[2]?.start).toEqual(SHIFT1);
  });

  it('lets the later override in the array win where two of the same position overlap', () => {
    const first = override('o1', 'primary', 'UD', '2026-03-04T00:00:00Z', '2026-03-06T00:00:00Z');
    const second = override('o2', 'primary', 'UE', '2026-03-05T00:00:00Z', '2026-03-07T00:00:00Z');
    expect(pairs(finalSchedule(berlin, [], [first, second], ...week0)).slice(1, 4)).toEqual([
      ['2026-03-04T00:00:00.000Z', 'UD', 'UB'],
      ['2026-03-05T00:00:00.000Z', 'UE', 'UB'],
      ['2026-03-07T00:00:00.000Z', 'UA', 'UB'],
    ]);
    expect(pairs(finalSchedule(berlin, [], [second, first], ...week0)).slice(1, 4)).toEqual([
      ['2026-03-04T00:00:00.000Z', 'UD', 'UB'],
      ['2026-03-06T00:00:00.000Z', 'UE', 'UB'],
      ['2026-03-07T00:00:00.000Z', 'UA', 'UB'],
    ]);
  });

  it('merges adjacent pieces with the same holders and the same override', () => {
    const first = override('o1', 'primary', 'UD', '2026-03-04T00:00:00Z', '2026-03-06T00:00:00Z');
    const second = override('o2', 'primary', 'UD', '2026-03-05T00:00:00Z', '2026-03-07T00:00:00Z');
    const segs = finalSchedule(berlin, [], [first, second], ...week0);
    // o2 covers [03-05, 03-06) and [03-06, 03-07): one segment, not two.
    expect(segs.map((s) => [s.start.toISOString(), s.end.toISOString(), s.primaryOverride])).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-04T00:00:00.000Z', null],
      ['2026-03-04T00:00:00.000Z', '2026-03-05T00:00:00.000Z', 'o1'],
      ['2026-03-05T00:00:00.000Z', '2026-03-07T00:00:00.000Z', 'o2'],
      ['2026-03-07T00:00:00.000Z', '2026-03-09T08:00:00.000Z', null],
    ]);
  });

  it('applies an override that makes primary and secondary the same person (the service warns)', () => {
    const o = override('o1', 'primary', 'UB', '2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z');
    expect(finalSchedule(berlin, [], [o], ...week0)[1]).toMatchObject({
      primary: 'UB',
      secondary: 'UB',
      primaryOverride: 'o1',
    });
  });

  it('clips to the window, ignores overrides outside it, and is empty for an empty window', () => {
    const from = d('2026-03-05T10:00:00Z');
    const to = d('2026-03-10T10:00:00Z');
    const outside = override('o9', 'primary', 'UD', '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z');
    const segs = finalSchedule(berlin, [], [outside], from, to);
    expect(segs.map((s) => [s.start, s.end, s.shiftIndex])).toEqual([
      [from, SHIFT1, 0],
      [SHIFT1, to, 1],
    ]);
    expect(finalSchedule(berlin, [], [], to, from)).toEqual([]);
  });
});

describe('onCallAt', () => {
  const o = override('o1', 'primary', 'UD', '2026-03-04T12:00:00Z', '2026-03-05T12:00:00Z');

  it('runs until the next handoff when nothing else changes', () => {
    expect(onCallAt(berlin, [], [], d('2026-03-03T00:00:00Z'))).toEqual({
      primary: 'UA',
      secondary: 'UB',
      until: SHIFT1,
      shiftIndex: 0,
    });
  });

  it('stops at an override edge, and reports the override holder during it', () => {
    expect(onCallAt(berlin, [], [o], d('2026-03-03T00:00:00Z')).until).toEqual(o.start);
    expect(onCallAt(berlin, [], [o], d('2026-03-04T13:00:00Z'))).toMatchObject({
      primary: 'UD',
      until: o.end,
    });
  });

  it('belongs to the new shift exactly at the handoff', () => {
    expect(onCallAt(berlin, [], [], SHIFT1)).toMatchObject({ primary: 'UB', secondary: 'UC', shiftIndex: 1 });
  });

  it('looks past a handoff that keeps the same pair', () => {
    // UA is away in shift 0, so UB/UC hold shifts 0 and 1 and the pair only changes at shift 2.
    const away = [leave('UA', '2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z')];
    expect(onCallAt(berlin, away, [], d('2026-03-03T00:00:00Z'))).toMatchObject({
      until: SHIFT2,
      shiftIndex: 0,
    });
  });

  it('gives about a year as `until` when the pair never changes', () => {
    const solo = { ...berlin, order: ['UA'] };
    const now = onCallAt(solo, [], [], d('2026-03-03T00:00:00Z'));
    expect(now).toMatchObject({ primary: 'UA', secondary: null });
    expect(now.until.getTime() - SHIFT0.getTime()).toBeGreaterThanOrEqual(52 * 168 * HOUR);
  });
});

describe('overlapsExisting', () => {
  const existing = [
    override('o1', 'primary', 'UD', '2026-03-04T00:00:00Z', '2026-03-05T00:00:00Z'),
    override('o2', 'secondary', 'UD', '2026-03-06T00:00:00Z', '2026-03-07T00:00:00Z'),
  ];
  const candidate = (position: Override['position'], start: string, end: string) => ({
    position,
    userId: 'UE',
    start: d(start),
    end: d(end),
  });

  it('finds an overlapping override of the same position', () => {
    expect(
      overlapsExisting(existing, candidate('primary', '2026-03-04T12:00:00Z', '2026-03-06T00:00:00Z'))?.id,
    ).toBe('o1');
  });

  it('ignores the other position, touching edges and empty candidates', () => {
    expect(
      overlapsExisting(existing, candidate('secondary', '2026-03-04T00:00:00Z', '2026-03-05T00:00:00Z')),
    ).toBe(undefined);
    expect(
      overlapsExisting(existing, candidate('primary', '2026-03-05T00:00:00Z', '2026-03-06T00:00:00Z')),
    ).toBe(undefined);
    expect(
      overlapsExisting(existing, candidate('primary', '2026-03-04T12:00:00Z', '2026-03-04T12:00:00Z')),
    ).toBe(undefined);
  });
});

describe('uncoveredShifts', () => {
  it('lists only shifts lacking a primary or a secondary', () => {
    const leaves = [
      leave('UA', '2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z'),
      leave('UB', '2026-03-12T00:00:00Z', '2026-03-13T00:00:00Z'),
    ];
    const gaps = uncoveredShifts(berlin, leaves, SHIFT0, d('2026-03-23T08:00:00Z'));
    expect(gaps.map((s) => [s.index, s.primary, s.secondary])).toEqual([[1, 'UC', null]]);
    expect(uncoveredShifts(berlin, [], SHIFT0, d('2026-06-01T00:00:00Z'))).toEqual([]);
  });
});

describe('validateRules', () => {
  it('accepts good rules', () => {
    expect(validateRules(berlin)).toEqual([]);
  });

  it.each([
    [{ order: [] }, /nobody in it/],
    [{ order: ['UA', 'UB', 'UA'] }, /UA is listed more than once/],
    [{ zone: 'Europe/Atlantis' }, /"Europe\/Atlantis" is not a time zone/],
    [{ handoffTime: '9am' }, /"9am" is not a 24-hour HH:mm time/],
    [{ handoffTime: '24:00' }, /"24:00" is not a 24-hour HH:mm time/],
    [{ handoffWeekday: 0 }, /must be 1 \(Monday\) to 7 \(Sunday\)/],
    [{ startDate: '2026-02-30' }, /"2026-02-30" is not a real date/],
    [{ startDate: '2026-03-03' }, /2026-03-03 is a Tuesday, but handoffs happen on Mondays/],
  ])('explains %o', (change, message) => {
    const problems = validateRules({ ...berlin, ...change });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('lists every problem at once', () => {
    expect(validateRules({ ...berlin, order: [], zone: 'Nowhere', handoffTime: '' })).toHaveLength(3);
  });
});

// Property tests: random rules in zones with and without DST, random leaves and overrides, random windows.
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
const POOL = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7'];
const MINUTE = 60_000;
const WEEK_MIN = 7 * 24 * 60;
const pad = (n: number) => String(n).padStart(2, '0');

const rulesArb = fc
  .record({
    order: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 6 }),
    handoffWeekday: fc.integer({ min: 1, max: 7 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.constantFrom(0, 15, 30, 45),
    zone: fc.constantFrom(...ZONES),
    dayOffset: fc.integer({ min: 0, max: 1100 }),
  })
  .map(({ order, handoffWeekday, hour, minute, zone, dayOffset }): RotationRules => {
    const day = DateTime.fromISO('2025-01-01', { zone: 'UTC' }).plus({ days: dayOffset });
    const startDate = day.plus({ days: (handoffWeekday - day.weekday + 7) % 7 }).toISODate() as string;
    return { order, handoffWeekday, handoffTime: `${pad(hour)}:${pad(minute)}`, zone, startDate };
  });

/** Offsets in whole minutes from the window start, so instants are second-aligned like iCalendar's. */
const span = (maxStart: number, maxLength: number) =>
  fc.record({
    at: fc.integer({ min: -2 * WEEK_MIN, max: maxStart }),
    length: fc.integer({ min: 1, max: maxLength }),
  });

const scenarioArb = fc
  .record({
    rules: rulesArb,
    fromOffset: fc.integer({ min: -30 * WEEK_MIN, max: 60 * WEEK_MIN }),
    length: fc.integer({ min: 1, max: 10 * WEEK_MIN }),
    leaves: fc.array(
      fc.record({
        user: fc.constantFrom(...POOL),
        span: span(11 * WEEK_MIN, 5 * WEEK_MIN),
        replacement: fc.option(fc.constantFrom(...POOL)),
      }),
      { maxLength: 5 },
    ),
    overrides: fc.array(
      fc.record({
        position: fc.constantFrom<Override['position']>('primary', 'secondary'),
        user: fc.constantFrom(...POOL),
        span: span(11 * WEEK_MIN, 2 * WEEK_MIN),
      }),
      { maxLength: 4 },
    ),
  })
  .map((s) => {
    const from = new Date(shiftStart(s.rules, 0).getTime() + s.fromOffset * MINUTE);
    const at = (offset: number) => new Date(from.getTime() + offset * MINUTE);
    const leaves: Leave[] = s.leaves.map((l) => ({
      userId: l.user,
      start: at(l.span.at),
      end: at(l.span.at + l.span.length),
      replacement: l.replacement,
    }));
    const overrides: Override[] = s.overrides.map((o, i) => ({
      id: `o${i}`,
      position: o.position,
      userId: o.user,
      start: at(o.span.at),
      end: at(o.span.at + o.span.length),
    }));
    return { rules: s.rules, leaves, overrides, from, to: at(s.length) };
  });

describe('schedule properties', () => {
  it('covers [from, to) exactly once with sorted, contiguous, non-empty segments', () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules, leaves, overrides, from, to }) => {
        const segs = finalSchedule(rules, leaves, overrides, from, to);
        expect(segs[0]?.start).toEqual(from);
        expect(segs.at(-1)?.end).toEqual(to);
        segs.forEach((s, i) => {
          expect(s.start < s.end).toBe(true);
          if (i > 0) expect(s.start).toEqual(segs[i - 1]?.end);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('never pairs someone with themselves, nor gives a base position to someone on leave, unless an override does', () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules, leaves, overrides, from, to }) => {
        for (const s of finalSchedule(rules, leaves, overrides, from, to)) {
          if (!s.primaryOverride && !s.secondaryOverride) {
            if (s.primary === null) expect(s.secondary).toBeNull();
            else expect(s.secondary).not.toBe(s.primary);
          }
          const shift = { start: shiftStart(rules, s.shiftIndex), end: shiftStart(rules, s.shiftIndex + 1) };
          for (const [holder, by] of [
            [s.primary, s.primaryOverride],
            [s.secondary, s.secondaryOverride],
          ]) {
            if (holder === null || by !== null) continue;
            const away = leaves.filter(
              (l) => l.userId === holder && l.start < shift.end && shift.start < l.end,
            );
            expect(away.filter((l) => l.start < l.end)).toEqual([]);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gives each position to the last override covering a segment, and to nobody else', () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules, leaves, overrides, from, to }) => {
        for (const s of finalSchedule(rules, leaves, overrides, from, to)) {
          for (const position of ['primary', 'secondary'] as const) {
            const top = overrides.findLast(
              (o) => o.position === position && o.start <= s.start && o.end >= s.end,
            );
            expect(position === 'primary' ? s.primaryOverride : s.secondaryOverride).toBe(top?.id ?? null);
            if (top) expect(s[position]).toBe(top.userId);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('agrees with onCallAt at any instant of the window', () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (s, frac) => {
        const at = new Date(s.from.getTime() + Math.floor(frac * (s.to.getTime() - s.from.getTime())));
        const seg = finalSchedule(s.rules, s.leaves, s.overrides, s.from, s.to).find(
          (x) => x.start <= at && at < x.end,
        );
        const now = onCallAt(s.rules, s.leaves, s.overrides, at);
        expect([now.primary, now.secondary, now.shiftIndex]).toEqual([
          seg?.primary,
          seg?.secondary,
          seg?.shiftIndex,
        ]);
        expect(now.until.getTime()).toBeGreaterThan(at.getTime());
        // The one-shift lookup intake uses gives the same pair.
        const only = onCallAtOnly(s.rules, s.leaves, s.overrides, at);
        expect([only.primary, only.secondary]).toEqual([now.primary, now.secondary]);
      }),
      { numRuns: 100 },
    );
  });

  it('finds the same next change of hands whether or not the pair changes within two shifts', () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (s, frac) => {
        const at = new Date(s.from.getTime() + Math.floor(frac * (s.to.getTime() - s.from.getTime())));
        const now = onCallAt(s.rules, s.leaves, s.overrides, at);
        // The first segment after `at` whose pair differs, from most of a year of the schedule at once.
        const year = finalSchedule(
          s.rules,
          s.leaves,
          s.overrides,
          at,
          new Date(at.getTime() + 360 * 86_400_000),
        );
        const change = year.find((x) => x.primary !== now.primary || x.secondary !== now.secondary);
        if (change) expect(now.until).toEqual(change.start);
      }),
      { numRuns: 100 },
    );
  });

  it('gives every member exactly k primary and k secondary shifts over n·k shifts when nobody is away', () => {
    fc.assert(
      fc.property(
        rulesArb,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: -60, max: 60 }),
        (r, k, first) => {
          const n = r.order.length;
          const shifts = baseShifts(r, [], shiftStart(r, first), shiftStart(r, first + n * k));
          expect(shifts).toHaveLength(n * k);
          for (const member of r.order) {
            expect(shifts.filter((s) => s.primary === member)).toHaveLength(k);
            expect(shifts.filter((s) => s.secondary === member)).toHaveLength(n > 1 ? k : 0);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
