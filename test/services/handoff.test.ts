import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECURITY } from '../integration/harness.js';
import { TestClock } from '../support/clock.js';
import {
  dueRows,
  fileReport,
  type UnitWorld,
  unitWorld,
  type Wired,
  weekly,
} from '../support/unitServices.js';

/** Monday 2026-11-30, three hours into shift 4 of [Alice, Bob, Carol]: Bob is primary, Carol secondary. */
const T0 = new Date('2026-11-30T12:00:00Z');
const WEEK = 7 * 86_400_000;
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const CAROL = 'U0CAROL01';
const DAVE = 'U0DAVE001';

let world: UnitWorld;
let clock: TestClock;
let srp: Wired;

beforeEach(async () => {
  clock = new TestClock(T0);
  world = await unitWorld(clock);
  srp = world.srp;
  for (const [i, user] of [ALICE, BOB, CAROL, DAVE].entries()) {
    world.addPerson(user, 'member', new Date(T0.getTime() - (10 - i) * 86_400_000));
  }
  expect(srp.rotation.configure(ALICE, weekly([ALICE, BOB, CAROL])).ok).toBe(true);
});
afterEach(() => world.stop());

const planned = (kind: 'oncall-handoff' | 'shift-digest') =>
  dueRows(srp)
    .filter((r) => r.kind === kind)
    .map((r) => ({ subject: r.subject, payload: JSON.parse(r.payload ?? 'null') as unknown }));

/** A replica on its own connection whose units of work can be made to wait for another's first. */
function replica() {
  let between: (() => void) | undefined;
  const wired = world.connect({
    owner: 'replica-b',
    beforeUnitOfWork: () => {
      const run = between;
      between = undefined;
      run?.();
    },
  });
  return { wired, meanwhile: (fn: () => void) => (between = fn) };
}

describe('oncall handoff announcements', () => {
  it('plans the post and the digest once per change of shift, however often and by whichever replica', () => {
    const keys = srp.handoffs.planAnnouncement();
    expect(keys).toEqual([expect.stringMatching(/^handoff:/), expect.stringMatching(/^digest:/)]);
    expect(srp.handoffs.planAnnouncement()).toEqual([]);
    const other = world.connect({ owner: 'replica-b' });
    expect(other.handoffs.planAnnouncement()).toEqual([]);

    expect(planned('oncall-handoff')).toEqual([
      {
        subject: expect.any(String),
        payload: { primary: BOB, secondary: CAROL, until: '2026-12-07T09:00:00.000Z' },
      },
    ]);
    expect(planned('shift-digest')).toEqual([
      { subject: BOB, payload: { until: '2026-12-07T09:00:00.000Z' } },
    ]);

    clock.advance(WEEK);
    expect(other.handoffs.planAnnouncement()).toHaveLength(2);
    expect(srp.handoffs.planAnnouncement()).toEqual([]);
    expect(planned('oncall-handoff').map((p) => p.payload)).toEqual([
      expect.objectContaining({ primary: BOB }),
      expect.objectContaining({ primary: CAROL, secondary: ALICE }),
    ]);
    expect(planned('shift-digest').map((p) => p.subject)).toEqual([BOB, CAROL]);
  });

  it('plans once when another replica plans between its read of the last shift and its write', () => {
    const b = replica();
    let first: string[] = [];

    b.meanwhile(() => {
      first = srp.handoffs.planAnnouncement();
    });
    expect(b.wired.handoffs.planAnnouncement()).toEqual([]);
    expect(first).toHaveLength(2);

    clock.advance(WEEK);
    b.meanwhile(() => {
      first = srp.handoffs.planAnnouncement();
    });
    expect(b.wired.handoffs.planAnnouncement()).toEqual([]);
    expect(first).toHaveLength(2);

    expect(planned('oncall-handoff')).toHaveLength(2);
    expect(planned('shift-digest').map((p) => p.subject)).toEqual([BOB, CAROL]);
    expect(srp.store.rotation.snapshot()).toMatchObject({ shiftIndex: 5, primary: CAROL, secondary: ALICE });
  });

  it('sends no digest when only the secondary changed', () => {
    expect(srp.handoffs.planAnnouncement()).toHaveLength(2);
    clock.advance(3_600_000);
    expect(srp.rotation.handOff(CAROL, DAVE).ok).toBe(true);

    expect(srp.handoffs.planAnnouncement()).toEqual([expect.stringMatching(/^handoff:/)]);
    expect(planned('oncall-handoff').map((p) => p.payload)).toEqual([
      expect.objectContaining({ primary: BOB, secondary: CAROL }),
      expect.objectContaining({ primary: BOB, secondary: DAVE }),
    ]);
    expect(planned('shift-digest')).toHaveLength(1);
  });

  it('posts the handoff, and a digest naming at most 20 incidents of each kind and counting the rest', async () => {
    const ids = Array.from({ length: 23 }, () => fileReport(srp, clock));
    const keys = srp.handoffs.planAnnouncement();

    await srp.runner.run(keys);

    expect(world.fake.messages(SECURITY).map((m) => m.text)).toEqual([
      expect.stringMatching(new RegExp(`^Oncall handoff: primary .*${BOB}.*, secondary .*${CAROL}`)),
    ]);
    const digests = world.fake.messages(world.fake.dmChannelId(BOB));
    expect(digests).toHaveLength(1);
    const body = JSON.stringify(digests[0]?.blocks);
    const listed = `${ids.slice(0, 20).join(', ')} and 3 more`;
    // Both lists: incidents whose commander has said nothing for a day, and reports not yet triaged.
    expect(body.split(listed)).toHaveLength(3);
    for (const id of ids.slice(20)) expect(body).not.toContain(id);
    expect(body).not.toContain('Path traversal');
  });
});
