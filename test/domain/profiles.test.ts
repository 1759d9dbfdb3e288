import { describe, expect, it } from 'vitest';
import { PROFILES, resolveProfile } from '../../src/domain/profiles/index.js';

describe('process profiles', () => {
  it('holds the current SRC numbers', () => {
    expect(PROFILES.src).toMatchObject({
      id: 'src',
      name: 'Security Response Committee (current)',
      committee: {
        memberGoal: 7,
        maxCompanyShare: 1 / 2,
        maxMonthsOverShare: 12,
        leaveNeedsCoordinationMonths: 1,
        maxLeaveMonthsWithReplacement: 3,
      },
    });
  });

  it('holds the 2018 PST numbers, with no time limit on being over the share', () => {
    expect(PROFILES.pst2018).toMatchObject({
      id: 'pst2018',
      name: 'Product Security Team (2018)',
      committee: {
        memberGoal: 7,
        maxCompanyShare: 1 / 3,
        maxMonthsOverShare: null,
        leaveNeedsCoordinationMonths: 1,
        maxLeaveMonthsWithReplacement: 3,
      },
    });
    expect(PROFILES.pst2018.committee.source.maxMonthsOverShare).toBeUndefined();
  });

  it.each([
    ['src', 'memberGoal', 'at least 7 members'],
    ['src', 'maxCompanyShare', '1/2 maximal representation'],
    ['src', 'maxMonthsOverShare', 'longer than 12 months'],
    ['src', 'leaveNeedsCoordinationMonths', 'leave of 1 or more months'],
    ['src', 'maxLeaveMonthsWithReplacement', '1-3 months'],
    ['src', 'fixLeadRotation', 'round-robin across the SRC'],
    ['pst2018', 'memberGoal', 'to 7 members'],
    ['pst2018', 'maxCompanyShare', '1/3 maximal representation'],
    ['pst2018', 'leaveNeedsCoordinationMonths', 'leave of 1 or more months'],
    ['pst2018', 'maxLeaveMonthsWithReplacement', '1-3 months'],
    ['pst2018', 'fixLeadRotation', 'round-robin across the PST'],
  ] as const)('%s quotes its %s rule', (id, rule, words) => {
    expect(PROFILES[id].committee.source[rule]).toContain(words);
  });

  it('cannot be changed in place', () => {
    expect(Object.isFrozen(PROFILES)).toBe(true);
    expect(Object.isFrozen(PROFILES.src)).toBe(true);
  });
});

describe('resolveProfile', () => {
  it('overrides the company share and keeps the rest', () => {
    const strict = resolveProfile('src', { maxCompanyShare: 1 / 3 });
    expect(strict).toEqual({
      ...PROFILES.src,
      committee: { ...PROFILES.src.committee, maxCompanyShare: 1 / 3 },
    });
    expect(PROFILES.src.committee.maxCompanyShare).toBe(1 / 2);
  });

  it('returns a fresh copy when nothing is overridden', () => {
    const copy = resolveProfile('pst2018', {});
    expect(copy).toEqual(PROFILES.pst2018);
    copy.committee.source.memberGoal = 'edited';
    expect(PROFILES.pst2018.committee.source.memberGoal).not.toBe('edited');
  });

  it.each([0, -0.5, 1.5, Number.NaN])('rejects a share of %s', (share) => {
    expect(() => resolveProfile('src', { maxCompanyShare: share })).toThrow(RangeError);
  });
});
