import { describe, expect, it } from 'vitest';
import {
  type CommitteeMember,
  committeeWarnings,
  companyShares,
  inactiveWarnings,
  isOnLeave,
  type MemberLeave,
  type Membership,
  overShareSince,
  type RosterChange,
  rosterAt,
  validateLeave,
} from '../../src/domain/committee.js';
import { PROFILES, type ProcessId, resolveProfile } from '../../src/domain/profiles/index.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const add = (at: string, userId: string, company: string | null = null, membership: Membership = 'member') =>
  ({ at: day(at), type: 'added', userId, membership, company }) as const;
const member = (
  userId: string,
  company: string | null,
  membership: Membership = 'member',
): CommitteeMember => ({
  userId,
  membership,
  company,
  joinedAt: day('2025-01-01'),
});
const leave = (
  userId: string,
  start: string,
  end: string,
  replacement: string | null = null,
): MemberLeave => ({
  userId,
  start: day(start),
  end: day(end),
  replacement,
});
/** `n` members, each from a company of their own, all added on 2025-01-01. */
const spread = (n: number, prefix = 'U'): RosterChange[] =>
  Array.from({ length: n }, (_, i) => add('2025-01-01', `${prefix}${i + 1}`, `Co${prefix}${i + 1}`));

describe('rosterAt', () => {
  const changes: RosterChange[] = [
    { at: day('2026-03-01'), type: 'removed', userId: 'B' },
    { at: day('2026-02-01'), type: 'company_changed', userId: 'A', company: 'Globex' },
    add('2026-01-10', 'C', null, 'associate'),
    add('2026-01-01', 'A', 'Acme'),
    { at: day('2026-04-01'), type: 'membership_changed', userId: 'C', membership: 'member' },
    add('2026-01-05', 'B', 'Acme'),
  ];

  it('is empty before anything happened', () => {
    expect(rosterAt(changes, day('2025-12-31'))).toEqual([]);
  });

  it('replays unsorted changes in time order, in join order', () => {
    expect(rosterAt(changes, day('2026-01-31'))).toEqual([
      { userId: 'A', membership: 'member', company: 'Acme', joinedAt: day('2026-01-01') },
      { userId: 'B', membership: 'member', company: 'Acme', joinedAt: day('2026-01-05') },
      { userId: 'C', membership: 'associate', company: null, joinedAt: day('2026-01-10') },
    ]);
  });

  it('applies company and membership changes and removals, including one exactly at `at`', () => {
    expect(rosterAt(changes, day('2026-03-01'))).toEqual([
      { userId: 'A', membership: 'member', company: 'Globex', joinedAt: day('2026-01-01') },
      { userId: 'C', membership: 'associate', company: null, joinedAt: day('2026-01-10') },
    ]);
    expect(rosterAt(changes, day('2026-04-01')).map((m) => [m.userId, m.membership])).toEqual([
      ['A', 'member'],
      ['C', 'member'],
    ]);
  });

  it('gives a re-added member a new join date, and ignores changes for people not on the roster', () => {
    const later: RosterChange[] = [
      ...changes,
      add('2026-05-01', 'B', 'Initech'),
      { at: day('2026-05-02'), type: 'membership_changed', userId: 'ghost', membership: 'member' },
    ];
    const roster = rosterAt(later, day('2026-06-01'));
    expect(roster.find((m) => m.userId === 'B')).toEqual({
      userId: 'B',
      membership: 'member',
      company: 'Initech',
      joinedAt: day('2026-05-01'),
    });
    expect(roster.map((m) => m.userId)).not.toContain('ghost');
  });
});

describe('companyShares', () => {
  it('counts member seats only, groups the unaffiliated, largest first', () => {
    const roster = [
      member('A', 'Acme'),
      member('B', 'Acme'),
      member('C', null),
      member('D', 'Globex'),
      member('E', 'Acme', 'associate'),
      member('F', null, 'associate'),
    ];
    expect(companyShares(roster)).toEqual([
      { company: 'Acme', members: 2, share: 0.5 },
      { company: 'Globex', members: 1, share: 0.25 },
      { company: 'unaffiliated', members: 1, share: 0.25 },
    ]);
  });

  it('is empty without members', () => {
    expect(companyShares([member('E', 'Acme', 'associate')])).toEqual([]);
  });
});

