import { z } from 'zod';
import type { Logger } from '../logger.js';
import { isModalMetadata } from './parse.js';

/**
 * What srp takes from Slack, checked before Bolt sees it, the same way over HTTP and Socket Mode.
 *
 * A body is first given the kind Bolt would dispatch it as (the precedence of HTTPReceiver and of
 * App#processEvent's getTypeAndConversation), then checked against that kind's one schema: the fields
 * srp's handlers read and the fields Bolt itself reads on the way to them, typed; every other field
 * Slack sends passes through. Only then does the body go on, and only when srp has a route for it.
 * So a handler never meets a field of the wrong type, and Bolt never throws on a body before it acks.
 */

const str = z.string();
const id = z.string().min(1, 'must not be empty');
/** Typed where srp or Bolt reads; any other field Slack adds passes. */
const obj = z.looseObject;

/** What srp wrote into a view's private_metadata, as Slack echoes it back. */
const privateMetadata = str.refine(isModalMetadata, 'is not the JSON srp writes there');

/** One element's state in a view: `state.values[block_id][action_id]`. Empty inputs come back null. */
const elementState = obj({
  value: str.nullable().optional(),
  selected_option: obj({ value: str }).nullable().optional(),
  selected_user: str.nullable().optional(),
  selected_date_time: z.number().nullable().optional(),
  files: z.array(obj({ id: str })).optional(),
});

/** A modal (or Home tab) as Slack sends it back with a submission or a click inside it. */
const view = obj({
  id,
  type: str.optional(),
  callback_id: str,
  private_metadata: privateMetadata.optional(),
  hash: str.optional(),
  blocks: z.array(obj({ type: str, block_id: str.optional() })),
  state: obj({ values: z.record(str, z.record(str, elementState)) }),
  app_installed_team_id: str.optional(),
});

const user = obj({ id, team_id: str.optional() });
/** Bolt reads team.id unless team is absent or null (org-wide installs). */
const team = obj({ id: str }).nullable().optional();

/** The slash command's form fields (all strings; a repeated field arrives as an array and is refused). */
const slashCommand = obj({
  command: str,
  text: str,
  user_id: id,
  channel_id: str.optional(),
  team_id: str.optional(),
  trigger_id: str,
  // Bolt gives a handler respond() only for a non-empty response_url.
  response_url: id,
});

const action = obj({
  action_id: str,
  block_id: str.optional(),
  type: str.optional(),
  value: str.optional(),
  selected_user: str.nullable().optional(),
  selected_option: obj({ value: str }).nullable().optional(),
});

const blockActions = obj({
  type: z.literal('block_actions'),
  user,
  team,
  trigger_id: str,
  // Bolt dispatches the first action only; Slack sends one.
  actions: z.array(action).min(1, 'must hold the action'),
  container: obj({ type: str }),
  view: view.optional(),
  response_url: id.optional(),
  channel: obj({ id: str }).optional(),
  // srp defines no workflow functions: a payload claiming one would swap the bot token (Bolt's
  // attachFunctionToken) for whatever token it carries.
  function_data: z.never({ error: 'is not taken: srp defines no workflow functions' }).optional(),
}).superRefine((b, ctx) => {
  // Handlers answer a click where it came from: a message's response_url, or the view it was made in.
  if (b.container.type === 'message' && b.response_url === undefined)
    ctx.addIssue({ code: 'custom', path: ['response_url'], message: 'a message action carries one' });
  if (b.container.type === 'view' && b.view === undefined)
    ctx.addIssue({ code: 'custom', path: ['view'], message: 'an action in a view carries it' });
});

const viewSubmission = obj({
  type: z.literal('view_submission'),
  user,
  team,
  view,
  response_urls: z.array(obj({ response_url: str })).optional(),
});

const viewClosed = obj({
  type: z.literal('view_closed'),
  user,
  team,
  view: obj({ id, callback_id: str }),
});

const urlVerification = obj({ type: z.literal('url_verification'), challenge: str });
const sslCheck = obj({ ssl_check: z.literal('1') });

/**
 * What Bolt reads from any event it dispatches (getTypeAndConversation, buildSource): `item` and
 * `subteam` are dereferenced, `channel` and `user` are strings or objects with an id.
 */
