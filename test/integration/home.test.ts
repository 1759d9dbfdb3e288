import { afterEach, describe, expect, it } from 'vitest';
import { HOME_REPORT_ACTION } from '../../src/views/home.js';
import { eventCallback } from '../support/payloads.js';
import {
  ADMIN,
  BEA as B,
  BEA_AND_CEM,
  CEM as C,
  fileReport,
  type Harness,
  OUTSIDER,
  SECURITY,
  SOCKET_MODE,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/** The Home tab, opened and used as people would: through signed events and clicks against the fake Slack. */

const ASSOC = 'UASSOC0001';
const FIXER = 'UFIXTEAM01';
const DAY = 86_400_000;
const SUMMARY = 'Path traversal in kubelet /logs endpoint';

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
  await h.driver.command(`oncall setup <@${ADMIN}> <@${B}> <@${C}> monday 10:00 Europe/Berlin 2026-10-19`, {
    userId: ADMIN,
    channelId: SECURITY,
  });
  return clock;
}

const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json?.text as string | undefined;

/** Every views.publish for `userId`, oldest first. */
const publishes = (userId: string) =>
  h.fake.okCallsTo('views.publish').filter((c) => c.args.user_id === userId);
const homeText = (userId: string) => JSON.stringify(h.fake.homeView(userId)?.view.blocks ?? []);

/** Opens `userId`'s Home tab and waits until it is published (once more than before). */
async function openHome(userId: string, tab = 'home') {
  const before = publishes(userId).length;
  const res = await h.driver.event({
    type: 'app_home_opened',
    user: userId,
    channel: h.fake.dmChannelId(userId),
    tab,
  });
  expect(res.status).toBe(200);
  if (tab === 'home')
    await h.fake.waitFor(() => publishes(userId).length > before, 5000, `${userId}'s Home tab`);
  return homeText(userId);
}

