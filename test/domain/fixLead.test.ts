import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommitteeMember, isOnLeave, type MemberLeave } from '../../src/domain/committee.js';
import { type FixLeadAssignment, lastTurns, nextFixLead } from '../../src/domain/fixLead.js';

const DAY = 86_400_000;
const t0 = new Date('2026-01-01T00:00:00Z');
const dayN = (n: number) => new Date(t0.getTime() + n * DAY);
const member = (
  userId: string,
  joinedDay = -100,
  membership: CommitteeMember['membership'] = 'member',
): CommitteeMember => ({
  userId,
  membership,
  company: null,
  joinedAt: dayN(joinedDay),
});
const leave = (userId: string, from: number, to: number): MemberLeave => ({
  userId,
  start: dayN(from),
  end: dayN(to),
  replacement: null,
});
const assigned = (userId: string, n: number): FixLeadAssignment => ({
  incidentId: `SRP-2026-${n}`,
  userId,
  at: dayN(n),
});

/** One incident a day from `from`, each led by whoever `nextFixLead` picks; null when nobody could be. */
function simulate(
  members: CommitteeMember[],
  leaves: MemberLeave[],
  days: number,
  from = 0,
  history: FixLeadAssignment[] = [],
) {
  const log: FixLeadAssignment[] = [...history];
  const picks: (string | null)[] = [];
  for (let n = from; n < from + days; n++) {
    const next = nextFixLead({ members, leaves, history: log, at: dayN(n) });
    picks.push(next?.userId ?? null);
    if (next) log.push(assigned(next.userId, n));
  }
  return { picks, history: log };
}

const countOf = (picks: (string | null)[], userId: string) => picks.filter((p) => p === userId).length;

/** Members with distinct ids and random, possibly equal, join days; plus a few associates. */
const committee = (min: number, max: number) =>
  fc
    .uniqueArray(fc.stringMatching(/^U[A-Z0-9]{2,6}$/), { minLength: min + 3, maxLength: max + 3 })
    .chain((ids) =>
      fc.record({
        members: fc.tuple(
          ...ids.slice(0, -3).map((id) => fc.integer({ min: -400, max: -1 }).map((d) => member(id, d))),
        ),
        associates: fc.constant(ids.slice(-3).map((id) => member(id, -500, 'associate'))),
      }),
    );

const byJoinOrder = (members: CommitteeMember[]) =>
  [...members]
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || (a.userId < b.userId ? -1 : 1))
    .map((m) => m.userId);

