import { afterEach, describe, expect, it } from 'vitest';
import { blockActionsPayload } from '../support/payloads.js';
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

/** What a committee trips over, tried as its members would: taking command, being told, leaving. */

const ASSOC = 'UASSOC0001';
const FIXER = 'UFIXTEAM01';

function people() {
  return workspaceWith(
    [...BEA_AND_CEM, { id: ASSOC, name: 'ava', tz: 'UTC' }, { id: FIXER, name: 'fin', tz: 'UTC' }],
    [B, C, ASSOC],
  );
}

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

async function start(at = '2026-10-21T12:00:00Z') {
  const clock = new TestClock(new Date(at));
  h = await startHarness({ fake: people(), env: { SRP_ADMINS: [ADMIN, B, C].join(',') }, clock });
  await h.driver.command(`members add <@${ASSOC}> associate`, { userId: ADMIN });
  return clock;
}

const rotation = (order: string[]) =>
  h.driver.command(
    `oncall setup ${order.map((u) => `<@${u}>`).join(' ')} monday 10:00 Europe/Berlin 2026-10-19`,
    {
      userId: ADMIN,
      channelId: SECURITY,
    },
  );
const card = (id: string) =>
  JSON.stringify(h.fake.messages(SECURITY).find((m) => m.text.endsWith(id))?.blocks);
const dms = (userId: string) => h.fake.messages(h.fake.dmChannelId(userId)).map((m) => m.text);
const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json.text as string;

