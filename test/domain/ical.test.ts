import fc from 'fast-check';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type CalendarEvent, parseICal, scheduleToICal, segmentsFromEvents } from '../../src/domain/ical.js';
import {
  finalSchedule,
  type Leave,
  type Override,
  type RotationRules,
  type Segment,
  shiftStart,
} from '../../src/domain/rotation.js';

const d = (iso: string) => new Date(iso);
const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
const rules: RotationRules = {
  order: ['UA', 'UB', 'UC'],
  handoffWeekday: 1,
  handoffTime: '09:00',
  zone: 'Europe/Berlin',
  startDate: '2026-03-02',
};
const people = {
  UA: { name: 'Ada Lovelace', email: 'ada@example.org' },
  UB: { name: 'Bob "Bobby" Tables, Jr; the third', email: null },
  UC: {
    name: 'Zoë Ångström-Ødegård with a name long enough that its lines must be folded',
    email: 'zoe@example.org',
  },
};
const opts = { calendarName: 'SRC oncall', generatedAt: d('2026-03-01T12:00:00Z') };
// Three weeks across the EU spring-forward, with a primary override carving shift 2.
const overrides: Override[] = [
  {
    id: 'o1',
    position: 'primary',
    userId: 'UB',
    start: d('2026-03-18T10:00:00Z'),
    end: d('2026-03-19T10:00:00Z'),
  },
];
const segments = finalSchedule(rules, [], overrides, d('2026-03-16T08:00:00Z'), d('2026-04-06T07:00:00Z'));

