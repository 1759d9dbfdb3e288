import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKING_HOURS,
  isValidZone,
  isWorkingTime,
  nextWorkingTime,
  parseClockTime,
  type WorkingHours,
} from '../../src/domain/workingHours.js';

const d = (iso: string) => new Date(iso);
const berlin: WorkingHours = { ...DEFAULT_WORKING_HOURS, zone: 'Europe/Berlin' };
const newYork: WorkingHours = { ...DEFAULT_WORKING_HOURS, zone: 'America/New_York' };

describe('defaults and helpers', () => {
  it('defaults to Monday–Friday 09:00–17:00', () => {
    expect(DEFAULT_WORKING_HOURS).toEqual({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });
  });

  it('parses strict 24-hour HH:mm only', () => {
    expect(parseClockTime('09:30')).toEqual({ hour: 9, minute: 30 });
    expect(parseClockTime('23:59')).toEqual({ hour: 23, minute: 59 });
    for (const bad of ['9:30', '24:00', '12:60', '0930', ' 09:30', ''])
      expect(parseClockTime(bad)).toBeUndefined();
  });

  it('knows IANA zones and rejects made-up ones', () => {
    expect(isValidZone('Asia/Kolkata')).toBe(true);
    expect(isValidZone('Europe/Atlantis')).toBe(false);
  });
});

describe('isWorkingTime', () => {
  it.each([
    ['Wednesday 10:00 CET', '2026-03-04T09:00:00Z', true],
    ['Wednesday 08:59 CET', '2026-03-04T07:59:00Z', false],
    ['Wednesday 09:00 CET, start is inclusive', '2026-03-04T08:00:00Z', true],
    ['Wednesday 16:59:59 CET', '2026-03-04T15:59:59Z', true],
    ['Wednesday 17:00 CET, end is exclusive', '2026-03-04T16:00:00Z', false],
    ['Saturday noon', '2026-03-07T11:00:00Z', false],
    ['Sunday noon', '2026-03-08T11:00:00Z', false],
  ])('Berlin: %s → %s', (_label, iso, expected) => {
    expect(isWorkingTime(berlin, d(iso))).toBe(expected);
  });

  it('follows local time across the EU DST change: 07:30Z is before hours in winter, working in summer', () => {
    expect(isWorkingTime(berlin, d('2026-03-27T07:30:00Z'))).toBe(false); // Friday 08:30 CET
    expect(isWorkingTime(berlin, d('2026-03-30T07:30:00Z'))).toBe(true); // Monday 09:30 CEST
  });

  it('uses the person’s own zone: the same instant is working in Berlin and not yet in New York', () => {
    const at = d('2026-03-04T12:00:00Z');
    expect(isWorkingTime(berlin, at)).toBe(true);
    expect(isWorkingTime(newYork, at)).toBe(false);
  });

  it('honours custom days, e.g. a Sunday-to-Thursday week', () => {
    const hours: WorkingHours = {
      zone: 'Asia/Jerusalem',
      days: [7, 1, 2, 3, 4],
      start: '08:00',
      end: '16:00',
    };
    expect(isWorkingTime(hours, d('2026-03-08T08:00:00Z'))).toBe(true); // Sunday 10:00
    expect(isWorkingTime(hours, d('2026-03-06T08:00:00Z'))).toBe(false); // Friday 10:00
  });
});

describe('nextWorkingTime', () => {
  it('returns the instant itself when it is already working time', () => {
    const at = d('2026-03-04T09:00:00Z');
    expect(nextWorkingTime(berlin, at)).toBe(at);
  });

  it('moves early morning to 09:00 the same day and evening to 09:00 the next day', () => {
    expect(nextWorkingTime(berlin, d('2026-03-04T05:00:00Z'))).toEqual(d('2026-03-04T08:00:00Z'));
    expect(nextWorkingTime(berlin, d('2026-03-04T18:00:00Z'))).toEqual(d('2026-03-05T08:00:00Z'));
  });

  it('skips a weekend, landing on Monday 09:00 local even when DST started on the Sunday', () => {
    // Friday 17:00 CET → Monday 09:00 CEST, which is 07:00Z rather than 08:00Z.
    expect(nextWorkingTime(berlin, d('2026-03-27T16:00:00Z'))).toEqual(d('2026-03-30T07:00:00Z'));
    // New York springs forward a week earlier, on 2026-03-08.
    expect(nextWorkingTime(newYork, d('2026-03-07T15:00:00Z'))).toEqual(d('2026-03-09T13:00:00Z'));
    // And back again on 2026-11-01: Monday 09:00 EST is 14:00Z.
    expect(nextWorkingTime(newYork, d('2026-10-31T15:00:00Z'))).toEqual(d('2026-11-02T14:00:00Z'));
  });

  it('waits a full week when the only working day has just ended', () => {
    const mondays: WorkingHours = { zone: 'UTC', days: [1], start: '09:00', end: '17:00' };
    expect(nextWorkingTime(mondays, d('2026-03-02T17:00:00Z'))).toEqual(d('2026-03-09T09:00:00Z'));
  });

  it('returns a working instant when the start time falls in a DST gap', () => {
    // 02:30 does not exist in Berlin on Sunday 2026-03-29.
    const night: WorkingHours = { zone: 'Europe/Berlin', days: [7], start: '02:30', end: '05:00' };
    const next = nextWorkingTime(night, d('2026-03-28T12:00:00Z'));
    expect(next).toEqual(d('2026-03-29T01:30:00Z'));
    expect(isWorkingTime(night, next)).toBe(true);
  });

  it('refuses hours that contain no working time instead of looping', () => {
    expect(() => nextWorkingTime({ ...berlin, days: [] }, d('2026-03-04T12:00:00Z'))).toThrow(
      /no working time/,
    );
    expect(() =>
      nextWorkingTime({ ...berlin, start: '17:00', end: '09:00' }, d('2026-03-04T18:00:00Z')),
    ).toThrow(/no working time/);
  });
});