describe('an unreachable commander does not block the incident', () => {
  it('any member takes command with a reason; the old commander is told; timeline and tenure record it', async () => {
    await start();
    await rotation([ADMIN, B, C]);
    const id = await fileReport(h);
    expect(h.srp.services.roles.commander(id)).toBe(ADMIN);

    expect(await say(C, `ic ${id} take`)).toMatch(/A reason .* is needed/);
    expect(await say(C, `ic ${id} take ADMIN has not answered for a day`)).toBe(
      `You are now the incident commander of ${id}.`,
    );
    await settled(h);
    expect(h.srp.services.roles.commander(id)).toBe(C);
    expect(dms(ADMIN)).toContain(
      `<@${C}> took over as incident commander of ${id}; the reason is on its timeline.`,
    );
    expect(dms(C)).toContain(`You are now the incident commander of ${id}.`);
    // The DM carries the id and the role, never the report.
    expect(JSON.stringify(h.fake.messages(h.fake.dmChannelId(ADMIN)))).not.toContain('Path traversal');
    expect(h.srp.services.incidents.timeline(id).at(-1)).toMatchObject({
      type: 'role_changed',
      field: 'commander',
      actor: C,
      oldValue: ADMIN,
      newValue: { userId: C, reason: 'ADMIN has not answered for a day' },
    });
    expect(
      h.srp.services.roles
        .tenures(id)
        .filter((t) => t.role === 'commander')
        .map((t) => [t.userId, t.to === null, t.reason]),
    ).toEqual([
      [ADMIN, false, null],
      [C, true, 'ADMIN has not answered for a day'],
    ]);
    expect(card(id)).toContain(`*Incident commander*\\n<@${C}>`);
  });

  it('"Take command" on the card asks for the reason and takes it; the Fix Lead can be taken the same way', async () => {
    await start();
    await rotation([ADMIN, B, C]);
    const id = await fileReport(h);
    const opened = h.fake.okCallsTo('views.open').length;
    await h.driver.blockAction({ userId: B, actionId: 'srp_ic_take_open', channelId: SECURITY, value: id });
    const view = (
      (await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened])).response as {
        view: { id: string };
      }
    ).view;
    const submit = (reason: string) =>
      h.driver.viewSubmission({
        userId: B,
        viewId: view.id,
        values: { reason: { value: { type: 'plain_text_input', value: reason } } },
      });
    expect((await submit('')).json).toMatchObject({
      response_action: 'errors',
      errors: { reason: /reason/ },
    });
    const taken = await submit('on leave from tomorrow, I am around');
    expect(JSON.stringify(taken.json)).toContain(`You are now the incident commander of ${id}.`);
    expect(h.srp.services.roles.commander(id)).toBe(B);

    const lead = h.srp.services.roles.fixLead(id) as string;
    const taker = [ADMIN, B, C].find((u) => u !== lead) as string;
    expect(await say(taker, `fixlead ${id} take knows the component`)).toBe(
      `You are now the Fix Lead of ${id}.`,
    );
    await settled(h);
    expect(dms(lead)).toContain(`<@${taker}> took over as Fix Lead of ${id}; the reason is on its timeline.`);
  });

  it('an associate cannot take a shift, so never commands an embargoed report; a forged press is refused', async () => {
    await start();
    await rotation([ADMIN, B, C]);
    const view = await h.driver.command('oncall', { userId: ASSOC, channelId: SECURITY });
    // Associates see the schedule, not the buttons.
    expect(JSON.stringify(view.json.blocks)).not.toContain('srp_oncall_take');
    const payload = blockActionsPayload({
      ctx: { teamId: h.fake.teamId, apiAppId: h.fake.appId },
      user: { id: ASSOC },
      action: { actionId: 'srp_oncall_take', value: '1' },
      triggerId: h.fake.issueTriggerId(ASSOC),
      source: {
        kind: 'message',
        channelId: SECURITY,
        message: { type: 'message', ts: '1700000000.000001', text: '', blocks: view.json.blocks },
        responseUrl: h.fake.responseUrl({ channel: SECURITY, userId: ASSOC }),
        isEphemeral: true,
      },
    });
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await h.driver.raw(body, h.driver.sign(body));
    await h.fake.waitFor(() =>
      h.fake
        .responses()
        .some((r) => JSON.stringify(r.body).includes('Only full members of the committee take')),
    );
    expect(h.srp.services.rotation.now()?.primary).toBe(ADMIN);
  });

  it('an associate who is primary oncall anyway (an old override) is not made commander at intake', async () => {
    const clock = await start();
    await rotation([ADMIN, B, C]);
    // As if the associate had taken the shift before srp refused it.
    h.srp.db.$client
      .prepare(
        `insert into overrides (id, role, user_id, start, end, reason, created_by, created_at)
         values ('old', 'primary', ?, ?, ?, 'before the fix', ?, ?)`,
      )
      .run(
        ASSOC,
        clock.now().getTime() - 86_400_000,
        clock.now().getTime() + 86_400_000,
        ASSOC,
        clock.now().getTime(),
      );
    expect(h.srp.services.rotation.now()?.primary).toBe(ASSOC);
    const id = await fileReport(h);
    expect(h.srp.services.roles.commander(id)).toBeNull();
    expect(card(id)).toContain('hand it to someone');
  });
});

describe('/srp oncall shows only the buttons that can work for the reader', () => {
  it('hand off for whoever is on call now, ask for cover for whoever has a shift, take where one can', async () => {
    await start();
    await rotation([ADMIN, B, C]);
    const view = async (userId: string) => {
      const res = await h.driver.command('oncall', { userId, channelId: SECURITY });
      const blocks = res.json.blocks as Array<{
        block_id?: string;
        elements?: Array<{ action_id: string }>;
        accessory?: { action_id: string };
      }>;
      const now = blocks.find((b) => b.block_id === 'now_actions')?.elements?.map((e) => e.action_id) ?? [];
      const takes = blocks.filter((b) => b.accessory?.action_id === 'srp_oncall_take').map((b) => b.block_id);
      return { now, takes, text: JSON.stringify(blocks) };
    };
    // ADMIN is primary now: may hand off and ask for cover; cannot take this week (already in it).
    const admin = await view(ADMIN);
    expect(admin.now).toEqual(['srp_oncall_cover', 'srp_oncall_handoff']);
    expect(admin.takes).not.toContain('shift_0');
    // C is not on call this week: no hand off, but a shift coming, so cover; may take this week.
    const c = await view(C);
    expect(c.now).toEqual(['srp_oncall_cover']);
    expect(c.takes).toContain('shift_0');
    // Business hours only, said once, in words.
    expect(c.text.match(/business hours only/g)).toHaveLength(1);
  });
});

