import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { preflight, StartupError } from '../../src/slack/preflight.js';
import { configFrom, SECURITY, testEnv, workspace } from '../integration/harness.js';
import { FakeSlack, type FakeSlackOptions } from '../support/fakeSlack.js';
import { closedPort } from '../support/ports.js';
import { silentLogger } from '../support/silentLogger.js';

/** A client as srp.ts builds it (no retries of its own), with the given token and Slack URL. */
function client(apiUrl: string, token = 'xoxb-test-token', timeout = 10_000) {
  return new WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    logger: silentLogger(),
    timeout,
  });
}

const quick = { retryDelaysMs: [5, 5] };

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function startFake(opts: FakeSlackOptions = {}) {
  fake = await FakeSlack.start({ ...workspace(), ...opts });
  return { fake, config: configFrom(testEnv(fake, 'unused.db')) };
}

/** What preflight threw: it must be a StartupError, one line for the operator. */
async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StartupError);
  const message = (err as StartupError).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('preflight', () => {
  it('passes against a Slack that knows the token and the private security channel', async () => {
    const { fake, config } = await startFake();
    await expect(preflight(client(fake.apiUrl), config, quick)).resolves.toEqual({
      botId: fake.botId,
      botUserId: fake.botUserId,
      // The workspace's address, for links to messages (the leak watcher's alerts).
      url: 'https://fake-workspace.slack.com/',
    });
  });

  it('says it could not reach Slack, and where, when nothing listens at SLACK_API_URL, after trying 3 times', async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}/api/`;
    const { config } = await startFake();
    const message = await refusal(
      preflight(client(apiUrl), { ...config, slack: { ...config.slack, apiUrl } }, quick),
    );
    expect(message).toBe(
      `Could not reach Slack at ${apiUrl} (auth.test: ECONNREFUSED, 3 tries): check the network or SLACK_API_URL.`,
    );
  });

  it('says Slack rejected SLACK_BOT_TOKEN when Slack answers invalid_auth, at once and without retrying', async () => {
    const { fake, config } = await startFake({ botToken: 'xoxb-the-real-one' });
    const message = await refusal(preflight(client(fake.apiUrl, 'xoxb-a-revoked-one'), config, quick));
    expect(message).toMatch(/^Slack rejected SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)\. Check the token/);
    expect(message).toContain(`SLACK_API_URL (${fake.apiUrl})`);
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('tries again after an HTTP 5xx or a timeout, and starts when Slack answers', async () => {
    const { fake, config } = await startFake();
    fake.failNext('auth.test', { status: 500 });
    fake.delayNext('auth.test', 500);
    await expect(preflight(client(fake.apiUrl, undefined, 200), config, quick)).resolves.toMatchObject({
      botUserId: fake.botUserId,
    });
    expect(fake.arrived.filter((m) => m === 'auth.test')).toHaveLength(3);
  });

  it('counts an HTTP 5xx that lasts, or a timeout, as Slack not reached, and names the call', async () => {
    const { fake, config } = await startFake();
    fake.failNext('auth.test', { status: 500 }, 3);
    expect(await refusal(preflight(client(fake.apiUrl), config, quick))).toBe(
      `Could not reach Slack at ${fake.apiUrl} (auth.test: HTTP 500 Internal Server Error, 3 tries): check the network or SLACK_API_URL.`,
    );
    for (let i = 0; i < 3; i++) fake.delayNext('conversations.info', 400);
    expect(await refusal(preflight(client(fake.apiUrl, undefined, 100), config, quick))).toBe(
      `Could not reach Slack at ${fake.apiUrl} (conversations.info: timed out, 3 tries): check the network or SLACK_API_URL.`,
    );
  });

  it("tells an error on Slack's side apart from a rejected token", async () => {
    const { fake, config } = await startFake();
    fake.failNext('auth.test', { error: 'service_unavailable' }, 3);
    expect(await refusal(preflight(client(fake.apiUrl), config, quick))).toBe(
      `Slack at ${fake.apiUrl} failed to answer (auth.test: service_unavailable, 3 tries), an error on Slack's side: try again shortly.`,
    );
  });

  it('still explains a security channel Slack answers about: one it cannot see, or one that is public', async () => {
    const { fake, config } = await startFake();
    const hidden = { ...config, securityChannel: 'GNOTINVITED' };
    expect(await refusal(preflight(client(fake.apiUrl), hidden, quick))).toMatch(
      /^srp cannot see SRP_SECURITY_CHANNEL \(GNOTINVITED\)\. Invite the app/,
    );
    expect(fake.callsTo('conversations.info')).toHaveLength(1);
    fake.addChannel({ id: SECURITY, name: 'src-private', is_private: false });
    expect(await refusal(preflight(client(fake.apiUrl), config, quick))).toMatch(
      /^Refusing to start: SRP_SECURITY_CHANNEL \(GSECURITY1, #src-private\) is not a private channel/,
    );
  });
});
