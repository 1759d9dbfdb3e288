import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Done } from '../../src/services/result.js';
import { SECURITY } from '../integration/harness.js';
import { TestClock } from '../support/clock.js';
import { dueRows, type UnitWorld, unitWorld, type Wired, weekly } from '../support/unitServices.js';

/** Monday 2026-11-30, in shift 4 of [Alice, Bob, Carol]: Bob is primary and Carol secondary until Dec 7. */
const T0 = new Date('2026-11-30T12:00:00Z');
const SHIFT_END = new Date('2026-12-07T09:00:00Z');
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

function askCover(): string {
  const done = srp.rotation.askCover(BOB);
  expect(done.outcome.ok).toBe(true);
  const [request] = srp.store.rotation.openCoverRequests(BOB);
  if (!request) throw new Error('no cover request');
  expect(done.due).toEqual([`cover:${request.id}`]);
  return request.id;
}

describe('cover requests', () => {
  it('asking for cover stores the request and plans its post in the security channel, once', () => {
    const id = askCover();

    expect(srp.store.rotation.coverRequest(id)).toMatchObject({
      position: 'primary',
      requestedBy: BOB,
      start: T0,
      end: SHIFT_END,
      takenBy: null,
    });
    expect(srp.store.dueWork.get(`cover:${id}`)).toMatchObject({
      kind: 'cover-request',
      subject: id,
      state: 'pending',
      dueAt: T0,
    });
    expect(srp.rotation.askCover(BOB).outcome).toEqual({
      ok: false,
      message: expect.stringMatching(/already asked/),
    });
    expect(dueRows(srp).filter((r) => r.kind === 'cover-request')).toHaveLength(1);
  });

  it('two members press Take at once: one wins, the post is re-armed and the requester told, once', async () => {
    const id = askCover();
    await srp.runner.run([`cover:${id}`]);
    const posted = srp.store.dueWork.get(`cover:${id}`);
    expect(posted).toMatchObject({ state: 'done' });

    // Dave's press reads the request while it is open; Alice's commits before Dave's write.
    let alice: Done | undefined;
    const dave = world.connect({
      owner: 'replica-b',
      beforeUnitOfWork: () => {
        alice ??= srp.rotation.takeCover(ALICE, id);
      },
    });
    const lost = dave.rotation.takeCover(DAVE, id);

    expect(alice).toEqual({
      outcome: { ok: true, message: expect.stringContaining(`covering <@${BOB}>'s primary shift`) },
      due: [`cover:${id}`, `cover-taken:${id}`],
    });
    expect(lost.outcome).toEqual({ ok: false, message: `<@${ALICE}> took this shift a moment before you.` });
    expect(srp.rotation.takeCover(DAVE, id).outcome).toEqual({
      ok: false,
      message: `<@${ALICE}> already took this shift.`,
    });
    expect(srp.store.dueWork.get(`cover:${id}`)).toMatchObject({
      state: 'pending',
      generation: (posted?.generation ?? Number.NaN) + 1,
    });
    expect(dueRows(srp).filter((r) => r.kind === 'cover-taken')).toEqual([
      expect.objectContaining({ key: `cover-taken:${id}`, subject: id, state: 'pending' }),
    ]);
    expect(srp.rotation.now()?.primary).toBe(ALICE);

    await srp.runner.run(alice?.due ?? []);
    expect(world.fake.messages(SECURITY)).toEqual([
      expect.objectContaining({
        text: `Cover found for <@${BOB}>'s primary shift`,
        edited: expect.anything(),
      }),
    ]);
    expect(world.fake.messages(world.fake.dmChannelId(BOB)).map((m) => m.text)).toEqual([
      `<@${ALICE}> is covering your primary oncall shift.`,
    ]);
  });
});
