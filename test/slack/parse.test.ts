import { describe, expect, it } from 'vitest';
import { dateArg, incidentArg, userArg, weekdayArg, words } from '../../src/slack/parse.js';

describe('command argument parsing', () => {
  it('reads escaped mentions and bare ids, and nothing else', () => {
    expect(userArg('<@U0123ABC|alice>')).toBe('U0123ABC');
    expect(userArg('<@W0123ABC>')).toBe('W0123ABC');
    expect(userArg('U0123ABCD')).toBe('U0123ABCD');
    expect(userArg('@alice')).toBeUndefined();
    expect(userArg('<#C0123|general>')).toBeUndefined();
    expect(userArg(undefined)).toBeUndefined();
  });
  it('splits on any whitespace', () => {
    expect(words('  members   add\t<@U1>  ')).toEqual(['members', 'add', '<@U1>']);
  });
  it('reads incident ids, dates and weekdays', () => {
    expect(incidentArg('srp-2026-007')).toBe('SRP-2026-007');
    expect(dateArg('2026-02-28')).toEqual(new Date('2026-02-28T00:00:00Z'));
    expect(dateArg('2026-02-30')).toBeUndefined();
    expect(dateArg('28/02/2026')).toBeUndefined();
    expect([
      weekdayArg('monday'),
      weekdayArg('Thu'),
      weekdayArg('7'),
      weekdayArg('mo'),
      weekdayArg('x'),
    ]).toEqual([1, 4, 7, undefined, undefined]);
  });
});
