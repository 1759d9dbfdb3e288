import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionRoutes, commandRoutes, viewRoutes } from '../../src/slack/routes.js';
import { slashCommandForm } from '../support/payloads.js';
import {
  ADMIN,
  fileReport,
  type Harness,
  OUTSIDER,
  reportValues,
  SECURITY,
  SIGNING_SECRET,
  startHarness,
} from './harness.js';

describe('request verification and roles', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  function signedReportCommand() {
    return new URLSearchParams(
      slashCommandForm({
        ctx: { teamId: h.fake.teamId, apiAppId: h.fake.appId },
        user: { id: ADMIN },
        text: 'report',
        channelId: SECURITY,
        triggerId: h.fake.issueTriggerId(ADMIN),
        responseUrl: h.fake.responseUrl({ channel: SECURITY, userId: ADMIN }),
      }),
    ).toString();
  }

  it('rejects a forged signature with 401 and does nothing', async () => {
    const body = signedReportCommand();
    const headers = h.driver.sign(body);
    headers['x-slack-signature'] = `v0=${'0'.repeat(64)}`;
    const res = await h.driver.raw(body, headers);
    expect(res.status).toBe(401);
    expect(h.fake.callsTo('views.open')).toEqual([]);
  });

  it('rejects a body signed with another secret', async () => {
    const { SlackDriver } = await import('../support/slackDriver.js');
    const impostor = new SlackDriver({
      baseUrl: `http://127.0.0.1:${h.srp.port}`,
      signingSecret: 'not-it',
      fake: h.fake,
    });
    const res = await impostor.command('report', { userId: ADMIN });
    expect(res.status).toBe(401);
    expect(SIGNING_SECRET).not.toBe('not-it');
    expect(h.fake.callsTo('views.open')).toEqual([]);
  });

  it('rejects a correctly signed but stale request (over 5 minutes old) with 401', async () => {
    const body = signedReportCommand();
    const res = await h.driver.raw(body, h.driver.sign(body, Math.floor(Date.now() / 1000) - 6 * 60));
    expect(res.status).toBe(401);
    expect(h.fake.callsTo('views.open')).toEqual([]);
  });

  it('ignores a Slack retry of an event delivery', async () => {
    const res = await h.driver.event(
      { type: 'app_home_opened', user: ADMIN, channel: 'D1', tab: 'home' },
      { retryNum: 1 },
    );
    expect(res.status).toBe(200);
    expect(h.logs.text()).toContain('ignoring a Slack retry');
  });

  it('denies every member-only command to a non-member without revealing anything', async () => {
    const memberOnly = commandRoutes.filter((r) => r.access !== 'anyone');
    expect(memberOnly.map((r) => r.name)).toContain('status');
    const view = await openAndSubmitReport(h);
    for (const route of memberOnly) {
      const res = await h.driver.command(route.name, { userId: OUTSIDER });
      expect(res.json).toEqual({
        response_type: 'ephemeral',
        text: expect.stringMatching(/Security Response Committee/),
      });
      expect(res.text).not.toContain(view.incidentId);
    }
  });

  it('denies every member-only button to a non-member', async () => {
    const { incidentId } = await openAndSubmitReport(h);
    const memberOnly = actionRoutes.filter((r) => r.access !== 'anyone');
    expect(memberOnly.length).toBeGreaterThan(0);
    for (const route of memberOnly) {
      const before = h.fake.calls.length;
      // Forged clicks: the element need not be on the card, so the block id is given explicitly.
      const res = await h.driver.blockAction({
        userId: OUTSIDER,
        actionId: route.actionId,
        channelId: SECURITY,
        messageTs: h.fake.messages(SECURITY)[0]?.ts,
        blockId: `card:${incidentId}`,
        value: incidentId,
        selectedUser: OUTSIDER,
      });
      expect(res.status).toBe(200);
      await h.fake.waitFor(() =>
        h.fake.responses().some((r) => JSON.stringify(r.body).includes('Security Response Committee')),
      );
      const after = h.fake.calls.slice(before).map((c) => c.method);
      expect(after.filter((m) => m === 'views.open' || m.startsWith('chat.'))).toEqual([]);
    }
  });

  it('denies every member-only modal submission to a non-member and changes nothing', async () => {
    const { incidentId } = await openAndSubmitReport(h);
    const eventsBefore = h.srp.services.incidents.timeline(incidentId).length;
    const memberOnly = viewRoutes.filter((r) => r.access !== 'anyone');
    expect(memberOnly.map((r) => r.callbackId)).toContain('srp_report_edit');
    for (const route of memberOnly) {
      // A non-member forging a submission of a view they were never shown.
      const res = await h.driver.viewSubmission({
        userId: OUTSIDER,
        view: {
          id: 'VFORGED001',
          type: 'modal',
          callback_id: route.callbackId,
          private_metadata: JSON.stringify({ incidentId }),
          blocks: [
            {
              type: 'input',
              block_id: 'summary',
              label: { type: 'plain_text', text: 'x' },
              element: { type: 'plain_text_input', action_id: 'value' },
            },
          ],
        },
        values: reportValues({ summary: { type: 'plain_text_input', value: 'pwned' } }),
      });
      expect(res.json).toEqual({
        response_action: 'errors',
        errors: { summary: expect.stringMatching(/Security Response Committee/) },
      });
    }
    expect(h.srp.services.incidents.get(incidentId)?.summary).not.toBe('pwned');
    expect(h.srp.services.incidents.timeline(incidentId)).toHaveLength(eventsBefore);
  });

  it('lets a member see /srp status, and the answer is ephemeral', async () => {
    const { incidentId } = await openAndSubmitReport(h);
    const res = await h.driver.command('status', { userId: ADMIN, channelId: SECURITY });
    expect(res.json.response_type).toBe('ephemeral');
    expect(JSON.stringify(res.json.blocks)).toContain(incidentId);
    expect(JSON.stringify(res.json.blocks)).toMatch(/private disclosure/);
  });
});

const openAndSubmitReport = async (h: Harness) => ({ incidentId: await fileReport(h) });
