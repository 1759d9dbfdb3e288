import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { blockActionsPayload } from '../support/payloads.js';
import {
  ADMIN,
  BEA as B,
  BEA_AND_CEM,
  CEM as C,
  fileReport,
  type Harness,
  idle,
  OUTSIDER,
  SECURITY,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

const D = 'UMEMBER004';
const HOUR = 3_600_000;
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function people() {
  return workspaceWith([...BEA_AND_CEM, { id: D, name: 'dia', tz: 'Asia/Kolkata' }]);
}

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

async function start(at: string) {
  const clock = new TestClock(new Date(at));
  h = await startHarness({ fake: people(), env: { SRP_ADMINS: [ADMIN, B, C, D].join(',') }, clock });
  return clock;
}

/** Presses an element of an ephemeral message (an ack body), as Slack would post it back. */
async function click(
  userId: string,
  blocks: unknown[],
  actionId: string,
  spec: { value?: string; selectedUser?: string } = {},
) {
  const payload = blockActionsPayload({
    ctx: { teamId: h.fake.teamId, apiAppId: h.fake.appId },
    user: { id: userId },
    action: { actionId, ...spec },
    triggerId: h.fake.issueTriggerId(userId),
    source: {
      kind: 'message',
      channelId: SECURITY,
      message: { type: 'message', ts: '1700000000.000001', text: '', blocks },
      responseUrl: h.fake.responseUrl({ channel: SECURITY, userId }),
      isEphemeral: true,
    },
  });
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return h.driver.raw(body, h.driver.sign(body));
}

async function setUpRotation(by = ADMIN) {
  const res = await h.driver.command(
    `oncall setup <@${ADMIN}|a> <@${B}|b> <@${C}|c> monday 10:00 Europe/Berlin 2026-10-19`,
    {
      userId: by,
      channelId: SECURITY,
    },
  );
  return res.json.text as string;
}

describe('membership', () => {
  it('lets members add, change and remove people, warns where the rules are broken, and audits it', async () => {
    await start('2026-10-21T12:00:00Z');
    const add = await h.driver.command(`members add <@${OUTSIDER}|o> associate Acme Corp`, { userId: ADMIN });
    expect(add.json.text).toMatch(/Added <@UOUTSIDE01> as an associate/);
    await h.driver.command(`members company <@${ADMIN}> Acme Corp`, { userId: ADMIN });
    await h.driver.command(`members company <@${B}> Acme Corp`, { userId: ADMIN });
    await h.driver.command(`members company <@${C}> Acme Corp`, { userId: ADMIN });
    const list = await h.driver.command('members', { userId: OUTSIDER });
    const text = JSON.stringify(list.json.blocks);
    expect(text).toContain('4 members, 1 associates');
    expect(text).toMatch(/Only 4 members/);
    expect(text).toMatch(/Acme Corp holds 3 of 4/);

    // An associate is on the committee but cannot change it.
    const denied = await h.driver.command(`members remove <@${B}>`, { userId: OUTSIDER });
    expect(denied.json.text).toMatch(/Only full members/);
    const bad = await h.driver.command('members add nobody', { userId: ADMIN });
    expect(bad.json.text).toMatch(/Usage: `\/srp members add @user member\|associate/);
    const leave = await h.driver.command(`members leave <@${B}> 2026-11-01 2026-12-20`, { userId: ADMIN });
    expect(leave.json.text).toMatch(/Recorded leave/);
    const after = JSON.stringify((await h.driver.command('members', { userId: ADMIN })).json.blocks);
    expect(after).toMatch(/no replacement/);
    const changes = h.srp.db.$client
      .prepare('select type, user_id as u, actor from roster_changes order by id')
      .all();
    expect(changes).toContainEqual({ type: 'added', u: OUTSIDER, actor: ADMIN });
    expect(changes.filter((c) => (c as { type: string }).type === 'company_changed')).toHaveLength(3);
  });

  it("fills in each member's time zone from Slack", async () => {
    await start('2026-10-21T12:00:00Z');
    await h.srp.runJobs();
    expect(h.srp.services.members.get(C)?.tz).toBe('America/New_York');
  });
});

describe('the oncall rotation', () => {
  it('shows primary and secondary now and for four weeks, in local wall time across the EU DST change', async () => {
    await start('2026-10-21T12:00:00Z');
    expect(await setUpRotation()).toMatch(/Rotation saved: 3 people/);
    const res = await h.driver.command('oncall', { userId: B, channelId: SECURITY });
    const json = JSON.stringify(res.json.blocks);
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toBe(`Oncall: primary <@${ADMIN}>, secondary <@${B}>`);
    // 10:00 in Berlin is 08:00 UTC before the change on 25 October and 09:00 UTC after it.
    expect(json).toContain(`<!date^${unix('2026-10-19T08:00:00Z')}^`);
    expect(json).toContain(`<!date^${unix('2026-10-26T09:00:00Z')}^`);
    expect(json).toContain(`<!date^${unix('2026-11-23T09:00:00Z')}^`);
    expect(
      res.json.blocks.filter((b: { block_id?: string }) => b.block_id?.startsWith('shift_')),
    ).toHaveLength(5);
    // Next shifts rotate: B then C primary.
    expect(json).toMatch(new RegExp(`primary <@${B}>, secondary <@${C}>`));
    expect(json).toMatch(new RegExp(`primary <@${C}>, secondary <@${ADMIN}>`));
  });

  it('is set up by members only, and refuses bad rules with a plain reason', async () => {
    await start('2026-10-21T12:00:00Z');
    await h.driver.command(`members add <@${OUTSIDER}> associate`, { userId: ADMIN });
    expect(await setUpRotation(OUTSIDER)).toMatch(/Only full members/);
    const bad = await h.driver.command(
      `oncall setup <@${ADMIN}> <@${B}> monday 25:00 Mars/Olympus 2026-10-20`,
      { userId: ADMIN },
    );
    expect(bad.json.text).toMatch(/zone/i);
    expect(bad.json.text).toMatch(/time|25:00/i);
  });

  it('warns when a leave leaves a week uncovered, and keeps working hours per person', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const first = await h.driver.command(`members leave <@${B}> 2026-11-02 2026-11-16`, { userId: ADMIN });
    expect(first.json.text).toMatch(/^Recorded leave for <@UMEMBER002>\.$/);
    // With B and C both away 2-16 November (handoff to handoff), those two weeks lack a secondary, and
    // the week before is untouched although the leave starts on its last day.
    const second = await h.driver.command(`members leave <@${C}> 2026-11-02 2026-11-16`, { userId: ADMIN });
    expect(second.json.text).toMatch(/2 oncall week\(s\) in that time now lack a primary or a secondary/);
    const hours = await h.driver.command(`members hours <@${C}> 1-4 08:00-16:30`, { userId: ADMIN });
    expect(hours.json.text).toMatch(/works 08:00-16:30 on ISO weekdays 1,2,3,4/);
    expect(h.srp.services.members.get(C)).toMatchObject({
      workDays: '[1,2,3,4]',
      workStart: '08:00',
      workEnd: '16:30',
    });
    const bad = await h.driver.command(`members hours <@${C}> 1-5 17:00-09:00`, { userId: ADMIN });
    expect(bad.json.text).toMatch(/must end after it starts/);
    const importBad = await h.driver.command('oncall import http://example.org/x.ics', { userId: ADMIN });
    expect(importBad.json.text).toMatch(/Give an https link to the calendar/);
  });

  it('"Take this shift" makes the presser primary for that shift, without touching the rules', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const view = await h.driver.command('oncall', { userId: D, channelId: SECURITY });
    await click(D, view.json.blocks, 'srp_oncall_take', { value: String(1) });
    await h.fake.waitFor(() =>
      JSON.stringify(h.fake.responses().at(-1)?.body ?? '').includes('The shift is yours'),
    );
    const segs = h.srp.services.rotation.schedule(
      new Date('2026-10-26T09:00:00Z'),
      new Date('2026-11-02T09:00:00Z'),
    );
    expect(segs.map((s) => [s.primary, s.secondary])).toEqual([[D, C]]);
    expect(
      JSON.parse(h.srp.db.$client.prepare('select "order" from rotation').pluck().get() as string),
    ).toEqual([ADMIN, B, C]);
    // Taking it again clashes with D's own override.
    const again = await h.driver.command('oncall', { userId: B, channelId: SECURITY });
    await click(B, again.json.blocks, 'srp_oncall_take', { value: '1' });
    await h.fake.waitFor(() =>
      JSON.stringify(h.fake.responses().at(-1)?.body ?? '').includes('already has an override'),
    );
  });

  it('"Ask for cover": two members press Take at once, one wins, both are told', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const view = await h.driver.command('oncall', { userId: B, channelId: SECURITY });
    await click(B, view.json.blocks, 'srp_oncall_cover');
    const request = await h.fake.waitFor(() =>
      h.fake.messages(SECURITY).find((m) => m.text.includes('asking for cover')),
    );
    const presses = await Promise.all(
      [C, D].map((u) =>
        h.driver.blockAction({
          userId: u,
          actionId: 'srp_cover_take',
          channelId: SECURITY,
          messageTs: request.ts,
        }),
      ),
    );
    expect(presses.map((p) => p.status)).toEqual([200, 200]);
    await h.fake.waitFor(() => {
      const bodies = h.fake.responses().map((r) => JSON.stringify(r.body));
      // The loser hears who won, whether it lost the race in the database or just after it.
      return (
        bodies.some((b) => b.includes('you are covering')) &&
        bodies.some((b) => /a moment before you|already took this shift/.test(b))
      );
    });
    const covers = h.srp.db.$client.prepare('select taken_by from cover_requests').all() as Array<{
      taken_by: string;
    }>;
    expect(covers).toHaveLength(1);
    const winner = covers[0]?.taken_by as string;
    expect([C, D]).toContain(winner);
    expect(
      h.srp.db.$client.prepare("select count(*) from overrides where reason like 'covering%'").pluck().get(),
    ).toBe(1);
    await h.fake.waitFor(() =>
      h.fake
        .messages(SECURITY)
        .find((m) => m.ts === request.ts)
        ?.text.includes('Cover found'),
    );
    await h.fake.waitFor(() =>
      h.fake.messages(h.fake.dmChannelId(B)).some((m) => m.text.includes(`<@${winner}> is covering`)),
    );
    // The secondary (B) shift from the request time on now belongs to the winner.
    expect(h.srp.services.rotation.now()?.secondary).toBe(winner);
  });

  it('posts a cover request whose message was lost (Slack failing) on the next sweep, once', async () => {
    const clock = await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const view = await h.driver.command('oncall', { userId: B, channelId: SECURITY });
    h.fake.failNext('chat.postMessage', { status: 500 });
    await click(B, view.json.blocks, 'srp_oncall_cover');
    await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').some((c) => c.status === 500));
    await idle(h);
    const requests = () => h.fake.messages(SECURITY).filter((m) => m.text.includes('asking for cover'));
    expect(requests()).toHaveLength(0);
    clock.advance(60_000);
    await h.srp.runJobs();
    await h.srp.runJobs();
    expect(requests()).toHaveLength(1);
  });

  it('"Hand off to..." passes the current role to another member, and refuses someone off the committee', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const view = await h.driver.command('oncall', { userId: ADMIN, channelId: SECURITY });
    await click(ADMIN, view.json.blocks, 'srp_oncall_handoff', { selectedUser: OUTSIDER });
    await h.fake.waitFor(() =>
      JSON.stringify(h.fake.responses().at(-1)?.body ?? '').includes('not a committee member'),
    );
    await click(ADMIN, view.json.blocks, 'srp_oncall_handoff', { selectedUser: D });
    await h.fake.waitFor(() => JSON.stringify(h.fake.responses().at(-1)?.body ?? '').includes('Handed off'));
    expect(h.srp.services.rotation.now()).toMatchObject({ primary: D, secondary: B });
  });

  it('announces each handoff and sends the digest exactly once, also after downtime over the handoff', async () => {
    const clock = await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    await h.srp.runJobs();
    const posts = () => h.fake.messages(SECURITY).filter((m) => m.text.startsWith('Oncall handoff'));
    expect(posts().map((m) => m.text)).toEqual([`Oncall handoff: primary <@${ADMIN}>, secondary <@${B}>`]);
    await h.srp.runJobs();
    expect(posts()).toHaveLength(1);

    // Down across Monday's handoff, back on Tuesday.
    await h.srp.stop();
    clock.set('2026-10-27T07:00:00Z');
    await h.restart();
    await h.srp.runJobs();
    await h.srp.runJobs();
    expect(posts().map((m) => m.text)).toEqual([
      `Oncall handoff: primary <@${ADMIN}>, secondary <@${B}>`,
      `Oncall handoff: primary <@${B}>, secondary <@${C}>`,
    ]);
    const digests = h.fake
      .messages(h.fake.dmChannelId(B))
      .filter((m) => m.text === 'Your oncall shift starts now');
    expect(digests).toHaveLength(1);
    clock.advance(HOUR);
    await h.srp.runJobs();
    expect(posts()).toHaveLength(2);
  });

  it('exports an iCal feed a calendar parser accepts, which imports back unchanged', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const token = h.srp.services.rotation.feedToken();
    expect((await fetch(`http://127.0.0.1:${h.srp.port}/oncall.ics?token=wrong`)).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${h.srp.port}/oncall.ics?token=${token}`);
    expect(res.headers.get('content-type')).toMatch(/text\/calendar/);
    const ics = await res.text();
    const cal = new ICAL.Component(ICAL.parse(ics));
    const events = cal.getAllSubcomponents('vevent');
    expect(events.length).toBeGreaterThan(20);
    for (const e of events)
      for (const p of ['uid', 'dtstamp', 'dtstart', 'dtend']) expect(e.hasProperty(p)).toBe(true);

    const from = new Date('2026-10-19T08:00:00Z');
    const to = new Date('2026-12-28T09:00:00Z');
    const before = h.srp.services.rotation.schedule(from, to);
    const { imported, problems } = h.srp.services.rotation.importICal(ADMIN, ics, () => null);
    expect(problems).toEqual([]);
    expect(imported).toBe(events.length);
    const after = h.srp.services.rotation.schedule(from, to);
    expect(after.map((s) => [s.start, s.end, s.primary, s.secondary])).toEqual(
      before.map((s) => [s.start, s.end, s.primary, s.secondary]),
    );
  });
});

describe('incident roles', () => {
  const report = (userId = OUTSIDER) => fileReport(h, { userId });

  it('makes the primary oncall the commander; a handoff stays pending until the incoming one accepts', async () => {
    const clock = await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const id = await report();
    expect(h.srp.services.roles.commander(id)).toBe(ADMIN);

    const ask = await h.driver.command(`ic ${id} <@${C}>`, { userId: ADMIN, channelId: SECURITY });
    expect(ask.json.text).toMatch(/you stay in charge until they accept/);
    expect(h.srp.services.roles.commander(id)).toBe(ADMIN);
    const card = () => JSON.stringify(h.fake.messages(SECURITY).find((m) => m.text.endsWith(id))?.blocks);
    await h.fake.waitFor(() => card().includes('awaiting acceptance'));
    const dm = await h.fake.waitFor(() =>
      h.fake.messages(h.fake.dmChannelId(C)).find((m) => m.text.includes(id)),
    );

    // Someone else cannot accept on C's behalf.
    await h.driver.blockAction({
      userId: D,
      actionId: 'srp_ic_accept',
      channelId: h.fake.dmChannelId(C),
      messageTs: dm.ts,
    });
    await h.fake.waitFor(() =>
      JSON.stringify(h.fake.responses().at(-1)?.body ?? '').includes('Only the person asked'),
    );
    expect(h.srp.services.roles.commander(id)).toBe(ADMIN);

    clock.advance(HOUR); // C accepts an hour later
    await h.driver.blockAction({
      userId: C,
      actionId: 'srp_ic_accept',
      channelId: h.fake.dmChannelId(C),
      messageTs: dm.ts,
    });
    await h.fake.waitFor(() => h.srp.services.roles.commander(id) === C);
    await h.fake.waitFor(() => !card().includes('awaiting acceptance') && card().includes(`<@${C}>`));
    await h.fake.waitFor(() =>
      h.fake.messages(h.fake.dmChannelId(ADMIN)).some((m) => m.text.includes('accepted')),
    );
    const types = h.srp.services.incidents.timeline(id).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['commander_handoff_requested', 'commander_handoff_accepted', 'role_changed']),
    );
    const tenures = h.srp.services.roles.tenures(id).filter((t) => t.role === 'commander');
    expect(tenures.map((t) => [t.userId, t.to === null])).toEqual([
      [ADMIN, false],
      [C, true],
    ]);
    // "Who was IC when" is a query over the tenure rows: ADMIN until the acceptance, C from then on.
    expect(h.srp.services.roles.holderAt(id, 'commander', new Date('2026-10-21T12:30:00Z'))).toBe(ADMIN);
    expect(h.srp.services.roles.holderAt(id, 'commander', new Date('2026-10-21T13:30:00Z'))).toBe(C);
  });

  it('declining returns the handoff to the sender; a handoff to a non-member is refused', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const id = await report();
    const refused = await h.driver.command(`ic ${id} <@${OUTSIDER}>`, { userId: ADMIN });
    expect(refused.json.text).toMatch(/not a committee member/);
    await h.driver.command(`ic ${id} <@${B}>`, { userId: ADMIN });
    const dm = await h.fake.waitFor(() =>
      h.fake.messages(h.fake.dmChannelId(B)).find((m) => m.text.includes(id)),
    );
    await h.driver.blockAction({
      userId: B,
      actionId: 'srp_ic_decline',
      channelId: h.fake.dmChannelId(B),
      messageTs: dm.ts,
    });
    await h.fake.waitFor(() =>
      h.fake.messages(h.fake.dmChannelId(ADMIN)).some((m) => m.text.includes('declined')),
    );
    expect(h.srp.services.roles.commander(id)).toBe(ADMIN);
  });

  it('reminds the incoming commander of a pending handoff in their working hours', async () => {
    const clock = await start('2026-10-21T09:00:00Z');
    await setUpRotation();
    const id = await report();
    await h.driver.command(`ic ${id} <@${B}>`, { userId: ADMIN });
    await h.fake.waitFor(() =>
      h.fake.messages(h.fake.dmChannelId(B)).some((m) => m.text.includes('take over as incident commander')),
    );
    await h.srp.runJobs();
    clock.advance(3 * HOUR); // 12:00 UTC, 14:00 in Berlin
    await h.srp.runJobs();
    await h.srp.runJobs();
    expect(h.fake.messages(h.fake.dmChannelId(B)).filter((m) => m.text.startsWith('Reminder'))).toHaveLength(
      1,
    );
  });

  it('rotates Fix Leads round-robin across members, skipping members on leave and associates', async () => {
    await start('2026-10-21T12:00:00Z');
    await h.driver.command(`members role <@${D}> associate`, { userId: ADMIN });
    await h.driver.command(`members leave <@${B}> 2026-10-01 2026-11-15`, { userId: ADMIN });
    const leads: string[] = [];
    for (let i = 0; i < 4; i++) leads.push(h.srp.services.roles.fixLead(await report()) as string);
    expect(leads).toEqual([ADMIN, C, ADMIN, C]);

    const id = await report();
    const missing = await h.driver.command(`fixlead ${id} <@${C}>`, { userId: ADMIN });
    expect(missing.json.text).toMatch(/Usage/);
    expect(h.srp.services.roles.fixLead(id)).toBe(ADMIN);
    const done = await h.driver.command(`fixlead ${id} <@${C}> owns the affected component`, { userId: C });
    expect(done.json.text).toMatch(/You are now the Fix Lead/);
    expect(h.srp.services.incidents.timeline(id).at(-1)).toMatchObject({
      type: 'role_changed',
      field: 'fix_lead',
      oldValue: ADMIN,
      newValue: { userId: C, reason: 'owns the affected component' },
    });
  });

  it('lets the IC or Fix Lead add a Fix Team, who then see that incident and nothing else', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const id = await report();
    const other = await report();
    const notIc = await h.driver.command(`fixteam ${id} add <@${OUTSIDER}>`, { userId: D });
    expect(notIc.json.text).toMatch(/Only .* incident commander or Fix Lead/);
    const added = await h.driver.command(`fixteam ${id} add <@${OUTSIDER}>`, { userId: ADMIN });
    expect(added.json.text).toMatch(/Added <@UOUTSIDE01> to/);

    const show = await h.driver.command(`show ${id}`, { userId: OUTSIDER });
    expect(JSON.stringify(show.json.blocks)).toContain(id);
    expect(JSON.stringify(show.json.blocks)).not.toContain('srp_ic_handoff');
    const hidden = await h.driver.command(`show ${other}`, { userId: OUTSIDER });
    expect(hidden.json.text).toMatch(/Security Response Committee/);
    // Their /srp status lists the incident they work on, and not the other one.
    const status = await h.driver.command('status', { userId: OUTSIDER });
    expect(JSON.stringify(status.json.blocks)).toContain(id);
    expect(JSON.stringify(status.json.blocks)).not.toContain(other);
    await h.fake.waitFor(() =>
      JSON.stringify(h.fake.messages(SECURITY).find((m) => m.text.endsWith(id))?.blocks).includes(
        `<@${OUTSIDER}>`,
      ),
    );
  });
});

