import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  BEA as B,
  BEA_AND_CEM,
  CEM as C,
  fileReport,
  type Harness,
  OUTSIDER,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/**
 * An incident's life and its deadlines, tried as a committee would: left alone, nudged; moved along by the
 * card's buttons; made public; its deadlines moved; srp killed and restarted in between.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function people() {
  return workspaceWith(BEA_AND_CEM);
}

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h?.stop();
});

/** A Tuesday morning in Berlin: everyone's deadlines fall in Berlin working hours unless a test says. */
async function start(at = '2026-11-03T09:00:00Z', env: Record<string, string> = {}) {
  clock = new TestClock(new Date(at));
  h = await startHarness({ fake: people(), env: { SRP_ADMINS: [ADMIN, B, C].join(','), ...env }, clock });
  await h.driver.command(`oncall setup <@${ADMIN}> <@${B}> <@${C}> monday 10:00 Europe/Berlin 2026-10-19`, {
    userId: ADMIN,
    channelId: SECURITY,
  });
  // The first tick reads everyone's time zone from Slack, as srp's start-up catch-up does.
  await h.srp.runJobs();
}

const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json.text as string;
const cardOf = (id: string) => h.fake.messages(SECURITY).find((m) => m.text.endsWith(id));
const cardText = (id: string) => JSON.stringify(cardOf(id)?.blocks);
/** The replies under an incident's card, oldest first. */
const thread = (id: string) => {
  const ts = cardOf(id)?.ts;
  return h.fake.messages(SECURITY).filter((m) => m.thread_ts === ts && m.ts !== ts);
};
const keyOf = (m: { metadata?: { event_payload: Record<string, unknown> } }) =>
  String(m.metadata?.event_payload.key ?? '');
const dms = (userId: string) => h.fake.messages(h.fake.dmChannelId(userId));

/** Files a report, received an hour ago, with B as its Fix Lead (so nudges fall in Berlin hours). */
async function report(): Promise<string> {
  const id = await fileReport(h);
  expect(await say(ADMIN, `fixlead ${id} <@${B}> knows the component`)).toMatch(/Fix Lead/);
  await settled(h);
  return id;
}

