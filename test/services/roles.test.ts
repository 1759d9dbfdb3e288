import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/domain/report.js';
import { NotYet } from '../../src/domain/work.js';
import { incidentEvents } from '../../src/store/schema.js';
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

/** A Monday, 12:00 UTC: 04:00 in Los Angeles. */
const T0 = new Date('2026-11-30T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
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
});
afterEach(() => world.stop());

/** Bodies of the DMs a person got, oldest first. */
const dmsTo = (userId: string) => world.fake.messages(world.fake.dmChannelId(userId)).map((m) => m.text);

function row(key: string) {
  const r = srp.store.dueWork.get(key);
  if (!r) throw new Error(`no due work ${key}`);
  return r;
}

describe('commander handoffs', () => {
  let id: string;
  let handoff: number;

  beforeEach(() => {
    world.addPerson(CAROL, 'member', new Date(T0.getTime() - 3 * DAY));
    world.addPerson(ALICE, 'member', new Date(T0.getTime() - 2 * DAY));
    world.addPerson(BOB, 'member', new Date(T0.getTime() - DAY));
    // Bob works 09:00-17:00 on weekdays in Los Angeles.
    srp.store.members.setTimeZone(BOB, 'America/Los_Angeles', true, CAROL, T0);
    // Alice, this week's primary, commands what comes in.
    expect(srp.rotation.configure(CAROL, weekly([ALICE, BOB])).ok).toBe(true);
    id = fileReport(srp, clock);
    expect(srp.roles.commander(id)).toBe(ALICE);
  });

  function ask() {
    const done = srp.roles.requestCommanderHandoff(ALICE, id, BOB);
    expect(done.outcome.ok).toBe(true);
    const pending = srp.store.roles.pendingHandoff(id);
    if (!pending) throw new Error('no pending handoff');
    handoff = pending.id;
    return done;
  }
  const reminder = (nth: number) => `ic-handoff-reminder:${handoff}:${nth}`;

  it('asks by DM at once and plans the first reminder two hours later, the commander staying in charge', () => {
    const done = ask();

    expect(srp.profile.reminders.commanderHandoff.firstAfterMs).toBe(2 * HOUR);
    expect(done.due).toEqual([`ic-handoff:${handoff}`, `card:${id}`, `schedule:${id}`]);
    expect(row(`ic-handoff:${handoff}`)).toMatchObject({
      kind: 'ic-handoff-request',
      subject: String(handoff),
      state: 'pending',
      dueAt: T0,
    });
    expect(row(reminder(1))).toMatchObject({
      kind: 'ic-handoff-reminder',
      subject: String(handoff),
      state: 'pending',
      dueAt: new Date(T0.getTime() + 2 * HOUR),
      runAt: new Date(T0.getTime() + 2 * HOUR),
    });
    expect(JSON.parse(row(reminder(1)).payload ?? 'null')).toEqual({ nth: 1 });
    expect(srp.store.roles.holders(id)).toMatchObject({ commander: ALICE, pendingCommander: BOB });
  });

  it('refuses a handoff asked by someone other than the commander', () => {
    const done = srp.roles.requestCommanderHandoff(CAROL, id, BOB);
    expect(done.outcome).toEqual({ ok: false, message: expect.stringContaining('commander') });
    expect(srp.store.roles.pendingHandoff(id)).toBeUndefined();
    expect(dueRows(srp).filter((r) => r.kind.startsWith('ic-handoff'))).toEqual([]);
  });

  it('waits for the working hours of the incoming commander, then reminds them and plans the next reminder', async () => {
    ask();
    clock.set(new Date(T0.getTime() + 2 * HOUR)); // 06:00 in Los Angeles

    const early = await srp.roles.remindHandoff(row(reminder(1))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(early).toBeInstanceOf(NotYet);
    // 09:00 PST.
    expect((early as NotYet).at).toEqual(new Date('2026-11-30T17:00:00Z'));
    expect(world.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(srp.store.dueWork.get(reminder(2))).toBeUndefined();

    clock.set(new Date('2026-11-30T17:05:00Z'));
    await srp.roles.remindHandoff(row(reminder(1)));

    expect(dmsTo(BOB)).toEqual([
      `Reminder: <@${ALICE}> asks you to take over as incident commander of ${id}.`,
    ]);
    expect(row(reminder(2))).toMatchObject({
      kind: 'ic-handoff-reminder',
      state: 'pending',
      dueAt: new Date(clock.now().getTime() + 24 * HOUR),
    });
    expect(JSON.parse(row(reminder(2)).payload ?? 'null')).toEqual({ nth: 2 });
    expect(srp.store.roles.handoff(handoff)?.remindedAt).toEqual(clock.now());
  });

  it('reminds nobody of a handoff already answered', async () => {
    ask();
    expect(srp.roles.resolveCommanderHandoff(BOB, handoff, 'declined').outcome.ok).toBe(true);
    clock.set(new Date('2026-11-30T17:05:00Z'));

    await srp.roles.remindHandoff(row(reminder(1)));

    expect(world.fake.calls).toEqual([]);
    expect(srp.store.dueWork.get(reminder(2))).toBeUndefined();
  });

  it('takes one answer: a second is refused and changes nothing', () => {
    ask();
    expect(srp.roles.resolveCommanderHandoff(ALICE, handoff, 'accepted').outcome).toEqual({
      ok: false,
      message: 'Only the person asked can answer this handoff.',
    });

    const accepted = srp.roles.resolveCommanderHandoff(BOB, handoff, 'accepted');
    expect(accepted).toEqual({
      outcome: { ok: true, message: `You are now the incident commander of ${id}.` },
      due: [
        `ic-handoff-accepted:${handoff}`,
        `card:${id}`,
        `schedule:${id}`,
        `role-notice:${id}:commander:given:${BOB}:${clock.now().getTime()}`,
      ],
    });
    expect(srp.roles.resolveCommanderHandoff(BOB, handoff, 'accepted').outcome).toEqual({
      ok: false,
      message: 'That handoff was already accepted.',
    });
    expect(srp.roles.resolveCommanderHandoff(BOB, handoff, 'declined').outcome.ok).toBe(false);

    expect(srp.store.roles.holders(id)).toMatchObject({ commander: BOB, pendingCommander: null });
    expect(dueRows(srp).filter((r) => r.kind === 'ic-handoff-answer')).toEqual([
      expect.objectContaining({ key: `ic-handoff-accepted:${handoff}` }),
    ]);
    const answers = srp.db
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, id), eq(incidentEvents.type, 'commander_handoff_accepted')))
      .all();
    expect(answers).toHaveLength(1);
  });

  // The reminder once named the asker as in charge of an incident nobody commands; like the first DM it
  // names the sender only while they command it.
  it('reminds of a handoff on an incident with no commander without naming the asker as in charge', async () => {
    const report = validateReport(reportDraft(T0), T0);
    if (!report.ok) throw new Error('invalid report');
    const { incident } = srp.store.incidents.create(report.report, {
      reportedBy: CAROL,
      sourceKey: 'view:uncommanded',
      at: T0,
    });
    expect(srp.roles.commander(incident.id)).toBeNull();
    expect(srp.roles.requestCommanderHandoff(CAROL, incident.id, BOB).outcome.ok).toBe(true);
    const h = srp.store.roles.pendingHandoff(incident.id);
    if (!h) throw new Error('no pending handoff');

    await srp.roles.deliverHandoffRequest(row(`ic-handoff:${h.id}`));
    clock.set(new Date('2026-11-30T17:05:00Z'));
    await srp.roles.remindHandoff(row(`ic-handoff-reminder:${h.id}:1`));

    const [request, reminded] = world.fake.messages(world.fake.dmChannelId(BOB));
    expect(request?.text).toBe(`You are asked to take over as incident commander of ${incident.id}.`);
    expect(reminded?.text).toBe(
      `Reminder: You are asked to take over as incident commander of ${incident.id}.`,
    );
    expect(JSON.stringify(reminded?.blocks)).not.toContain('stays in charge');
  });
});

