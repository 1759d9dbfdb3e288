import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, type FakeSlackOptions } from '../support/fakeSlack.js';
import { silentLogger } from '../support/silentLogger.js';

const BOT = 'U0BOT';
const channels = [
  { id: 'C0PUBLIC', name: 'general', is_private: false },
  { id: 'G0SECRET', name: 'security', is_private: true, members: [BOT, 'U1'] },
  { id: 'G0NOBOT', name: 'no-bot', is_private: true, members: ['U1'] },
];
const users = [
  { id: 'U1', name: 'alice', tz: 'Europe/Berlin' },
  { id: 'U2', name: 'bob' },
];

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function setup(opts: FakeSlackOptions = {}, clientOpts: WebClientOptions = {}) {
  fake = await FakeSlack.start({ botUserId: BOT, channels, users, ...opts });
  const client = new WebClient('xoxb-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentLogger(),
    ...clientOpts,
  });
  return { fake, client };
}

/** Runs a call that must fail and returns the Slack error payload. */
async function platformError(
  p: Promise<unknown>,
): Promise<WebAPIPlatformError['data'] & { errors?: string[] }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebAPIPlatformError);
  return (err as WebAPIPlatformError).data;
}

const pt = (text: string) => ({ type: 'plain_text' as const, text });
const modal = (extra: object = {}) => ({ type: 'modal' as const, title: pt('SRP'), blocks: [], ...extra });

