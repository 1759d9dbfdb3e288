// Requests to POST /slack/events as bytes on the wire: well-formed ones of every kind srp takes, the
// ways to break them, and fast-check generators mixing both. Shared by the edge tests, the property
// test and `npm run fuzz` (bench/fuzz.ts).
import { stringify } from 'node:querystring';
import fc from 'fast-check';
import { actionRoutes, commandRoutes, viewRoutes } from '../../src/slack/routes.js';
import { REPORT_CALLBACK } from '../../src/views/reportModal.js';
import type { FakeSlack } from './fakeSlack.js';
import {
  blockActionsPayload,
  eventCallback,
  type PayloadContext,
  slashCommandForm,
  viewSubmissionPayload,
} from './payloads.js';
import type { DriverResponse, SlackDriver } from './slackDriver.js';

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

/** A request body and the content type it is sent with. */
export interface Wire {
  body: string;
  contentType: string;
}

export const asForm = (fields: Record<string, unknown>): Wire => ({
  body: stringify(fields as Record<string, string>),
  contentType: FORM,
});
/** An interactivity payload as Slack sends it: JSON in the `payload` form field. */
export const asPayload = (payload: unknown): Wire => ({
  body: `payload=${encodeURIComponent(JSON.stringify(payload) ?? 'undefined')}`,
  contentType: FORM,
});
export const asJson = (body: unknown): Wire => ({
  body: JSON.stringify(body) ?? 'undefined',
  contentType: JSON_TYPE,
});

/** Sends a body correctly signed, as Slack would; returns the answer and how long it took. */
export async function sendSigned(driver: SlackDriver, wire: Wire): Promise<DriverResponse & { ms: number }> {
  const t0 = performance.now();
  const res = await driver.raw(wire.body, { ...driver.sign(wire.body), 'content-type': wire.contentType });
  return { ...res, ms: performance.now() - t0 };
}

/** What a well-formed request needs from the workspace it comes from. */
export interface RequestContext {
  ctx: PayloadContext;
  botUserId: string;
  userId: string;
  /** A response_url the fake answers (even once it is used up, it answers, with an error). */
  responseUrl: string;
}

/** The context of requests from `userId` in the fake's workspace. */
export function contextIn(fake: FakeSlack, userId: string): RequestContext {
  return {
    ctx: { teamId: fake.teamId, apiAppId: fake.appId },
    botUserId: fake.botUserId,
    userId,
    responseUrl: fake.responseUrl({ userId }),
  };
}

/** Well-formed requests of each kind srp takes; each is answered 200 (or 404 for an unknown route). */
export function wellFormed(r: RequestContext) {
  const message = { ts: '1700000000.000100', text: 'card', blocks: [] };
  const modal = (callbackId: string, metadata = '') => ({
    id: 'VEDGE00001',
    type: 'modal',
    callback_id: callbackId,
    private_metadata: metadata,
    hash: '1700000000.abcdef',
    blocks: [
      {
        type: 'input',
        block_id: 'summary',
        label: { type: 'plain_text', text: 'Summary' },
        element: { type: 'plain_text_input', action_id: 'value' },
      },
    ],
    state: { values: {} },
  });
  return {
    command: (text = 'help', command = '/srp') =>
      slashCommandForm({
        ctx: r.ctx,
        user: { id: r.userId },
        text,
        channelId: 'D0EDGE0001',
        command,
        triggerId: 'fake-trigger-edge',
        responseUrl: r.responseUrl,
      }) as Record<string, unknown>,
    blockAction: (actionId: string, value = 'SRP-2026-001') =>
      blockActionsPayload({
        ctx: r.ctx,
        user: { id: r.userId },
        action: { actionId, value },
        triggerId: 'fake-trigger-edge',
        source: { kind: 'message', channelId: 'C0EDGE0001', message, responseUrl: r.responseUrl },
      }),
    viewAction: (actionId: string, metadata = '') =>
      blockActionsPayload({
        ctx: r.ctx,
        user: { id: r.userId },
        action: { actionId, selectedOption: { value: 'network' } },
        triggerId: 'fake-trigger-edge',
        source: { kind: 'view', view: modal('srp_severity', metadata) },
      }),
    viewSubmission: (
      callbackId: string,
      values: Record<string, Record<string, object>> = {},
      metadata = '',
    ) =>
      viewSubmissionPayload({
        ctx: r.ctx,
        user: { id: r.userId },
        view: modal(callbackId, metadata),
        values,
        triggerId: 'fake-trigger-edge',
      }),
    viewClosed: (callbackId: string) => ({
      type: 'view_closed',
      team: { id: r.ctx.teamId, domain: 'fake' },
      user: { id: r.userId, team_id: r.ctx.teamId },
      api_app_id: r.ctx.apiAppId,
      view: modal(callbackId),
      is_cleared: false,
    }),
    event: (event: Record<string, unknown>) => eventCallback({ ctx: r.ctx, event, botUserId: r.botUserId }),
    appHomeOpened: () =>
      eventCallback({
        ctx: r.ctx,
        event: { type: 'app_home_opened', user: r.userId, channel: 'D0EDGE0001', tab: 'home' },
        botUserId: r.botUserId,
      }),
    message: () =>
      eventCallback({
        ctx: r.ctx,
        event: {
          type: 'message',
          channel: 'D0EDGE0001',
          channel_type: 'im',
          user: r.userId,
          text: 'hello',
          ts: '1700000000.000200',
        },
        botUserId: r.botUserId,
      }),
  };
}

