import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOpenStep } from '../../src/domain/deadlines.js';
import { SECURITY } from '../integration/harness.js';
import { TestClock } from '../support/clock.js';
import type { FakeMessage } from '../support/fakeSlack.js';
import {
  dueRows,
  fileReport,
  reportDraft,
  type UnitWorld,
  unitWorld,
  type Wired,
  weekly,
} from '../support/unitServices.js';

/** Monday noon UTC: the report arrived an hour before, inside everyone's (default, UTC) working hours. */
const T0 = new Date('2026-11-30T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const R = new Date(T0.getTime() - HOUR);
const at = (ms: number) => new Date(R.getTime() + ms);
const CAROL = 'U0CAROL01';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const DAVE = 'U0DAVE001';
const CRITICAL_31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

let world: UnitWorld;
let clock: TestClock;
let srp: Wired;
let id: string;

beforeEach(async () => {
  clock = new TestClock(T0);
  world = await unitWorld(clock);
  srp = world.srp;
  world.addPerson(CAROL, 'member', new Date(T0.getTime() - 3 * DAY));
  world.addPerson(ALICE, 'member', new Date(T0.getTime() - 2 * DAY));
  world.addPerson(BOB, 'member', new Date(T0.getTime() - DAY));
  world.fake.addUser({ id: DAVE, name: 'dave' });
  // Alice commands what comes in this week; Carol, the first to join, is the first Fix Lead.
  expect(srp.rotation.configure(CAROL, weekly([ALICE, BOB])).ok).toBe(true);
  id = fileReport(srp, clock);
});
afterEach(() => world.stop());

const nudgeKey = (step: string, kind: 'soon' | 'overdue', deadline: Date, nth = 1) =>
  `nudge:${id}:${step}:${kind}:${deadline.getTime()}${nth > 1 ? `:${nth}` : ''}`;
/** The incident's planned nudges and staleness pings, by key, with their state. */
function planned(): Record<string, string> {
  return Object.fromEntries(
    dueRows(srp)
      .filter((r) => (r.kind === 'nudge' || r.kind === 'stale') && r.subject === id)
      .map((r) => [r.key, r.state]),
  );
}
const pendingKeys = () =>
  Object.entries(planned())
    .filter(([, state]) => state === 'pending')
    .map(([k]) => k);
const keyOf = (m: FakeMessage) => String(m.metadata?.event_payload.key ?? '');
/** Replies under the card whose delivery key starts with `prefix`. */
const replies = (prefix: string) =>
  world.fake.messages(SECURITY).filter((m) => m.thread_ts && keyOf(m).startsWith(prefix));
/** When the incident last changed (its last timeline event), in ms. */
const lastEvent = () => srp.store.incidents.get(id)?.updatedAt.getTime() ?? Number.NaN;
const dms = (userId: string) => world.fake.messages(world.fake.dmChannelId(userId));

/** Runs due work until nothing is due at the clock's time. */
async function drain(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await srp.runner.drain();
    if (srp.store.dueWork.runnable(clock.now(), 1).length === 0) return;
  }
  throw new Error('due work never settled');
}
const ok = (r: { outcome: { ok: boolean; message: string } }) => {
  expect(r.outcome).toMatchObject({ ok: true });
  return r;
};

