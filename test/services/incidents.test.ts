import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotYet } from '../../src/domain/work.js';
import { idCounters, incidentEvents, incidentRoles, incidents } from '../../src/store/schema.js';
import { OUTSIDER, SECURITY } from '../integration/harness.js';
import { TestClock } from '../support/clock.js';
import {
  dueRows,
  fileReport,
  reportDraft,
  type UnitWorld,
  unitWorld,
  type Wired,
  weekly,
} from '../support/unitServices.js';

const T0 = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
const CAROL = 'U0CAROL01';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

let world: UnitWorld;
let clock: TestClock;
let srp: Wired;

beforeEach(async () => {
  clock = new TestClock(T0);
  world = await unitWorld(clock);
  srp = world.srp;
  // Carol joined first, so she leads first; Alice is the primary oncall this week (shift 4 of [Alice, Bob]).
  world.addPerson(CAROL, 'member', new Date(T0.getTime() - 3 * DAY));
  world.addPerson(ALICE, 'member', new Date(T0.getTime() - 2 * DAY));
  world.addPerson(BOB, 'member', new Date(T0.getTime() - DAY));
  expect(srp.rotation.configure(CAROL, weekly([ALICE, BOB])).ok).toBe(true);
});
afterEach(() => world.stop());

/** Everything intake writes, to show what a call stored or did not. */
function stored() {
  return {
    incidents: srp.db.select().from(incidents).all(),
    roles: srp.db.select().from(incidentRoles).all(),
    events: srp.db.select().from(incidentEvents).all(),
    counters: srp.db.select().from(idCounters).all(),
    due: dueRows(srp),
  };
}

const submit = (sourceKey: string, patch = {}) =>
  srp.incidents.submit(reportDraft(clock.now(), patch), { userId: OUTSIDER, sourceKey });

