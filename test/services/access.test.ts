import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTSIDER } from '../integration/harness.js';
import { TestClock } from '../support/clock.js';
import { fileReport, type UnitWorld, unitWorld, type Wired } from '../support/unitServices.js';

const T0 = new Date('2026-11-30T12:00:00Z');
const MEMBER = 'U0MEMBER1';
const ASSOCIATE = 'U0ASSOC01';
/** Not on the committee: works on one incident's fix. */
const FIXER = 'U0FIXER01';

let world: UnitWorld;
let clock: TestClock;
let srp: Wired;
let privateOne: string;
let publicOne: string;
let privateTwo: string;

beforeEach(async () => {
  clock = new TestClock(T0);
  world = await unitWorld(clock);
  srp = world.srp;
  world.addPerson(MEMBER, 'member');
  world.addPerson(ASSOCIATE, 'associate');
  // A minute apart, so "oldest first" has one answer.
  privateOne = fileReport(srp, clock);
  clock.advance(60_000);
  publicOne = fileReport(srp, clock, { disclosure: 'public' });
  clock.advance(60_000);
  privateTwo = fileReport(srp, clock);
  expect(srp.store.roles.addToFixTeam(privateOne, FIXER, MEMBER, clock.now())).toBe(true);
});
afterEach(() => world.stop());

describe('who sees which incident', () => {
  it('lets a member see every incident, an associate the public ones, a Fix Team member theirs, an outsider none', () => {
    const sees = (userId: string) =>
      [privateOne, publicOne, privateTwo].filter((id) => srp.access.canSee(userId, id));
    expect(sees(MEMBER)).toEqual([privateOne, publicOne, privateTwo]);
    expect(sees(ASSOCIATE)).toEqual([publicOne]);
    expect(sees(FIXER)).toEqual([privateOne]);
    expect(sees(OUTSIDER)).toEqual([]);
  });

  it('lists a page of the open incidents one may see, oldest first, with how many there are in all', () => {
    const page = (userId: string, limit: number) => {
      const v = srp.access.visibleOpen(userId, limit);
      return { total: v.total, ids: v.incidents.map((i) => i.id) };
    };
    expect(page(MEMBER, 2)).toEqual({ total: 3, ids: [privateOne, publicOne] });
    expect(page(MEMBER, 10)).toEqual({ total: 3, ids: [privateOne, publicOne, privateTwo] });
    expect(page(ASSOCIATE, 10)).toEqual({ total: 1, ids: [publicOne] });
    // A Fix Team member outside the committee: the incident they work on, nothing else.
    expect(page(FIXER, 10)).toEqual({ total: 1, ids: [privateOne] });
    expect(page(OUTSIDER, 10)).toEqual({ total: 0, ids: [] });
  });
});
