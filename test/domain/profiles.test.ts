import { describe, expect, it } from 'vitest';
import {
  isProcessId,
  PROCESS_IDS,
  PROFILES,
  type ProcessProfile,
  resolveProfile,
} from '../../src/domain/profiles/index.js';
import { plain, processDocument } from '../support/processDocs.js';

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

  it('keeps srp’s own reminder times, two hours and then daily, and says no document sets them', () => {
    for (const profile of Object.values(PROFILES)) {
      expect(profile.reminders.commanderHandoff).toEqual({
        firstAfterMs: 2 * 3_600_000,
        everyMs: 24 * 3_600_000,
        source: null,
      });
    }
  });
});

/**
 * Every citation in a profile with where it sits: strings under a `source` key, a `quote` key or a key ending
 * in `Quote`, the ways the profile files cite their document, and `source: null` where a value is srp's own
 * choice. A group added later is covered by following the same ways.
 */
function citationsIn(value: unknown, path = '', citing = false): Array<[path: string, quote: string | null]> {
  const key = path.split('.').at(-1) ?? '';
  if (value === null) return key === 'source' ? [[path, null]] : [];
  if (typeof value === 'string') return citing || /^quote$|Quote$/.test(key) ? [[path, value]] : [];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    citationsIn(v, path ? `${path}.${k}` : k, citing || key === 'source'),
  );
}

function objectsIn(value: unknown): object[] {
  if (typeof value !== 'object' || value === null) return [];
  return [value, ...Object.values(value).flatMap(objectsIn)];
}

describe.each(Object.values(PROFILES))('every registered profile: $id', (profile: ProcessProfile) => {
  it('is registered under its own id', () => {
    expect(PROFILES[profile.id]).toBe(profile);
    expect(PROCESS_IDS).toContain(profile.id);
  });

  it('quotes its document word for word, and says where every group comes from', () => {
    const doc = processDocument(profile.document);
    const citations = citationsIn(profile);
    const misquoted = citations.filter(([, quote]) => quote !== null && !doc.includes(plain(quote)));
    expect(misquoted.map(([path]) => path)).toEqual([]);
    const { id: _id, name: _name, document: _document, ...groups } = profile;
    const cited = new Set(citations.map(([path]) => path.split('.')[0]));
    expect(Object.keys(groups).filter((group) => !cited.has(group))).toEqual([]);
  });

  it('is frozen all the way down', () => {
    expect(objectsIn(profile).filter((o) => !Object.isFrozen(o))).toEqual([]);
  });
});

describe('process ids', () => {
  it('lists every registered id, in registry order', () => {
    expect(PROCESS_IDS).toEqual(['src', 'pst2018']);
    expect(Object.isFrozen(PROCESS_IDS)).toBe(true);
  });

  it.each([
    ['src', true],
    ['pst2018', true],
    ['SRC', false],
    ['toString', false],
    [undefined, false],
  ])('%s is a process id: %s', (value, expected) => {
    expect(isProcessId(value)).toBe(expected);
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