describe('intake', () => {
  it('stores the incident with its roles, card and receipt as due work, names those keys (roles first), and the roles row gives the commander and Fix Lead with their notices', () => {
    const result = submit('view:V1');
    // Given as of when the roles row runs (two seconds after the report, below).
    const notice = (role: string, userId: string) =>
      `role-notice:SRP-2026-001:${role}:given:${userId}:${T0.getTime() + 2_000}`;

    expect(result).toMatchObject({
      ok: true,
      created: true,
      incident: { id: 'SRP-2026-001', phase: 'triage', reportedBy: OUTSIDER, disclosure: 'private' },
      // Its roles before its card, so the card is drawn once, with them.
      due: [
        'intake-roles:SRP-2026-001',
        'card:SRP-2026-001',
        'schedule:SRP-2026-001',
        'receipt:SRP-2026-001',
      ],
    });
    expect(srp.store.incidents.get('SRP-2026-001')).toMatchObject({
      summary: 'Path traversal in kubelet /logs endpoint',
      sourceKey: 'view:V1',
    });
    // Before the answer: nothing assigned yet.
    expect(srp.store.roles.holders('SRP-2026-001')).toMatchObject({ commander: null, fixLead: null });

    // Right after it, the roles row: as of the report's time, whenever it runs.
    clock.advance(2_000);
    expect(srp.runner.runDatabaseWork('intake-roles:SRP-2026-001')).toEqual([
      notice('commander', ALICE),
      notice('fix_lead', CAROL),
    ]);
    expect(srp.store.roles.holders('SRP-2026-001')).toEqual({
      commander: ALICE,
      fixLead: CAROL,
      pendingCommander: null,
      fixTeam: [],
      // Today's process has no per-issue roles.
      perIncident: {},
    });
    const row = (r: ReturnType<typeof dueRows>[number]) => ({
      key: r.key,
      kind: r.kind,
      subject: r.subject,
      state: r.state,
      due: r.dueAt,
    });
    expect(dueRows(srp).map(row)).toEqual([
      // Re-armed by the roles' timeline events, as of then.
      { key: 'card:SRP-2026-001', kind: 'card', subject: 'SRP-2026-001', state: 'pending', due: clock.now() },
      // A millisecond before the rest of the report's work: a drain gives the roles before drawing the card.
      {
        key: 'intake-roles:SRP-2026-001',
        kind: 'intake-roles',
        subject: 'SRP-2026-001',
        state: 'done',
        due: new Date(T0.getTime() - 1),
      },
      { key: 'receipt:SRP-2026-001', kind: 'receipt', subject: 'SRP-2026-001', state: 'pending', due: T0 },
      {
        key: notice('commander', ALICE),
        kind: 'role-notice',
        subject: ALICE,
        state: 'pending',
        due: clock.now(),
      },
      {
        key: notice('fix_lead', CAROL),
        kind: 'role-notice',
        subject: CAROL,
        state: 'pending',
        due: clock.now(),
      },
      {
        key: 'schedule:SRP-2026-001',
        kind: 'schedule',
        subject: 'SRP-2026-001',
        state: 'pending',
        due: clock.now(),
      },
    ]);
    // Once: the row is done.
    expect(srp.runner.runDatabaseWork('intake-roles:SRP-2026-001')).toBeUndefined();
  });

  it('a failure while assigning roles leaves the report stored and nothing of the roles: the row is tried again', () => {
    // Rules that can no longer be read (as if the row were damaged): the commander lookup throws.
    const rules = srp.store.rotation.rules();
    if (!rules) throw new Error('no rotation');
    srp.store.rotation.saveRules({ ...rules, zone: 'Mars/Olympus_Mons' });

    expect(submit('view:V1')).toMatchObject({ ok: true, incident: { id: 'SRP-2026-001' } });
    expect(() => srp.runner.runDatabaseWork('intake-roles:SRP-2026-001')).toThrow(RangeError);
    const after = stored();
    expect(after.incidents).toHaveLength(1);
    expect(after.roles).toEqual([]);
    expect(after.events.map((e) => e.type)).toEqual(['created']);
    expect(after.due.find((r) => r.kind === 'role-notice')).toBeUndefined();
    expect(after.due.find((r) => r.kind === 'intake-roles')).toMatchObject({
      state: 'pending',
      attempts: 1,
      leaseOwner: null,
      lastError: expect.any(String),
    });

    srp.store.rotation.saveRules(rules);
    clock.advance(60_000);
    expect(srp.runner.runDatabaseWork('intake-roles:SRP-2026-001')).toHaveLength(2);
    expect(srp.store.roles.holders('SRP-2026-001')).toMatchObject({ commander: ALICE, fixLead: CAROL });
  });

  it('a roles row that runs late leaves a role someone took meanwhile to them, and gives the rest as of then', () => {
    expect(submit('view:V1')).toMatchObject({ ok: true });
    // Before the roles row ran (a retry, a restart), Bob took command from the card.
    clock.advance(30_000);
    expect(srp.roles.takeCommand(BOB, 'SRP-2026-001', 'oncall did not answer').outcome.ok).toBe(true);
    clock.advance(30_000);
    const notices = srp.runner.runDatabaseWork('intake-roles:SRP-2026-001');
    // Only the Fix Lead is given (and told); Bob keeps command.
    expect(notices).toEqual([`role-notice:SRP-2026-001:fix_lead:given:${CAROL}:${clock.now().getTime()}`]);
    expect(srp.store.roles.holders('SRP-2026-001')).toMatchObject({ commander: BOB, fixLead: CAROL });
    // The Fix Lead's tenure starts when it was given, not when the report came in.
    expect(srp.store.roles.current('SRP-2026-001', 'fix_lead')?.from).toEqual(clock.now());
  });

  it("the round-robin counts every turn given so far, whatever order two reports' roles rows run in", () => {
    expect(submit('view:V1')).toMatchObject({ ok: true });
    clock.advance(1_000);
    expect(submit('view:V2')).toMatchObject({ ok: true });
    // The second report's row runs first (the first's was retried).
    clock.advance(1_000);
    srp.runner.runDatabaseWork('intake-roles:SRP-2026-002');
    clock.advance(1_000);
    srp.runner.runDatabaseWork('intake-roles:SRP-2026-001');
    const leads = ['SRP-2026-001', 'SRP-2026-002'].map((id) => srp.store.roles.holders(id).fixLead);
    expect(new Set(leads).size).toBe(2);
    expect(leads[1]).toBe(CAROL);
  });

  it('returns the first incident for a replayed submission and stores nothing more', () => {
    const first = submit('view:V1');
    const before = stored();
    clock.advance(30_000);

    const replay = submit('view:V1', { summary: 'Edited while the first submission was in flight' });

    expect(first.ok && replay.ok).toBe(true);
    if (!first.ok || !replay.ok) return;
    expect(replay.created).toBe(false);
    expect(replay.incident).toEqual(first.incident);
    expect(stored()).toEqual(before);
  });

  it('answers an invalid report with its errors and stores nothing', () => {
    const empty = srp.incidents.submit({}, { userId: OUTSIDER, sourceKey: 'view:V1' });
    expect(empty).toEqual({
      ok: false,
      errors: {
        summary: expect.any(String),
        description: expect.any(String),
        components: expect.any(String),
        arrival: expect.any(String),
        disclosure: expect.any(String),
        receivedAt: expect.any(String),
      },
    });
    expect(submit('view:V2', { receivedAt: new Date(T0.getTime() + DAY) })).toEqual({
      ok: false,
      errors: { receivedAt: expect.stringMatching(/future/) },
    });
    expect(
      submit('view:V3', { arrival: 'github_issue', arrivalRef: 'https://github.com/org/repo/issues/1' }),
    ).toEqual({ ok: false, errors: { disclosure: expect.stringMatching(/already public/) } });

    expect(stored()).toEqual({ incidents: [], roles: [], events: [], counters: [], due: [] });
  });

  it("sends the reporter's receipt as a DM with the id and none of the report, once", async () => {
    const result = submit('view:V1', { cveId: 'CVE-2026-12345' });
    if (!result.ok) throw new Error('invalid report');
    const { incident } = result;

    // The row intake planned, as the runner would hand it over (twice: a retry sends nothing new).
    const row = srp.store.dueWork.get('receipt:SRP-2026-001');
    if (!row) throw new Error('no receipt planned');
    await srp.incidents.deliverReceipt(row);
    await srp.incidents.deliverReceipt(row);

    const messages = world.fake.messages(world.fake.dmChannelId(OUTSIDER));
    expect(messages).toHaveLength(1);
    const sent = JSON.stringify({ text: messages[0]?.text, blocks: messages[0]?.blocks });
    expect(sent).toContain('SRP-2026-001');
    for (const secret of [
      incident.summary,
      incident.description,
      incident.components,
      incident.arrivalRef,
      incident.reporterName,
      incident.reporterContact,
      incident.cveId,
    ]) {
      expect(secret).toBeTruthy();
      expect(sent).not.toContain(secret);
    }
  });

  it('sends no receipt for an incident that does not exist', async () => {
    // A row planned before receipts named their reporter, for an incident that is not there.
    await srp.incidents.deliverReceipt({
      key: 'receipt:SRP-2026-404',
      kind: 'receipt',
      subject: 'SRP-2026-404',
      dueAt: T0,
      runAt: T0,
      state: 'pending',
      attempts: 1,
      generation: 0,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      payload: null,
      createdAt: T0,
      doneAt: null,
    });
    expect(world.fake.calls).toEqual([]);
  });
});