describe('nextFixLead properties', () => {
  it('with nobody away, m members over m×k incidents each lead k times, in a strict cycle in join order', () => {
    fc.assert(
      fc.property(committee(1, 7), fc.integer({ min: 1, max: 5 }), ({ members, associates }, k) => {
        const { picks } = simulate([...associates, ...members], [], members.length * k);
        const order = byJoinOrder(members);
        expect(picks).toEqual(picks.map((_, i) => order[i % order.length]));
        for (const id of order) expect(countOf(picks, id)).toBe(k);
      }),
      { numRuns: 100 },
    );
  });

  it('with random leaves: never someone away, never an associate, and the always-present stay within one', () => {
    const away = fc.array(
      fc.record({ from: fc.integer({ min: -30, max: 200 }), length: fc.integer({ min: 1, max: 90 }) }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(
        committee(2, 8),
        fc.integer({ min: 0, max: 6 }),
        fc.array(away, { minLength: 6, maxLength: 6 }),
        ({ members, associates }, leaverCount, spans) => {
          const leavers = members.slice(0, leaverCount);
          const leaves = leavers.flatMap((m, i) =>
            (spans[i] ?? []).map((s) => leave(m.userId, s.from, s.from + s.length)),
          );
          const { picks } = simulate([...members, ...associates], leaves, 200);
          picks.forEach((pick, n) => {
            if (pick === null) {
              expect(members.every((m) => isOnLeave(leaves, m.userId, dayN(n)))).toBe(true);
            } else {
              expect(isOnLeave(leaves, pick, dayN(n))).toBe(false);
              expect(members.map((m) => m.userId)).toContain(pick);
            }
          });
          const steady = members.slice(leaverCount).map((m) => countOf(picks, m.userId));
          if (steady.length) expect(Math.max(...steady) - Math.min(...steady)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('someone back from a long leave gets one turn, then the strict cycle resumes', () => {
    fc.assert(
      fc.property(
        committee(2, 7),
        fc.nat(),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 10, max: 120 }),
        fc.integer({ min: 2, max: 4 }),
        ({ members }, pick, before, length, k) => {
          const returner = members[pick % members.length]?.userId ?? '';
          const leaves = [leave(returner, before, before + length)];
          const { history } = simulate(members, leaves, before + length);
          const m = members.length;
          const after = simulate(members, leaves, m * k, before + length, history).picks;
          expect(new Set(after.slice(0, m)).size).toBe(m);
          expect(after).toEqual(after.map((_, i) => after[i % m]));
          expect(countOf(after, returner)).toBe(k);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('returns null when every member is away or excluded, whatever the associates', () => {
    fc.assert(
      fc.property(committee(1, 7), fc.nat(), ({ members, associates }, split) => {
        const cut = split % (members.length + 1);
        const leaves = members.slice(0, cut).map((m) => leave(m.userId, -5, 5));
        const exclude = members.slice(cut).map((m) => m.userId);
        const next = nextFixLead({
          members: [...members, ...associates],
          leaves,
          history: [],
          at: t0,
          exclude,
        });
        expect(next).toBeNull();
      }),
      { numRuns: 100 },
    );
  });
});

describe('lastTurns', () => {
  it('keeps each person’s latest turn, oldest first, and turns at one instant in recorded order', () => {
    const history = [
      assigned('A', 3),
      assigned('B', 1),
      assigned('A', 0),
      { ...assigned('C', 2), incidentId: 'SRP-2026-C' },
      { ...assigned('B', 2), incidentId: 'SRP-2026-B' },
    ];
    expect(lastTurns(history).map((t) => [t.userId, t.incidentId])).toEqual([
      ['C', 'SRP-2026-C'],
      ['B', 'SRP-2026-B'],
      ['A', 'SRP-2026-3'],
    ]);
    expect(lastTurns([])).toEqual([]);
  });

  it('picks the same Fix Lead, for the same reason, from each member’s last turn as from every turn', () => {
    // Few days and a few non-members, so ties, repeat leads and turns by people off the committee are common.
    const turn = (ids: string[]) =>
      fc.record({ user: fc.constantFrom(...ids, 'GONE1', 'GONE2'), day: fc.integer({ min: 0, max: 15 }) });
    fc.assert(
      fc.property(
        committee(1, 6).chain(({ members, associates }) => {
          const ids = [...members, ...associates].map((m) => m.userId);
          return fc.record({
            roster: fc.constant<CommitteeMember[]>([...members, ...associates]),
            turns: fc.array(turn(ids), { maxLength: 30 }),
            away: fc.subarray(ids),
            exclude: fc.subarray(ids),
            wait: fc.integer({ min: 0, max: 5 }),
          });
        }),
        ({ roster, turns, away, exclude, wait }) => {
          const history = turns.map((t, i) => ({
            incidentId: `SRP-2026-${i}`,
            userId: t.user,
            at: dayN(t.day),
          }));
          // Asked no earlier than the last turn, as a caller loading each member's last turn always is.
          const at = dayN(Math.max(0, ...turns.map((t) => t.day)) + wait);
          const leaves = away.map((id) => leave(id, -100, 100));
          const args = { members: roster, leaves, at, exclude };
          expect(nextFixLead({ ...args, history: lastTurns(history) })).toEqual(
            nextFixLead({ ...args, history }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('nextFixLead', () => {
  const [a, b, c] = [member('A', -30), member('B', -20), member('C', -10)];

  it('says why, with the last date and who was skipped', () => {
    const history = [
      assigned('A', 0),
      assigned('B', 1),
      assigned('C', 2),
      assigned('A', 3),
      assigned('B', 4),
    ];
    const next = nextFixLead({ members: [a, b, c], leaves: [leave('A', 5, 20)], history, at: dayN(5) });
    expect(next).toEqual({
      userId: 'C',
      reason: 'next in the round-robin: last led on 2026-01-03; skipping <@A> (on leave)',
    });
    const first = nextFixLead({ members: [a, b], leaves: [], history: [], at: t0 });
    expect(first).toEqual({ userId: 'A', reason: 'next in the round-robin: has not led yet' });
    const later = nextFixLead({
      members: [a, b],
      leaves: [],
      history: [assigned('A', 0), assigned('B', 1)],
      at: dayN(9),
    });
    expect(later?.reason).toBe('next in the round-robin: last led on 2026-01-01');
  });

  it('sends someone who led out of turn to the back of the queue', () => {
    // A, B, C, A in turn; then C volunteered while B was due. B is still next, then A, then C.
    const history = [
      assigned('A', 0),
      assigned('B', 1),
      assigned('C', 2),
      assigned('A', 3),
      assigned('C', 4),
    ];
    const { picks } = simulate([a, b, c], [], 6, 5, history);
    expect(picks).toEqual(['B', 'A', 'C', 'B', 'A', 'C']);
  });

  it('keeps an excluded member at the front of the queue', () => {
    const history = [assigned('A', 0), assigned('B', 1), assigned('C', 2)];
    const skip = nextFixLead({ members: [a, b, c], leaves: [], history, at: dayN(3), exclude: ['A'] });
    expect(skip?.userId).toBe('B');
    const back = nextFixLead({
      members: [a, b, c],
      leaves: [],
      history: [...history, assigned('B', 3)],
      at: dayN(4),
    });
    expect(back?.userId).toBe('A');
  });

  it('breaks ties by join order, then userId, and ignores assignments after `at`', () => {
    const twins = [member('Z', -5), member('Y', -5), member('X', -1)];
    expect(nextFixLead({ members: twins, leaves: [], history: [], at: t0 })?.userId).toBe('Y');
    const future = [assigned('Y', 10)];
    expect(nextFixLead({ members: twins, leaves: [], history: future, at: t0 })?.userId).toBe('Y');
  });

  it('never picks an associate, even one who has waited longest', () => {
    const next = nextFixLead({
      members: [member('S', -50, 'associate'), a],
      leaves: [],
      history: [assigned('A', 0)],
      at: dayN(1),
    });
    expect(next?.userId).toBe('A');
  });
});