describe('overShareSince', () => {
  // Against 1/2: over from Feb 1 (2 of 3), back to exactly half on Mar 1 (2 of 4), over again from Apr 1.
  const changes: RosterChange[] = [
    add('2026-01-01', 'A', 'Acme'),
    add('2026-01-01', 'B', 'Globex'),
    add('2026-02-01', 'C', 'Acme'),
    add('2026-03-01', 'D', 'Initech'),
    add('2026-04-01', 'E', 'Acme'),
    { at: day('2026-05-01'), type: 'company_changed', userId: 'B', company: 'Acme' },
  ];

  it.each([
    ['2026-01-15', null],
    ['2026-02-01', '2026-02-01'],
    ['2026-02-20', '2026-02-01'],
    ['2026-03-15', null],
    ['2026-04-01', '2026-04-01'],
    ['2026-06-01', '2026-04-01'],
  ])('at %s the current streak started %s', (now, since) => {
    expect(overShareSince(changes, 'Acme', 1 / 2, day(now))).toEqual(since && day(since));
  });

  it('is broken by a member becoming an associate, and restarts when they are a member again', () => {
    const more: RosterChange[] = [
      ...changes,
      // A, C and E step back to associates at once: B holds 1 of the 2 remaining seats.
      { at: day('2026-07-01'), type: 'membership_changed', userId: 'A', membership: 'associate' },
      { at: day('2026-07-01'), type: 'membership_changed', userId: 'C', membership: 'associate' },
      { at: day('2026-07-01'), type: 'membership_changed', userId: 'E', membership: 'associate' },
      { at: day('2026-08-01'), type: 'membership_changed', userId: 'C', membership: 'member' },
    ];
    expect(overShareSince(more, 'Acme', 1 / 2, day('2026-07-15'))).toBeNull();
    expect(overShareSince(more, 'Acme', 1 / 2, day('2026-09-01'))).toEqual(day('2026-08-01'));
  });

  it('sees a swap made at one instant as uninterrupted', () => {
    // Over since Jan 1 (2 of 3); on Mar 1 one Acme member hands over to another. Applied one at a time, the
    // removal alone would drop Acme to exactly half and restart the streak.
    const swap: RosterChange[] = [
      add('2026-01-01', 'A', 'Acme'),
      add('2026-01-01', 'B', 'Acme'),
      add('2026-01-01', 'C', 'Globex'),
      { at: day('2026-03-01'), type: 'removed', userId: 'B' },
      add('2026-03-01', 'D', 'Acme'),
    ];
    expect(overShareSince(swap, 'Acme', 1 / 2, day('2026-04-01'))).toEqual(day('2026-01-01'));
  });

  it('never reports the unaffiliated, and depends on the share', () => {
    const loners = [add('2026-01-01', 'A'), add('2026-01-01', 'B'), add('2026-01-01', 'C', 'Acme')];
    expect(overShareSince(loners, 'unaffiliated', 1 / 2, day('2026-02-01'))).toBeNull();
    // 1 of 2 is already over 1/3, and 2 of 4 never brings it back.
    expect(overShareSince(changes, 'Acme', 1 / 3, day('2026-03-15'))).toEqual(day('2026-01-01'));
  });
});