describe('a report left alone', () => {
  it('gets its Fix Lead exactly one "Fix Team" overdue nudge 24 h later, in the thread and by DM; the early one waits for working hours and is dropped once late', async () => {
    // Reported (by the reporter in Slack: received now) at 06:00 UTC, 07:00 in Berlin.
    await start('2026-11-03T06:00:00Z');
    const id = await report();
    const summary = h.srp.services.incidents.get(id)?.summary as string;
    expect(thread(id)).toEqual([]);

    // The "due soon" nudge falls at 00:00 UTC, outside B's hours: it waits for 09:00 Berlin (08:00 UTC),
    // when the deadline (06:00 UTC) has passed, so only the overdue one is sent.
    clock.set('2026-11-04T00:00:00Z');
    await h.srp.runJobs();
    expect(thread(id)).toEqual([]);
    clock.set('2026-11-04T08:00:00Z');
    await h.srp.runJobs();
    await h.srp.runJobs();
    await settled(h);

    const replies = thread(id);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toBe(`${id}: Fix Team organized is overdue`);
    expect(JSON.stringify(replies[0]?.blocks)).toContain(`<@${B}> *Fix Team organized* is overdue`);
    expect(keyOf(replies[0] as never)).toMatch(new RegExp(`^nudge:${id}:fix_team_organized:overdue:\\d+$`));

    const nudgeDms = dms(B).filter((m) => m.text.includes('Fix Team organized'));
    expect(nudgeDms).toHaveLength(1);
    // A DM carries the id, the step and the time: never the report.
    expect(JSON.stringify(nudgeDms)).toContain(id);
    expect(JSON.stringify(nudgeDms)).not.toContain(summary.slice(0, 20));
    // The card says it is overdue.
    expect(cardText(id)).toContain('*Overdue*: Fix Team organized');
  });

  it('killed and restarted over several due times: one reply per overdue step, one summary DM per person, no duplicates', async () => {
    await start();
    const id = await report();
    clock.set('2026-11-04T08:00:00Z');
    await h.srp.runJobs();
    await settled(h);
    const before = dms(B).length;
    const repliesBefore = thread(id).length;

    // Down for a week: the first week's deadlines (CVSS, final call, CVE, the fix's LGTMs) all pass.
    await h.srp.stop();
    clock.set('2026-11-11T08:30:00Z');
    await h.restart();
    await h.srp.runJobs();
    await h.srp.runJobs();
    await settled(h);

    const replies = thread(id).slice(repliesBefore);
    const keys = replies.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    for (const step of ['cvss_scored', 'final_rating', 'cve_requested', 'fix_lgtm']) {
      expect(keys.filter((k) => k.startsWith(`nudge:${id}:${step}:overdue:`))).toHaveLength(1);
    }
    // The Fix Team step is repeated once for the days missed, not once per day.
    expect(keys.filter((k) => k.startsWith(`nudge:${id}:fix_team_organized:overdue:`))).toHaveLength(1);
    // No "due soon" for deadlines that passed while srp was down.
    expect(keys.filter((k) => k.includes(':soon:'))).toEqual([]);

    const summary = dms(B).slice(before);
    expect(summary).toHaveLength(1);
    for (const name of [
      'CVSS scored',
      'Final severity call',
      'CVE assigned',
      'Fix LGTMed',
      'Fix Team organized',
    ]) {
      expect(JSON.stringify(summary[0]?.blocks)).toContain(name);
    }

    // Another restart and more ticks change nothing.
    await h.restart();
    await h.srp.runJobs();
    await settled(h);
    expect(thread(id).slice(repliesBefore)).toHaveLength(replies.length);
    expect(dms(B).slice(before)).toHaveLength(1);
  });

  it('a crash between recording a nudge and sending it, then a restart: exactly one nudge in Slack', async () => {
    await start('2026-11-03T06:00:00Z');
    const id = await report();
    clock.set('2026-11-04T08:00:00Z');
    await h.srp.runJobs();
    await settled(h);
    const sent = thread(id).find((m) => keyOf(m).includes('fix_team_organized:overdue'));
    expect(sent).toBeDefined();
    const key = keyOf(sent as never);
    // As if killed after Slack took the reply and before its ts was stored: the row is held by a dead
    // runner, the delivery pending.
    h.srp.db.$client.prepare("update deliveries set state = 'pending', ts = null where key = ?").run(key);
    h.srp.db.$client
      .prepare(
        "update due_work set state = 'pending', run_at = 0, lease_owner = 'dead', lease_until = 0 where key = ?",
      )
      .run(key);
    await h.restart();
    await h.srp.runJobs();
    await settled(h);
    expect(thread(id).filter((m) => keyOf(m) === key)).toHaveLength(1);

    // And killed before the post: after the restart it is sent, once.
    clock.set('2026-11-10T08:00:00Z');
    const planned = h.srp.db.$client
      .prepare("select key from due_work where key like ? and state = 'pending'")
      .pluck()
      .get(`nudge:${id}:cvss_scored:overdue:%`) as string;
    h.srp.db.$client
      .prepare("update due_work set lease_owner = 'dead', lease_until = ? where key = ?")
      .run(clock.now().getTime() - 1, planned);
    await h.restart();
    await h.srp.runJobs();
    await h.srp.runJobs();
    await settled(h);
    expect(thread(id).filter((m) => keyOf(m) === planned)).toHaveLength(1);
  });
});

