import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deliveryTime,
  isOpenStep,
  responsible,
  stalenessLimit,
  stalePingAt,
} from '../../src/domain/deadlines.js';
import type { ProcessId } from '../../src/domain/profiles/index.js';
import type { Rating } from '../../src/domain/severity.js';
import { dueWork, nudgeDms } from '../../src/store/schema.js';
import { OUTSIDER, SECURITY } from '../integration/harness.js';
import { TestClock } from '../support/clock.js';
import type { FakeMessage } from '../support/fakeSlack.js';
import { fileReport, type UnitWorld, unitWorld, type Wired } from '../support/unitServices.js';

/**
 * Issue 9's two properties, driven against the real services (SQLite file, fake Slack over HTTP, a test
 * clock): random sequences of what happens to incidents and to srp itself, then
 *   (a) a step is never nudged twice for one due time: no two thread replies carry the same nudge key
 *       (incident, step, kind, deadline, repeat), read from the metadata the outbox stamps on every post;
 *   (b) every due nudge is eventually sent: once the clock has run on far enough (past working hours and
 *       every deadline) every nudge whose facts still hold is in the thread, nothing due is left pending,
 *       an overdue step still has its daily repeat planned, and every DM line went out in a DM.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CAROL = 'U0CAROL01';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const ERIN = 'U0ERIN001';
/** Not on the committee: no working hours on record, so nudges to him go at once. */
const DAVE = 'U0DAVE001';
const VECTORS: Record<Rating, string> = {
  Critical: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  High: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
  Medium: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
  Low: 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N',
};
const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin'] as const;
/** Starts near the 2026 DST changes: New York 8 March / 1 November, Berlin 29 March / 25 October. */
const STARTS = [
  '2026-03-05T15:00:00Z',
  '2026-03-26T08:00:00Z',
  '2026-10-22T12:00:00Z',
  '2026-10-29T20:00:00Z',
];

type Op =
  | { t: 'advance'; ms: number; drain: boolean }
  | { t: 'drain' }
  | { t: 'drainTwice'; replica: boolean }
  | { t: 'done'; inc: number; step: number; follow: boolean }
  | { t: 'move'; inc: number; step: number; minutes: number; follow: boolean }
  | { t: 'moveBack'; inc: number; step: number; pick: number; follow: boolean }
  | { t: 'public'; inc: number; follow: boolean }
  | { t: 'fixTeam'; inc: number; who: number; follow: boolean }
  | { t: 'cvss'; inc: number; rating: Rating; follow: boolean }
  | { t: 'close'; inc: number; follow: boolean }
  | { t: 'reopen'; inc: number; follow: boolean }
  /** Closed by mistake (or too early) and reopened, with srp running its due work in between. */
  | { t: 'closeAndReopen'; inc: number; follow: boolean }
  /** A deadline moved away and straight back to where it was (the Fix Lead undoing a move). */
  | { t: 'moveAndBack'; inc: number; step: number; minutes: number; follow: boolean }
  | { t: 'restart'; upgrade: boolean; midDrain: boolean }
  | { t: 'slackFails'; times: number };

const inc = fc.nat({ max: 1 });
const step = fc.nat({ max: 12 });
const follow = fc.boolean();
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 7,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.oneof(
        fc.integer({ min: 60_000, max: 6 * HOUR }),
        fc.integer({ min: 6 * HOUR, max: 3 * DAY }),
        fc.integer({ min: 3 * DAY, max: 9 * DAY }),
      ),
      // Mostly srp runs its due work as time passes; sometimes it was down meanwhile.
      drain: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ t: 'drain' as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('drainTwice' as const), replica: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('done' as const), inc, step, follow }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('move' as const),
      inc,
      step,
      minutes: fc.integer({ min: 1, max: 20 * 24 * 60 }),
      follow,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('moveBack' as const), inc, step, pick: fc.nat(), follow }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('public' as const), inc, follow }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('fixTeam' as const), inc, who: fc.nat({ max: 1 }), follow }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('cvss' as const),
      inc,
      rating: fc.constantFrom<Rating>('Critical', 'High', 'Medium', 'Low'),
      follow,
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('close' as const), inc, follow }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reopen' as const), inc, follow }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('closeAndReopen' as const), inc, follow }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('moveAndBack' as const),
      inc,
      step,
      minutes: fc.integer({ min: 1, max: 20 * 24 * 60 }),
      follow,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('restart' as const),
      upgrade: fc.boolean(),
      midDrain: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('slackFails' as const), times: fc.integer({ min: 1, max: 2 }) }),
  },
);