describe("a reporter's own report", () => {
  it("stores one filed on the reporter's form as arrived in Slack, received now, from them", () => {
    const result = srp.incidents.submit(reportDraft(clock.now(), { reporterName: 'Mallory' }), {
      userId: OUTSIDER,
      sourceKey: 'view:V1',
      form: 'reporter',
    });
    expect(result).toMatchObject({
      ok: true,
      incident: { arrival: 'slack', receivedAt: T0, reporterName: null, reportedBy: OUTSIDER },
    });
  });

  it('stores an addition as a timeline event with its reply and receipt as due work, once per submission', () => {
    const id = fileReport(srp, clock);
    clock.advance(60_000);
    const at = clock.now();

    const added = srp.incidents.addFromReporter(id, '  more  ', { userId: OUTSIDER, sourceKey: 'view:V9' });
    const replayed = srp.incidents.addFromReporter(id, 'more', { userId: OUTSIDER, sourceKey: 'view:V9' });

    const post = `reporter-added:${id}:view:V9`;
    const receipt = `reporter-added-receipt:${id}:view:V9`;
    expect(added).toEqual({ ok: true, due: [`card:${id}`, `schedule:${id}`, post, receipt] });
    expect(replayed).toEqual(added);
    expect(srp.incidents.timeline(id).filter((e) => e.type === 'reporter_added')).toEqual([
      expect.objectContaining({ actor: OUTSIDER, newValue: 'more', at }),
    ]);
    expect(
      dueRows(srp)
        .filter((r) => r.key.startsWith('reporter-added'))
        .map((r) => ({ key: r.key, kind: r.kind, subject: r.subject, payload: JSON.parse(r.payload ?? '') })),
    ).toEqual([
      { key: receipt, kind: 'addition-receipt', subject: id, payload: { reporter: OUTSIDER } },
      { key: post, kind: 'reporter-addition', subject: id, payload: { reporter: OUTSIDER, text: 'more' } },
    ]);
  });

  it("answers someone else's report as one that does not exist, before reading the text, and stores nothing", () => {
    const id = fileReport(srp, clock);
    const before = stored();
    const by = { userId: CAROL, sourceKey: 'view:V9' };
    expect(srp.incidents.ownReport(id, CAROL)).toBeUndefined();
    expect(srp.incidents.ownReport(id, OUTSIDER)?.id).toBe(id);
    expect(srp.incidents.addFromReporter(id, '', by)).toEqual({
      ok: false,
      errors: { addition: `You have no report ${id}.` },
    });
    expect(srp.incidents.addFromReporter('SRP-2026-404', 'x', by)).toEqual({
      ok: false,
      errors: { addition: 'You have no report SRP-2026-404.' },
    });
    expect(srp.incidents.addFromReporter(id, ' ', { ...by, userId: OUTSIDER })).toEqual({
      ok: false,
      errors: { addition: expect.stringMatching(/add/) },
    });
    expect(stored()).toEqual(before);
  });

  it('waits for the card, then replies under it once, and DMs the reporter the id only', async () => {
    const id = fileReport(srp, clock);
    srp.incidents.addFromReporter(id, 'a <!here> PoC', { userId: OUTSIDER, sourceKey: 'view:V9' });
    const row = srp.store.dueWork.get(`reporter-added:${id}:view:V9`);
    if (!row) throw new Error('no reply planned');

    const early = await srp.incidents.postAddition(row).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(NotYet);
    expect((early as NotYet).at.getTime()).toBeGreaterThan(T0.getTime());
    expect(world.fake.calls).toEqual([]);

    await srp.cards.redraw(id, `card:${id}`);
    await srp.incidents.postAddition(row);
    await srp.incidents.postAddition(row);
    const receipt = srp.store.dueWork.get(`reporter-added-receipt:${id}:view:V9`);
    if (!receipt) throw new Error('no receipt planned');
    await srp.incidents.deliverReceipt(receipt);

    const [card, reply, ...more] = world.fake.messages(SECURITY);
    expect(more).toEqual([]);
    expect(reply).toMatchObject({ thread_ts: card?.ts, text: `The reporter added information to ${id}` });
    expect(JSON.stringify(reply?.blocks)).toContain('a &lt;!here&gt; PoC');
    const dms = world.fake.messages(world.fake.dmChannelId(OUTSIDER));
    expect(dms.map((m) => m.text)).toEqual([`Thank you. What you added to ${id} was received.`]);
    expect(JSON.stringify(dms)).not.toContain('PoC');
  });
});