describe('public disclosure', () => {
  it('makes every open step due at once; the card, /srp show, the commander and the Fix Lead say so; private again is refused', async () => {
    await start();
    const id = await report();
    const commander = h.srp.services.roles.commander(id) as string;
    expect(await say(OUTSIDER, `public ${id} oss-security`)).toMatch(
      /for members of the Security Response Committee/,
    );
    expect(await say(ADMIN, `public ${id} https://example.org/leak seen on oss-security`)).toMatch(
      new RegExp(`^${id} is now public: every remaining deadline \\(\\d+ open steps\\) is due now`),
    );
    await settled(h);

    expect(cardText(id)).toContain('Public since');
    expect(cardText(id)).toContain('every deadline is ASAP');
    expect(cardText(id)).toContain('(ASAP)');
    const show = JSON.stringify((await h.driver.command(`show ${id}`, { userId: ADMIN })).json);
    expect(show).toContain('due now (ASAP: public)');
    expect(show).toContain('marked it public (seen: seen on oss-security');
    expect(thread(id).some((m) => m.text === `${id} is now public: every deadline is ASAP`)).toBe(true);
    for (const u of new Set([commander, B])) {
      expect(dms(u).some((m) => m.text === `${id} is now public: every remaining deadline is due now.`)).toBe(
        true,
      );
    }
    // Public makes the nudges urgent: overdue at once, whatever the hour.
    expect(thread(id).some((m) => keyOf(m).startsWith(`nudge:${id}:cvss_scored:overdue:`))).toBe(true);

    expect(await say(ADMIN, `private ${id}`)).toMatch(/cannot be private again/);
    expect(await say(ADMIN, `public ${id} again`)).toMatch(/is public already/);
  });
});

describe('moving a deadline', () => {
  it('the Fix Lead moves one with a reason and the nudges follow the new time; others cannot', async () => {
    await start();
    const id = await report();
    expect(await say(OUTSIDER, `deadline ${id} fix_team_organized 2026-11-06 waiting`)).toMatch(
      /for members of the Security Response Committee/,
    );
    // C is on call this week, so the incident's commander; ADMIN is a member holding neither role.
    expect(h.srp.services.roles.commander(id)).toBe(C);
    expect(await say(ADMIN, `deadline ${id} fix_team_organized 2026-11-06 waiting`)).toMatch(
      /Only .* Fix Lead or incident commander/,
    );
    expect(await say(B, `deadline ${id} fix_team_organized 2026-11-01 too late`)).toMatch(
      /That time has passed/,
    );
    expect(await say(B, `deadline ${id} fix_team_organized 2026-11-06 10:00`)).toMatch(
      /A reason .* is needed/,
    );
    expect(await say(B, `deadline ${id} nope 2026-11-06 10:00 x`)).toMatch(/has no step "nope"/);
    // 10:00 in B's zone (Berlin, UTC+1 in November) is 09:00 UTC.
    expect(
      await say(B, `deadline ${id} fix_team_organized 2026-11-06 10:00 the owners are at a conference`),
    ).toMatch(`for ${id} is now due <!date^${Date.parse('2026-11-06T09:00:00Z') / 1000}^`);
    await settled(h);

    // The old deadline passes: nothing.
    clock.set('2026-11-04T08:00:00Z');
    await h.srp.runJobs();
    await settled(h);
    expect(thread(id).filter((m) => keyOf(m).includes('fix_team_organized'))).toEqual([]);
    // The new one: the due-soon (a quarter of the window before) and then the overdue nudge.
    clock.set('2026-11-06T09:00:00Z');
    await h.srp.runJobs();
    await settled(h);
    const keys = thread(id).map(keyOf);
    expect(
      keys.filter(
        (k) => k === `nudge:${id}:fix_team_organized:overdue:${Date.parse('2026-11-06T09:00:00Z')}`,
      ),
    ).toHaveLength(1);
    const show = JSON.stringify((await h.driver.command(`show ${id}`, { userId: B })).json);
    expect(show).toContain('the owners are at a conference');
  });
});