describe('replan: an incident’s nudges and staleness ping as due work', () => {
  it('plans a "due soon" and an "overdue" nudge per open step and one staleness ping; twice is the same rows', () => {
    srp.schedule.replan(id);
    const first = dueRows(srp).filter((r) => r.subject === id && (r.kind === 'nudge' || r.kind === 'stale'));
    // src without a CVE: 15 steps, the two distributor steps and the CVE record do not apply.
    expect(first.filter((r) => r.kind === 'nudge')).toHaveLength(2 * 12);
    expect(first.every((r) => r.state === 'pending')).toBe(true);
    expect(planned()).toMatchObject({
      [nudgeKey('fix_team_organized', 'soon', at(DAY))]: 'pending',
      [nudgeKey('fix_team_organized', 'overdue', at(DAY))]: 'pending',
      [nudgeKey('cvss_scored', 'soon', at(7 * DAY))]: 'pending',
      [nudgeKey('retrospective', 'overdue', at(24 * DAY))]: 'pending',
    });
    const soon = srp.store.dueWork.get(nudgeKey('cvss_scored', 'soon', at(7 * DAY)));
    expect(soon?.runAt).toEqual(at(7 * DAY - 36 * HOUR));
    expect(JSON.parse(soon?.payload ?? '')).toEqual({
      step: 'cvss_scored',
      nudge: 'soon',
      deadline: at(7 * DAY).getTime(),
      nth: 1,
    });
    // Unrated counts as Medium: a ping 30 days after the last event.
    const last = new Date(lastEvent());
    const stale = `stale:${id}:${last.getTime() + 30 * DAY}`;
    expect(srp.store.dueWork.get(stale)).toMatchObject({
      state: 'pending',
      runAt: new Date(last.getTime() + 30 * DAY),
    });

    clock.advance(60_000);
    expect(srp.schedule.replan(id)).toEqual([]);
    const again = dueRows(srp).filter((r) => r.subject === id && (r.kind === 'nudge' || r.kind === 'stale'));
    expect(again).toEqual(first);
  });

  it('cancels a done step’s nudges, a moved deadline’s old ones, and all of them once closed', () => {
    srp.schedule.replan(id);
    clock.advance(HOUR);

    ok(srp.phases.markDone(CAROL, id, 'fix_lgtm'));
    srp.schedule.replan(id);
    expect(planned()).toMatchObject({
      [nudgeKey('fix_lgtm', 'soon', at(7 * DAY))]: 'cancelled',
      [nudgeKey('fix_lgtm', 'overdue', at(7 * DAY))]: 'cancelled',
      [nudgeKey('cvss_scored', 'soon', at(7 * DAY))]: 'pending',
    });

    const moved = at(10 * DAY);
    ok(srp.phases.moveDeadline(CAROL, id, 'cvss_scored', moved, 'the scorer is away'));
    srp.schedule.replan(id);
    expect(planned()).toMatchObject({
      [nudgeKey('cvss_scored', 'soon', at(7 * DAY))]: 'cancelled',
      [nudgeKey('cvss_scored', 'overdue', at(7 * DAY))]: 'cancelled',
      [nudgeKey('cvss_scored', 'soon', moved)]: 'pending',
      [nudgeKey('cvss_scored', 'overdue', moved)]: 'pending',
    });

    // Moving the release date moves the steps counted from it.
    ok(srp.phases.moveDeadline(CAROL, id, 'announce', at(28 * DAY), 'a coordinated date with the distros'));
    srp.schedule.replan(id);
    expect(planned()).toMatchObject({
      [nudgeKey('retrospective', 'overdue', at(24 * DAY))]: 'cancelled',
      [nudgeKey('retrospective', 'overdue', at(31 * DAY))]: 'pending',
      [nudgeKey('fix_team_organized', 'overdue', at(DAY))]: 'pending',
    });

    ok(srp.phases.close(CAROL, id, 'duplicate', 'same as the one from last week'));
    srp.schedule.replan(id);
    expect(pendingKeys()).toEqual([]);
  });

  it('revives the nudges of a deadline moved away and back', () => {
    srp.schedule.replan(id);
    const first = at(9 * DAY);
    const second = at(12 * DAY);
    ok(srp.phases.moveDeadline(CAROL, id, 'cvss_scored', first, 'waiting for the PoC'));
    srp.schedule.replan(id);
    clock.advance(HOUR);
    ok(srp.phases.moveDeadline(CAROL, id, 'cvss_scored', second, 'still waiting'));
    srp.schedule.replan(id);
    expect(planned()[nudgeKey('cvss_scored', 'overdue', first)]).toBe('cancelled');
    clock.advance(HOUR);
    ok(srp.phases.moveDeadline(CAROL, id, 'cvss_scored', first, 'the PoC came after all'));
    srp.schedule.replan(id);
    expect(planned()).toMatchObject({
      [nudgeKey('cvss_scored', 'soon', first)]: 'pending',
      [nudgeKey('cvss_scored', 'overdue', first)]: 'pending',
      [nudgeKey('cvss_scored', 'soon', second)]: 'cancelled',
      [nudgeKey('cvss_scored', 'overdue', second)]: 'cancelled',
    });
    expect(srp.store.dueWork.get(nudgeKey('cvss_scored', 'overdue', first))?.runAt).toEqual(first);
  });

  it('sends the "due soon" of a deadline moved back, even when it ran (with nothing to say) before the move was planned', async () => {
    await drain();
    const deadline = at(7 * DAY); // Monday 7 December 11:00 UTC
    const soon = nudgeKey('cvss_scored', 'soon', deadline);
    // Monday 09:30 UTC: the "due soon" has been due since Saturday night and has not run yet.
    clock.set(new Date('2026-12-07T09:30:00Z'));
    ok(srp.phases.moveDeadline(CAROL, id, 'cvss_scored', at(9 * DAY), 'the scorer is away'));
    // No follow-up run (srp restarted, or a tick came first): the drain takes the nudge, due longest,
    // before the schedule is planned again, and the nudge finds nothing to say about the old deadline.
    await drain();
    expect(replies(soon)).toHaveLength(0);
    expect(replies(nudgeKey('final_rating', 'soon', deadline))).toHaveLength(1);

    // And back: the "due soon" for that deadline holds again, and is sent.
    clock.advance(10 * 60_000);
    ok(srp.phases.moveDeadline(CAROL, id, 'cvss_scored', deadline, 'the scorer is back'));
    await drain();
    expect(replies(soon)).toHaveLength(1);
  });
});