describe('scheduleToICal', () => {
  const text = scheduleToICal(segments, people, opts);
  const cal = new ICAL.Component(ICAL.parse(text));
  const vevents = cal.getAllSubcomponents('vevent');

  it('writes a VCALENDAR that ical.js reads back, with the calendar-level properties', () => {
    expect(cal.name).toBe('vcalendar');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toMatch(/srp/);
    expect(cal.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('SRC oncall');
  });

  it('uses CRLF line endings only and folds long lines to 75 octets', () => {
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75 + 3);
  });

  it('writes one event per segment and position with a holder, each with UID, DTSTAMP and UTC DTSTART/DTEND', () => {
    expect(vevents).toHaveLength(segments.length * 2);
    for (const ev of vevents) {
      for (const prop of ['uid', 'dtstamp', 'dtstart', 'dtend']) expect(ev.hasProperty(prop)).toBe(true);
      expect(ev.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-03-01T12:00:00Z');
      expect(ev.getFirstPropertyValue('dtstart')?.toString()).toMatch(/Z$/);
      expect(ev.getFirstPropertyValue('dtend')?.toString()).toMatch(/Z$/);
    }
    expect(new Set(vevents.map((ev) => ev.getFirstPropertyValue('uid'))).size).toBe(vevents.length);
    expect(text).toMatch(/^DTSTART:20260323T080000Z\r$/m);
    expect(text).toMatch(/^DTEND:20260330T070000Z\r$/m);
  });

  it('names the position and person, tags our ids, and adds an attendee only when the email is known', () => {
    const find = (user: string) => vevents.find((ev) => ev.getFirstPropertyValue('x-srp-user') === user);
    const first = find('UA') as InstanceType<typeof ICAL.Component>;
    expect(first.getFirstPropertyValue('summary')).toBe('Secondary oncall: Ada Lovelace');
    expect(first.getFirstPropertyValue('x-srp-role')).toBe('secondary');
    expect(first.getFirstPropertyValue('x-srp-user')).toBe('UA');
    expect(first.getFirstProperty('attendee')?.getParameter('cn')).toBe('Ada Lovelace');
    expect(first.getFirstPropertyValue('attendee')).toBe('mailto:ada@example.org');
    const bob = find('UB') as InstanceType<typeof ICAL.Component>;
    expect(bob.getFirstPropertyValue('summary')).toBe('Primary oncall: Bob "Bobby" Tables, Jr; the third');
    expect(bob.hasProperty('attendee')).toBe(false);
  });

  it('keeps UIDs stable across exports so calendar clients update instead of duplicating', () => {
    const again = scheduleToICal(segments, people, { ...opts, generatedAt: d('2026-03-20T00:00:00Z') });
    const uids = (t: string) => t.match(/^UID:.*$/gm);
    expect(uids(again)).toEqual(uids(text));
    expect(again).not.toBe(text);
  });

  it('marks a stretch with nobody on call instead of leaving a silent hole', () => {
    const empty: Segment = { ...(segments[0] as Segment), primary: null, secondary: null };
    const out = scheduleToICal([empty], people, opts);
    expect(out).toMatch(/SUMMARY:Primary oncall: nobody available/);
    expect(out).not.toMatch(/X-SRP-USER/);
  });
});

describe('parseICal on our own export', () => {
  it('reads positions, user ids, names and emails back', () => {
    const { events, problems } = parseICal(scheduleToICal(segments, people, opts));
    expect(problems).toEqual([]);
    expect(events[1]).toEqual({
      start: d('2026-03-16T08:00:00Z'),
      end: d('2026-03-18T10:00:00Z'),
      position: 'secondary',
      userId: 'UA',
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      shiftIndex: 2,
    });
    expect(events.find((e) => e.userId === 'UB')).toMatchObject({
      name: 'Bob "Bobby" Tables, Jr; the third',
      email: null,
    });
  });

  it('round-trips to the same segments, override ids aside', () => {
    const back = segmentsFromEvents(parseICal(scheduleToICal(segments, people, opts)).events);
    expect(back).toEqual(segments.map((s) => ({ ...s, primaryOverride: null, secondaryOverride: null })));
  });
});

// Random schedules in several zones, with leaves (so some stretches have nobody) and overrides.
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
const POOL = ['U1', 'U2', 'U3', 'U4', 'U5'];
const WEEK_MIN = 7 * 24 * 60;
const MINUTE = 60_000;
const offsetSpan = fc.record({
  at: fc.integer({ min: -WEEK_MIN, max: 6 * WEEK_MIN }),
  length: fc.integer({ min: 1, max: 3 * WEEK_MIN }),
});
const scheduleArb = fc
  .record({
    order: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 4 }),
    weekday: fc.integer({ min: 1, max: 7 }),
    hour: fc.integer({ min: 0, max: 23 }),
    zone: fc.constantFrom(...ZONES),
    fromOffset: fc.integer({ min: -20 * WEEK_MIN, max: 40 * WEEK_MIN }),
    length: fc.integer({ min: 1, max: 6 * WEEK_MIN }),
    leaves: fc.array(fc.record({ user: fc.constantFrom(...POOL), span: offsetSpan }), { maxLength: 4 }),
    overrides: fc.array(
      fc.record({
        position: fc.constantFrom<'primary' | 'secondary'>('primary', 'secondary'),
        user: fc.constantFrom(...POOL),
        span: offsetSpan,
      }),
      { maxLength: 3 },
    ),
  })
  .map((s) => {
    const day = DateTime.fromISO('2026-01-05', { zone: 'UTC' }).plus({ days: s.weekday - 1 });
    const r: RotationRules = {
      order: s.order,
      handoffWeekday: s.weekday,
      handoffTime: `${String(s.hour).padStart(2, '0')}:00`,
      zone: s.zone,
      startDate: day.toISODate() as string,
    };
    const from = new Date(shiftStart(r, 0).getTime() + s.fromOffset * MINUTE);
    const at = (m: number) => new Date(from.getTime() + m * MINUTE);
    const leaves: Leave[] = s.leaves.map((l) => ({
      userId: l.user,
      start: at(l.span.at),
      end: at(l.span.at + l.span.length),
    }));
    const ovs: Override[] = s.overrides.map((o, i) => ({
      id: `o${i}`,
      position: o.position,
      userId: o.user,
      start: at(o.span.at),
      end: at(o.span.at + o.span.length),
    }));
    return finalSchedule(r, leaves, ovs, from, at(s.length));
  });

