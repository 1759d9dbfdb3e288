import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TAKE_SHIFT_ACTION } from '../../src/views/oncall.js';
import { REPORT_CALLBACK } from '../../src/views/reportModal.js';
import { SEVERITY_ANSWER_ACTION, SEVERITY_CALLBACK, SEVERITY_OPEN_ACTION } from '../../src/views/severity.js';
import {
  asForm,
  asJson,
  asPayload,
  contextIn,
  FORM,
  JSON_TYPE,
  sendSigned,
  type Wire,
  wellFormed,
  withField,
} from '../support/edgeRequests.js';
import { ADMIN, type Harness, reportValues, SOCKET_MODE, startHarness } from './harness.js';

/** What srp says to a signed request Slack would never send, and whether it is still up afterwards. */
describe('the edge: malformed and unrouted requests', () => {
  let h: Harness;
  let make: ReturnType<typeof wellFormed>;
  beforeEach(async () => {
    h = await startHarness();
    make = wellFormed(contextIn(h.fake, ADMIN));
  });
  afterEach(async () => {
    await h.stop();
  });

  const send = (wire: Wire) => sendSigned(h.driver, wire);
  async function stillServing() {
    expect((await fetch(`http://127.0.0.1:${h.srp.port}/healthz`)).status).toBe(200);
    const help = await h.driver.command('help', { userId: ADMIN });
    expect(help.status).toBe(200);
    expect(help.json.text).toMatch(/srp/);
  }

  it('answers a signed JSON null with 400 and keeps serving /healthz and /srp', async () => {
    const res = await send({ body: 'null', contentType: JSON_TYPE });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/not an object/);
    await stillServing();
  });

  it('answers a signed form whose payload is null with 400', async () => {
    const res = await send({ body: 'payload=null', contentType: FORM });
    expect(res.status).toBe(400);
    await stillServing();
  });

  it('still checks the signature first: an unsigned null is 401, as before', async () => {
    const res = await h.driver.raw('null', { 'content-type': JSON_TYPE });
    expect(res.status).toBe(401);
  });

  it('takes the well-formed request of every kind (the controls for the cases below)', async () => {
    for (const wire of [
      asForm(make.command('help')),
      asPayload(make.blockAction(TAKE_SHIFT_ACTION, '0')),
      asPayload(make.viewAction(SEVERITY_ANSWER_ACTION, JSON.stringify({ incidentId: 'SRP-2026-001' }))),
      asPayload(make.viewSubmission(REPORT_CALLBACK, reportValues())),
      asPayload(make.viewClosed(REPORT_CALLBACK)),
      asJson(make.appHomeOpened()),
      asJson(make.message()),
    ]) {
      const res = await send(wire);
      expect([res.status, wire.body.slice(0, 60)]).toEqual([200, wire.body.slice(0, 60)]);
    }
  });

  // Each case breaks one well-formed request in one place.
  // Each case breaks one well-formed request in one place: `path` set to `to` (undefined removes it).
  type Path = (string | number)[];
  const command = (path: Path, to: unknown) => () =>
    asForm(withField(make.command(), path, to) as Record<string, unknown>);
  const click =
    (path: Path, to: unknown, actionId = TAKE_SHIFT_ACTION) =>
    () =>
      asPayload(withField(make.blockAction(actionId), path, to));
  const submission = (path: Path, to: unknown) => () =>
    asPayload(withField(make.viewSubmission(REPORT_CALLBACK), path, to));
  const withMetadata = (metadata: string) => () =>
    asPayload(make.viewSubmission(SEVERITY_CALLBACK, {}, metadata));
  const homeOpened = (path: Path, to: unknown) => () => asJson(withField(make.appHomeOpened(), path, to));
  const message = (path: Path, to: unknown) => () => asJson(withField(make.message(), path, to));
  const cases: Array<[string, () => Wire, RegExp]> = [
    ['a command without text', command(['text'], undefined), /text/],
    ['a command without user_id', command(['user_id'], undefined), /user_id/],
    ['a command with text twice', command(['text'], ['help', 'status']), /text/],
    ['a form that is no payload', () => asForm({ hello: 'world' }), /not a kind/],
    ['a body that does not parse', () => ({ body: '{"type":', contentType: JSON_TYPE }), /does not parse/],
    [
      'a form sent with a charset',
      () => ({ ...command([], undefined)(), contentType: `${FORM}; charset=utf-8` }),
      /does not parse/,
    ],
    ['a JSON array', () => asJson([make.appHomeOpened()]), /not an object/],
    ['a payload that is a string', () => asPayload('block_actions'), /not an object/],
    ['an action without user', click(['user'], undefined), /user/],
    ['an action whose user is null', click(['user'], null), /user/],
    ['actions that are not an array', click(['actions'], TAKE_SHIFT_ACTION), /actions/],
    ['actions that are empty', click(['actions'], []), /actions/],
    ['an action value that is a number', click(['actions', 0, 'value'], 3), /actions\.0\.value/],
    [
      'an incident id that is a number',
      click(['actions', 0, 'value'], 2026001, SEVERITY_OPEN_ACTION),
      /value/,
    ],
    ['a message action without its response_url', click(['response_url'], undefined), /response_url/],
    ['a message action with an empty response_url', click(['response_url'], ''), /response_url/],
    [
      'a view action whose view is null',
      () => asPayload(withField(make.viewAction(SEVERITY_ANSWER_ACTION), ['view'], null)),
      /view/,
    ],
    [
      'a click claiming a workflow function',
      click(['function_data'], { execution_id: 'Fx1' }),
      /function_data/,
    ],
    ['a submission whose view is null', submission(['view'], null), /view/],
    ['a submission without blocks', submission(['view', 'blocks'], undefined), /view\.blocks/],
    ['a submission without a view id', submission(['view', 'id'], undefined), /view\.id/],
    [
      'a submission whose metadata is not JSON',
      withMetadata('{incidentId: SRP-2026-001'),
      /private_metadata/,
    ],
    [
      'a submission whose incident id is a number',
      withMetadata(JSON.stringify({ incidentId: 2026001 })),
      /private_metadata/,
    ],
    [
      'a submission whose input value is a number',
      submission(['view', 'state', 'values', 'summary'], { value: { value: 42 } }),
      /summary\.value\.value/,
    ],
    [
      'a submission whose response_urls is no list',
      submission(['response_urls'], { length: 1 }),
      /response_urls/,
    ],
    [
      'a view_closed without its view',
      () => asPayload(withField(make.viewClosed(REPORT_CALLBACK), ['view'], undefined)),
      /view/,
    ],
    ['an event that is null', homeOpened(['event'], null), /event/],
    ['app_home_opened without its user', homeOpened(['event', 'user'], undefined), /event\.user/],
    ['a message event whose channel is a number', message(['event', 'channel'], 5), /event\.channel/],
    ['a message event whose subteam is null', message(['event', 'subteam'], null), /event\.subteam/],
    ['an envelope whose authorization is null', message(['authorizations'], [null]), /authorizations/],
    [
      'a url_verification without its challenge',
      () => asJson({ type: 'url_verification', token: 't' }),
      /challenge/,
    ],
  ];

  it.each(cases)('answers %s with 400 and a short reason', async (_name, wire, reason) => {
    const res = await send(wire());
    expect(res.status).toBe(400);
    expect(res.text).toMatch(reason);
    expect(res.text.length).toBeLessThanOrEqual(200);
  });

  it('reaches no handler and no Slack call with any of them, and logs no body', async () => {
    const before = h.fake.calls.length;
    for (const [, wire] of cases) await send(wire());
    await stillServing();
    expect(h.fake.calls.slice(before).map((c) => c.method)).toEqual([]);
    expect(h.logs.text()).toContain('refused a malformed Slack request');
    expect(h.logs.text()).not.toContain('SRP-2026-001');
    expect(h.logs.text()).not.toContain('Path traversal');
  });

  it('answers an unknown command, action_id or callback_id with 404 at once, not after 3 seconds', async () => {
    for (const wire of [
      asForm(make.command('help', '/other')),
      asPayload(make.blockAction('srp_no_such_action')),
      asPayload(make.viewSubmission('srp_no_such_view', {})),
      asPayload(make.viewClosed('srp_no_such_view')),
      asPayload({ type: 'shortcut', callback_id: 'x', user: { id: ADMIN }, trigger_id: 't' }),
      asPayload({ type: 'block_suggestion', action_id: 'x', value: 'a', user: { id: ADMIN } }),
    ]) {
      const res = await send(wire);
      expect(res.status).toBe(404);
      expect(res.ms).toBeLessThan(500);
    }
  });

  it('acks with 200 events srp does not subscribe to, so Slack does not retry them', async () => {
    const res = await send(asJson(make.event({ type: 'reaction_added', item: 'not even an object' })));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(500);
  });

  it('answers url_verification and ssl_check itself, the ssl_check unsigned as Bolt does', async () => {
    const challenge = await send(asJson({ type: 'url_verification', token: 't', challenge: 'c-123' }));
    expect([challenge.status, challenge.json]).toEqual([200, { challenge: 'c-123' }]);
    const ssl = await h.driver.raw('ssl_check=1&token=x', { 'content-type': FORM });
    expect([ssl.status, ssl.text]).toEqual([200, '']);
  });

  it('answers a request target that is not a URL with 400, and keeps running', async () => {
    const { connect } = await import('node:net');
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(h.srp.port, '127.0.0.1', () =>
        socket.write('GET // HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      socket.once('data', (d) => {
        resolve(String(d).split('\r\n')[0] ?? '');
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    await stillServing();
  });
});

/** The same gate between SocketModeReceiver and Bolt: refused envelopes are acked empty and go no further. */
describe('the edge over Socket Mode', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ env: SOCKET_MODE });
    await h.fake.socket.waitForConnection();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('acks malformed and unrouted envelopes empty, reaches no handler, and keeps serving', async () => {
    const make = wellFormed(contextIn(h.fake, ADMIN));
    const before = h.fake.calls.length;
    for (const [type, payload] of [
      ['interactive', null],
      ['interactive', withField(make.blockAction(TAKE_SHIFT_ACTION), ['user'], undefined)],
      ['interactive', withField(make.viewSubmission(REPORT_CALLBACK), ['view', 'blocks'], undefined)],
      ['interactive', withField(make.viewSubmission(REPORT_CALLBACK), ['view', 'id'], undefined)],
      ['interactive', make.blockAction('srp_no_such_action')],
      ['slash_commands', withField(make.command('report'), ['text'], undefined)],
      ['slash_commands', make.command('report', '/other')],
      ['events_api', withField(make.appHomeOpened(), ['event', 'user'], 5)],
    ] as const) {
      const ack = await h.fake.socket.send(type, payload as object);
      expect(ack.payload).toEqual({});
    }
    expect(h.fake.calls.slice(before).map((c) => c.method)).toEqual([]);
    expect(h.logs.text()).toContain('refused a malformed Slack request');
    expect(h.logs.text()).toContain('no route for a Slack request');
    const help = await h.fake.socket.send('slash_commands', make.command('help'));
    expect(JSON.stringify(help.payload)).toContain('/srp');
  });

  it('ignores Slack’s retry of an event, as over HTTP', async () => {
    const make = wellFormed(contextIn(h.fake, ADMIN));
    const ack = await h.fake.socket.send('events_api', make.appHomeOpened(), { retryAttempt: 1 });
    expect(ack.payload).toEqual({});
    expect(h.logs.text()).toContain('ignoring a Slack retry');
  });
});