describe('committeeWarnings', () => {
  const now = day('2026-06-01');
  const kinds = (changes: RosterChange[], leaves: MemberLeave[], id: ProcessId) =>
    committeeWarnings(changes, leaves, PROFILES[id].committee, now).map((w) => w.kind);

  // 2 of 5 from Acme: within 1/2, above 1/3.
  const fiveWithTwoAcme = [...spread(3), add('2026-01-01', 'A1', 'Acme'), add('2026-02-01', 'A2', 'Acme')];
  // 4 of 7 from Acme since 2026-02-01 (4 months).
  const sevenWithFourAcme = [
    ...spread(3),
    add('2025-01-01', 'A1', 'Acme'),
    add('2025-01-01', 'A2', 'Acme'),
    add('2025-01-01', 'A3', 'Acme'),
    add('2026-02-01', 'A4', 'Acme'),
  ];
  // The same, but since 2025-05-01 (13 months).
  const longOver = sevenWithFourAcme.map((c) => (c.userId === 'A4' ? { ...c, at: day('2025-05-01') } : c));
  const seven = spread(7);

  const LONG = 'long_leave_without_replacement';
  const TOO_LONG = 'leave_too_long';
  const associateX = [...seven, add('2026-01-01', 'X', null, 'associate')];

  // Company rows differ between the profiles; leave rows do not, since the leave sentences are the same.
  it.each([
    ['a healthy committee', seven, [], [], []],
    [
      '5 members, 2 from one company',
      fiveWithTwoAcme,
      [],
      ['below_goal'],
      ['below_goal', 'company_over_share'],
    ],
    ['4 of 7 from one company', sevenWithFourAcme, [], ['company_over_share'], ['company_over_share']],
    [
      'a current 2-month leave, no replacement',
      seven,
      [leave('U2', '2026-05-15', '2026-07-15')],
      [LONG],
      [LONG],
    ],
    ['a leave in 20 days, no replacement', seven, [leave('U2', '2026-06-21', '2026-08-01')], [LONG], [LONG]],
    ['a leave in 40 days, no replacement', seven, [leave('U2', '2026-07-11', '2026-12-01')], [], []],
    ['a 3-week leave, no replacement', seven, [leave('U2', '2026-05-20', '2026-06-10')], [], []],
    ['exactly a month, no replacement', seven, [leave('U2', '2026-05-31', '2026-06-30')], [LONG], [LONG]],
    [
      'a 4-month leave with a replacement',
      seven,
      [leave('U2', '2026-05-01', '2026-09-02', 'U3')],
      [TOO_LONG],
      [TOO_LONG],
    ],
    [
      'a 4-month leave, no replacement',
      seven,
      [leave('U2', '2026-05-01', '2026-09-02')],
      [LONG, TOO_LONG],
      [LONG, TOO_LONG],
    ],
    ['exactly 3 months with a replacement', seven, [leave('U2', '2026-05-01', '2026-08-01', 'U3')], [], []],
    ['a leave that is over', seven, [leave('U2', '2026-01-01', '2026-06-01')], [], []],
    ['an associate on a long leave', associateX, [leave('X', '2026-05-01', '2026-12-01')], [], []],
  ] as [string, RosterChange[], MemberLeave[], string[], string[]][])(
    '%s',
    (_name, changes, leaves, src, pst) => {
      expect(kinds(changes, leaves, 'src')).toEqual(src);
      expect(kinds(changes, leaves, 'pst2018')).toEqual(pst);
    },
  );

  it('words the goal and the company share as the documents do', () => {
    const fiveWithThreeAcme = [
      add('2026-01-01', 'U1', 'Globex'),
      add('2026-01-01', 'U2', null),
      add('2026-01-01', 'A1', 'Acme'),
      add('2026-01-01', 'A2', 'Acme'),
      add('2026-02-01', 'A3', 'Acme'),
    ];
    const [goal, share] = committeeWarnings(fiveWithThreeAcme, [], PROFILES.src.committee, now);
    expect(goal).toEqual({
      kind: 'below_goal',
      members: 5,
      goal: 7,
      message: "Only 5 members; the committee's goal is at least 7.",
    });
    expect(share).toEqual({
      kind: 'company_over_share',
      company: 'Acme',
      share: 0.6,
      max: 0.5,
      since: day('2026-02-01'),
      months: 4,
      overLimit: false,
      message: 'Acme holds 3 of 5 member seats (60%), above the 1/2 maximum, for 4 months (limit 12).',
    });
  });

  it('says when a company has been over for longer than the limit, and that 2018 set none', () => {
    const [src] = committeeWarnings(longOver, [], PROFILES.src.committee, now);
    expect(src).toMatchObject({ kind: 'company_over_share', months: 13, overLimit: true });
    expect(src?.message).toBe(
      'Acme holds 4 of 7 member seats (57%), above the 1/2 maximum, for 13 months, past the 12-month limit.',
    );
    const [pst] = committeeWarnings(longOver, [], PROFILES.pst2018.committee, now);
    // Against 1/3 the run began earlier, when Acme held 3 of 6.
    expect(pst).toMatchObject({ kind: 'company_over_share', months: 17, overLimit: false });
    expect(pst?.message).toBe('Acme holds 4 of 7 member seats (57%), above the 1/3 maximum, for 17 months.');
  });

  it('counts the 12 months to the day', () => {
    const atLimit = committeeWarnings(longOver, [], PROFILES.src.committee, day('2026-05-01'));
    const dayAfter = committeeWarnings(longOver, [], PROFILES.src.committee, day('2026-05-02'));
    expect(atLimit[0]).toMatchObject({ months: 12, overLimit: false });
    expect(dayAfter[0]).toMatchObject({ months: 12, overLimit: true });
  });

  it('follows a profile with a stricter share', () => {
    const strict = resolveProfile('src', { maxCompanyShare: 1 / 3 }).committee;
    const warnings = committeeWarnings(fiveWithTwoAcme, [], strict, now);
    expect(warnings.map((w) => w.kind)).toEqual(['below_goal', 'company_over_share']);
    expect(warnings[1]?.message).toBe(
      'Acme holds 2 of 5 member seats (40%), above the 1/3 maximum, for 4 months (limit 12).',
    );
    const [, fresh] = committeeWarnings(fiveWithTwoAcme, [], strict, day('2026-02-10'));
    expect(fresh?.message).toContain('for less than a month (limit 12).');
  });

  it('words leave warnings with the dates, present or future', () => {
    const leaves = [leave('U2', '2026-05-15', '2026-07-15'), leave('U3', '2026-06-21', '2026-10-26')];
    const messages = committeeWarnings(seven, leaves, PROFILES.src.committee, now).map((w) => w.message);
    expect(messages).toEqual([
      '<@U2> is on leave for 2 months from 2026-05-15 with no replacement named; leaves of a month or more need one.',
      '<@U3> will be on leave for 4 months 5 days from 2026-06-21 with no replacement named; leaves of a month or more need one.',
      '<@U3> will be on leave for 4 months 5 days (2026-06-21 to 2026-10-26), longer than the 3 months the process allows with a temporary replacement.',
    ]);
    expect(committeeWarnings(seven, leaves, PROFILES.src.committee, now)[2]).toMatchObject({
      kind: 'leave_too_long',
      userId: 'U3',
      months: 4,
    });
  });
});