describe('through the buttons', () => {
  it('goes from triage to closed, each step on the timeline; a move that leaves steps open asks why', async () => {
    await start();
    const id = await report();
    const press = async (actionId: string, userId = ADMIN) =>
      h.driver.blockAction({ userId, actionId, channelId: SECURITY, messageTs: cardOf(id)?.ts, value: id });

    // An outsider cannot press it.
    await press('srp_phase_advance', OUTSIDER);
    expect(h.srp.services.incidents.get(id)?.phase).toBe('triage');

    await press('srp_phase_advance');
    await settled(h);
    expect(h.srp.services.incidents.get(id)?.phase).toBe('fix_team');
    expect(cardText(id)).toContain('Move to Development');

    // No Fix Team yet: moving on asks for the reason in a form, and skips the step with it.
    const opened = h.fake.okCallsTo('views.open').length;
    await press('srp_phase_advance');
    const form = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
    const viewId = (form.response as { view: { id: string } }).view.id;
    const empty = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId,
      values: { reason: { value: { type: 'plain_text_input', value: '' } } },
    });
    expect(JSON.stringify(empty.json)).toContain('needs a reason');
    await h.driver.viewSubmission({
      userId: ADMIN,
      viewId,
      values: {
        reason: { value: { type: 'plain_text_input', value: 'the fix is a one-liner by the Fix Lead' } },
      },
    });
    await settled(h);
    expect(h.srp.services.incidents.get(id)?.phase).toBe('development');

    for (const to of ['disclosure_planning', 'release', 'retrospective'] as const) {
      expect(await say(ADMIN, `move ${id} ${to.replace('_', '-')} moving on for the test`)).toMatch(
        /is now in/,
      );
    }
    await settled(h);
    expect(cardText(id)).toContain('srp_close_open');
    const closeAt = h.fake.okCallsTo('views.open').length;
    await press('srp_close_open');
    const closeForm = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[closeAt]);
    await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: (closeForm.response as { view: { id: string } }).view.id,
      values: {
        resolution: { value: { type: 'static_select', selected_option: { value: 'fixed' } } },
        reason: { value: { type: 'plain_text_input', value: '' } },
        canned: { value: { type: 'static_select', selected_option: null } },
      },
    });
    await settled(h);
    expect(h.srp.services.incidents.get(id)).toMatchObject({ phase: 'closed', resolution: 'fixed' });
    expect(cardText(id)).toContain('Reopen');

    const types = h.srp.services.incidents.timeline(id).map((e) => e.type);
    expect(types.filter((t) => t === 'phase_changed')).toHaveLength(5);
    expect(types.filter((t) => t === 'step_skipped').length).toBeGreaterThan(0);
    expect(types.at(-1)).toBe('closed');
    // Closed: no more nudges, whatever the clock.
    const replies = thread(id).length;
    clock.advance(60 * DAY);
    await h.srp.runJobs();
    await settled(h);
    expect(thread(id)).toHaveLength(replies);

    expect(await say(ADMIN, `move ${id} release x`)).toMatch(/closed: reopen it first/);
    expect(await say(ADMIN, `reopen ${id}`)).toMatch(/A reason .* is needed/);
    expect(await say(ADMIN, `reopen ${id} the fix was incomplete`)).toBe(
      `${id} is open again, in Retrospective.`,
    );
  });

  it('a report closed as not a vulnerability shows the canned reply draft; the reporter hears only that it was reviewed', async () => {
    await start();
    const id = await report();
    const opened = h.fake.okCallsTo('views.open').length;
    await h.driver.blockAction({
      userId: ADMIN,
      actionId: 'srp_close_open',
      channelId: SECURITY,
      messageTs: cardOf(id)?.ts,
      value: id,
    });
    const form = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
    const viewId = (form.response as { view: { id: string } }).view.id;
    const values = (reason: string) => ({
      resolution: { value: { type: 'static_select', selected_option: { value: 'not_vulnerability' } } },
      reason: { value: { type: 'plain_text_input', value: reason } },
      canned: { value: { type: 'static_select', selected_option: { value: 'not_vulnerability' } } },
    });
    const refused = await h.driver.viewSubmission({ userId: ADMIN, viewId, values: values('') });
    expect(JSON.stringify(refused.json)).toContain('needs a reason');
    const answer = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId,
      values: values('works as intended'),
    });
    const draft = JSON.stringify(answer.json);
    expect(draft).toContain('Reply draft');
    expect(draft).toContain('closing it as not a vulnerability');
    await settled(h);
    expect(h.srp.services.incidents.get(id)).toMatchObject({
      phase: 'closed',
      resolution: 'not_vulnerability',
    });
    const told = dms(OUTSIDER).map((m) => m.text);
    expect(told.at(-1)).toBe(
      `Thank you. Your vulnerability report ${id} has been reviewed by the Security Response Committee.`,
    );
    expect(told.join(' ')).not.toContain('works as intended');

    // The same from the command line: the draft comes back in the answer.
    const other = await report();
    expect(await say(ADMIN, `close ${other} clickjacking no state-changing page`)).toContain(
      'Clickjacking on pages',
    );
  });
});

