import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slashCommandForm, viewSubmissionPayload } from '../support/payloads.js';
import { ADMIN, type Harness, OUTSIDER, reportValues, SECURITY, startHarness } from './harness.js';

/** The intake scenario again, over Socket Mode: envelopes pushed through the fake's WebSocket, acked by id. */
describe('intake over Socket Mode', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ env: { SLACK_APP_TOKEN: 'xapp-1-A0FAKE-1-secret', SLACK_SIGNING_SECRET: '' } });
    await h.fake.socket.waitForConnection();
  });
  afterEach(async () => {
    await h.stop();
  });

  const ctx = () => ({ teamId: h.fake.teamId, apiAppId: h.fake.appId });
  const command = (text: string, userId: string) =>
    slashCommandForm({
      ctx: ctx(),
      user: { id: userId },
      text,
      channelId: h.fake.dmChannelId(userId),
      triggerId: h.fake.issueTriggerId(userId),
      responseUrl: h.fake.responseUrl({ userId }),
    });

  it('opens the modal, answers bad input inline, and turns a good report into one incident and one card', async () => {
    expect(h.fake.okCallsTo('apps.connections.open')).toHaveLength(1);
    const ack = await h.fake.socket.send('slash_commands', command('report', OUTSIDER));
    expect(ack.envelope_id).toBeTruthy();
    const open = await h.fake.waitFor(() => h.fake.okCallsTo('views.open').at(-1));
    const viewId = (open.response as { view: { id: string } }).view.id;
    const wire = h.fake.wireView(viewId) as Record<string, unknown> & { id: string };

    const submit = (values: Record<string, Record<string, object>>) =>
      h.fake.socket.send(
        'interactive',
        viewSubmissionPayload({
          ctx: ctx(),
          user: { id: OUTSIDER },
          view: wire,
          values,
          triggerId: h.fake.issueTriggerId(OUTSIDER),
        }),
      );
    const bad = await submit(reportValues({ components: { type: 'plain_text_input', value: ' ' } }));
    expect(bad.payload).toEqual({
      response_action: 'errors',
      errors: { components: expect.stringMatching(/component/) },
    });

    await submit(reportValues());
    await h.fake.waitFor(
      () =>
        h.fake.messages(SECURITY).length === 1 && h.fake.messages(h.fake.dmChannelId(OUTSIDER)).length === 1,
    );
    expect(h.srp.services.incidents.listOpen()).toHaveLength(1);

    const status = await h.fake.socket.send('slash_commands', command('status', ADMIN));
    expect(JSON.stringify(status.payload)).toMatch(/SRP-\d{4}-001/);
    const denied = await h.fake.socket.send('slash_commands', command('status', OUTSIDER));
    expect(denied.payload).toEqual({
      response_type: 'ephemeral',
      text: expect.stringMatching(/Security Response Committee/),
    });
  });
});
