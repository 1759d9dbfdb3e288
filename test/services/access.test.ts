import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTSIDER } from '../integration/harness.js';
import { TestClock } from '../support/clock.js';
import { fileReport, type UnitWorld, unitWorld, type Wired } from '../support/unitServices.js';

const T0 = new Date('2026-11-30T12:00:00Z');
const MEMBER = 'U0MEMBER1';
const ASSOCIATE = 'U0ASSOC01';
/** Not on the committee: works on one incident's fix. */
const FIXER = 'U0FIXER01';
/** Not on the committee: one of the project's Release Managers. */
const RELEASER = 'U0RELMGR1';

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

describe('what a Release Manager sees', () => {
  beforeEach(() => {
    expect(srp.owners.addReleaseManager(MEMBER, RELEASER).ok).toBe(true);
  });
  const sees = (userId: string) =>
    [privateOne, publicOne, privateTwo].filter((id) => srp.access.canSee(userId, id));
  const listed = (userId: string) => srp.access.visibleOpen(userId, 10).incidents.map((i) => i.id);
  const move = (id: string, to: 'release' | 'retrospective') =>
    expect(srp.phases.move(MEMBER, id, to, 'the fix is ready').outcome.ok).toBe(true);

  it('nothing before its release, not even a public one: embargoed incidents stay invisible', () => {
    expect(srp.access.standing(RELEASER)).toBe('release_manager');
    expect(sees(RELEASER)).toEqual([]);
    expect(listed(RELEASER)).toEqual([]);
    for (const to of ['fix_team', 'development', 'disclosure_planning'] as const) {
      expect(srp.phases.move(MEMBER, privateOne, to, 'moving on').outcome.ok).toBe(true);
      expect(srp.access.canSee(RELEASER, privateOne)).toBe(false);
    }
  });

  it('an incident in release or retrospective, in /srp status too, and one closed from there', () => {
    move(privateOne, 'release');
    expect(sees(RELEASER)).toEqual([privateOne]);
    expect(listed(RELEASER)).toEqual([privateOne]);
    move(privateOne, 'retrospective');
    expect(sees(RELEASER)).toEqual([privateOne]);
    expect(srp.phases.close(MEMBER, privateOne, 'fixed').outcome.ok).toBe(true);
    expect(sees(RELEASER)).toEqual([privateOne]);
    // Closed, so no longer among the open ones.
    expect(listed(RELEASER)).toEqual([]);
    // Reopened before its release: out of sight again.
    expect(srp.phases.reopen(MEMBER, privateOne, 'the fix was incomplete', 'development').outcome.ok).toBe(
      true,
    );
    expect(sees(RELEASER)).toEqual([]);
  });

  it('never one closed before its release', () => {
    expect(srp.phases.close(MEMBER, privateTwo, 'not_vulnerability', 'works as intended').outcome.ok).toBe(
      true,
    );
    expect(srp.access.canSee(RELEASER, privateTwo)).toBe(false);
  });

  it('no longer anything once removed from the roster', () => {
    move(privateOne, 'release');
    expect(srp.owners.removeReleaseManager(MEMBER, RELEASER).ok).toBe(true);
    expect(sees(RELEASER)).toEqual([]);
    expect(srp.access.standing(RELEASER)).toBe('anyone');
  });

  it('as an associate too: the public ones and those in release, in one list', () => {
    expect(srp.owners.addReleaseManager(MEMBER, ASSOCIATE).ok).toBe(true);
    move(privateTwo, 'release');
    expect(srp.access.standing(ASSOCIATE)).toBe('associate');
    expect(sees(ASSOCIATE)).toEqual([publicOne, privateTwo]);
    expect(srp.access.visibleOpen(ASSOCIATE, 10)).toMatchObject({ total: 2 });
    expect(listed(ASSOCIATE)).toEqual([publicOne, privateTwo]);
  });

  it('marks its own release-day steps done, only from the release on; nothing else', () => {
    const done = (step: string) => srp.phases.markDone(RELEASER, privateOne, step).outcome;
    // Before the release the service refuses too, whatever the Slack layer let through.
    expect(done('binaries_built')).toMatchObject({ ok: false });
    move(privateOne, 'release');
    expect(done('cherry_picks')).toMatchObject({ ok: false });
    expect(done('binaries_built')).toEqual({
      ok: true,
      message: `*Binaries built and published* is done for ${privateOne}.`,
    });
    expect(srp.phases.move(RELEASER, privateOne, 'retrospective').outcome).toMatchObject({ ok: false });
  });
});