describe('FakeSlack Web API', () => {
  it('answers auth.test with the bot identity and records the bearer token', async () => {
    const { fake, client } = await setup();
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: BOT, team_id: 'T0FAKE', bot_id: 'B0BOT' });
    expect(fake.calls[0]).toMatchObject({ method: 'auth.test', token: 'xoxb-test', ok: true, status: 200 });
  });

  it('round-trips chat.postMessage and chat.update, decoding JSON form fields', async () => {
    const { fake, client } = await setup();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*v1*' } }];
    const metadata = { event_type: 'srp_release', event_payload: { id: 42 } };
    const posted = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'v1', blocks, metadata });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    const second = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'second' });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));
    expect(fake.okCallsTo('chat.postMessage')[0]?.args).toMatchObject({
      channel: 'C0PUBLIC',
      blocks,
      metadata,
    });

    const newBlocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*v2*' } }];
    await client.chat.update({ channel: 'C0PUBLIC', ts: posted.ts as string, text: 'v2', blocks: newBlocks });
    const [first] = fake.messages('C0PUBLIC');
    expect(first).toMatchObject({ ts: posted.ts, text: 'v2', blocks: newBlocks, metadata, user: BOT });
    expect(first?.edited?.user).toBe(BOT);

    const history = await client.conversations.history({ channel: 'C0PUBLIC', include_all_metadata: true });
    expect(history.messages?.map((m) => m.text)).toEqual(['second', 'v2']);
    expect(history.messages?.[1]?.metadata).toEqual(metadata);
    const bare = await client.conversations.history({ channel: 'C0PUBLIC', limit: 1 });
    expect(bare.messages).toHaveLength(1);
    expect(bare.has_more).toBe(true);
    expect(bare.messages?.[0]?.metadata).toBeUndefined();

    const missing = await platformError(
      client.chat.update({ channel: 'C0PUBLIC', ts: '1.000001', text: 'x' }),
    );
    expect(missing.error).toBe('message_not_found');
  });

  it('pages conversations.history like Slack: newest first, limit, cursor, has_more, oldest/latest/inclusive', async () => {
    const { fake, client } = await setup();
    const at = (s: number) => `${1_700_000_000 + s}.000000`;
    // Added out of order: history is ordered by ts, not by arrival.
    for (const s of [1, 2, 3, 5, 4, 6, 7]) fake.addMessage({ channel: 'C0PUBLIC', ts: at(s), text: `m${s}` });
    // Past `latest` in the first queries.
    fake.addMessage({ channel: 'C0PUBLIC', ts: at(8), text: 'm8' });
    const texts = (r: { messages?: Array<{ text?: string }> }) => r.messages?.map((m) => m.text ?? '');
    // A thread reply is not part of the channel's history.
    await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'reply', thread_ts: at(1) });

    const page1 = await client.conversations.history({ channel: 'C0PUBLIC', latest: at(8), limit: 3 });
    expect(texts(page1)).toEqual(['m7', 'm6', 'm5']);
    expect(page1.has_more).toBe(true);
    const cursor = page1.response_metadata?.next_cursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9+/=]+$/);
    // A message posted between pages does not shift the next page.
    fake.addMessage({ channel: 'C0PUBLIC', text: 'newer' });
    const page2 = await client.conversations.history({
      channel: 'C0PUBLIC',
      latest: at(8),
      limit: 3,
      cursor,
    });
    expect(texts(page2)).toEqual(['m4', 'm3', 'm2']);
    const page3 = await client.conversations.history({
      channel: 'C0PUBLIC',
      latest: at(8),
      limit: 3,
      cursor: page2.response_metadata?.next_cursor as string,
    });
    expect(texts(page3)).toEqual(['m1']);
    expect(page3.has_more).toBe(false);
    expect(page3.response_metadata?.next_cursor ?? '').toBe('');

    // oldest and latest are exclusive unless `inclusive`; a cursor pages within them.
    const range = { channel: 'C0PUBLIC', oldest: at(2), latest: at(5) };
    expect(texts(await client.conversations.history(range))).toEqual(['m4', 'm3']);
    const inclusive = await client.conversations.history({ ...range, inclusive: true, limit: 3 });
    expect(texts(inclusive)).toEqual(['m5', 'm4', 'm3']);
    const rest = await client.conversations.history({
      ...range,
      inclusive: true,
      limit: 3,
      cursor: inclusive.response_metadata?.next_cursor as string,
    });
    expect(texts(rest)).toEqual(['m2']);
    expect(texts(await client.conversations.history({ channel: 'C0PUBLIC', oldest: at(6) }))).toEqual([
      'newer',
      'm8',
      'm7',
    ]);

    // The SDK's own paginator follows the fake's cursors to the end.
    const all: string[] = [];
    for await (const page of client.paginate('conversations.history', { channel: 'C0PUBLIC', limit: 2 })) {
      all.push(...(texts(page as never) ?? []));
    }
    expect(all).toEqual(['newer', 'm8', 'm7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1']);

    expect(
      (await platformError(client.conversations.history({ channel: 'C0PUBLIC', cursor: 'bm9wZQ==' }))).error,
    ).toBe('invalid_cursor');
    expect(
      (await platformError(client.conversations.history({ channel: 'C0PUBLIC', oldest: 'soon' }))).error,
    ).toBe('invalid_ts_oldest');
  });

  it('warns (without failing) when blocks come without fallback text', async () => {
    const { fake, client } = await setup();
    const res = await client.chat.postMessage({ channel: 'C0PUBLIC', blocks: [{ type: 'divider' }] });
    expect(res.ok).toBe(true);
    expect(fake.calls.at(-1)?.warning).toBe('missing_text_in_blocks');
    const empty = await platformError(client.chat.postMessage({ channel: 'C0PUBLIC', text: '' }));
    expect(empty.error).toBe('no_text');
  });

  it('rejects invalid message blocks with Slack-style json-pointer errors', async () => {
    const { fake, client } = await setup();
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const many = await platformError(
      client.chat.postMessage({ channel: 'C0PUBLIC', text: 't', blocks: tooMany }),
    );
    expect(many.error).toBe('invalid_blocks');
    expect(many.errors).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
    expect(many.response_metadata?.messages).toEqual([
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    ]);

    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    const tooLong = await platformError(
      client.chat.postMessage({ channel: 'C0PUBLIC', text: 't', blocks: long }),
    );
    expect(tooLong.errors).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);

    const dup = [
      { type: 'divider', block_id: 'same' },
      { type: 'divider', block_id: 'same' },
    ];
    const dupErr = await platformError(
      client.chat.postMessage({ channel: 'C0PUBLIC', text: 't', blocks: dup }),
    );
    expect(dupErr.errors?.[0]).toContain('[json-pointer:/blocks/1/block_id]');

    const big = Array.from({ length: 5 }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'y'.repeat(2500) },
    }));
    const budget = await platformError(
      client.chat.postMessage({ channel: 'C0PUBLIC', text: 't', blocks: big }),
    );
    expect(budget.error).toBe('msg_blocks_too_long');

    expect(fake.messages('C0PUBLIC')).toEqual([]);
    expect(fake.callsTo('chat.postMessage').map((c) => c.ok)).toEqual([false, false, false, false]);
  });

  it('rejects an invalid modal title on views.open without consuming the trigger', async () => {
    const logger = silentLogger();
    const { fake, client } = await setup({}, { logger });
    const trigger = fake.issueTriggerId('U1');
    const bad = await platformError(
      client.views.open({ trigger_id: trigger, view: modal({ title: pt('x'.repeat(25)) }) }),
    );
    expect(bad.error).toBe('invalid_arguments');
    expect(bad.errors).toEqual(['must be less than 25 characters [json-pointer:/view/title/text]']);
    // WebClient logs response_metadata "[ERROR] …" lines, exactly as it would against Slack.
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: 'must be less than 25 characters [json-pointer:/view/title/text]',
    });
    const ok = await client.views.open({ trigger_id: trigger, view: modal({ callback_id: 'srp_new' }) });
    expect(ok.view).toMatchObject({
      type: 'modal',
      callback_id: 'srp_new',
      state: { values: {} },
      private_metadata: '',
    });
    expect(ok.view?.root_view_id).toBe(ok.view?.id);
    expect(fake.view(ok.view?.id as string)).toMatchObject({ user: 'U1', hash: ok.view?.hash });
  });

  it('expires trigger ids after the TTL and allows each only once', async () => {
    const { fake, client } = await setup({ triggerTtlMs: 200 });
    const trigger = fake.issueTriggerId();
    await client.views.open({ trigger_id: trigger, view: modal() });
    const reused = await platformError(client.views.open({ trigger_id: trigger, view: modal() }));
    expect(reused).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] invalid `trigger_id`'] },
    });

    const late = fake.issueTriggerId();
    await new Promise((r) => setTimeout(r, 250));
    const expired = await platformError(client.views.open({ trigger_id: late, view: modal() }));
    expect(expired.error).toBe('invalid_arguments');
    const unknown = await platformError(client.views.push({ trigger_id: 'made-up', view: modal() }));
    expect(unknown.error).toBe('invalid_arguments');
    expect(fake.okCallsTo('views.open')).toHaveLength(1);
  });

  it('can report the specific trigger error codes instead', async () => {
    const { fake, client } = await setup({ triggerTtlMs: 200, triggerErrorStyle: 'specific' });
    const trigger = fake.issueTriggerId();
    await client.views.open({ trigger_id: trigger, view: modal() });
    expect((await platformError(client.views.open({ trigger_id: trigger, view: modal() }))).error).toBe(
      'exchanged_trigger_id',
    );
    const late = fake.issueTriggerId();
    await new Promise((r) => setTimeout(r, 250));
    expect((await platformError(client.views.open({ trigger_id: late, view: modal() }))).error).toBe(
      'expired_trigger_id',
    );
  });

  it('stacks at most 3 views per user with views.push', async () => {
    const { fake, client } = await setup();
    const root = await client.views.open({ trigger_id: fake.issueTriggerId('U1'), view: modal() });
    const second = await client.views.push({ trigger_id: fake.issueTriggerId('U1'), view: modal() });
    expect(second.view).toMatchObject({ root_view_id: root.view?.id, previous_view_id: root.view?.id });
    await client.views.push({ trigger_id: fake.issueTriggerId('U1'), view: modal() });
    const fourth = await platformError(
      client.views.push({ trigger_id: fake.issueTriggerId('U1'), view: modal() }),
    );
    expect(fourth.error).toBe('push_limit_reached');
    expect(fake.modalStack('U1')).toHaveLength(3);
  });

  it('detects hash_conflict on views.update and issues a new hash per update', async () => {
    const { fake, client } = await setup();
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal() });
    const id = opened.view?.id as string;
    const firstHash = opened.view?.hash as string;
    const updated = await client.views.update({
      view_id: id,
      hash: firstHash,
      view: modal({ callback_id: 'v2' }),
    });
    expect(updated.view?.hash).not.toBe(firstHash);
    expect(fake.view(id)?.view.callback_id).toBe('v2');
    const stale = await platformError(client.views.update({ view_id: id, hash: firstHash, view: modal() }));
    expect(stale.error).toBe('hash_conflict');
    expect((await platformError(client.views.update({ view_id: 'VNOPE', view: modal() }))).error).toBe(
      'not_found',
    );
  });

  it('publishes Home tabs with a stable id per user', async () => {
    const { fake, client } = await setup();
    const home = {
      type: 'home' as const,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
    };
    const first = await client.views.publish({ user_id: 'U1', view: home });
    const second = await client.views.publish({
      user_id: 'U1',
      view: home,
      hash: first.view?.hash as string,
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homeView('U1')?.hash).toBe(second.view?.hash);
    const stale = await platformError(
      client.views.publish({ user_id: 'U1', view: home, hash: first.view?.hash }),
    );
    expect(stale.error).toBe('hash_conflict');
  });

  it('surfaces injected 429s as WebAPIRateLimitedError with retryAfter', async () => {
    const { fake, client } = await setup({}, { rejectRateLimitedCalls: true });
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const err = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(fake.calls.at(-1)).toMatchObject({
      method: 'chat.postMessage',
      ok: false,
      status: 429,
      error: 'ratelimited',
    });
    // The injection is one-shot: the next call goes through.
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('surfaces injected 500s as WebAPIHTTPError and injected errors as platform errors', async () => {
    const { fake, client } = await setup();
    fake.failNext('users.info', { status: 500 });
    fake.failNext('users.info', { error: 'fatal_error' });
    const err = await client.users.info({ user: 'U1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIHTTPError);
    expect((err as WebAPIHTTPError).statusCode).toBe(500);
    expect((await platformError(client.users.info({ user: 'U1' }))).error).toBe('fatal_error');
    const user = await client.users.info({ user: 'U1' });
    expect(user.user).toMatchObject({
      id: 'U1',
      name: 'alice',
      tz: 'Europe/Berlin',
      profile: { display_name: 'alice' },
    });
    expect([3600, 7200]).toContain(user.user?.tz_offset);
    expect(fake.callsTo('users.info').map((c) => c.status)).toEqual([500, 200, 200]);
  });

  it('models channel visibility and membership', async () => {
    const { client } = await setup();
    const noBot = await platformError(client.chat.postMessage({ channel: 'G0NOBOT', text: 'x' }));
    expect(noBot.error).toBe('not_in_channel');
    await expect(client.chat.postMessage({ channel: 'G0SECRET', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
    const info = await client.conversations.info({ channel: 'G0SECRET' });
    expect(info.channel).toMatchObject({ id: 'G0SECRET', is_private: true, is_group: true, is_member: true });
    expect((await platformError(client.conversations.info({ channel: 'G0NOBOT' }))).error).toBe(
      'channel_not_found',
    );
    expect((await platformError(client.conversations.info({ channel: 'C0NONE' }))).error).toBe(
      'channel_not_found',
    );
    const eph = await platformError(
      client.chat.postEphemeral({ channel: 'G0SECRET', user: 'U2', text: 'x' }),
    );
    expect(eph.error).toBe('user_not_in_channel');
  });

  it('opens a stable DM per user and lets the bot post there', async () => {
    const { fake, client } = await setup();
    const a = await client.conversations.open({ users: 'U1' });
    const b = await client.conversations.open({ users: 'U1' });
    expect(a.channel?.id).toMatch(/^D/);
    expect(b.channel?.id).toBe(a.channel?.id);
    expect(fake.dmChannelId('U1')).toBe(a.channel?.id);
    await client.chat.postMessage({ channel: a.channel?.id as string, text: 'hello' });
    expect(fake.messages(a.channel?.id as string).map((m) => m.text)).toEqual(['hello']);
    expect((await platformError(client.conversations.open({ users: 'U404' }))).error).toBe('user_not_found');
  });

  it('accepts JSON bodies and rejects malformed JSON form fields', async () => {
    const { fake } = await setup();
    const post = (method: string, body: string, contentType: string) =>
      fetch(`${fake.apiUrl}${method}`, {
        method: 'POST',
        headers: { authorization: 'Bearer xoxb-json', 'content-type': contentType },
        body,
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const json = await post(
      'chat.postMessage',
      JSON.stringify({ channel: 'U1', text: 'dm by user id' }),
      'application/json',
    );
    expect(json).toMatchObject({ ok: true, channel: fake.dmChannelId('U1') });
    const form = await post(
      'chat.postMessage',
      'channel=C0PUBLIC&text=x&blocks=%5Bnope',
      'application/x-www-form-urlencoded',
    );
    expect(form).toEqual({ ok: false, error: 'invalid_blocks_format' });
    expect(fake.calls.map((c) => c.token)).toEqual(['xoxb-json', 'xoxb-json']);
  });

  it('rejects missing tokens, wrong token types and unknown methods', async () => {
    const { fake } = await setup();
    const anonymous = new WebClient(undefined, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: silentLogger(),
    });
    expect((await platformError(anonymous.auth.test())).error).toBe('not_authed');
    const appLevel = new WebClient('xapp-1', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: silentLogger(),
    });
    expect((await platformError(appLevel.chat.postMessage({ channel: 'C0PUBLIC', text: 'x' }))).error).toBe(
      'not_allowed_token_type',
    );
    const bot = new WebClient('xoxb-1', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: silentLogger(),
    });
    expect((await platformError(bot.apiCall('chat.frobnicate'))).error).toBe('unknown_method');
    expect((await platformError(bot.apps.connections.open())).error).toBe('not_allowed_token_type');
  });

  it('accepts up to 5 POSTs per response_url and applies replace_original', async () => {
    const { fake, client } = await setup();
    const posted = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'original' });
    const url = fake.responseUrl({ channel: 'C0PUBLIC', messageTs: posted.ts as string, userId: 'U1' });
    const post = (body: object) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ replace_original: true, text: 'replaced' })).status).toBe(200);
    expect(fake.messages('C0PUBLIC')[0]?.text).toBe('replaced');
    for (let i = 0; i < 4; i++) expect((await post({ text: `eph ${i}` })).status).toBe(200);
    const sixth = await post({ text: 'too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.text()).toBe('used_url');
    expect(fake.responses()).toHaveLength(5);
    expect(fake.ephemerals('C0PUBLIC').map((e) => e.text)).toEqual(['eph 0', 'eph 1', 'eph 2', 'eph 3']);
  });

  it('waitFor resolves once the condition holds and explains timeouts', async () => {
    const { fake, client } = await setup();
    setTimeout(() => void client.chat.postMessage({ channel: 'C0PUBLIC', text: 'later' }), 30);
    const msg = await fake.waitFor(() => fake.messages('C0PUBLIC')[0]);
    expect(msg.text).toBe('later');
    await expect(fake.waitFor(() => false, 50, 'nothing')).rejects.toThrow(
      /waitFor\(nothing\) timed out after 50ms.*chat\.postMessage/,
    );
  });
});

describe('FakeSlack scheduled messages', () => {
  const T0 = Date.parse('2026-12-01T12:00:00Z');

  it('schedules in the future only (120 days at most), lists, withdraws (not within 60 s of its time), and posts at post_at on its clock', async () => {
    let now = T0;
    const { fake, client } = await setup({ now: () => now });
    const at = T0 / 1000 + 3600;
    expect(
      (
        await platformError(
          client.chat.scheduleMessage({ channel: 'C0PUBLIC', text: 'x', post_at: T0 / 1000 - 1 }),
        )
      ).error,
    ).toBe('time_in_past');
    expect(
      (
        await platformError(
          client.chat.scheduleMessage({ channel: 'C0PUBLIC', text: 'x', post_at: T0 / 1000 + 121 * 86_400 }),
        )
      ).error,
    ).toBe('time_too_far');
    const a = await client.chat.scheduleMessage({ channel: 'C0PUBLIC', text: 'first', post_at: at });
    const b = await client.chat.scheduleMessage({ channel: 'C0PUBLIC', text: 'second', post_at: at + 60 });
    const list = await client.chat.scheduledMessages.list({ channel: 'C0PUBLIC' });
    expect(list.scheduled_messages?.map((m) => [m.id, m.text, m.post_at])).toEqual([
      [a.scheduled_message_id, 'first', at],
      [b.scheduled_message_id, 'second', at + 60],
    ]);
    // Within the last minute Slack no longer deletes it.
    now = (at - 30) * 1000;
    expect(
      (
        await platformError(
          client.chat.deleteScheduledMessage({
            channel: 'C0PUBLIC',
            scheduled_message_id: a.scheduled_message_id as string,
          }),
        )
      ).error,
    ).toBe('invalid_scheduled_message_id');
    await client.chat.deleteScheduledMessage({
      channel: 'C0PUBLIC',
      scheduled_message_id: b.scheduled_message_id as string,
    });
    now = (at + 5) * 1000;
    expect(fake.messages('C0PUBLIC').map((m) => [m.text, m.ts])).toEqual([['first', `${at}.000000`]]);
    expect(fake.scheduled()).toEqual([]);
    // Posted: it can no longer be withdrawn.
    expect(
      (
        await platformError(
          client.chat.deleteScheduledMessage({
            channel: 'C0PUBLIC',
            scheduled_message_id: a.scheduled_message_id as string,
          }),
        )
      ).error,
    ).toBe('invalid_scheduled_message_id');
  });

  it('loses what a test says to lose, and never posts one scheduled with metadata (Slack’s bug)', async () => {
    let now = T0;
    const { fake, client } = await setup({ now: () => now });
    const at = T0 / 1000 + 600;
    const lost = await client.chat.scheduleMessage({ channel: 'C0PUBLIC', text: 'lost', post_at: at });
    fake.loseScheduled(lost.scheduled_message_id);
    await client.chat.scheduleMessage({
      channel: 'C0PUBLIC',
      text: 'with metadata',
      post_at: at,
      metadata: { event_type: 'x', event_payload: {} },
    });
    await client.chat.scheduleMessage({ channel: 'C0PUBLIC', text: 'kept', post_at: at });
    now = (at + 1) * 1000;
    expect(fake.messages('C0PUBLIC').map((m) => m.text)).toEqual(['kept']);
  });

  it('can fail a call after carrying it out (the answer lost on the way back)', async () => {
    const { fake, client } = await setup();
    fake.failNext('chat.postMessage', { status: 500, after: true });
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'landed' })).rejects.toBeInstanceOf(
      WebAPIHTTPError,
    );
    expect(fake.messages('C0PUBLIC').map((m) => m.text)).toEqual(['landed']);
  });
});