const scenario = fc.record({
  process: fc.constantFrom<ProcessId>('src', 'pst2018'),
  start: fc.constantFrom(...STARTS),
  /**
   * How long before the start each report (one or two) was received: just now, or weeks ago (entered late,
   * most deadlines passed).
   */
  receivedAgo: fc.array(
    fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 5 * DAY, max: 26 * DAY })),
    { minLength: 1, maxLength: 2 },
  ),
  zones: fc.record({
    carol: fc.constantFrom(...ZONES),
    alice: fc.constantFrom(...ZONES),
    erin: fc.constantFrom(...ZONES),
  }),
  /** A CVSS scored at intake (Critical and High make staleness pings come within days), or none. */
  rating: fc.constantFrom<Rating | null>('Critical', 'High', 'Medium', 'Low', null),
  ops: fc.array(op, { minLength: 1, maxLength: 20 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const keyOf = (m: FakeMessage) => String(m.metadata?.event_payload.key ?? '');
/** A repeat (`…:2`) names the nudge it repeats. */
const baseKey = (key: string) => key.replace(/(:\d+):\d+$/, '$1');

/** Every nudge posted under a card: its key and where it sits in the channel. */
function nudgeReplies(world: UnitWorld): Array<{ key: string; ts: number }> {
  return world.fake
    .messages(SECURITY)
    .filter((m) => m.thread_ts && keyOf(m).startsWith('nudge:'))
    .map((m) => ({ key: keyOf(m), ts: Number(m.ts) }));
}

/** Everyone a message may go to by DM. */
const PEOPLE = [CAROL, ALICE, BOB, ERIN, DAVE, OUTSIDER];

/**
 * (a): no nudge twice. More generally no keyed message twice, in the channel or in anyone's DMs (a staleness
 * ping, a DM gathering nudge lines); and a "due soon" never after the overdue nudge for the same deadline.
 */
function checkNeverTwice(world: UnitWorld): void {
  const keys = [SECURITY, ...PEOPLE.map((u) => world.fake.dmChannelId(u))]
    .flatMap((c) => world.fake.messages(c))
    .map(keyOf)
    .filter(Boolean);
  const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
  expect(twice, 'messages posted twice').toEqual([]);
  const posted = nudgeReplies(world);
  for (const p of posted) {
    const overdue = p.key.match(/^(nudge:[^:]+:[^:]+):soon:(\d+)$/);
    if (!overdue) continue;
    const first = posted.find((q) => q.key === `${overdue[1]}:overdue:${overdue[2]}`);
    if (first) expect(p.ts, `${p.key} came after its overdue nudge`).toBeLessThan(first.ts);
  }
}

class Run {
  srp: Wired;
  readonly inFlight: Promise<unknown>[] = [];
  readonly ids: string[] = [];
  /** Each (incident, step)'s deadlines seen so far, to move one back to exactly where it was. */
  readonly history = new Map<string, number[]>();
  private replicas = 0;

  constructor(
    readonly world: UnitWorld,
    readonly clock: TestClock,
    readonly process: ProcessId,
  ) {
    this.srp = world.connect({ owner: 'srp-0', process });
  }

  get steps() {
    return this.srp.profile.phases.steps;
  }

  /** What the Slack layer does after a change: run the work it made due now (unless srp dies first). */
  async after(r: { outcome: { ok: boolean }; due?: string[] }, follow: boolean): Promise<void> {
    if (follow && r.outcome.ok && r.due) await this.srp.runner.run(r.due);
  }

  async drainUntilIdle(): Promise<void> {
    for (let i = 0; i < 30; i++) {
      await this.srp.runner.drain();
      if (this.srp.store.dueWork.runnable(this.clock.now(), 1).length === 0) return;
    }
    throw new Error('due work never settled at one instant');
  }

  situation(i: number) {
    return this.srp.schedule.situation(this.ids[i] as string);
  }

  async apply(o: Op): Promise<void> {
    const srp = this.srp;
    const which = 'inc' in o ? o.inc % this.ids.length : 0;
    const id = this.ids[which] as string;
    const s = 'inc' in o ? this.situation(which) : undefined;
    const lead = s?.holders.fixLead ?? s?.holders.commander ?? CAROL;
    const rule = 'step' in o ? this.steps[o.step % this.steps.length] : undefined;
    switch (o.t) {
      case 'advance':
        // A process stopped mid-drain finishes (or dies) within its leases: a Slack call cannot outlast
        // them (the client times out in 10 s). So its drain ends before the clock moves on past them.
        await Promise.all(this.inFlight.splice(0));
        this.clock.advance(o.ms);
        if (o.drain) await srp.runner.drain();
        return;
      case 'drain':
        await srp.runner.drain();
        return;
      case 'drainTwice': {
        const other = o.replica
          ? this.world.connect({ owner: `replica-${++this.replicas}`, process: this.process })
          : srp;
        await Promise.all([srp.runner.drain(), other.runner.drain()]);
        return;
      }
      case 'done':
        return this.after(srp.phases.markDone(lead, id, rule?.id ?? ''), o.follow);
      case 'move':
      case 'moveBack': {
        const current = s?.schedule.steps.find((x) => x.rule.id === rule?.id);
        if (!current || !rule) return;
        const key = `${which}:${rule.id}`;
        const seen = this.history.get(key) ?? [];
        let to: number;
        if (o.t === 'move') to = this.clock.now().getTime() + o.minutes * 60_000;
        else {
          const earlier = seen.filter((t) => t > this.clock.now().getTime() && t !== current.dueAt.getTime());
          if (earlier.length === 0) return;
          // pick 0 is the one it had last.
          to = earlier[earlier.length - 1 - (o.pick % earlier.length)] as number;
        }
        this.history.set(key, [...seen, current.dueAt.getTime()]);
        return this.after(
          srp.phases.moveDeadline(lead, id, rule.id, new Date(to), 'the plan changed'),
          o.follow,
        );
      }
      case 'public':
        return this.after(srp.phases.markPublic(lead, id, 'a public issue tracker'), o.follow);
      case 'fixTeam':
        return this.after(srp.roles.changeFixTeam(lead, id, [DAVE, ERIN][o.who] as string, 'add'), o.follow);
      case 'cvss':
        return this.after(srp.severity.recordCvss(lead, id, VECTORS[o.rating]), o.follow);
      case 'close':
        return this.after(srp.phases.close(lead, id, 'wont_fix', 'the component is going away'), o.follow);
      case 'reopen':
        return this.after(srp.phases.reopen(lead, id, 'it is still shipped'), o.follow);
      case 'closeAndReopen':
        await this.apply({ t: 'close', inc: o.inc, follow: o.follow });
        await srp.runner.drain();
        return this.apply({ t: 'reopen', inc: o.inc, follow: o.follow });
      case 'moveAndBack': {
        const was = s?.schedule.steps.find((x) => x.rule.id === rule?.id)?.dueAt.getTime();
        if (was === undefined || was <= this.clock.now().getTime()) return;
        await this.apply({ t: 'move', inc: o.inc, step: o.step, minutes: o.minutes, follow: o.follow });
        await srp.runner.drain();
        return this.apply({ t: 'moveBack', inc: o.inc, step: o.step, pick: 0, follow: o.follow });
      }
      case 'restart': {
        // A drain still running in the old process (killed later, or finishing as it stops) goes on.
        if (o.midDrain) this.inFlight.push(srp.runner.drain());
        this.srp = this.world.connect({ owner: `srp-${++this.replicas}`, process: this.process });
        if (o.upgrade) {
          // A release that changed how nudges are planned: every open incident is planned again.
          this.srp.store.meta.set('schedule_version', '0');
          await this.srp.schedule.refreshAll();
        }
        return;
      }
      case 'slackFails':
        this.world.fake.failNext('chat.postMessage', { status: 500 }, o.times);
        return;
    }
  }

  /** The nudges each open step of each open incident should have by now, from its situation. */
  expectations() {
    const out: Array<{
      step: string;
      kind: 'soon' | 'overdue';
      deadline: number;
      soonAt: number;
      users: string[];
      urgent: boolean;
      asap: boolean;
    }> = [];
    for (const [i, id] of this.ids.entries()) {
      const s = this.situation(i);
      if (!s || s.incident.phase === 'closed') continue;
      for (const x of s.schedule.steps.filter(isOpenStep)) {
        out.push({
          step: `${id}:${x.rule.id}`,
          kind: 'overdue',
          deadline: x.dueAt.getTime(),
          soonAt: x.soonAt.getTime(),
          users: responsible(x.rule.owner, s.holders),
          urgent: s.urgent,
          asap: x.asap,
        });
      }
    }
    return out;
  }
}

async function runScenario(sc: Scenario): Promise<void> {
  const t0 = performance.now();
  const clock = new TestClock(new Date(sc.start));
  const world = await unitWorld(clock);
  try {
    const boot = world.srp;
    const joined = new Date(clock.now().getTime() - 30 * DAY);
    for (const u of [CAROL, ALICE, BOB, ERIN]) world.addPerson(u, 'member', joined);
    world.fake.addUser({ id: DAVE, name: 'dave' });
    expect(boot.members.setTimeZone(CAROL, CAROL, sc.zones.carol).ok).toBe(true);
    expect(boot.members.setTimeZone(CAROL, ALICE, sc.zones.alice).ok).toBe(true);
    expect(boot.members.setTimeZone(CAROL, ERIN, sc.zones.erin).ok).toBe(true);
    const rotation = {
      order: [ALICE, BOB],
      handoffWeekday: 1,
      handoffTime: '09:00',
      zone: 'UTC',
      startDate: '2026-01-05',
    };
    expect(boot.rotation.configure(CAROL, rotation).ok).toBe(true);

    const tSetup = performance.now();
    const run = new Run(world, clock, sc.process);
    for (const ago of sc.receivedAgo) {
      const id = fileReport(run.srp, clock, { receivedAt: new Date(clock.now().getTime() - ago - 60_000) });
      run.ids.push(id);
      if (sc.rating) expect(run.srp.severity.recordCvss(CAROL, id, VECTORS[sc.rating]).outcome.ok).toBe(true);
    }
    await run.drainUntilIdle();

    for (const o of sc.ops) {
      await run.apply(o);
      checkNeverTwice(world);
    }
    await Promise.all(run.inFlight);
    await run.drainUntilIdle();

    const tOps = performance.now();
    // (b) From here nothing happens but time (a Slack failure an op queued that no call met yet is dropped).
    // Note what is planned and already sent, then run the clock past every pending nudge and every open
    // deadline, stopping at each time something is due.
    world.fake.clearFailures();
    const srp = run.srp;
    const captured = clock.now().getTime();
    const sentBefore = new Set(nudgeReplies(world).map((p) => p.key));
    const expected = run.expectations();
    const pendingAtCapture = () =>
      srp.store.dueWork
        .runnable(new Date(8_640_000_000_000_000), 100_000)
        .filter((r) => r.kind === 'nudge')
        .map((r) => r.key);
    const watched = new Set(pendingAtCapture());
    const runAtCapture = new Map(
      [...watched].map((k) => [k, srp.store.dueWork.get(k)?.runAt.getTime() ?? 0] as const),
    );
    // Stop wherever a watched "due soon" is due (it must go before its deadline), then once past every
    // deadline; from there on, wherever a watched nudge waits (working hours). Between stops srp is as if
    // down: what came due meanwhile runs at the next stop.
    const horizon = Math.max(captured, ...expected.map((e) => e.deadline)) + 60_000;
    for (let i = 0; ; i++) {
      expect(i, 'the clock never settled').toBeLessThan(300);
      const now = clock.now().getTime();
      const waiting = [...watched]
        .map((k) => srp.store.dueWork.get(k))
        .filter((r) => r?.state === 'pending')
        .map((r) => ({ soon: r?.key.includes(':soon:'), at: r?.runAt.getTime() as number }));
      const next =
        now < horizon
          ? Math.min(horizon, ...waiting.filter((w) => w.soon).map((w) => w.at))
          : Math.min(...waiting.map((w) => w.at));
      if (next === Number.POSITIVE_INFINITY) {
        if (process.env.PROP_DEBUG) console.log('stops', i);
        break;
      }
      clock.set(new Date(Math.max(now, next)));
      await run.drainUntilIdle();
    }

    if (process.env.PROP_DEBUG)
      console.log(
        'ops',
        Math.round(tOps - tSetup),
        'final',
        Math.round(performance.now() - tOps),
        'calls',
        world.fake.calls.length,
        'setup',
        Math.round(tSetup - t0),
      );
    if (process.env.PROP_DUMP) {
      for (const r of srp.db.select().from(dueWork).all())
        if (r.kind === 'nudge') console.log(r.key, r.state, r.runAt.toISOString());
      console.log(JSON.stringify(expected));
    }
    checkNeverTwice(world);
    const sent = new Set(nudgeReplies(world).map((p) => p.key));
    const nudgeKey = (e: { step: string }, kind: string, deadline: number) =>
      `nudge:${e.step}:${kind}:${deadline}`;
    for (const e of expected) {
      // Every open step of an open incident had its overdue nudge, and still has its daily repeat planned.
      const overdue = nudgeKey(e, 'overdue', e.deadline);
      expect(sent.has(overdue), `${overdue} was never sent`).toBe(true);
      const repeat = srp.store.dueWork
        .runnable(new Date(8_640_000_000_000_000), 100_000)
        .some((r) => r.kind === 'nudge' && baseKey(r.key) === overdue && r.key !== overdue);
      expect(repeat, `${overdue} has no repeat planned`).toBe(true);

      // Its "due soon", unless ASAP: sent before, or sent now if someone could be told before the deadline.
      if (e.asap || e.deadline <= captured) continue;
      const soon = nudgeKey(e, 'soon', e.deadline);
      if (sentBefore.has(soon)) continue;
      const hours = e.users.map((u) => srp.members.workingHours(u) ?? null);
      // Not tried before its row's time: a retry after a Slack failure may already be set past the deadline
      // (a "due soon" then has nothing left to say; the overdue nudge follows).
      const retryAt = runAtCapture.get(soon) ?? 0;
      const could =
        deliveryTime(new Date(Math.max(captured, e.soonAt, retryAt)), hours, e.urgent).getTime() < e.deadline;
      expect([soon, sent.has(soon)]).toEqual([soon, could]);
    }
    // Each open incident with a staleness limit has its next ping planned since its last event, and every
    // earlier one of that period sent.
    const stale = new Set(
      world.fake
        .messages(SECURITY)
        .map(keyOf)
        .filter((k) => k.startsWith('stale:')),
    );
    for (const [i, id] of run.ids.entries()) {
      const s = run.situation(i);
      const limit = s && stalenessLimit(srp.profile.phases, s.rating);
      if (!s || s.incident.phase === 'closed' || !limit) continue;
      const last = s.incident.updatedAt.getTime();
      const next = srp.store.dueWork.pendingFor(id, 'stale');
      expect(next.length, `${id} has no staleness ping planned after ${last}`).toBe(1);
      const p = JSON.parse(next[0]?.payload ?? '{}') as { lastEvent: number; nth: number };
      expect(p.lastEvent).toBe(last);
      // Keyed by its due time: the nth period after the last event, at the incident's current limit.
      const pingKey = (m: number) => `stale:${id}:${stalePingAt(new Date(last), limit, m).getTime()}`;
      expect(next[0]?.key).toBe(pingKey(p.nth));
      for (let m = 1; m < p.nth; m++) expect(stale.has(pingKey(m)), `ping ${m} of ${id}`).toBe(true);
    }
    // Nothing due is left waiting.
    const due = srp.store.dueWork.runnable(clock.now(), 100).map((r) => r.key);
    expect(due).toEqual([]);
    // Every line a nudge added to someone's DM went out in one.
    for (const line of srp.db.select().from(nudgeDms).all()) {
      expect(line.digestKey, `${line.nudgeKey} for ${line.userId} waits for a DM`).not.toBeNull();
      expect(srp.outbox.isDelivered(line.digestKey as string), `${line.digestKey} was not sent`).toBe(true);
    }
  } finally {
    await world.stop();
  }
}

describe('nudges as due work, against the real services', () => {
  it('(a) a step is never nudged twice for one due time; (b) every due nudge is eventually sent', {
    timeout: 600_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const t = performance.now();
        try {
          await runScenario(sc);
        } finally {
          if (process.env.PROP_DEBUG)
            console.log(`run ${Math.round(performance.now() - t)} ms, ${sc.ops.length} ops`);
        }
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 20), endOnFailure: Boolean(process.env.PROP_DEBUG) },
    );
  });
});

/** Scenarios fast-check found, kept as regressions. */
const FOUND: Array<{ why: string; scenario: Scenario }> = [
  {
    why: 'a staleness ping due the millisecond a nudge DM ran had its line wait for ever (nudge-dm keyed by ms)',
    scenario: {
      process: 'src',
      start: '2026-03-05T15:00:00Z',
      receivedAgo: [0],
      zones: { carol: 'UTC', alice: 'UTC', erin: 'UTC' },
      rating: 'Critical',
      ops: [
        { t: 'public', inc: 0, follow: false },
        { t: 'move', inc: 0, step: 0, minutes: 28799, follow: false },
        { t: 'move', inc: 0, step: 1, minutes: 1, follow: false },
      ],
    },
  },
];
describe('scenarios found before', () => {
  for (const f of FOUND) it(f.why, { timeout: 60_000 }, () => runScenario(f.scenario));
});

/** Replays one scenario (as fast-check prints it, in JSON) given in PROP_SCENARIO, to debug a failure. */
it.runIf(process.env.PROP_SCENARIO)('replays PROP_SCENARIO', { timeout: 600_000 }, async () => {
  await runScenario(JSON.parse(process.env.PROP_SCENARIO as string) as Scenario);
});