const boltEventFields = {
  channel_id: str.optional(),
  item: obj({}).optional(),
  subteam: obj({}).optional(),
  thread_ts: str.optional(),
  event_ts: str.optional(),
};

/** A message as Slack sends it inside a `message_changed` event: the message as it is after the edit. */
const changedMessage = obj({
  ts: str,
  text: str.optional(),
  user: str.optional(),
  bot_id: str.nullable().optional(),
  thread_ts: str.optional(),
  subtype: str.optional(),
});

/**
 * A message in a channel srp is in (`message.channels`: public channels; the leak watcher reads them).
 * New text arrives with no subtype (or `thread_broadcast`, `file_share`, `me_message`, `bot_message`);
 * an edit as `message_changed`, with the edited message in `message`. Every other subtype is ignored.
 */
const messageEvent = obj({
  ...boltEventFields,
  type: z.literal('message'),
  channel: str,
  channel_type: str.optional(),
  // Absent on some subtypes (message_changed, message_deleted); never null.
  user: id.optional(),
  subtype: str.optional(),
  text: str.optional(),
  ts: str,
  bot_id: str.nullable().optional(),
  message: changedMessage.optional(),
  previous_message: obj({}).optional(),
}).superRefine((e, ctx) => {
  if (e.subtype === 'message_changed' && e.message === undefined)
    ctx.addIssue({ code: 'custom', path: ['message'], message: 'an edit carries the edited message' });
});
export type MessageEvent = z.infer<typeof messageEvent>;

/**
 * The events srp takes: the Home tab opened, and messages (the leak watcher). Any other event is acked
 * and ignored.
 */
const events = {
  app_home_opened: obj({
    ...boltEventFields,
    type: z.literal('app_home_opened'),
    user: id,
    channel: str,
    tab: str,
    // The Home tab as last published, if ever; its fields are read when srp redraws it.
    view: obj({
      id: str.optional(),
      hash: str.optional(),
      private_metadata: privateMetadata.optional(),
    }).optional(),
  }),
  message: messageEvent,
} as const;
type SubscribedEvent = keyof typeof events;
const isSubscribed = (type: string): type is SubscribedEvent => Object.hasOwn(events, type);
/**
 * Events whose retry is taken like a first delivery: the leak watcher's alert is keyed by the message, so
 * a retry (of a delivery srp never saw, e.g. while it was down) is one alert, not a missed leak.
 */
const RETRIED: ReadonlySet<SubscribedEvent> = new Set(['message']);

const eventCallback = obj({
  type: z.literal('event_callback'),
  team_id: str,
  event_id: str,
  event: obj({ type: str }),
  authorizations: z
    .array(obj({ team_id: str.nullable().optional(), enterprise_id: str.nullable().optional() }))
    .optional(),
});

/** The kinds of payload srp takes, each with its one schema above. */
export type PayloadKind =
  | 'ssl_check'
  | 'url_verification'
  | 'event_callback'
  | 'slash_command'
  | 'block_actions'
  | 'view_submission'
  | 'view_closed';

/** Kinds of Slack payload srp registers nothing for: options, shortcuts, legacy attachments and dialogs. */
const UNSERVED = new Set([
  'block_suggestion',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
]);

/**
 * The kind a body is, in the order Bolt decides it (HTTPReceiver answers ssl_check and url_verification
 * itself; getTypeAndConversation looks at `event`, `command`, `name`, `actions`, then `type`), so the
 * schema checked is the one for what Bolt would dispatch. `unserved` for kinds srp has no listener for.
 */
function kindOf(body: Record<string, unknown>): PayloadKind | 'unserved' | undefined {
  if (body.ssl_check === '1') return 'ssl_check';
  if (body.type === 'url_verification') return 'url_verification';
  if (body.event !== undefined) return 'event_callback';
  if (body.command !== undefined) return 'slash_command';
  if (body.name !== undefined || (typeof body.type === 'string' && UNSERVED.has(body.type)))
    return 'unserved';
  if (body.actions !== undefined) return 'block_actions';
  if (body.type === 'view_submission' || body.type === 'view_closed') return body.type;
  return undefined;
}

/** The request goes on to Bolt, or is answered here with a status and a short reason. */
export type Verdict =
  | { pass: true; kind: PayloadKind }
  | { pass: false; status: 200; reason: string; answer?: Record<string, unknown> }
  | { pass: false; status: 400 | 404; reason: string };