describe('nudges are sent once, and wait for working hours', () => {
  it('a step overdue is nudged once, then repeated once a working day, until it is done', async () => {
    ok(srp.roles.changeFixTeam(CAROL, id, DAVE, 'add'));
    await drain();
    const deadline = at(7 * DAY); // Monday 11:00 UTC
    const overdue = nudgeKey('fix_lgtm', 'overdue', deadline);
    clock.set(deadline);
    await drain();
    await drain();
    expect(replies(overdue)).toHaveLength(1);
    expect(replies(overdue)[0]?.blocks?.length).toBeGreaterThan(0);
    expect(JSON.stringify(replies(overdue)[0]?.blocks)).toContain(`<@${DAVE}>`);

    // Dave is not on the committee: no hours on record, so the repeat comes a day later.
    clock.advance(DAY);
    await drain();
    expect(replies(`${overdue}:2`)).toHaveLength(1);
    expect(replies(overdue)).toHaveLength(2);

    ok(srp.phases.markDone(DAVE, id, 'fix_lgtm'));
    await drain();
    clock.advance(3 * DAY);
    await drain();
    expect(replies(overdue)).toHaveLength(2);
  });

  it('a repeat survives the incident being closed and reopened, and goes on once it is open again', async () => {
    await drain();
    const deadline = at(DAY); // fix_team_organized, Tuesday 11:00 UTC
    const overdue = nudgeKey('fix_team_organized', 'overdue', deadline);
    clock.set(deadline);
    await drain();
    expect(replies(overdue)).toHaveLength(1);
    ok(srp.phases.close(CAROL, id, 'wont_fix', 'the component is deprecated'));
    await drain();
    ok(srp.phases.reopen(CAROL, id, 'it is still shipped in 1.31'));
    await drain();
    // Still overdue, still nobody on the Fix Team: the daily repeat is due again.
    clock.advance(3 * DAY);
    await drain();
    expect(replies(overdue).length).toBeGreaterThanOrEqual(2);
  });

  it('waits for the owner’s working hours unless urgent, then nudges at 09:00 their time', async () => {
    expect(srp.members.setTimeZone(CAROL, CAROL, 'America/New_York').ok).toBe(true);
    await drain();
    // fix_team_organized is due Tuesday 11:00 UTC: 06:00 in New York.
    const overdue = nudgeKey('fix_team_organized', 'overdue', at(DAY));
    clock.set(at(DAY));
    await drain();
    expect(replies(overdue)).toHaveLength(0);
    expect(srp.store.dueWork.get(overdue)).toMatchObject({
      state: 'pending',
      runAt: new Date('2026-12-01T14:00:00Z'),
    });
    clock.set(new Date('2026-12-01T14:00:00Z'));
    await drain();
    expect(replies(overdue)).toHaveLength(1);
  });

  it('a public incident’s nudges go at once, whatever the hour', async () => {
    await drain();
    clock.set(new Date('2026-12-05T22:00:00Z')); // Saturday night
    ok(srp.phases.markPublic(CAROL, id, 'oss-security'));
    await drain();
    const publicAt = clock.now();
    expect(replies(nudgeKey('cvss_scored', 'overdue', publicAt))).toHaveLength(1);
    expect(replies(nudgeKey('announce', 'overdue', publicAt))).toHaveLength(1);
    expect(replies(`nudge:${id}:`).filter((m) => keyOf(m).includes(':soon:'))).toHaveLength(0);
  });
});