describe('the Fix Lead at intake', () => {
  // Join order Pia, Qui, Rae; their ids sort Rae, Pia, Qui. Neither order is the order of their turns below.
  const PIA = 'U2PIA0001';
  const QUI = 'U3QUI0001';
  const RAE = 'U1RAE0001';

  it('goes round-robin from the last turns, turns at one instant keeping the order they were recorded in', () => {
    world.addPerson(PIA, 'member', new Date(T0.getTime() - 3 * DAY));
    world.addPerson(QUI, 'member', new Date(T0.getTime() - 2 * DAY));
    world.addPerson(RAE, 'member', new Date(T0.getTime() - DAY));
    world.addPerson('U0ASSOC01', 'associate', new Date(T0.getTime() - 4 * DAY));
    expect(
      srp.members.recordLeave(PIA, {
        userId: PIA,
        start: new Date(T0.getTime() - DAY),
        end: new Date(T0.getTime() + DAY),
        replacement: null,
      }).ok,
    ).toBe(true);

    // A burst of reports, all at one instant: Pia is away for the first two, back for the rest.
    const leads: Array<string | null> = [];
    const intake = () => leads.push(srp.roles.fixLead(fileReport(srp, clock)));
    intake();
    intake();
    const leave = srp.store.members.leaves()[0];
    if (!leave) throw new Error('no leave');
    expect(srp.store.members.cancelLeave(leave.id, T0)).toBe(true);
    for (let i = 0; i < 4; i++) intake();

    // Turns at T0 were recorded Qui, Rae, Pia: the queue goes on in that order, not by join order or id.
    expect(leads).toEqual([QUI, RAE, PIA, QUI, RAE, PIA]);
  });
});