describe('the Home tab', () => {
  it('shows a member the step that is theirs and overdue, the open incidents and who is oncall', async () => {
    const clock = await start();
    const id = await fileReport(h);
    const lead = h.srp.services.roles.fixLead(id) as string;
    expect(lead).toBeTruthy();
    // Two days on: the Fix Lead's first step (a Fix Team within a day of the report) is overdue.
    clock.advance(2 * DAY);
    await h.srp.runJobs();
    await settled(h);

    const home = await openHome(lead);
    expect(h.fake.homeView(lead)?.view.type).toBe('home');
    expect(home).toContain(`:warning: *${id}* · Fix Team organized (Fix Lead) · *overdue* since`);
    expect(home.indexOf('*What needs you*')).toBeLessThan(home.indexOf(`:warning: *${id}*`));
    expect(home).toContain('*Open incidents* (1)');
    expect(home).toContain(`*${id}* · ${SUMMARY}`);
    expect(home).toContain(`*Oncall now*: primary <@${ADMIN}>, secondary <@${B}>`);
    // The Messages tab opening is not the Home tab: nothing is drawn for it.
    const before = h.fake.okCallsTo('views.publish').length;
    await openHome(lead, 'messages');
    await settled(h);
    expect(h.fake.okCallsTo('views.publish')).toHaveLength(before);
  });

  it('redraws an open Home tab once after a change to an incident it shows, and after the shift changes hands', async () => {
    const clock = await start();
    const id = await fileReport(h);
    await openHome(B);
    await settled(h);
    expect(homeText(B)).toContain(`*${id}* · ${SUMMARY}\\nTriage`);
    const before = publishes(B).length;

    expect(await say(C, `accept ${id}`)).toContain(id);
    await settled(h);
    expect(publishes(B)).toHaveLength(before + 1);
    expect(homeText(B)).toContain(`*${id}* · ${SUMMARY}\\nFix Team`);
    // Someone who never opened the tab gets none drawn.
    expect(publishes(C)).toHaveLength(0);

    // Monday 10:00 in Berlin: the next shift is B's.
    await h.srp.runJobs();
    await settled(h);
    clock.set('2026-10-26T10:30:00Z');
    await h.srp.runJobs();
    await settled(h);
    expect(homeText(B)).toContain(`*Oncall now*: primary <@${B}>`);
  });

  it("shows a reporter only the button and their own report's id, and the button opens the report form", async () => {
    await start();
    const id = await fileReport(h, { userId: OUTSIDER });
    const home = await openHome(OUTSIDER);
    const view = h.fake.homeView(OUTSIDER);
    const blocks = (view?.view.blocks ?? []) as Array<{
      type: string;
      elements?: Array<{ type: string; action_id?: string }>;
    }>;
    const buttons = blocks.flatMap((b) => b.elements ?? []).filter((e) => e.type === 'button');
    expect(buttons.map((b) => b.action_id)).toEqual([HOME_REPORT_ACTION]);
    expect(home).toContain(`\`${id}\` · received <!date^`);
    for (const absent of [SUMMARY, 'Triage', 'Oncall', 'Open incidents', 'kubelet'])
      expect(home).not.toContain(absent);

    const opened = h.fake.okCallsTo('views.open').length;
    const click = await h.driver.blockAction({
      userId: OUTSIDER,
      actionId: HOME_REPORT_ACTION,
      viewId: view?.id,
    });
    expect(click.status).toBe(200);
    const open = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
    const modal = open.args.view as { callback_id: string; private_metadata: string };
    // The same form `/srp report` opens for someone outside the committee: the reporter's.
    expect(modal.callback_id).toBe('srp_report');
    expect(JSON.parse(modal.private_metadata)).toEqual({ form: 'reporter' });
  });

  it('shows a Fix Team member their incident only, and drops it when they are taken off the Fix Team', async () => {
    await start();
    const mine = await fileReport(h);
    const other = await fileReport(h, {
      values: { summary: { type: 'plain_text_input', value: 'Another bug' } },
    });
    const commander = h.srp.services.roles.commander(mine) as string;
    expect(await say(commander, `fixteam ${mine} add <@${FIXER}>`)).toBeTruthy();
    await settled(h);

    const home = await openHome(FIXER);
    expect(home).toContain('*Your Fix Team incidents* (1)');
    expect(home).toContain(`*${mine}* · ${SUMMARY}`);
    expect(home).toContain('*Your steps*');
    expect(home).not.toContain(other);
    expect(home).not.toContain('Another bug');
    expect(home).not.toContain('Oncall');

    // Taken off: their open tab is redrawn at once, without the incident.
    const before = publishes(FIXER).length;
    expect(await say(commander, `fixteam ${mine} remove <@${FIXER}>`)).toBeTruthy();
    await settled(h);
    expect(publishes(FIXER).length).toBeGreaterThan(before);
    expect(homeText(FIXER)).not.toContain(mine);
    expect(homeText(FIXER)).not.toContain(SUMMARY);
  });

  it("shows an associate the public incidents only, and redraws a leaver's tab as anyone's", async () => {
    await start();
    const secret = await fileReport(h);
    const known = await fileReport(h, {
      values: {
        summary: { type: 'plain_text_input', value: 'Already public bug' },
        disclosure: { type: 'radio_buttons', selected_option: { value: 'public' } },
      },
    });
    const home = await openHome(ASSOC);
    expect(home).toContain('*Open public incidents* (1)');
    expect(home).toContain(`*${known}* · Already public bug`);
    expect(home).not.toContain(secret);
    expect(home).not.toContain(SUMMARY);

    expect(await say(ADMIN, `members remove <@${ASSOC}>`)).toContain('Removed');
    await settled(h);
    const after = homeText(ASSOC);
    expect(after).toContain('Report a vulnerability');
    expect(after).not.toContain(known);
    expect(after).not.toContain('Already public bug');
  });
});

describe('the Home tab over Socket Mode', () => {
  it('is drawn when opened: the event comes over the socket, acked, like any envelope', async () => {
    h = await startHarness({ env: SOCKET_MODE });
    await h.fake.socket.waitForConnection();
    const envelope = eventCallback({
      ctx: { teamId: h.fake.teamId, apiAppId: h.fake.appId },
      event: { type: 'app_home_opened', user: OUTSIDER, channel: h.fake.dmChannelId(OUTSIDER), tab: 'home' },
      botUserId: h.fake.botUserId,
    });
    const ack = await h.fake.socket.send('events_api', envelope);
    expect(ack.envelope_id).toBeTruthy();
    await h.fake.waitFor(() => h.fake.homeView(OUTSIDER), 5000, 'the Home tab');
    expect(homeText(OUTSIDER)).toContain(HOME_REPORT_ACTION);
  });
});