describe('round-trip property', () => {
  it('segmentsFromEvents(parseICal(scheduleToICal(s))) equals s without override ids', () => {
    const names = Object.fromEntries(
      POOL.map((u, i) => [u, { name: `Person ${i}, "quoted"; x`, email: `${u}@ex.org` }]),
    );
    fc.assert(
      fc.property(scheduleArb, (segs) => {
        const { events, problems } = parseICal(scheduleToICal(segs, names, opts));
        expect(problems).toEqual([]);
        expect(segmentsFromEvents(events)).toEqual(
          segs.map((s) => ({ ...s, primaryOverride: null, secondaryOverride: null })),
        );
      }),
      { numRuns: 100 },
    );
  });
});

const BERLIN_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** A foreign export: one weekly recurring event per position, local times in a named zone. */
function foreign(tzid: string, withVtimezone: boolean, extra: string[] = []): string {
  return crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Example Corp//Oncall export//EN',
    ...(withVtimezone ? BERLIN_VTIMEZONE.map((l) => l.replace('W. Europe Standard Time', tzid)) : []),
    'BEGIN:VEVENT',
    'UID:rotation-primary@example.com',
    'DTSTAMP:20260301T000000Z',
    `DTSTART;TZID=${tzid}:20260316T090000`,
    `DTEND;TZID=${tzid}:20260323T090000`,
    'RRULE:FREQ=WEEKLY;COUNT=4',
    'SUMMARY:On call: Alice Example',
    'ATTENDEE;CN=Alice Example;ROLE=REQ-PARTICIPANT:mailto:alice@example.com',
    ...extra,
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:rotation-secondary@example.com',
    'DTSTAMP:20260301T000000Z',
    `DTSTART;TZID=${tzid}:20260316T090000`,
    `DTEND;TZID=${tzid}:20260323T090000`,
    'RRULE:FREQ=WEEKLY;UNTIL=20260324T000000Z',
    'SUMMARY:Secondary on-call - Bob Builder',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
}

const ALICE_WEEKS = [
  ['2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z'],
  ['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z'], // spans the EU spring-forward: 167 h
  ['2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z'],
  ['2026-04-06T07:00:00.000Z', '2026-04-13T07:00:00.000Z'],
];
const spans = (events: CalendarEvent[], position: CalendarEvent['position']) =>
  events.filter((e) => e.position === position).map((e) => [e.start.toISOString(), e.end.toISOString()]);