describe('people: the remaining buttons and commands', () => {
  const reportAs = (userId = OUTSIDER, disclosure: 'private' | 'public' = 'private') =>
    fileReport(h, {
      userId,
      values: { disclosure: { type: 'radio_buttons', selected_option: { value: disclosure } } },
    });
  const cardOf = (id: string) => h.fake.messages(SECURITY).find((m) => m.text.endsWith(id));

  it('answers /srp ic within the ack window even when Slack rate-limits the DM', async () => {
    const clock = await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const id = await reportAs();
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 4 });
    const t0 = Date.now();
    const res = await h.driver.command(`ic ${id} <@${B}>`, { userId: ADMIN });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(res.json.text).toMatch(/Asked <@UMEMBER002>/);
    await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').some((c) => c.status === 429));
    await idle(h);
    // The DM follows once the rate limit (Retry-After: 4) has passed, and not before.
    clock.advance(3_000);
    await h.srp.runJobs();
    expect(h.fake.messages(h.fake.dmChannelId(B)).filter((m) => m.text.includes(id))).toHaveLength(0);
    clock.advance(1_000);
    await h.srp.runJobs();
    expect(h.fake.messages(h.fake.dmChannelId(B)).filter((m) => m.text.includes(id))).toHaveLength(1);
  });

  it('the card’s selects hand off command and add to the Fix Team; fixteam remove takes someone off', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const id = await reportAs();
    const ts = cardOf(id)?.ts;
    await h.driver.blockAction({
      userId: ADMIN,
      actionId: 'srp_ic_handoff',
      channelId: SECURITY,
      messageTs: ts,
      selectedUser: C,
    });
    await h.fake.waitFor(() => JSON.stringify(cardOf(id)?.blocks).includes('awaiting acceptance'));
    await h.driver.blockAction({
      userId: ADMIN,
      actionId: 'srp_fixteam_add',
      channelId: SECURITY,
      messageTs: ts,
      selectedUser: OUTSIDER,
    });
    await h.fake.waitFor(() => h.srp.services.roles.fixTeam(id).includes(OUTSIDER));
    const removed = await h.driver.command(`fixteam ${id} remove <@${OUTSIDER}>`, { userId: ADMIN });
    expect(removed.json.text).toMatch(/Removed <@UOUTSIDE01> from/);
    expect(h.srp.services.roles.fixTeam(id)).toEqual([]);
    const types = h.srp.services.incidents.timeline(id).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['fix_team_added', 'fix_team_removed', 'commander_handoff_requested']),
    );
  });

  it('"Reassign Fix Lead" opens a modal that insists on a reason and records it', async () => {
    await start('2026-10-21T12:00:00Z');
    const id = await reportAs();
    const opened = h.fake.okCallsTo('views.open').length;
    await h.driver.blockAction({
      userId: ADMIN,
      actionId: 'srp_fixlead_reassign_open',
      channelId: SECURITY,
      messageTs: cardOf(id)?.ts,
      value: id,
    });
    const view = (await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened])).response as {
      view: { id: string };
    };
    const values = (reason: string) => ({
      fixLead: { value: { type: 'users_select', selected_user: D } },
      reason: { value: { type: 'plain_text_input', value: reason } },
    });
    const noReason = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.view.id,
      values: values(''),
    });
    expect(noReason.json).toEqual({
      response_action: 'errors',
      errors: { reason: 'Say why the Fix Lead changes.' },
    });
    const ok = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.view.id,
      values: values('knows the kubelet'),
    });
    expect(JSON.stringify(ok.json)).toContain(`<@${D}> is now the Fix Lead of ${id}.`);
    await h.fake.waitFor(() => h.srp.services.roles.fixLead(id) === D);
    await h.fake.waitFor(() => JSON.stringify(cardOf(id)?.blocks).includes(`*Fix Lead*\\n<@${D}>`));
  });

  it('imports a rotation from an uploaded .ics file, read through files.info with the bot token', async () => {
    await start('2026-10-21T12:00:00Z');
    await setUpRotation();
    const from = new Date('2026-10-19T08:00:00Z');
    const to = new Date('2026-12-28T09:00:00Z');
    const before = h.srp.services.rotation.schedule(from, to);
    const ics = await (
      await fetch(`http://127.0.0.1:${h.srp.port}/oncall.ics?token=${h.srp.services.rotation.feedToken()}`)
    ).text();
    const file = h.fake.addFile({ name: 'opsgenie.ics', content: ics, filetype: 'ics' });

    const opened = h.fake.okCallsTo('views.open').length;
    await h.driver.command('oncall import', { userId: ADMIN });
    const open = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
    const viewId = (open.response as { view: { id: string } }).view.id;
    const empty = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId,
      values: { file: { value: { type: 'file_input', files: [] } } },
    });
    expect(empty.json).toEqual({
      response_action: 'errors',
      errors: { file: 'Upload the .ics file to import.' },
    });
    const ok = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId,
      values: { file: { value: { type: 'file_input', files: [{ id: file.id, name: 'opsgenie.ics' }] } } },
    });
    expect(ok.text).toBe('');
    const dm = await h.fake.waitFor(() =>
      h.fake.messages(h.fake.dmChannelId(ADMIN)).find((m) => m.text.startsWith('Imported')),
    );
    expect(dm.text).toMatch(/^Imported \d+ shift\(s\) as overrides\.$/);
    expect(h.fake.calls.find((c) => c.method === 'files.download')).toMatchObject({
      ok: true,
      token: 'xoxb-test-token',
    });
    const after = h.srp.services.rotation.schedule(from, to);
    expect(after.map((x) => [x.start, x.end, x.primary, x.secondary])).toEqual(
      before.map((x) => [x.start, x.end, x.primary, x.secondary]),
    );
  });

  it('gives members the calendar feed link', async () => {
    await start('2026-10-21T12:00:00Z');
    const before = await h.driver.command('oncall export', { userId: B });
    expect(before.json.text).toMatch(/No rotation is set up yet/);
    await setUpRotation();
    const res = await h.driver.command('oncall export', { userId: B });
    const old = h.srp.services.rotation.feedToken();
    expect(res.json.text).toContain(`/oncall.ics?token=${old}`);
    const rotated = await h.driver.command('oncall export rotate', { userId: B });
    expect(rotated.json.text).toMatch(/old calendar link no longer works/);
    expect((await fetch(`http://127.0.0.1:${h.srp.port}/oncall.ics?token=${old}`)).status).toBe(404);
    const fresh = h.srp.services.rotation.feedToken();
    expect((await fetch(`http://127.0.0.1:${h.srp.port}/oncall.ics?token=${fresh}`)).status).toBe(200);
  });

  it('shows associates only publicly disclosed incidents, and members all of them', async () => {
    await start('2026-10-21T12:00:00Z');
    await h.driver.command(`members add <@${OUTSIDER}> associate`, { userId: ADMIN });
    const embargoed = await reportAs(B);
    const open = await reportAs(B, 'public');
    const asAssociate = JSON.stringify((await h.driver.command('status', { userId: OUTSIDER })).json.blocks);
    expect(asAssociate).toContain(open);
    expect(asAssociate).not.toContain(embargoed);
    const member = JSON.stringify((await h.driver.command('status', { userId: B })).json.blocks);
    expect(member).toContain(embargoed);
    expect((await h.driver.command(`show ${embargoed}`, { userId: OUTSIDER })).json.text).toMatch(
      /Security Response Committee/,
    );
    expect(
      JSON.stringify((await h.driver.command(`show ${open}`, { userId: OUTSIDER })).json.blocks),
    ).toContain(open);
  });

  it('keeps a removed SRP_ADMINS member removed across a restart, and does not guess at typos', async () => {
    await start('2026-10-21T12:00:00Z');
    await h.driver.command(`members remove <@${D}>`, { userId: ADMIN });
    await h.restart();
    expect(h.srp.services.members.get(D)).toBeUndefined();
    const typo = await h.driver.command(`members remov <@${C}>`, { userId: ADMIN });
    expect(typo.json.text).toMatch(/is not a command I know/);
    expect(h.srp.services.members.get(C)).toBeDefined();
  });
});
