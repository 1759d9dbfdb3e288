import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { responsible } from '../../src/domain/deadlines.js';
import { rotationPair } from '../../src/domain/owners.js';
import { auditLog } from '../../src/store/schema.js';
import { TestClock } from '../support/clock.js';
import {
  dueRows,
  fileReport,
  type UnitWorld,
  unitWorld,
  type Wired,
  weekly,
} from '../support/unitServices.js';

/** A Monday, 12:00 UTC: week 4 of a rotation whose shift 0 starts on Monday 2026-11-02. */
const T0 = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const CAROL = 'U0CAROL01';
const ASSOC = 'U0ASSOC01';
const RELEASER = 'U0RELMGR1';

let world: UnitWorld;
let clock: TestClock;
/** srp running the 2018 process, and srp running today's, on one database. */
let pst: Wired;
let src: Wired;

beforeEach(async () => {
  clock = new TestClock(T0);
  world = await unitWorld(clock);
  src = world.srp;
  pst = world.connect({ process: 'pst2018' });
  world.addPerson(ALICE, 'member', new Date(T0.getTime() - 3 * DAY));
  world.addPerson(BOB, 'member', new Date(T0.getTime() - 2 * DAY));
  world.addPerson(CAROL, 'member', new Date(T0.getTime() - DAY));
  world.addPerson(ASSOC, 'associate');
});
afterEach(() => world.stop());

const dmsTo = (userId: string) => world.fake.messages(world.fake.dmChannelId(userId)).map((m) => m.text);
const triage = (id: string) => pst.owners.perIncident(id).triage;
/** A leave from now for a week, as `/srp members leave` records it. */
const away = (userId: string) =>
  expect(
    pst.members.recordLeave(ALICE, {
      userId,
      start: clock.now(),
      end: new Date(clock.now().getTime() + 7 * DAY),
      replacement: null,
    }).ok,
  ).toBe(true);

describe('the Release Managers', () => {
  it('are a roster members change, each change audited; the schedule names them', () => {
    expect(src.owners.addReleaseManager(ALICE, RELEASER)).toMatchObject({ ok: true });
    expect(src.owners.addReleaseManager(ALICE, RELEASER)).toEqual({
      ok: false,
      message: `<@${RELEASER}> is already a Release Manager.`,
    });
    expect(src.owners.releaseManagers()).toEqual([RELEASER]);
    expect(src.owners.isReleaseManager(RELEASER)).toBe(true);
    const id = fileReport(src, clock);
    expect(src.schedule.situation(id)?.holders.releaseManagers).toEqual([RELEASER]);

    expect(src.owners.removeReleaseManager(BOB, RELEASER)).toMatchObject({ ok: true });
    expect(src.owners.removeReleaseManager(BOB, RELEASER)).toMatchObject({ ok: false });
    expect(src.owners.releaseManagers()).toEqual([]);
    // Re-checked here, not only at the edge: an associate changes nothing, and nothing is audited.
    expect(src.owners.addReleaseManager(ASSOC, RELEASER)).toEqual({
      ok: false,
      message: 'Only full members can change who the Release Managers are.',
    });
    expect(src.owners.removeReleaseManager(ASSOC, RELEASER)).toMatchObject({ ok: false });
    expect(src.owners.releaseManagers()).toEqual([]);
    const audit = src.db.select().from(auditLog).orderBy(asc(auditLog.id)).all();
    expect(audit.map((a) => [a.actor, a.action, a.subject])).toEqual([
      [ALICE, 'release_managers.add', RELEASER],
      [BOB, 'release_managers.remove', RELEASER],
    ]);
  });
});