describe('isOnLeave', () => {
  const leaves = [leave('A', '2026-03-01', '2026-04-01')];
  it.each([
    ['2026-02-28', false],
    ['2026-03-01', true],
    ['2026-03-31', true],
    ['2026-04-01', false],
  ])('on %s: %s (the end day is the first day back)', (at, expected) => {
    expect(isOnLeave(leaves, 'A', day(at))).toBe(expected);
    expect(isOnLeave(leaves, 'B', day(at))).toBe(false);
  });
});

describe('validateLeave', () => {
  const roster = [member('A', 'Acme'), member('B', 'Globex'), member('C', null, 'associate')];
  const existing = [leave('A', '2026-01-01', '2026-02-01'), leave('B', '2026-03-10', '2026-03-20')];

  it('accepts a sound leave, with or without a replacement', () => {
    expect(validateLeave(leave('A', '2026-03-01', '2026-05-01', 'C'), roster, existing)).toEqual([]);
    expect(validateLeave(leave('A', '2026-02-01', '2026-02-15'), roster, existing)).toEqual([]);
  });

  it.each([
    [
      'an end before the start',
      leave('A', '2026-05-01', '2026-04-01'),
      ['The leave must end after it starts.'],
    ],
    ['an empty leave', leave('A', '2026-05-01', '2026-05-01'), ['The leave must end after it starts.']],
    ['someone off the committee', leave('Z', '2026-05-01', '2026-06-01'), ['<@Z> is not on the committee.']],
    [
      'a replacement off the committee',
      leave('A', '2026-05-01', '2026-06-01', 'Z'),
      ['The replacement <@Z> is not on the committee.'],
    ],
    [
      'themselves as replacement',
      leave('A', '2026-05-01', '2026-06-01', 'A'),
      ['<@A> cannot be their own replacement.'],
    ],
    [
      'a replacement who is away then',
      leave('A', '2026-03-01', '2026-04-01', 'B'),
      ['The replacement <@B> is on leave from 2026-03-10 to 2026-03-20, during this leave.'],
    ],
    [
      'an overlap with their own leave',
      leave('A', '2026-01-20', '2026-03-01'),
      ['<@A> already has a leave from 2026-01-01 to 2026-02-01 that overlaps this one.'],
    ],
    [
      'several problems at once',
      leave('Z', '2026-05-01', '2026-04-01', 'Y'),
      [
        'The leave must end after it starts.',
        '<@Z> is not on the committee.',
        'The replacement <@Y> is not on the committee.',
      ],
    ],
  ] as [string, MemberLeave, string[]][])('rejects %s', (_name, candidate, errors) => {
    expect(validateLeave(candidate, roster, existing)).toEqual(errors);
  });
});

describe('inactiveWarnings', () => {
  const rule = PROFILES.src.phases.inactiveMember;
  const now = new Date('2026-11-30T12:00:00Z');
  const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
  const leave = (userId: string, start: Date, end: Date) => ({ userId, start, end, replacement: null });

  it.each([
    ['active last week', { lastActiveAt: days(7), addedAt: days(400) }, [], false],
    ['silent 31 days, no leave', { lastActiveAt: days(31), addedAt: days(400) }, [], true],
    ['never active, joined 31 days ago', { lastActiveAt: null, addedAt: days(31) }, [], true],
    ['never active, joined last week', { lastActiveAt: null, addedAt: days(7) }, [], false],
    [
      'silent 45 days with a leave in that time',
      { lastActiveAt: days(45), addedAt: days(400) },
      [leave('U1', days(40), days(20))],
      false,
    ],
    [
      'silent 45 days, a leave before the silence',
      { lastActiveAt: days(45), addedAt: days(400) },
      [leave('U1', days(90), days(60))],
      true,
    ],
    [
      'silent 45 days, someone else on leave',
      { lastActiveAt: days(45), addedAt: days(400) },
      [leave('U2', days(40), days(20))],
      true,
    ],
  ] as const)('%s', (_what, a, leaves, flagged) => {
    const w = inactiveWarnings([{ userId: 'U1', ...a }], [...leaves], rule, now);
    expect(w.length > 0).toBe(flagged);
    if (flagged) {
      expect(w[0]).toMatchObject({ kind: 'inactive', userId: 'U1' });
      expect(w[0]?.message).toContain('cannot be reached for more than 1 month');
    }
  });
});