describe('parseICal on foreign calendars', () => {
  it.each([
    ['a VTIMEZONE under an Outlook-style TZID', 'W. Europe Standard Time', true],
    ['a VTIMEZONE named Europe/Berlin', 'Europe/Berlin', true],
    ['an IANA TZID without VTIMEZONE (read with Luxon)', 'Europe/Berlin', false],
  ])('expands a weekly RRULE across DST at 09:00 Berlin time, with %s', (_label, tzid, withVtimezone) => {
    const { events, problems } = parseICal(foreign(tzid, withVtimezone));
    expect(problems).toEqual([]);
    expect(spans(events, 'primary')).toEqual(ALICE_WEEKS);
    expect(spans(events, 'secondary')).toEqual(ALICE_WEEKS.slice(0, 2));
    expect(events[0]).toMatchObject({ userId: null, name: 'Alice Example', email: 'alice@example.com' });
    expect(events.find((e) => e.position === 'secondary')).toMatchObject({
      name: 'Bob Builder',
      email: null,
    });
  });

  it('keeps the wall-clock length when the first occurrence itself spans the DST change', () => {
    // The first week is 167 h; later weeks must still run Monday 09:00 to Monday 09:00, not 167 h each.
    const text = crlf([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:dst-first@example.com',
      'DTSTART;TZID=Europe/Berlin:20260323T090000',
      'DTEND;TZID=Europe/Berlin:20260330T090000',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'SUMMARY:On call: Alice Example',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    expect(spans(parseICal(text).events, 'primary')).toEqual(ALICE_WEEKS.slice(1));
  });

  it('honours EXDATE and a RECURRENCE-ID instance that hands one week to someone else', () => {
    const text = foreign('Europe/Berlin', true, ['EXDATE;TZID=Europe/Berlin:20260406T090000']).replace(
      'END:VCALENDAR',
      [
        'BEGIN:VEVENT',
        'UID:rotation-primary@example.com',
        'DTSTAMP:20260301T000000Z',
        'RECURRENCE-ID;TZID=Europe/Berlin:20260323T090000',
        'DTSTART;TZID=Europe/Berlin:20260323T090000',
        'DTEND;TZID=Europe/Berlin:20260330T090000',
        'SUMMARY:Primary oncall: Carol Cover',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join('\r\n'),
    );
    const { events, problems } = parseICal(text);
    expect(problems).toEqual([]);
    expect(spans(events, 'primary')).toEqual(ALICE_WEEKS.slice(0, 3));
    expect(events.filter((e) => e.position === 'primary').map((e) => e.name)).toEqual([
      'Alice Example',
      'Carol Cover',
      'Alice Example',
    ]);
  });

  it('reads moved instances whose recurring event is not in the file as ordinary events', () => {
    const instance = (day: string, who: string) => [
      'BEGIN:VEVENT',
      'UID:rotation@example.com',
      `RECURRENCE-ID:${day}T080000Z`,
      `DTSTART:${day}T080000Z`,
      `DTEND:${day}T160000Z`,
      `SUMMARY:On call: ${who}`,
      'END:VEVENT',
    ];
    const text = crlf([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      ...instance('20260302', 'Ann'),
      ...instance('20260303', 'Ben'),
      'END:VCALENDAR',
    ]);
    const { events, problems } = parseICal(text);
    expect(problems).toEqual([]);
    expect(events.map((e) => [e.start.toISOString(), e.name])).toEqual([
      ['2026-03-02T08:00:00.000Z', 'Ann'],
      ['2026-03-03T08:00:00.000Z', 'Ben'],
    ]);
  });

  it('bounds endless rules: about two years of weeks, and at most 1000 occurrences with a note', () => {
    const weekly = parseICal(foreign('Europe/Berlin', true).replace('COUNT=4', 'INTERVAL=1'));
    const alice = weekly.events.filter((e) => e.position === 'primary');
    expect(alice.length).toBeGreaterThanOrEqual(104);
    expect(alice.length).toBeLessThanOrEqual(106);
    expect(weekly.problems).toEqual([]);
    const hourly = parseICal(
      crlf([
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        'UID:hourly@example.com',
        'DTSTART:20260316T090000Z',
        'DTEND:20260316T100000Z',
        'RRULE:FREQ=HOURLY',
        'SUMMARY:On call: Alice Example',
        'END:VEVENT',
        'END:VCALENDAR',
      ]),
    );
    expect(hourly.events.filter((e) => e.position === 'primary')).toHaveLength(1000);
    expect(hourly.problems).toEqual([
      expect.stringMatching(/"On call: Alice Example" repeats more than 1000 times/),
    ]);
  });
});

describe('parseICal on bad input', () => {
  const event = (...lines: string[]) =>
    crlf([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:x',
      'SUMMARY:On call: Dana',
      ...lines,
      'END:VEVENT',
      'END:VCALENDAR',
    ]);

  it.each([
    ['an empty file', '', /not an iCalendar file/],
    ['plain text', 'hello, calendar', /not an iCalendar file/],
    ['JSON', '{"events": []}', /not an iCalendar file/],
    ['a vCard', crlf(['BEGIN:VCARD', 'VERSION:4.0', 'FN:Dana', 'END:VCARD']), /no BEGIN:VCALENDAR/],
    ['a calendar without events', crlf(['BEGIN:VCALENDAR', 'VERSION:2.0', 'END:VCALENDAR']), /no events/],
    ['an event without DTSTART', event('DTEND:20260301T000000Z'), /"On call: Dana" has no start time/],
    [
      'an event ending before it starts',
      event('DTSTART:20260302T000000Z', 'DTEND:20260301T000000Z'),
      /does not end after it starts/,
    ],
    ['a zero-length event', event('DTSTART:20260302T000000Z'), /does not end after it starts/],
    ['a broken date', event('DTSTART:2026-99-99', 'DTEND:20260301T000000Z'), /could not be read/],
  ])('explains %s without throwing', (_label, text, message) => {
    const { events, problems } = parseICal(text);
    expect(events).toEqual([]);
    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  it('keeps the good events of a file that also has bad ones', () => {
    const text = event('DTSTART:20260302T000000Z', 'DTEND:20260303T000000Z').replace(
      'END:VCALENDAR',
      'BEGIN:VEVENT\r\nUID:y\r\nSUMMARY:broken\r\nEND:VEVENT\r\nEND:VCALENDAR',
    );
    const { events, problems } = parseICal(text);
    expect(events).toHaveLength(1);
    expect(problems).toEqual([expect.stringMatching(/"broken" has no start time/)]);
  });

  it('reads an undefined, unknown TZID as UTC and says so', () => {
    const { events, problems } = parseICal(
      event('DTSTART;TZID=Mars/Olympus:20260302T090000', 'DTEND;TZID=Mars/Olympus:20260303T090000'),
    );
    expect(events[0]?.start).toEqual(d('2026-03-02T09:00:00Z'));
    expect(problems).toEqual([
      expect.stringMatching(/"Mars\/Olympus" without defining it; its times were read in UTC/),
    ]);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .array(
              fc.constantFrom(
                'BEGIN:VCALENDAR',
                'BEGIN:VEVENT',
                'DTSTART:20260302T000000Z',
                'RRULE:FREQ=DAILY',
                'END:VEVENT',
                'END:VCALENDAR',
                'X;:',
                '',
              ),
            )
            .map(crlf),
        ),
        (text) => {
          const { events, problems } = parseICal(text);
          expect(Array.isArray(events) && Array.isArray(problems)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('segmentsFromEvents on foreign events', () => {
  const ev = (
    position: CalendarEvent['position'],
    userId: string | null,
    start: string,
    end: string,
  ): CalendarEvent => ({
    position,
    userId,
    name: userId ?? 'someone',
    start: d(start),
    end: d(end),
  });

  it('splits wherever either position changes and fills gaps with nobody', () => {
    const segs = segmentsFromEvents([
      ev('primary', 'UA', '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'),
      ev('secondary', 'UB', '2026-03-05T00:00:00Z', '2026-03-12T00:00:00Z'),
      ev('primary', 'UC', '2026-03-14T00:00:00Z', '2026-03-15T00:00:00Z'),
    ]);
    expect(
      segs.map((s) => [s.start.toISOString().slice(0, 10), s.primary, s.secondary, s.shiftIndex]),
    ).toEqual([
      ['2026-03-02', 'UA', null, 0],
      ['2026-03-05', 'UA', 'UB', 0],
      ['2026-03-09', null, 'UB', 0],
      ['2026-03-12', null, null, 0],
      ['2026-03-14', 'UC', null, 0],
    ]);
  });

  it('gives an overlapped stretch to the event that started last, like an override', () => {
    const segs = segmentsFromEvents([
      ev('primary', 'UA', '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'),
      ev('primary', 'UD', '2026-03-04T00:00:00Z', '2026-03-05T00:00:00Z'),
    ]);
    expect(segs.map((s) => s.primary)).toEqual(['UA', 'UD', 'UA']);
    expect(segmentsFromEvents([])).toEqual([]);
  });
});