describe('people given a role are told', () => {
  it('a new Fix Lead, a Fix Team member and an IC who accepted each get a DM with the id, the role and where to see it', async () => {
    await start();
    await rotation([ADMIN, B, C]);
    const id = await fileReport(h);
    await say(ADMIN, `fixlead ${id} <@${B}> knows the kubelet`);
    await say(ADMIN, `fixteam ${id} add <@${FIXER}>`);
    await say(ADMIN, `ic ${id} <@${C}>`);
    await settled(h);
    const ask = h.fake.messages(h.fake.dmChannelId(C)).find((m) => m.text.includes('take over'));
    await h.driver.blockAction({
      userId: C,
      actionId: 'srp_ic_accept',
      channelId: h.fake.dmChannelId(C),
      messageTs: ask?.ts,
    });
    await h.fake.waitFor(() => h.srp.services.roles.commander(id) === C);
    await settled(h);

    const lead = h.fake
      .messages(h.fake.dmChannelId(B))
      .find((m) => m.text === `You are now the Fix Lead of ${id}.`);
    // Members get a link to the card; a Fix Team member outside the committee, the command to see it.
    const card = h.fake.messages(SECURITY).find((m) => m.text.endsWith(id));
    expect(JSON.stringify(lead?.blocks)).toContain(
      `https://fake-workspace.slack.com/archives/GSECURITY1/p${card?.ts.replace('.', '')}|Open its card`,
    );
    // Built from the workspace's address (auth.test at start), not asked of Slack once per notice.
    expect(h.fake.callsTo('chat.getPermalink')).toEqual([]);
    const team = h.fake.messages(h.fake.dmChannelId(FIXER)).find((m) => m.text.includes('Fix Team'));
    expect(team?.text).toBe(`You were added to the Fix Team of ${id}.`);
    expect(JSON.stringify(team?.blocks)).toContain(`/srp show ${id}`);
    expect(JSON.stringify(team?.blocks)).not.toContain('archives');
    expect(dms(C)).toContain(`You are now the incident commander of ${id}.`);
    for (const u of [B, FIXER, C]) {
      expect(JSON.stringify(h.fake.messages(h.fake.dmChannelId(u)))).not.toContain('Path traversal');
    }
  });

  it('a Fix Team member outside the committee: help lists what they may use, status lists their incidents', async () => {
    await start();
    const id = await fileReport(h);
    const other = await fileReport(h);
    await say(ADMIN, `fixteam ${id} add <@${FIXER}>`);
    const help = JSON.stringify((await h.driver.command('help', { userId: FIXER })).json.blocks);
    expect(help).toContain('you are on a Fix Team');
    for (const cmd of ['/srp show', '/srp status', '/srp severity', '/srp report'])
      expect(help).toContain(cmd);
    for (const cmd of ['/srp members', '/srp oncall', '/srp ic ']) expect(help).not.toContain(cmd);
    const status = JSON.stringify((await h.driver.command('status', { userId: FIXER })).json.blocks);
    expect(status).toContain(id);
    expect(status).not.toContain(other);
    // Someone on no Fix Team and not on the committee is still refused.
    expect(await say(OUTSIDER, 'status')).toMatch(/Security Response Committee/);
  });
});

