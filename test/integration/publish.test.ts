import { afterEach, describe, expect, it } from 'vitest';
import { type AdvisoryRecord, advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import { work } from '../../src/domain/work.js';
import { advisoryStore } from '../../src/store/advisory.js';
import { dueWorkStore } from '../../src/store/dueWork.js';
import { severityStore } from '../../src/store/severity.js';
import { SCHEDULE_ACTION, SCHEDULE_CONFIRM_ACTION } from '../../src/views/announce.js';
import { DISCLOSURE_ENV, READY_RECORD, READY_SEVERITY } from '../support/advisory.js';
import {
  ADMIN,
  ANNOUNCE,
  BEA as B,
  BEA_AND_CEM,
  CEM as C,
  fileReport,
  follow,
  type Harness,
  idle,
  OUTSIDER,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/**
 * The announcement at its target time, exactly once, tried as a committee would: approved, scheduled (by
 * typing a time, or confirming srp's proposal, or the card's form), and then srp killed and started again on
 * either side of the target, Slack's schedule losing the message, Slack failing the post after taking it.
 * Whatever happens, the announcements channel ends up holding the approved line once.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CVE = 'CVE-2026-4242';

function people() {
  return workspaceWith(BEA_AND_CEM);
}

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h?.stop();
});

/** Tuesday 2026-12-01, 09:00 UTC, unless a test says otherwise. */
async function start(at = '2026-12-01T09:00:00Z') {
  clock = new TestClock(new Date(at));
  h = await startHarness({
    fake: people(),
    env: { SRP_ADMINS: [ADMIN, B, C].join(','), ...DISCLOSURE_ENV },
    clock,
  });
  await h.driver.command(`oncall setup <@${ADMIN}> <@${B}> <@${C}> monday 10:00 Europe/Berlin 2026-10-19`, {
    userId: ADMIN,
    channelId: SECURITY,
  });
  await h.srp.runJobs();
}

const advisory = () => advisoryStore(h.srp.db);
const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json as { text: string; blocks?: unknown[] };
const cardOf = (id: string) => h.fake.messages(SECURITY).find((m) => m.text.endsWith(id));
const thread = (id: string) => {
  const ts = cardOf(id)?.ts;
  return h.fake.messages(SECURITY).filter((m) => m.thread_ts === ts && m.ts !== ts);
};
const announcements = () => h.fake.messages(ANNOUNCE);
const disclosure = (id: string) => advisory().disclosure(id);

/**
 * A report filed by the reporter in Slack, with a CVE, B as its Fix Lead (the commander is the oncall
 * primary, ADMIN), its advisory record saved by B and approved by C. Returns the id and the approved line.
 */
async function approvedIncident(): Promise<{ id: string; line: string }> {
  const id = await fileReport(h);
  expect((await say(ADMIN, `fixlead ${id} <@${B}> knows the component`)).text).toMatch(/Fix Lead/);
  const incident = h.srp.services.incidents.get(id);
  const edited = h.srp.services.incidents.edit(id, { ...incident, cveId: CVE } as never, ADMIN);
  expect(edited.ok).toBe(true);
  await follow(h, edited as { due?: string[] });
  await settled(h);
  const record = advisoryRecord.parse({ ...READY_RECORD, cveId: CVE });
  severityStore(h.srp.db).update(id, READY_SEVERITY, clock.now(), []);
  advisory().save(id, record, B, clock.now());
  const approvals = h.srp.services.approvals;
  const hash = approvals.currentTexts(id)?.hash ?? '';
  expect(approvals.approve(C, id, hash).outcome.ok).toBe(true);
  const line = approvals.approvedTexts(id)?.slackLine ?? '';
  expect(line).not.toBe('');
  // The approval's reply under the card, sent before the test goes on.
  await h.srp.runJobs();
  await settled(h);
  return { id, line };
}

/** Both distributor notices recorded as sent `daysAgo` days before now. */
function noticesSent(id: string, daysAgo = 10) {
  const at = new Date(clock.now().getTime() - daysAgo * DAY);
  advisory().noticeSent(id, 'advance', B, 'by_hand', at);
  advisory().noticeSent(id, 'release_day', B, 'by_hand', at);
}

/** srp stopped, time moved on, and srp started again (a kill in mid-call is set up by hand where tested). */
async function crashAndRestartAt(at: string) {
  await h.srp.stop();
  clock.set(at);
  await h.restart();
  await h.srp.runJobs();
  await h.srp.runJobs();
  await settled(h);
}

/** The reporter's DMs saying it is public. */
const publicDms = (id: string) =>
  h.fake.messages(h.fake.dmChannelId(OUTSIDER)).filter((m) => m.text.includes(`${id} is now public`));

describe('scheduled, killed, and started again after the target time', () => {
  it('delivered by Slack’s schedule: the channel holds the approved line once, the incident is published with its permalink, the reporter is told once', async () => {
    await start();
    const { id, line } = await approvedIncident();
    noticesSent(id);
    // The commander types a time.
    const answer = await say(ADMIN, `schedule ${id} 2026-12-02 16:00`);
    expect(answer.text).toContain(`${id}'s announcement is scheduled for <!date^1796227200^`);
    expect(answer.text).toContain('Wed 2026-12-02 16:00 UTC');
    expect(answer.text).toContain('Wed 2026-12-02 8:00AM PST');
    await settled(h);
    expect(h.fake.scheduled(ANNOUNCE)).toEqual([
      expect.objectContaining({
        text: line,
        post_at: Date.parse('2026-12-02T16:00:00Z') / 1000,
        lost: false,
      }),
    ]);
    // No metadata on the scheduled message: Slack never posts one that carries it.
    expect(h.fake.okCallsTo('chat.scheduleMessage')[0]?.args.metadata).toBeUndefined();
    expect(disclosure(id)).toMatchObject({
      state: 'scheduled',
      generation: 1,
      scheduledMessageId: 'Q00000001',
    });
    // The release step's deadline is the target now.
    const announce = h.srp.services.schedule
      .situation(id)
      ?.schedule.steps.find((s) => s.rule.id === 'announce');
    expect(announce?.dueAt).toEqual(new Date('2026-12-02T16:00:00Z'));
    expect(announcements()).toEqual([]);

    // Killed before the target; started again well after it.
    await crashAndRestartAt('2026-12-02T19:30:00Z');

    expect(announcements().map((m) => m.text)).toEqual([line]);
    const posted = announcements()[0];
    expect(posted?.ts.startsWith('1796227200.')).toBe(true);
    const d = disclosure(id);
    expect(d).toMatchObject({ state: 'published', announceTs: posted?.ts });
    expect(d?.permalink).toMatch(new RegExp(`/archives/${ANNOUNCE}/p1796227200`));
    // srp posted nothing there itself.
    expect(h.fake.okCallsTo('chat.postMessage').filter((c) => c.args.channel === ANNOUNCE)).toEqual([]);
    // The card shows the permalink; the release step is done by the fact.
    expect(JSON.stringify(cardOf(id)?.blocks)).toContain(d?.permalink as string);
    const after = h.srp.services.schedule.situation(id)?.schedule.steps;
    expect(after?.find((s) => s.rule.id === 'announce')?.state).toBe('done');
    // The steps after the release count from it: removing the Fix Team a day later, the retrospective in 3.
    expect(after?.find((s) => s.rule.id === 'fix_team_removed')?.dueAt).toEqual(
      new Date('2026-12-03T16:00:00Z'),
    );
    expect(after?.find((s) => s.rule.id === 'retrospective')?.dueAt).toEqual(
      new Date('2026-12-05T16:00:00Z'),
    );
    expect(publicDms(id).map((m) => m.text)).toEqual([`${id} is now public: ${d?.permalink}`]);

    // Again and again: nothing more.
    await crashAndRestartAt('2026-12-02T20:00:00Z');
    await h.srp.runJobs();
    expect(announcements()).toHaveLength(1);
    expect(publicDms(id)).toHaveLength(1);
    // The fix team's removal comes due with a nudge, counted from the release (in B's Berlin hours).
    clock.set('2026-12-04T08:30:00Z');
    await h.srp.runJobs();
    await settled(h);
    expect(
      thread(id).some((m) => m.text === `${id}: Fix Team removed from the private repo is overdue`),
    ).toBe(true);
  });

  it('the scheduled message lost by Slack: srp posts it itself after the target, once, through a 500 after the post, a 429 and a crash', async () => {
    await start();
    const { id, line } = await approvedIncident();
    noticesSent(id);
    await say(B, `schedule ${id} 2026-12-02 16:00`);
    await settled(h);
    h.fake.loseScheduled();

    // After the target and the grace Slack gets: first a 429; then the post lands, but Slack's answer is a 500.
    clock.set('2026-12-02T16:03:00Z');
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 5 });
    await h.srp.runJobs();
    await idle(h);
    expect(announcements()).toEqual([]);
    clock.set('2026-12-02T16:03:10Z');
    h.fake.failNext('chat.postMessage', { status: 500, after: true });
    await h.srp.runJobs();
    await idle(h);
    expect(announcements().map((m) => m.text)).toEqual([line]);
    expect(disclosure(id)?.state).toBe('scheduled');

    // Killed now; on restart the pending post is found in the history (by its stamp), not sent again.
    h.fake.failNext('conversations.history', { status: 429, retryAfter: 1 });
    await crashAndRestartAt('2026-12-02T16:10:00Z');
    clock.set('2026-12-02T16:12:00Z');
    await h.srp.runJobs();
    await settled(h);
    expect(announcements().map((m) => m.text)).toEqual([line]);
    const stamp = announcements()[0]?.metadata;
    expect(stamp?.event_payload).toMatchObject({
      key: `announce:${id}`,
      incident: id,
      hash: h.srp.services.approvals.approvedTexts(id)?.hash,
    });
    expect(disclosure(id)).toMatchObject({ state: 'published', announceTs: announcements()[0]?.ts });
    expect(publicDms(id)).toHaveLength(1);
  });

  it('killed after Slack took the schedule and before srp stored its id: started again, it adopts it, and one message goes out', async () => {
    await start();
    const { id, line } = await approvedIncident();
    noticesSent(id);
    await say(ADMIN, `schedule ${id} 2026-12-02 16:00`);
    await settled(h);
    // As if killed right after chat.scheduleMessage answered: the intent stored, the id not, the row held.
    h.srp.db.$client
      .prepare("update announcements set state = 'intent', scheduled_message_id = null where incident_id = ?")
      .run(id);
    h.srp.db.$client
      .prepare(
        "update due_work set state = 'pending', run_at = 0, lease_owner = 'dead', lease_until = 0 where key = ?",
      )
      .run(work.announceSchedule(id, 1, clock.now()).key);
    await crashAndRestartAt('2026-12-01T09:30:00Z');
    expect(h.fake.okCallsTo('chat.scheduleMessage')).toHaveLength(1);
    expect(h.fake.scheduled(ANNOUNCE)).toHaveLength(1);
    expect(
      h.srp.db.$client.prepare('select state, scheduled_message_id as id from announcements').get(),
    ).toEqual({
      state: 'scheduled',
      id: 'Q00000001',
    });
    await crashAndRestartAt('2026-12-02T16:30:00Z');
    expect(announcements().map((m) => m.text)).toEqual([line]);
    expect(disclosure(id)?.state).toBe('published');
  });

  it('Slack failed the hand-over and srp was down over the target: started again, it posts the line itself, once', async () => {
    await start();
    const { id, line } = await approvedIncident();
    noticesSent(id);
    h.fake.failNext('chat.scheduleMessage', { status: 500 });
    await say(ADMIN, `schedule ${id} 2026-12-02 16:00`);
    await idle(h);
    expect(h.fake.scheduled(ANNOUNCE)).toEqual([]);
    await crashAndRestartAt('2026-12-02T17:00:00Z');
    expect(announcements().map((m) => m.text)).toEqual([line]);
    expect(h.fake.okCallsTo('chat.scheduleMessage')).toEqual([]);
    expect(disclosure(id)?.state).toBe('published');
    await crashAndRestartAt('2026-12-02T18:00:00Z');
    expect(announcements()).toHaveLength(1);
  });
});