/** A copy of `value` with the field at `path` set, or removed when `to` is undefined. */
export function withField(value: unknown, path: readonly (string | number)[], to: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null) return copy;
    at = next as Record<string | number, unknown>;
  }
  const last = path.at(-1) as string | number;
  if (to === undefined) delete at[last];
  else at[last] = to;
  return copy;
}

// ---------------------------------------------------------------------------------------------------
// Generators

/** Strings from empty to over Bolt's 4 MB body limit; long ones are cheap repeats. */
const anyString = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(3_001, 40_000, 1_000_000, 5_000_000).map((n) => 'A'.repeat(n)) },
);

/** A value to put where a field was: null, the wrong type, a huge string, nested junk, or nothing. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.boolean(),
  anyString,
  fc.constant([]),
  fc.constant({}),
  fc.constant('{not json'),
  fc.constant(JSON.stringify({ incidentId: 7 })),
  fc.anything({ maxDepth: 2, maxKeys: 4 }),
);

const routedActions = actionRoutes.map((r) => r.actionId);
const routedViews = viewRoutes.map((r) => r.callbackId);
const subcommands = commandRoutes.map((r) => r.name);

const actionId = fc.oneof(fc.constantFrom(...routedActions), fc.string({ maxLength: 20 }));
const callbackId = fc.oneof(fc.constantFrom(...routedViews), fc.string({ maxLength: 20 }));
const metadata = fc.constantFrom('', JSON.stringify({ incidentId: 'SRP-2026-001' }), '{"answers":{}}');

/** Where each kind is broken: the fields srp and Bolt read, and those that make Bolt read it as another kind. */
const PATHS = {
  interactive: [
    ['type'],
    ['user'],
    ['user', 'id'],
    ['team'],
    ['trigger_id'],
    ['actions'],
    ['actions', 0],
    ['actions', 0, 'action_id'],
    ['actions', 0, 'value'],
    ['actions', 0, 'block_id'],
    ['actions', 0, 'selected_option'],
    ['actions', 0, 'selected_option', 'value'],
    ['container'],
    ['container', 'type'],
    ['response_url'],
    ['response_urls'],
    ['channel'],
    ['view'],
    ['view', 'id'],
    ['view', 'callback_id'],
    ['view', 'private_metadata'],
    ['view', 'blocks'],
    ['view', 'blocks', 0],
    ['view', 'state'],
    ['view', 'state', 'values'],
    ['view', 'state', 'values', 'summary'],
    ['view', 'state', 'values', 'summary', 'value'],
    ['view', 'state', 'values', 'summary', 'value', 'value'],
    ['view', 'state', 'values', 'receivedAt', 'value', 'selected_date_time'],
    ['view', 'state', 'values', 'arrival', 'value', 'selected_option'],
    ['function_data'],
    ['name'],
    ['command'],
    ['event'],
  ],
  event: [
    ['type'],
    ['team_id'],
    ['event_id'],
    ['authorizations'],
    ['authorizations', 0],
    ['event'],
    ['event', 'type'],
    ['event', 'user'],
    ['event', 'channel'],
    ['event', 'tab'],
    ['event', 'text'],
    ['event', 'ts'],
    ['event', 'item'],
    ['event', 'subteam'],
    ['event', 'view'],
    ['challenge'],
  ],
  command: [
    ['command'],
    ['text'],
    ['user_id'],
    ['channel_id'],
    ['trigger_id'],
    ['response_url'],
    ['payload'],
    ['ssl_check'],
  ],
} as const;