describe('members who went quiet', () => {
  it('flags a member who has done nothing in srp for over a month and recorded no leave', async () => {
    await start();
    await say(B, 'status');
    clock.advance(20 * DAY);
    await say(ADMIN, 'status');
    clock.advance(15 * DAY);
    const roster = JSON.stringify((await h.driver.command('members', { userId: ADMIN })).json);
    // B acted 35 days ago, C never (a member for 35 days): both flagged; ADMIN acted 15 days ago.
    expect(roster).toContain(`<@${B}> has done nothing in srp since 2026-11-03`);
    expect(roster).toContain(`<@${C}> has done nothing in srp since 2026-11-03`);
    expect(roster).not.toContain(`<@${ADMIN}> has done nothing`);
  });
});

describe('staleness', () => {
  it('pings the commander of a quiet Critical incident once per two days, at once whatever the hour, until something happens', async () => {
    await start();
    const id = await report();
    expect(await say(ADMIN, `cvss ${id} CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`)).toMatch(/9\.8/);
    await settled(h);
    const stale = () => thread(id).filter((m) => keyOf(m).startsWith(`stale:${id}:`));

    clock.advance(2 * DAY - HOUR);
    await h.srp.runJobs();
    expect(stale()).toEqual([]);
    // Two days and an hour of silence, at 10:00 UTC on a Thursday: C (New York, 05:00) is pinged at once.
    clock.advance(2 * HOUR);
    await h.srp.runJobs();
    await settled(h);
    expect(stale()).toHaveLength(1);
    expect(JSON.stringify(stale()[0]?.blocks)).toContain(`<@${C}> nothing has happened on ${id}`);
    clock.advance(DAY);
    await h.srp.runJobs();
    expect(stale()).toHaveLength(1);
    clock.advance(DAY);
    await h.srp.runJobs();
    await settled(h);
    expect(stale()).toHaveLength(2);

    // Something happens: the count starts again from it.
    await say(B, `done ${id} fix_lgtm`);
    await settled(h);
    clock.advance(DAY);
    await h.srp.runJobs();
    expect(stale()).toHaveLength(2);
  });
});

describe('the 2018 process', () => {
  it('SRP_PROCESS=pst2018 gives the 2018 timeline: the forthcoming-fix notice within a week, the CVE on release day', async () => {
    await start('2026-11-03T09:00:00Z', { SRP_PROCESS: 'pst2018' });
    const id = await report();
    const show = JSON.stringify((await h.driver.command(`show ${id}`, { userId: ADMIN })).json);
    expect(show).toContain('Users told a fix is coming');
    expect(show).toContain('`forthcoming_fix` (Disclosure)');
    expect(show).toContain('`release_branch` (Infra)');
    expect(show).not.toContain('Distributors told (7 days ahead)');
    // The CVE is requested on release day, 21 days after the disclosure, not within the first week.
    const due = (step: string) =>
      h.srp.services.schedule
        .situation(id)
        ?.schedule.steps.find((s) => s.rule.id === step)
        ?.dueAt.toISOString();
    expect(due('cve_requested')).toBe('2026-11-24T09:00:00.000Z');
    expect(due('forthcoming_fix')).toBe('2026-11-10T09:00:00.000Z');
    expect(cardText(id)).toContain('Fix Team organized (Triage)');
  });
});