describe('the 2018 per-issue roles by queue', () => {
  beforeEach(() => {
    expect(pst.owners.configure(ALICE, 'triage', 'queue', [ALICE, BOB, CAROL])).toMatchObject({ ok: true });
  });

  it('gives each new incident to the top of the queue, who goes to the bottom; recorded, told and on the card', () => {
    const ids = [1, 2, 3, 4].map(() => fileReport(pst, clock));
    expect(ids.map(triage)).toEqual([ALICE, BOB, CAROL, ALICE]);

    const first = ids[0] as string;
    expect(pst.store.roles.tenures(first).find((t) => t.role === 'triage')).toMatchObject({
      userId: ALICE,
      assignedBy: 'srp',
      to: null,
    });
    expect(pst.incidents.timeline(first)).toContainEqual(
      expect.objectContaining({ type: 'role_changed', field: 'triage', actor: 'srp', newValue: ALICE }),
    );
    const notice = dueRows(pst).find((r) => r.kind === 'role-notice' && r.key.includes(`${first}:triage:`));
    expect(notice).toMatchObject({ subject: ALICE, state: 'pending' });
    const card = JSON.stringify(pst.cards.render(first)?.blocks);
    expect(card).toContain(`*Per-issue roles*\\nTriage: <@${ALICE}>`);
    // Nobody else holds a 2018 role: only the configured one is given.
    expect(Object.keys(pst.owners.perIncident(first))).toEqual(['triage']);
  });

  it('passes over someone on leave, who stays at the top for the next incident after their leave', async () => {
    away(ALICE);
    const during = [fileReport(pst, clock), fileReport(pst, clock)];
    expect(during.map(triage)).toEqual([BOB, CAROL]);
    expect(pst.owners.overview().find((r) => r.role === 'triage')).toMatchObject({ now: BOB, next: CAROL });
    clock.advance(8 * DAY);
    expect(pst.owners.overview().find((r) => r.role === 'triage')).toMatchObject({ now: ALICE, next: BOB });
    expect(triage(fileReport(pst, clock))).toBe(ALICE);
  });

  it('passes over someone who is no longer a full member', () => {
    expect(pst.members.setMembership(ALICE, BOB, 'associate').ok).toBe(true);
    expect([fileReport(pst, clock), fileReport(pst, clock)].map(triage)).toEqual([ALICE, CAROL]);
  });

  it('leaves the role to nobody when everyone in the queue is away; its steps then fall to the Fix Lead', () => {
    expect(pst.owners.configure(ALICE, 'triage', 'queue', [ALICE, BOB])).toMatchObject({ ok: true });
    for (const u of [ALICE, BOB]) away(u);
    const id = fileReport(pst, clock);
    expect(triage(id)).toBeUndefined();
    expect(pst.store.owners.assignmentRules()[0]?.queue).toEqual([ALICE, BOB]);
    const s = pst.schedule.situation(id);
    if (!s) throw new Error('no situation');
    expect(s.holders.fixLead).toBe(CAROL);
    expect(responsible('triage', s.holders)).toEqual([CAROL]);
  });

  it('says the order again from the top when the queue is set again', () => {
    fileReport(pst, clock);
    expect(pst.owners.configure(BOB, 'triage', 'queue', [CAROL, ALICE])).toMatchObject({ ok: true });
    expect(triage(fileReport(pst, clock))).toBe(CAROL);
  });
});

describe('the 2018 per-issue roles by weekly rotation', () => {
  beforeEach(() => {
    // Weeks counted as the oncall rotation counts them: T0 is in its week 4.
    expect(pst.rotation.configure(ALICE, weekly([ALICE, BOB, CAROL])).ok).toBe(true);
    expect(pst.rotation.week(T0).index).toBe(4);
    expect(pst.owners.configure(ALICE, 'infra', 'rotation', [ALICE, BOB, CAROL])).toMatchObject({
      ok: true,
    });
  });

  it("gives the week's incidents to its primary (list[N % len]); the next week's to the next", () => {
    expect(rotationPair([ALICE, BOB, CAROL], 4)).toEqual({ primary: BOB, secondary: CAROL });
    const infra = (id: string) => pst.owners.perIncident(id).infra;
    expect(infra(fileReport(pst, clock))).toBe(BOB);
    expect(infra(fileReport(pst, clock))).toBe(BOB);
    expect(pst.owners.overview().find((r) => r.role === 'infra')).toMatchObject({
      now: BOB,
      next: CAROL,
      weekEnds: new Date('2026-12-07T09:00:00Z'),
    });
    clock.set('2026-12-07T09:00:00Z');
    expect(infra(fileReport(pst, clock))).toBe(CAROL);
  });

  it('gives it to the secondary while the primary is on leave, and to nobody when both are', () => {
    const infra = (id: string) => pst.owners.perIncident(id).infra;
    away(BOB);
    expect(infra(fileReport(pst, clock))).toBe(CAROL);
    away(CAROL);
    const id = fileReport(pst, clock);
    expect(infra(id)).toBeUndefined();
  });

  it('counts weeks from Mondays 00:00 UTC when there is no oncall rotation', async () => {
    const other = await unitWorld(new TestClock(T0));
    try {
      const w = other.connect({ process: 'pst2018' });
      for (const u of [ALICE, BOB, CAROL]) other.addPerson(u);
      expect(w.owners.configure(ALICE, 'infra', 'rotation', [ALICE, BOB, CAROL])).toMatchObject({ ok: true });
      const week = w.rotation.week(T0);
      expect(week.start).toEqual(new Date('2026-11-30T00:00:00Z'));
      const { primary } = rotationPair([ALICE, BOB, CAROL], week.index);
      expect(w.owners.perIncident(fileReport(w, other.clock)).infra).toBe(primary);
    } finally {
      await other.stop();
    }
  });
});