type Edit = { path: readonly (string | number)[]; to: unknown };
const edits = (paths: readonly (readonly (string | number)[])[], value: fc.Arbitrary<unknown>) =>
  fc.array(fc.record({ path: fc.constantFrom(...paths), to: value }), { maxLength: 4 });
const extraField = fc.option(fc.tuple(fc.string({ maxLength: 12 }), junk), { nil: undefined });

function broken(base: unknown, list: Edit[], extra: [string, unknown] | undefined): unknown {
  let value = list.reduce((v, e) => withField(v, e.path, e.to), base);
  if (extra) value = withField(value, [extra[0]], extra[1]);
  return value;
}

/** A generated request: its bytes, its kind, and whether it is left well-formed. */
export interface Generated {
  kind: string;
  wire: Wire;
  intact: boolean;
}

/** Requests of every kind, well-formed or broken in one to four places, or not Slack's at all. */
export function requests(r: RequestContext): fc.Arbitrary<Generated> {
  const make = wellFormed(r);
  const interactiveBase = fc.oneof(
    fc.tuple(actionId, fc.string({ maxLength: 14 })).map(([a, v]) => make.blockAction(a, v) as unknown),
    fc.tuple(actionId, metadata).map(([a, m]) => make.viewAction(a, m) as unknown),
    fc.tuple(callbackId, metadata).map(([c, m]) => make.viewSubmission(c, {}, m) as unknown),
    fc.constant(make.viewSubmission(REPORT_CALLBACK) as unknown),
    callbackId.map((c) => make.viewClosed(c) as unknown),
  );
  const eventBase = fc.oneof(
    fc.constant(make.appHomeOpened() as unknown),
    fc.constant(make.message() as unknown),
    fc.string({ maxLength: 20 }).map((type) => make.event({ type }) as unknown),
    fc.constant({ type: 'url_verification', token: 'x', challenge: 'abc' } as unknown),
  );
  const commandBase = fc
    .tuple(
      fc.oneof(fc.constantFrom(...subcommands), fc.string({ maxLength: 30 })),
      fc.constantFrom('/srp', '/other'),
    )
    .map(([text, command]) => make.command(text, command));

  const interactive = fc
    .tuple(interactiveBase, edits(PATHS.interactive, junk), extraField)
    .map(([base, list, extra]) => ({
      kind: 'interactive',
      wire: asPayload(broken(base, list, extra)),
      intact: list.length === 0 && !extra,
    }));
  const event = fc.tuple(eventBase, edits(PATHS.event, junk), extraField).map(([base, list, extra]) => ({
    kind: 'event',
    wire: asJson(broken(base, list, extra)),
    intact: list.length === 0 && !extra,
  }));
  // Form fields are strings: broken by removal, by repetition (an array), or by odd strings.
  const formValue = fc.oneof(
    fc.constant(undefined),
    anyString,
    fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }),
    fc.constant('null'),
  );
  const command = fc.tuple(commandBase, edits(PATHS.command, formValue)).map(([base, list]) => ({
    kind: 'command',
    wire: asForm(broken(base, list, undefined) as Record<string, unknown>),
    intact: list.length === 0,
  }));
  // Not Slack's at all: another body, or the right body under the wrong content type.
  const other = fc.oneof(
    junk.map((body) => ({ kind: 'other', wire: asJson(body), intact: false })),
    junk.map((payload) => ({ kind: 'other', wire: asPayload(payload), intact: false })),
    fc
      .tuple(interactiveBase, fc.constantFrom(`${FORM}; charset=utf-8`, 'text/plain', JSON_TYPE))
      .map(([base, contentType]) => ({
        kind: 'other',
        wire: { ...asPayload(base), contentType },
        intact: false,
      })),
  );
  return fc.oneof(interactive, event, command, other);
}
