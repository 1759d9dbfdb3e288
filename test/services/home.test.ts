import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { work } from '../../src/domain/work.js';
import { TestClock } from '../support/clock.js';
import { fileReport, type UnitWorld, unitWorld, type Wired } from '../support/unitServices.js';

const T0 = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

let world: UnitWorld;
let clock: TestClock;
let srp: Wired;

beforeEach(async () => {
  clock = new TestClock(T0);
  world = await unitWorld(clock);
  srp = world.srp;
  world.addPerson(ALICE);
  world.addPerson(BOB);
});
afterEach(() => world.stop());

const lead = (incidentId: string, userId: string) =>
  srp.store.roles.assign({
    incidentId,
    role: 'fix_lead',
    userId,
    at: clock.now(),
    by: 'test',
    reason: 'test',
  });
const text = (view: object) => JSON.stringify(view);

describe('the Home tab service', () => {
  it("lists what needs a member across the incidents they sit on, overdue first, and nobody else's steps", () => {
    // Received 1 hour and 3 days before now: the older one's first step (a Fix Team within a day) is overdue.
    const late = fileReport(srp, clock, { receivedAt: new Date(T0.getTime() - 3 * DAY) });
    const fresh = fileReport(srp, clock);
    const elsewhere = fileReport(srp, clock, { receivedAt: new Date(T0.getTime() - 3 * DAY) });
    lead(fresh, ALICE);
    lead(late, ALICE);
    lead(elsewhere, BOB);

    const home = text(srp.home.render(ALICE));
    const overdue = home.indexOf(`:warning: *${late}* · Fix Team organized (Fix Lead) · *overdue*`);
    const next = home.indexOf(`*${fresh}* · Fix Team organized (Fix Lead) ·`);
    expect(overdue).toBeGreaterThan(-1);
    expect(next).toBeGreaterThan(overdue);
    // Bob's overdue step is on the list of open incidents, not in what needs Alice.
    expect(home.slice(0, home.indexOf('*Open incidents*'))).not.toContain(elsewhere);
    expect(home).toContain('*Open incidents* (3)');
    expect(text(srp.home.render(BOB))).toContain(`:warning: *${elsewhere}*`);
  });

  it('publishes as due work: a 429 waits out its Retry-After, then the tab is drawn', async () => {
    const id = fileReport(srp, clock);
    world.fake.failNext('views.publish', { status: 429, retryAfter: 7 });
    const keys = srp.home.opened(ALICE);
    expect(keys).toEqual([work.home(ALICE, T0).key]);
    await srp.runner.run(keys);
    expect(world.fake.homeView(ALICE)).toBeUndefined();
    expect(srp.store.dueWork.get(keys[0] as string)).toMatchObject({
      state: 'pending',
      runAt: new Date(T0.getTime() + 7000),
    });
    clock.advance(7000);
    await srp.runner.drain();
    expect(text(world.fake.homeView(ALICE)?.view ?? {})).toContain(id);
    expect(srp.store.dueWork.get(keys[0] as string)?.state).toBe('done');
  });

  it("re-arms the tabs of those who opened it and may see the change: the committee's, the reporter's", async () => {
    const id = fileReport(srp, clock);
    srp.home.opened(ALICE);
    srp.home.opened('UOUTSIDE01');
    srp.home.opened('USTRANGER1');
    await srp.runner.drain();
    clock.advance(60_000);
    const keys = srp.schedule.replan(id);
    expect(keys).toEqual(expect.arrayContaining([work.home(ALICE, T0).key, work.home('UOUTSIDE01', T0).key]));
    expect(keys).not.toContain(work.home(BOB, T0).key);
    expect(keys).not.toContain(work.home('USTRANGER1', T0).key);
  });
});