describe('staleness pings', () => {
  const staleReplies = () => replies(`stale:${id}:`);
  /** The `nth` ping after the event at `last` (ms), for a Critical incident: keyed by its due time. */
  const ping = (last: number, nth: number) => `stale:${id}:${last + nth * 2 * DAY}`;

  it('pings the commander once per period with no event, and starts over after an event', async () => {
    ok(srp.severity.recordCvss(CAROL, id, CRITICAL_31)); // Critical: 2 days, and urgent
    await drain();
    const last = lastEvent();
    clock.set(new Date(last + 2 * DAY - 1));
    await drain();
    expect(staleReplies()).toHaveLength(0);
    clock.set(new Date(last + 2 * DAY));
    await drain();
    await drain();
    expect(staleReplies().map(keyOf)).toEqual([ping(last, 1)]);
    expect(JSON.stringify(staleReplies()[0]?.blocks)).toContain(`<@${ALICE}>`);

    clock.set(new Date(last + 3 * DAY));
    await drain();
    expect(staleReplies()).toHaveLength(1);
    clock.set(new Date(last + 4 * DAY));
    await drain();
    expect(staleReplies().map(keyOf)).toEqual([ping(last, 1), ping(last, 2)]);

    // Something happens: the count starts from it, and the old chain is dropped.
    clock.advance(HOUR);
    ok(srp.roles.changeFixTeam(ALICE, id, DAVE, 'add'));
    await drain();
    const next = lastEvent();
    expect(next).toBe(clock.now().getTime());
    expect(planned()).toMatchObject({
      [ping(last, 3)]: 'cancelled',
      [ping(next, 1)]: 'pending',
    });
    clock.set(new Date(next + 2 * DAY));
    await drain();
    expect(staleReplies().map(keyOf)).toEqual([ping(last, 1), ping(last, 2), ping(next, 1)]);
  });

  it('keeps the next ping when the schedule is planned again without an event (an upgrade’s replan)', async () => {
    ok(srp.severity.recordCvss(CAROL, id, CRITICAL_31));
    await drain();
    const last = lastEvent();
    clock.set(new Date(last + 2 * DAY));
    await drain();
    expect(staleReplies()).toHaveLength(1);
    expect(planned()[ping(last, 2)]).toBe('pending');

    srp.schedule.replan(id);
    expect(planned()[ping(last, 2)]).toBe('pending');
    clock.set(new Date(last + 4 * DAY));
    await drain();
    expect(staleReplies()).toHaveLength(2);
  });

  it('never pings about a Low incident, or a closed one', async () => {
    ok(srp.severity.finalCall(CAROL, id, 'Low', 'needs local access and a debug flag'));
    await drain();
    expect(pendingKeys().filter((k) => k.startsWith('stale:'))).toEqual([]);
    ok(srp.severity.finalCall(CAROL, id, 'High', 'a second look: reachable remotely'));
    await drain();
    expect(pendingKeys().filter((k) => k.startsWith('stale:'))).toHaveLength(1);
    ok(srp.phases.close(CAROL, id, 'not_vulnerability', 'works as intended'));
    await drain();
    clock.advance(60 * DAY);
    await drain();
    expect(staleReplies()).toHaveLength(0);
  });
});

describe('the nudge DM', () => {
  it('gathers the nudges due together into one DM per person: ids, step names and times only', async () => {
    ok(srp.roles.changeFixTeam(CAROL, id, DAVE, 'add'));
    await drain();
    const before = dms(CAROL).length;
    // Carol's three development steps (CVSS, final call, CVE) come due soon together, on a Saturday night.
    const deadline = at(7 * DAY); // Monday 7 December 11:00 UTC
    clock.set(at(7 * DAY - 36 * HOUR)); // Saturday 23:00 UTC
    await drain();
    // Carol waits for Monday 09:00; Dave, outside the committee, has no hours on record: his goes now.
    expect(replies(`nudge:${id}:`).map(keyOf)).toEqual([nudgeKey('fix_lgtm', 'soon', deadline)]);
    expect(dms(CAROL)).toHaveLength(before);

    clock.set(new Date('2026-12-07T09:00:00Z'));
    await drain();
    const steps = ['cvss_scored', 'final_rating', 'cve_requested'];
    for (const s of steps) expect(replies(nudgeKey(s, 'soon', deadline))).toHaveLength(1);
    const digests = dms(CAROL).filter((m) => keyOf(m).startsWith('nudge-dm:'));
    expect(digests).toHaveLength(1);
    const digest = digests[0] as FakeMessage;
    const body = JSON.stringify(digest.blocks);
    expect(digest.text).toBe('3 security incident steps need you');
    for (const name of ['CVSS scored', 'Final severity call', 'CVE assigned']) expect(body).toContain(name);
    expect(body.split(`*${id}*`)).toHaveLength(4);
    expect(body.split(`<!date^${Math.floor(deadline.getTime() / 1000)}^`)).toHaveLength(4);
    // Dave's step (the LGTMs) is his, in his own DM.
    expect(dms(DAVE).filter((m) => keyOf(m).startsWith('nudge-dm:'))).toHaveLength(1);

    // Nothing of the report reaches a DM: not its summary, description, components or reporter.
    const report = reportDraft(T0);
    const secrets = [report.summary, report.description, report.components, report.reporterName];
    for (const user of [CAROL, ALICE, BOB, DAVE]) {
      for (const m of dms(user)) {
        const text = JSON.stringify([m.text, m.blocks]);
        for (const secret of secrets) expect(text).not.toContain(secret);
        expect(text).not.toMatch(/kubelet|traversal|shadow|Lovelace/i);
      }
    }
  });
});