/** What srp routes: its slash command, and the routing table's action ids and callback ids. */
export interface RouteTable {
  command: string;
  actionIds: ReadonlySet<string>;
  callbackIds: ReadonlySet<string>;
}

const MAX_SEGMENT = 40;
const MAX_REASON = 200;

/** The first problem, by where it is and what is wrong; schema messages never quote the input. */
function reasonOf(kind: string, error: z.ZodError, under: PropertyKey[] = []): string {
  const issue = error.issues[0];
  const where =
    [...under, ...(issue?.path ?? [])].map((p) => String(p).slice(0, MAX_SEGMENT)).join('.') || 'body';
  return `malformed ${kind}: ${where}: ${issue?.message ?? 'is invalid'}`.slice(0, MAX_REASON);
}

const refuse = (reason: string): Verdict => ({ pass: false, status: 400, reason });
const noRoute = (reason: string): Verdict => ({ pass: false, status: 404, reason });
const answered = (reason: string, answer?: Record<string, unknown>): Verdict => ({
  pass: false,
  status: 200,
  reason,
  ...(answer ? { answer } : {}),
});

function judge(body: unknown, routes: RouteTable, retryNum: number | undefined): Verdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return refuse('malformed request: the body is not an object');
  const kind = kindOf(body as Record<string, unknown>);
  if (kind === undefined) return refuse('malformed request: not a kind of payload Slack sends');
  if (kind === 'unserved') return noRoute('srp takes no options, shortcuts or dialogs');
  const pass: Verdict = { pass: true, kind };
  /** The body checked against its kind's schema, then judged on what it holds. */
  const checked = <S extends z.ZodType>(schema: S, then: (b: z.infer<S>) => Verdict): Verdict => {
    const parsed = schema.safeParse(body);
    return parsed.success ? then(parsed.data) : refuse(reasonOf(kind, parsed.error));
  };
  switch (kind) {
    case 'ssl_check':
      return checked(sslCheck, () => answered('ssl_check'));
    case 'url_verification':
      return checked(urlVerification, (b) => answered('url_verification', { challenge: b.challenge }));
    case 'event_callback':
      return checked(eventCallback, ({ event }) => {
        if (!isSubscribed(event.type)) return answered('an event srp does not subscribe to');
        // Slack re-sends events it thinks were lost (x-slack-retry-num); the first delivery did the work,
        // unless the event's work is keyed so that a second delivery is the same work.
        if (retryNum && !RETRIED.has(event.type)) return answered('ignoring a Slack retry');
        const typed = events[event.type].safeParse(event);
        return typed.success ? pass : refuse(reasonOf(`${event.type} event`, typed.error, ['event']));
      });
    case 'slash_command':
      return checked(slashCommand, (b) => (b.command === routes.command ? pass : noRoute('no such command')));
    case 'block_actions':
      return checked(blockActions, (b) =>
        routes.actionIds.has(b.actions[0]?.action_id ?? '') ? pass : noRoute('no such action_id'),
      );
    case 'view_submission':
      return checked(viewSubmission, (b) =>
        routes.callbackIds.has(b.view.callback_id) ? pass : noRoute('no such callback_id'),
      );
    case 'view_closed':
      // srp asks for no close notifications (notify_on_close) and has no listener for them.
      return checked(viewClosed, (b) =>
        routes.callbackIds.has(b.view.callback_id) ? answered('view_closed') : noRoute('no such callback_id'),
      );
  }
}

export type Gate = (body: unknown, retryNum?: number) => Verdict;

/**
 * The one check both receivers make before handing a body to Bolt. It logs what it refused, by kind
 * and reason only: never a body, which may hold a report.
 */
export function createGate(routes: RouteTable, log: Logger): Gate {
  return (body, retryNum) => {
    const verdict = judge(body, routes, retryNum);
    if (verdict.pass) return verdict;
    if (verdict.status === 400) log.warn({ reason: verdict.reason }, 'refused a malformed Slack request');
    else if (verdict.status === 404) log.info({ reason: verdict.reason }, 'no route for a Slack request');
    else if (retryNum) log.info({ retryNum }, verdict.reason);
    return verdict;
  };
}