describe('choosing the time', () => {
  it('proposes the earliest slot that keeps the notices, confirmed with a button; a Friday and 5 days after the advance notice are refused with the rule; the Fix Lead overrides with a reason', async () => {
    // Thursday 2026-12-03: the advance notice goes out now.
    await start('2026-12-03T09:00:00Z');
    const { id } = await approvedIncident();
    advisory().noticeSent(id, 'advance', B, 'by_hand', clock.now());

    const friday = await say(ADMIN, `schedule ${id} 2026-12-04 16:00`);
    expect(friday.text).toContain('Friday is not a day for announcements');
    expect(friday.text).toContain('> The recommended target time is 4pm UTC on a non-Friday weekday.');

    const five = await say(B, `schedule ${id} 2026-12-08 16:00`);
    expect(five.text).toContain(
      'The advance notice to distributors must go at least 7 days before the target; it was sent 5 days 7 hours before that time.',
    );
    expect(five.text).toContain('at least 7 days before the planned public disclosure date');
    expect(five.text).toContain('override <reason>');
    // The commander may not override; the Fix Lead may.
    expect((await say(ADMIN, `schedule ${id} 2026-12-08 16:00 override a vendor leaked it`)).text).toContain(
      "Only SRP-2026-001's Fix Lead can override",
    );
    expect(disclosure(id)).toBeUndefined();

    // Without a time: srp's proposal. Seven days after the advance notice is Thursday the 10th, 09:00; the
    // release-day notice, not sent, fits; so Thursday the 10th at 16:00.
    const proposal = await say(ADMIN, `schedule ${id}`);
    expect(JSON.stringify(proposal.blocks)).toContain('Thu 2026-12-10 16:00 UTC');
    // The button under it (the answer is ephemeral: the test puts a copy where the driver can click it).
    const dm = h.fake.dmChannelId(ADMIN);
    h.fake.addMessage({ channel: dm, text: proposal.text, blocks: proposal.blocks as unknown[] });
    await h.driver.blockAction({ userId: ADMIN, actionId: SCHEDULE_CONFIRM_ACTION, channelId: dm });
    await h.fake.waitFor(() => disclosure(id)?.state === 'scheduled');
    await settled(h);
    expect(disclosure(id)?.targetAt).toEqual(new Date('2026-12-10T16:00:00Z'));
    expect(h.fake.scheduled(ANNOUNCE)).toHaveLength(1);
    // A warning if the release-day notice's time passes unsent.
    clock.set('2026-12-09T16:00:00Z');
    await h.srp.runJobs();
    await settled(h);
    const warning = thread(id).filter((m) => m.text === `${id}: a distributor notice is late`);
    expect(warning).toHaveLength(1);
    expect(JSON.stringify(warning[0]?.blocks)).toContain('Distributors told (24 h ahead)');

    // The Fix Lead overrides (a vendor broke the embargo) to an earlier Friday-free time: recorded with the reason.
    const overridden = await say(B, `schedule ${id} 2026-12-09 17:00 override the embargo leaked on a list`);
    expect(overridden.text).toContain('scheduled for');
    expect(overridden.text).toContain('Allowed by your override');
    await settled(h);
    expect(disclosure(id)).toMatchObject({ generation: 2, overrideReason: 'the embargo leaked on a list' });
    const event = h.srp.services.incidents.timeline(id).findLast((e) => e.type === 'disclosure_scheduled');
    expect(event?.newValue).toMatchObject({
      allowed: ['advance_notice', 'release_day_notice'],
      override: 'the embargo leaked on a list',
    });
    // The earlier schedule was withdrawn: Slack holds one message, the new one.
    expect(h.fake.scheduled(ANNOUNCE).map((m) => m.post_at)).toEqual([
      Date.parse('2026-12-09T17:00:00Z') / 1000,
    ]);
  });

  it('the card’s button opens the form with the proposal; its errors are inline', async () => {
    await start();
    const { id } = await approvedIncident();
    noticesSent(id);
    await h.driver.command(`move ${id} disclosure-planning skipping ahead for the test`, { userId: ADMIN });
    await settled(h);
    const opened = h.fake.okCallsTo('views.open').length;
    await h.driver.blockAction({ userId: B, actionId: SCHEDULE_ACTION, channelId: SECURITY, value: id });
    const open = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
    const view = (open.response as { view: { id: string; blocks: unknown[] } }).view;
    expect(JSON.stringify(view.blocks)).toContain('Tue 2026-12-01 16:00 UTC');
    const friday = Date.parse('2026-12-04T16:00:00Z') / 1000;
    const res = await h.driver.viewSubmission({
      userId: B,
      viewId: view.id,
      values: { target: { value: { type: 'datetimepicker', selected_date_time: friday } } },
    });
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: { target: expect.stringContaining('Friday') },
    });
    const ok = await h.driver.viewSubmission({
      userId: B,
      viewId: view.id,
      values: { target: { value: { type: 'datetimepicker', selected_date_time: friday - 2 * 86_400 } } },
    });
    expect(ok.json).toMatchObject({ response_action: 'update' });
    await settled(h);
    expect(disclosure(id)?.targetAt).toEqual(new Date('2026-12-02T16:00:00Z'));
    expect(JSON.stringify(cardOf(id)?.blocks)).toContain('*Announcement*: scheduled for');
  });

  it('refuses scheduling without an approved text, and by someone who is neither commander nor Fix Lead', async () => {
    await start();
    const id = await fileReport(h);
    expect((await say(ADMIN, `fixlead ${id} <@${B}> knows it`)).text).toMatch(/Fix Lead/);
    expect((await say(ADMIN, `schedule ${id} 2026-12-02 16:00`)).text).toContain('not approved yet');
    expect((await say(C, `schedule ${id} 2026-12-02 16:00`)).text).toContain(
      "Only SRP-2026-001's incident commander or Fix Lead",
    );
  });

  it('a public incident goes out as soon as possible: proposed now, posted at once, once', async () => {
    // Saturday night: no rule of the slot or the notices holds it back.
    await start('2026-12-05T22:00:00Z');
    const { id, line } = await approvedIncident();
    expect((await say(ADMIN, `public ${id} a mailing list`)).text).toContain('is now public');
    await settled(h);
    const proposal = await say(B, `schedule ${id}`);
    expect(JSON.stringify(proposal.blocks)).toContain('as soon as possible');
    const dm = h.fake.dmChannelId(B);
    h.fake.addMessage({ channel: dm, text: proposal.text, blocks: proposal.blocks as unknown[] });
    await h.driver.blockAction({ userId: B, actionId: SCHEDULE_CONFIRM_ACTION, channelId: dm });
    await h.fake.waitFor(() => disclosure(id)?.state === 'published');
    await settled(h);
    expect(announcements().map((m) => m.text)).toEqual([line]);
    expect(h.fake.okCallsTo('chat.scheduleMessage')).toEqual([]);
    await crashAndRestartAt('2026-12-05T23:00:00Z');
    expect(announcements()).toHaveLength(1);
  });
});