describe('replan, property: whatever happens to an incident', () => {
  type Op =
    | { t: 'move'; step: number; hours: number }
    | { t: 'done'; step: number }
    | { t: 'advance'; hours: number }
    | { t: 'public' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      t: fc.constant('move' as const),
      step: fc.nat({ max: 12 }),
      hours: fc.integer({ min: 1, max: 600 }),
    }),
    fc.record({ t: fc.constant('done' as const), step: fc.nat({ max: 12 }) }),
    fc.record({ t: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 200 }) }),
    fc.constant({ t: 'public' as const }),
  );
  const nudgeRows = () => dueRows(srp).filter((r) => r.subject === id && r.kind === 'nudge');

  it('plans once, one pending row per step, nudge and deadline, at the step’s deadline; public makes every open step due now', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        // A fresh incident per run: the file's own is the first; later runs file another.
        id = fileReport(srp, clock);
        let wasPublic = false;
        for (const o of ops) {
          // Each event at its own minute: a move in the same millisecond as the disclosure counts as after it.
          clock.advance(60_000);
          const steps = srp.profile.phases.steps;
          const rule = 'step' in o ? steps[o.step % steps.length] : undefined;
          if (o.t === 'move' && rule)
            srp.phases.moveDeadline(
              CAROL,
              id,
              rule.id,
              new Date(clock.now().getTime() + o.hours * HOUR),
              'plan',
            );
          if (o.t === 'done' && rule) srp.phases.markDone(CAROL, id, rule.id);
          if (o.t === 'advance') clock.advance(o.hours * HOUR);
          if (o.t === 'public') srp.phases.markPublic(CAROL, id, 'a public tracker');
          const due = srp.schedule.replan(id);
          const rows = nudgeRows();

          // Planning again with nothing new changes no row and makes nothing more due.
          expect(srp.schedule.replan(id)).toEqual(due);
          expect(nudgeRows()).toEqual(rows);

          const s = srp.schedule.situation(id);
          if (!s) throw new Error('no situation');
          const pending = rows.filter((r) => r.state === 'pending');
          const open = s.schedule.steps.filter(isOpenStep);
          for (const r of pending) {
            const n = JSON.parse(r.payload ?? '{}') as { step: string; nudge: string; deadline: number };
            // Each pending nudge is about an open step's deadline as it stands (an old deadline's is cancelled).
            const step = open.find((x) => x.rule.id === n.step);
            expect(step?.dueAt.getTime(), r.key).toBe(n.deadline);
          }
          // At most one pending first nudge per (step, kind), and every open step has its overdue one planned.
          const firsts = pending.map((r) => r.key).filter((k) => !/:\d+:\d+$/.test(k));
          const slots = firsts.map((k) => k.split(':').slice(0, 4).join(':'));
          expect(new Set(slots).size).toBe(slots.length);
          for (const x of open) {
            const overdue = nudgeKey(x.rule.id, 'overdue', x.dueAt);
            expect(srp.store.dueWork.get(overdue)?.state, overdue).toMatch(/pending|done/);
          }
          if (o.t === 'public' && !wasPublic) {
            wasPublic = true;
            // Made public: every open step is due now (a deadline moved later afterwards is the Fix Lead's call), and its overdue nudge is among what replan says to run.
            for (const x of open) {
              expect(x.dueAt <= clock.now(), x.rule.id).toBe(true);
              const k = nudgeKey(x.rule.id, 'overdue', x.dueAt);
              if (srp.store.dueWork.get(k)?.state === 'pending') expect(due).toContain(k);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
