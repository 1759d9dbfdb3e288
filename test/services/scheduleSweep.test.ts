import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.js';
import { fileReport, type UnitWorld, unitWorld, type Wired, weekly } from '../support/unitServices.js';

/** Monday noon UTC, inside everyone's (default, UTC) working hours. */
const T0 = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
const CAROL = 'U0CAROL01';
const ALICE = 'U0ALICE01';

let world: UnitWorld;
let clock: TestClock;
let srp: Wired;

beforeEach(async () => {
  clock = new TestClock(T0);
  world = await unitWorld(clock);
  srp = world.srp;
  world.addPerson(CAROL, 'member', new Date(T0.getTime() - 2 * DAY));
  world.addPerson(ALICE, 'member', new Date(T0.getTime() - DAY));
  expect(srp.rotation.configure(CAROL, weekly([ALICE])).ok).toBe(true);
});
afterEach(() => world.stop());

/** Runs due work until nothing is due at the clock's time. */
async function drain(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await srp.runner.drain();
    if (srp.store.dueWork.runnable(clock.now(), 1).length === 0) return;
  }
  throw new Error('due work never settled');
}
const CRITICAL_31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const pendingStale = (id: string) => srp.store.dueWork.pendingFor(id, 'stale').map((r) => r.key);

describe('planning every open incident again after an upgrade (refreshAll)', () => {
  it('keeps the next staleness ping of an incident still quiet: no event, so the same pings', async () => {
    const id = fileReport(srp, clock);
    await drain();
    const [first] = srp.store.dueWork.pendingFor(id, 'stale');
    if (!first) throw new Error('no staleness ping planned');
    // Quiet for its limit: pinged once, the second ping planned a period later.
    clock.set(first.runAt);
    await drain();
    expect(srp.store.dueWork.get(first.key)?.state).toBe('done');
    const [second, ...more] = srp.store.dueWork.pendingFor(id, 'stale');
    if (!second) throw new Error('no second staleness ping planned');
    expect(more).toEqual([]);
    expect(JSON.parse(second.payload ?? '{}')).toMatchObject({ nth: 2 });

    expect(await srp.schedule.refreshAll()).toBe(1);
    await drain();
    expect(pendingStale(id)).toEqual([second.key]);
    expect(srp.store.dueWork.get(second.key)?.state).toBe('pending');
  });

  it('cancels that later ping once something happens: the new event plans its own first ping', async () => {
    const id = fileReport(srp, clock);
    await drain();
    const [first] = srp.store.dueWork.pendingFor(id, 'stale');
    if (!first) throw new Error('no staleness ping planned');
    clock.set(first.runAt);
    await drain();
    const [second] = srp.store.dueWork.pendingFor(id, 'stale');
    if (!second) throw new Error('no second staleness ping planned');

    // Rated Critical: an event, and another (shorter) limit.
    clock.advance(60_000);
    expect(srp.severity.recordCvss(CAROL, id, CRITICAL_31).outcome.ok).toBe(true);
    await drain();
    expect(srp.store.dueWork.get(second.key)?.state).toBe('cancelled');
    const [next, ...more] = srp.store.dueWork.pendingFor(id, 'stale');
    expect(more).toEqual([]);
    expect(JSON.parse(next?.payload ?? '{}')).toMatchObject({ lastEvent: clock.now().getTime(), nth: 1 });
  });
});