describe('setting and reassigning the 2018 roles', () => {
  it('takes only members, in an order with nobody twice, from a member', () => {
    expect(pst.owners.configure(ALICE, 'triage', 'queue', [ALICE, ASSOC])).toEqual({
      ok: false,
      message: `<@${ASSOC}>: only committee members can hold these roles.`,
    });
    expect(pst.owners.configure(ASSOC, 'triage', 'queue', [ALICE])).toMatchObject({ ok: false });
    expect(pst.owners.configure(ALICE, 'triage', 'queue', [ALICE, ALICE])).toMatchObject({ ok: false });
    expect(pst.store.owners.assignmentRules()).toEqual([]);
  });

  it('is refused under today’s process, which has no such roles, and assigns none at intake', () => {
    expect(src.owners.configure(ALICE, 'triage', 'queue', [ALICE])).toMatchObject({
      ok: false,
      message: expect.stringContaining('has no per-issue roles'),
    });
    // Rules set under the 2018 process do nothing for a deployment running today's.
    expect(pst.owners.configure(ALICE, 'triage', 'queue', [ALICE])).toMatchObject({ ok: true });
    expect(src.owners.perIncident(fileReport(src, clock))).toEqual({});
    const id = fileReport(src, clock);
    expect(src.roles.reassign(ALICE, id, 'triage', BOB, 'x').outcome).toMatchObject({ ok: false });
  });

  it('moves a role to another member with the reason; both told, the timeline and tenure say so', () => {
    expect(pst.owners.configure(ALICE, 'triage', 'queue', [ALICE])).toMatchObject({ ok: true });
    const id = fileReport(pst, clock);
    expect(pst.roles.reassign(BOB, id, 'triage', CAROL, '').outcome).toMatchObject({
      ok: false,
      message: expect.stringContaining('A reason is needed'),
    });
    expect(pst.roles.reassign(BOB, id, 'triage', ASSOC, 'knows it').outcome).toMatchObject({ ok: false });
    expect(pst.roles.reassign(ASSOC, id, 'triage', CAROL, 'knows it').outcome).toMatchObject({ ok: false });
    expect(pst.roles.reassign(BOB, id, 'triage', ALICE, 'again').outcome).toEqual({
      ok: false,
      message: `<@${ALICE}> already holds the Triage role on ${id}.`,
    });
    const done = pst.roles.reassign(BOB, id, 'triage', CAROL, 'Alice is at a conference');
    expect(done.outcome).toEqual({ ok: true, message: `<@${CAROL}> now holds the Triage role on ${id}.` });
    expect(triage(id)).toBe(CAROL);
    expect(pst.incidents.timeline(id).at(-1)).toMatchObject({
      type: 'role_changed',
      field: 'triage',
      actor: BOB,
      oldValue: ALICE,
      newValue: { userId: CAROL, reason: 'Alice is at a conference' },
    });
    const notices = dueRows(pst).filter((r) => r.kind === 'role-notice' && r.key.includes(':triage:'));
    expect(notices.map((r) => [r.subject, JSON.parse(r.payload ?? '{}').change])).toEqual(
      expect.arrayContaining([
        [CAROL, 'given'],
        [ALICE, 'taken_over'],
      ]),
    );
  });

  it('tells the holder by DM with the role’s name and the id only', async () => {
    expect(pst.owners.configure(ALICE, 'disclosure', 'queue', [BOB])).toMatchObject({ ok: true });
    const id = fileReport(pst, clock);
    await pst.runner.run(dueRows(pst).map((r) => r.key));
    expect(dmsTo(BOB)).toContain(`You hold the Disclosure role on ${id}.`);
    expect(JSON.stringify(world.fake.messages(world.fake.dmChannelId(BOB)))).not.toContain('Path traversal');
  });

  it('hands them over with everything else when their holder leaves the committee', () => {
    expect(pst.owners.configure(ALICE, 'triage', 'queue', [BOB])).toMatchObject({ ok: true });
    const id = fileReport(pst, clock);
    const refused = pst.departures.remove(ALICE, BOB);
    expect(refused.outcome).toMatchObject({ ok: false, message: expect.stringContaining(`Triage of ${id}`) });
    expect(pst.departures.remove(ALICE, BOB, CAROL).outcome).toMatchObject({ ok: true });
    expect(triage(id)).toBe(CAROL);
  });
});