describe('removing a member who holds roles', () => {
  it('is refused with what they hold and how to go on; with a replacement, everything passes to them', async () => {
    await start();
    await rotation([ADMIN, B, C]);
    const id = await fileReport(h);
    // The first report's commander (the primary oncall) and Fix Lead (first in the round-robin).
    expect([h.srp.services.roles.commander(id), h.srp.services.roles.fixLead(id)]).toEqual([ADMIN, ADMIN]);
    const refusal = await say(ADMIN, `members remove <@${ADMIN}>`);
    expect(refusal).toContain('You hold roles that would be left with nobody');
    expect(refusal).toContain(`incident commander of ${id}`);
    expect(refusal).toContain(`Fix Lead of ${id}`);
    expect(refusal).toMatch(/oncall: primary from <!date\^/);
    expect(refusal).toContain(`/srp members remove <@${ADMIN}> @replacement`);
    expect(h.srp.services.members.get(ADMIN)).toBeDefined();

    expect(await say(B, `members remove <@${ADMIN}> <@${ASSOC}>`)).toMatch(/not a committee member/);
    const done = await say(B, `members remove <@${ADMIN}> <@${C}>`);
    expect(done).toBe(`Removed <@${ADMIN}> from the committee. Everything they held is now <@${C}>'s.`);
    await settled(h);
    expect(h.srp.services.members.get(ADMIN)).toBeUndefined();
    expect([h.srp.services.roles.commander(id), h.srp.services.roles.fixLead(id)]).toEqual([C, C]);
    expect(h.srp.services.rotation.rules()?.order).toEqual([B, C]);
    // No card names someone who is gone.
    expect(card(id)).not.toContain(`<@${ADMIN}>`.replace('<', '\\u003c'));
    expect(card(id)).toContain(`*Incident commander*\\n<@${C}>`);
    expect(dms(C)).toContain(`You are now the incident commander of ${id}.`);
  });

  it('someone who holds nothing is removed at once', async () => {
    await start();
    expect(await say(ADMIN, `members remove <@${ASSOC}>`)).toBe(`Removed <@${ASSOC}> from the committee.`);
  });
});

describe('answers that say what was wrong', () => {
  it('/srp show has the severity, CVSS and track; an unknown id and bad input are named', async () => {
    await start();
    const id = await fileReport(h);
    await say(ADMIN, `cvss ${id} CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H`);
    const show = JSON.stringify((await h.driver.command(`show ${id}`, { userId: ADMIN })).json.blocks);
    expect(show).toContain('8.8 High');
    expect(show).toContain('*Track*');
    expect(await say(ADMIN, 'show SRP-2099-999')).toMatch(/There is no incident SRP-2099-999/);
    expect(await say(ADMIN, 'show')).toMatch(
      /^:warning: Give the incident id, e.g. SRP-2026-001\.\nUsage: `\/srp show <incident id> \[page\]`$/,
    );
    expect(await say(ADMIN, `members leave <@${B}> 24.12.2026 2027-01-02`)).toMatch(
      /Dates are YYYY-MM-DD, e.g. 2026-12-24: give the first day of the leave \(not "24.12.2026"\)/,
    );
    expect(await say(ADMIN, `fixlead ${id} <@${B}>`)).toMatch(
      /A reason \(it goes on the timeline\) is needed/,
    );
    expect(await say(ADMIN, `fixteam ${id} invite <@${B}>`)).toMatch(
      /Say `add` or `remove` \(not "invite"\)/,
    );
  });

  it('an unknown command is answered with each family of commands once, with its subcommands', async () => {
    await start();
    const text = await say(ADMIN, 'membres add');
    expect(text).toMatch(/`\/srp membres add` is not a command I know/);
    expect(text).toContain('`/srp members` (add, remove, role, company, tz, leave, hours)');
    expect(text).toContain('`/srp oncall` (setup, export rotate, export, import)');
    expect(text.match(/\/srp members/g)).toHaveLength(1);
  });

  it('an edit of the report answers the person who submitted it', async () => {
    const clock = await start();
    const id = await fileReport(h);
    const opened = h.fake.okCallsTo('views.open').length;
    await h.driver.blockAction({
      userId: ADMIN,
      actionId: 'srp_report_edit_open',
      channelId: SECURITY,
      value: id,
    });
    const edit = (
      (await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened])).response as {
        view: { id: string };
      }
    ).view;
    const { reportValues } = await import('./harness.js');
    const saved = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: edit.id,
      values: reportValues({
        cveId: { type: 'plain_text_input', value: 'CVE-2026-4242' },
        receivedAt: {
          type: 'datetimepicker',
          selected_date_time: Math.floor(clock.now().getTime() / 1000) - 3600,
        },
      }),
    });
    expect(JSON.stringify(saved.json)).toMatch(new RegExp(`${id}: \\d+ fields? changed`));
  });
});