describe('moving, cancelling and editing', () => {
  it('a reschedule or a cancel in the last minute is refused with the reason; the message goes out once', async () => {
    await start();
    const { id, line } = await approvedIncident();
    noticesSent(id);
    await say(ADMIN, `schedule ${id} 2026-12-01 16:00`);
    await settled(h);
    clock.set('2026-12-01T15:59:30Z');
    const moved = await say(ADMIN, `schedule ${id} 2026-12-02 16:00`);
    expect(moved.text).toContain('within the minute: Slack can no longer withdraw a scheduled message');
    expect((await say(ADMIN, `schedule ${id} cancel`)).text).toContain('within the minute');
    expect(disclosure(id)?.generation).toBe(1);
    clock.set('2026-12-01T16:02:30Z');
    await h.srp.runJobs();
    await settled(h);
    expect(announcements().map((m) => m.text)).toEqual([line]);
    expect(disclosure(id)?.state).toBe('published');
    expect((await say(ADMIN, `schedule ${id} 2026-12-03 16:00`)).text).toContain('was announced already');
  });

  it('an edit of the record after approval withdraws the scheduled message; nothing goes out at the old time', async () => {
    await start();
    const { id } = await approvedIncident();
    noticesSent(id);
    await say(ADMIN, `schedule ${id} 2026-12-02 16:00`);
    await settled(h);
    expect(h.fake.scheduled(ANNOUNCE)).toHaveLength(1);
    // What `/srp disclose` does on an edit: save (voiding the approvals), bump the generation, plan the withdrawal.
    const now = clock.now();
    const latest = advisory().latest(id);
    advisory().save(
      id,
      { ...(latest?.record as AdvisoryRecord), summary: 'Path traversal in kubelet /logs (corrected)' },
      B,
      now,
      () => {
        const d = advisory().disclosure(id);
        const generation = (d?.generation ?? 0) + 1;
        advisory().putDisclosure(id, { state: 'unscheduled', generation, scheduledMessageId: null }, now);
        dueWorkStore(h.srp.db).plan(work.announceUnschedule(id, generation, now), now);
      },
    );
    await h.srp.runJobs();
    await settled(h);
    expect(h.fake.scheduled(ANNOUNCE)).toEqual([]);
    expect(
      thread(id)
        .map((m) => JSON.stringify(m.blocks))
        .join(),
    ).toContain('was withdrawn from Slack');
    // Scheduling again needs a new approval.
    expect((await say(ADMIN, `schedule ${id} 2026-12-02 16:00`)).text).toContain('not approved yet');
    await crashAndRestartAt('2026-12-02T17:00:00Z');
    expect(announcements()).toEqual([]);
    expect(disclosure(id)?.state).toBe('unscheduled');
  });

  it('an edit in the last minute cannot withdraw it: the thread is told, Slack posts it once, and the incident shows published', async () => {
    await start();
    const { id, line } = await approvedIncident();
    noticesSent(id);
    await say(ADMIN, `schedule ${id} 2026-12-01 16:00`);
    await settled(h);
    clock.set('2026-12-01T15:59:30Z');
    const now = clock.now();
    const latest = advisory().latest(id);
    advisory().save(id, { ...(latest?.record as AdvisoryRecord), summary: 'Late change' }, B, now, () => {
      const generation = (advisory().disclosure(id)?.generation ?? 0) + 1;
      advisory().putDisclosure(id, { state: 'unscheduled', generation, scheduledMessageId: null }, now);
      dueWorkStore(h.srp.db).plan(work.announceUnschedule(id, generation, now), now);
    });
    await h.srp.runJobs();
    await settled(h);
    const told = thread(id)
      .map((m) => JSON.stringify(m.blocks))
      .join();
    expect(told).toContain('could not be withdrawn');
    expect(told).toContain("a message already posted can't be unsent");
    await crashAndRestartAt('2026-12-01T16:05:00Z');
    expect(announcements().map((m) => m.text)).toEqual([line]);
    expect(disclosure(id)).toMatchObject({ state: 'published', announceTs: announcements()[0]?.ts });
    expect(publicDms(id)).toHaveLength(1);
  });

  it('a reschedule withdraws the first time and keeps the second; cancel withdraws it', async () => {
    await start();
    const { id, line } = await approvedIncident();
    noticesSent(id);
    await say(ADMIN, `schedule ${id} 2026-12-02 16:00`);
    await settled(h);
    await say(B, `schedule ${id} 2026-12-03 16:00`);
    await settled(h);
    expect(h.fake.scheduled(ANNOUNCE).map((m) => m.post_at)).toEqual([
      Date.parse('2026-12-03T16:00:00Z') / 1000,
    ]);
    expect(h.fake.okCallsTo('chat.deleteScheduledMessage')).toHaveLength(1);
    await crashAndRestartAt('2026-12-02T17:00:00Z');
    expect(announcements()).toEqual([]);
    await crashAndRestartAt('2026-12-03T16:30:00Z');
    expect(announcements().map((m) => m.text)).toEqual([line]);

    // Another incident: scheduled, then cancelled.
    const second = await approvedIncident();
    noticesSent(second.id);
    await say(ADMIN, `schedule ${second.id} 2026-12-07 16:00`);
    await settled(h);
    expect((await say(ADMIN, `schedule ${second.id} cancel`)).text).toContain('is cancelled');
    await settled(h);
    expect(h.fake.scheduled(ANNOUNCE)).toEqual([]);
    await crashAndRestartAt('2026-12-07T17:00:00Z');
    expect(announcements().map((m) => m.text)).toEqual([line]);
  });
});
