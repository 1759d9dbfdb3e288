// Proves the driver and payload builders against a real Bolt App (HTTP and Socket Mode) wired to FakeSlack.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fakeSlack.js';
import { slashCommandForm } from '../support/payloads.js';
import { silentLogger } from '../support/silentLogger.js';
import { SlackDriver } from '../support/slackDriver.js';

const SECRET = 'test-signing-secret';
const BOT = 'U0BOT';
const pt = (text: string) => ({ type: 'plain_text' as const, text });

const newModal = {
  type: 'modal' as const,
  callback_id: 'srp_new',
  title: pt('New release'),
  submit: pt('Create'),
  blocks: [
    {
      type: 'input',
      block_id: 'title_block',
      label: pt('Title'),
      element: { type: 'plain_text_input', action_id: 'title' },
    },
  ],
};

const seen: { retryNums: Array<number | undefined>; actions: unknown[] } = { retryNums: [], actions: [] };

/** A tiny app exercising each kind of inbound request the real srp app handles. */
function registerListeners(app: App): void {
  app.command('/srp', async ({ command, ack, client, respond }) => {
    if (command.text === 'new') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: newModal });
    } else if (command.text === 'announce') {
      await ack();
      await respond({ response_type: 'in_channel', text: 'Announcement' });
    } else {
      await ack({ response_type: 'ephemeral', text: `unknown: ${command.text}` });
    }
  });
  app.view('srp_new', async ({ ack, view, body, client }) => {
    const title = view.state.values.title_block?.title?.value;
    if (!title) return void (await ack({ response_action: 'errors', errors: { title_block: 'Required' } }));
    await ack();
    await client.chat.postMessage({
      channel: 'C0PUBLIC',
      text: `Release ${title} by ${body.user.id}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } },
        {
          type: 'actions',
          block_id: 'release_actions',
          elements: [{ type: 'button', action_id: 'srp_approve', text: pt('Approve'), value: 'rel-1' }],
        },
      ],
    });
  });
  app.action('srp_approve', async ({ ack, body, client }) => {
    await ack();
    seen.actions.push(body);
    if (body.type !== 'block_actions' || !body.channel || !body.message) return;
    await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: 'Approved', blocks: [] });
  });
  app.event('app_home_opened', async ({ event, client, context }) => {
    seen.retryNums.push(context.retryNum);
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
  });
}

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
  seen.retryNums = [];
  seen.actions = [];
});

async function startHttpApp() {
  const fake = await FakeSlack.start({
    botUserId: BOT,
    channels: [{ id: 'C0PUBLIC', name: 'general', is_private: false }],
    users: [{ id: 'U1', name: 'alice' }],
  });
  cleanup.push(() => fake.stop());
  const app = new App({
    signingSecret: SECRET,
    token: 'xoxb-test',
    botId: fake.botId,
    botUserId: BOT,
    processBeforeResponse: true,
    logger: silentLogger(),
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  registerListeners(app);
  const server = (await app.start(0)) as Server;
  cleanup.push(() => app.stop());
  const { port } = server.address() as AddressInfo;
  const driver = new SlackDriver({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET, fake });
  return { fake, driver };
}

describe('SlackDriver against a Bolt HTTPReceiver', () => {
  it('drives command → modal → submission → button through the fake', async () => {
    const { fake, driver } = await startHttpApp();

    const cmd = await driver.command('new', { userId: 'U1', channelId: 'C0PUBLIC' });
    expect(cmd.status).toBe(200);
    const open = fake.okCallsTo('views.open')[0];
    expect(open?.args.trigger_id).toBe(cmd.triggerId);
    const viewId = fake.modalStack('U1')[0] as string;
    expect(fake.view(viewId)?.view.callback_id).toBe('srp_new');

    const empty = await driver.viewSubmission({
      userId: 'U1',
      viewId,
      values: { title_block: { title: { type: 'plain_text_input', value: null } } },
    });
    expect(empty.json).toEqual({ response_action: 'errors', errors: { title_block: 'Required' } });

    const filled = await driver.viewSubmission({
      userId: 'U1',
      viewId,
      values: { title_block: { title: { type: 'plain_text_input', value: 'v1.2.3' } } },
    });
    expect(filled.status).toBe(200);
    expect(filled.text).toBe('');
    const [posted] = fake.messages('C0PUBLIC');
    expect(posted?.text).toBe('Release v1.2.3 by U1');

    const click = await driver.blockAction({ userId: 'U1', actionId: 'srp_approve', channelId: 'C0PUBLIC' });
    expect(click.status).toBe(200);
    expect(fake.messages('C0PUBLIC')[0]).toMatchObject({ ts: posted?.ts, text: 'Approved' });
    expect(seen.actions[0]).toMatchObject({
      type: 'block_actions',
      user: { id: 'U1', team_id: fake.teamId },
      container: { type: 'message', message_ts: posted?.ts, channel_id: 'C0PUBLIC' },
      actions: [{ action_id: 'srp_approve', block_id: 'release_actions', value: 'rel-1', type: 'button' }],
      response_url: click.responseUrl,
    });
    await expect(
      driver.blockAction({ userId: 'U1', actionId: 'nope', channelId: 'C0PUBLIC' }),
    ).rejects.toThrow(/no message in C0PUBLIC/);
  });

  it('returns ack bodies and routes respond() to the fake response_url', async () => {
    const { fake, driver } = await startHttpApp();
    const help = await driver.command('bogus', { userId: 'U1' });
    expect(help.json).toEqual({ response_type: 'ephemeral', text: 'unknown: bogus' });

    await driver.command('announce', { userId: 'U1', channelId: 'C0PUBLIC' });
    expect(fake.responses().map((r) => r.body)).toEqual([
      { response_type: 'in_channel', text: 'Announcement' },
    ]);
    expect(fake.messages('C0PUBLIC').map((m) => m.text)).toEqual(['Announcement']);
  });

  it('delivers events with retry headers', async () => {
    const { fake, driver } = await startHttpApp();
    const res = await driver.event(
      { type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' },
      { retryNum: 1 },
    );
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.homeView('U1'), 2000, 'home published');
    expect(seen.retryNums).toEqual([1]);
  });

  it('is rejected by Bolt when forged, stale, or sent with a charset suffix', async () => {
    const { driver } = await startHttpApp();
    const body = 'command=%2Fsrp&text=help';
    const forged = { ...driver.sign(body), 'x-slack-signature': `v0=${'0'.repeat(64)}` };
    expect((await driver.raw(body, forged)).status).toBe(401);
    const stale = driver.sign(body, Math.floor(Date.now() / 1000) - 301);
    expect((await driver.raw(body, stale)).status).toBe(401);
    const charset = {
      ...driver.sign(body),
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
    };
    expect((await driver.raw(body, charset)).status).toBe(400);
  });
});

describe('payload builders over Socket Mode', () => {
  it('a Bolt Socket Mode app acks a slash command pushed by fake.socket.send', async () => {
    const fake = await FakeSlack.start({ botUserId: BOT, users: [{ id: 'U1', name: 'alice' }] });
    cleanup.push(() => fake.stop());
    const app = new App({
      socketMode: true,
      appToken: 'xapp-1-test',
      token: 'xoxb-test',
      botId: fake.botId,
      botUserId: BOT,
      logger: silentLogger(),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    registerListeners(app);
    await app.start();
    cleanup.push(() => app.stop());
    expect(fake.socket.connected()).toBe(true);

    const form = slashCommandForm({
      ctx: { teamId: fake.teamId, apiAppId: fake.appId },
      user: { id: 'U1' },
      text: 'new',
      channelId: fake.dmChannelId('U1'),
      triggerId: fake.issueTriggerId('U1'),
      responseUrl: fake.responseUrl(),
    });
    const ack = await fake.socket.send('slash_commands', form);
    expect(ack.envelope_id).toMatch(/-/);
    await fake.waitFor(() => fake.okCallsTo('views.open')[0], 2000, 'views.open');
    expect(fake.modalStack('U1')).toHaveLength(1);

    const unknown = await fake.socket.send('slash_commands', { ...form, text: 'zzz' });
    expect(unknown.payload).toEqual({ response_type: 'ephemeral', text: 'unknown: zzz' });
  });
});
