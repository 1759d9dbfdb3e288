import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createGate, type RouteTable } from '../../src/slack/payloads.js';

const routes: RouteTable = {
  command: '/srp',
  actionIds: new Set(['srp_approve', 'srp_sev_answer']),
  callbackIds: new Set(['srp_new']),
};
const gate = createGate(routes, createLogger('silent'));

// slack-platform.md §8, as Slack sends them, extra fields and all.
const blockActions = {
  type: 'block_actions',
  api_app_id: 'A1',
  token: '…',
  trigger_id: '…',
  team: { id: 'T1', domain: 'x' },
  enterprise: null,
  is_enterprise_install: false,
  user: { id: 'U1', username: 'u', name: 'u', team_id: 'T1' },
  container: { type: 'message', message_ts: '123.456', channel_id: 'C1', is_ephemeral: false },
  channel: { id: 'C1', name: 'x' },
  message: { type: 'message', ts: '123.456', text: '…', blocks: [] },
  response_url: 'https://hooks.slack.com/actions/…',
  state: { values: {} },
  actions: [
    {
      type: 'button',
      action_id: 'srp_approve',
      block_id: 'b1',
      value: '42',
      text: { type: 'plain_text', text: 'Approve' },
      action_ts: '1700000000.1',
    },
  ],
};
const viewSubmission = {
  type: 'view_submission',
  team: { id: 'T1', domain: 'x' },
  user: { id: 'U1', name: 'u', team_id: 'T1' },
  api_app_id: 'A1',
  token: '…',
  trigger_id: '…',
  is_enterprise_install: false,
  enterprise: null,
  response_urls: [],
  view: {
    id: 'V1',
    type: 'modal',
    callback_id: 'srp_new',
    private_metadata: '{"incidentId":"SRP-2026-001"}',
    hash: '1569362015.55b5e41b',
    root_view_id: 'V1',
    previous_view_id: null,
    app_id: 'A1',
    bot_id: 'B1',
    team_id: 'T1',
    title: {},
    submit: {},
    close: {},
    blocks: [],
    clear_on_close: false,
    notify_on_close: false,
    state: { values: { b: { a: { type: 'plain_text_input', value: 'text' } } } },
  },
};
const appHomeOpened = {
  token: '…',
  team_id: 'T1',
  api_app_id: 'A1',
  type: 'event_callback',
  event_id: 'Ev1',
  event_time: 1700000000,
  authorizations: [{ team_id: 'T1', user_id: 'UB', is_bot: true, is_enterprise_install: false }],
  event: {
    type: 'app_home_opened',
    user: 'U1',
    channel: 'D1',
    tab: 'home',
    event_ts: '1700000000.000100',
    view: {},
  },
};

describe('the edge gate', () => {
  it('takes the documented payloads, with every field Slack adds', () => {
    expect(gate(blockActions)).toEqual({ pass: true, kind: 'block_actions' });
    expect(gate(viewSubmission)).toEqual({ pass: true, kind: 'view_submission' });
    expect(gate(appHomeOpened)).toEqual({ pass: true, kind: 'event_callback' });
  });

  it('judges a body as the kind Bolt would dispatch it as, so the schema checked is the one that matters', () => {
    // Bolt reads `command` before `type`: this view_submission would reach the slash command listener.
    expect(gate({ ...viewSubmission, command: '/srp' })).toMatchObject({
      status: 400,
      reason: /slash_command/,
    });
    // And `name` makes it an options request, which srp has no listener for.
    expect(gate({ ...blockActions, name: 'x' })).toMatchObject({ status: 404 });
  });

  it('never throws, whatever the body holds', () => {
    const poisoned = { type: { toString: 1, valueOf: 2 }, actions: [{ action_id: { toString: 1 } }] };
    expect(gate(poisoned)).toMatchObject({ status: 400 });
    expect(gate(JSON.parse('{"__proto__":{"type":"block_actions"},"actions":[]}'))).toMatchObject({
      status: 400,
    });
    for (const body of [null, undefined, 0, '', [], 'null', true])
      expect(gate(body)).toMatchObject({ status: 400 });
  });

  it('acks Slack’s retries of events and events srp does not subscribe to, without passing them on', () => {
    expect(gate(appHomeOpened, 1)).toMatchObject({ status: 200, reason: 'ignoring a Slack retry' });
    expect(gate({ ...appHomeOpened, event: { type: 'reaction_added', item: 'x' } })).toMatchObject({
      status: 200,
    });
    // Retry headers mean nothing on interactivity: the request is judged as usual.
    expect(gate(blockActions, 1)).toEqual({ pass: true, kind: 'block_actions' });
  });

  it('takes a retried message (the leak watcher’s alert is keyed by the message), and checks an edit’s shape', () => {
    const message = {
      ...appHomeOpened,
      event: { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'hi', ts: '1.2' },
    };
    expect(gate(message, 1)).toEqual({ pass: true, kind: 'event_callback' });
    const edit = { type: 'message', subtype: 'message_changed', channel: 'C1', ts: '1.3', hidden: true };
    expect(gate({ ...appHomeOpened, event: edit })).toMatchObject({
      status: 400,
      reason: /message event: event\.message: an edit carries the edited message/,
    });
    expect(
      gate({ ...appHomeOpened, event: { ...edit, message: { ts: '1.2', text: 'hi', user: 'U1' } } }),
    ).toEqual({ pass: true, kind: 'event_callback' });
  });

  it('answers url_verification with its challenge, and a known view_closed with a plain ack', () => {
    expect(gate({ type: 'url_verification', challenge: 'c', token: 't' })).toMatchObject({
      status: 200,
      answer: { challenge: 'c' },
    });
    expect(
      gate({ type: 'view_closed', user: { id: 'U1' }, view: { id: 'V1', callback_id: 'srp_new' } }),
    ).toMatchObject({ status: 200 });
  });
});
