// Pure builders for what Slack sends to an app (slack-platform.md §8), shared by the HTTP driver
// and Socket Mode tests (fake.socket.send(type, payload)).

export interface PayloadContext {
  teamId: string;
  apiAppId: string;
  teamDomain?: string;
  /** The legacy verification token; Bolt ignores it but real payloads carry one. */
  token?: string;
}

export interface PayloadUser {
  id: string;
  name?: string;
}

const VERIFICATION_TOKEN = 'fake-verification-token';
const domainOf = (ctx: PayloadContext) => ctx.teamDomain ?? 'fake-workspace';
const actionTs = () => (Date.now() / 1000).toFixed(6);

function team(ctx: PayloadContext) {
  return { id: ctx.teamId, domain: domainOf(ctx) };
}

function user(ctx: PayloadContext, u: PayloadUser) {
  const name = u.name ?? u.id.toLowerCase();
  return { id: u.id, username: name, name, team_id: ctx.teamId };
}

/** Slash command fields; URL-encode with `new URLSearchParams(form).toString()` for HTTP. */
export function slashCommandForm(opts: {
  ctx: PayloadContext;
  user: PayloadUser;
  text: string;
  channelId: string;
  channelName?: string;
  command?: string;
  triggerId: string;
  responseUrl: string;
}): Record<string, string> {
  const { ctx } = opts;
  return {
    token: ctx.token ?? VERIFICATION_TOKEN,
    team_id: ctx.teamId,
    team_domain: domainOf(ctx),
    channel_id: opts.channelId,
    // Slack substitutes these for DMs and private channels; apps should key on channel_id.
    channel_name: opts.channelName ?? (opts.channelId.startsWith('D') ? 'directmessage' : 'general'),
    user_id: opts.user.id,
    user_name: opts.user.name ?? opts.user.id.toLowerCase(),
    command: opts.command ?? '/srp',
    text: opts.text,
    api_app_id: ctx.apiAppId,
    is_enterprise_install: 'false',
    response_url: opts.responseUrl,
    trigger_id: opts.triggerId,
  };
}

export interface ActionSpec {
  actionId: string;
  blockId?: string;
  /** Element type; inferred from selectedUser/selectedOption, else 'button'. */
  type?: string;
  value?: string;
  /** Button label, echoed back like Slack does. */
  text?: string;
  selectedUser?: string;
  selectedOption?: { value: string; text?: string };
}

/** Locates an element by action_id in a list of blocks: Slack always reports the enclosing block_id. */
export function findAction(
  blocks: unknown,
  actionId: string,
): { blockId: string | undefined; element: Record<string, unknown> } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const b of blocks as Array<Record<string, unknown>>) {
    const candidates = [b.accessory, b.element, ...(Array.isArray(b.elements) ? b.elements : [])];
    for (const el of candidates as Array<Record<string, unknown> | undefined>) {
      if (el && typeof el === 'object' && el.action_id === actionId) {
        return { blockId: typeof b.block_id === 'string' ? b.block_id : undefined, element: el };
      }
    }
  }
  return undefined;
}

export function actionObject(spec: ActionSpec, element?: Record<string, unknown>): Record<string, unknown> {
  const type =
    spec.type ??
    (typeof element?.type === 'string' ? element.type : undefined) ??
    (spec.selectedUser ? 'users_select' : spec.selectedOption ? 'static_select' : 'button');
  const base = {
    type,
    action_id: spec.actionId,
    block_id: spec.blockId ?? 'fake_block',
    action_ts: actionTs(),
  };
  if (spec.selectedUser !== undefined) return { ...base, selected_user: spec.selectedUser };
  if (spec.selectedOption !== undefined) {
    const text = spec.selectedOption.text ?? spec.selectedOption.value;
    return {
      ...base,
      selected_option: { text: { type: 'plain_text', text, emoji: true }, value: spec.selectedOption.value },
    };
  }
  const label = spec.text ?? (element?.text as { text?: string } | undefined)?.text ?? 'Button';
  const value = spec.value ?? (typeof element?.value === 'string' ? element.value : undefined);
  return {
    ...base,
    text: { type: 'plain_text', text: label, emoji: true },
    ...(value !== undefined ? { value } : {}),
    ...(typeof element?.style === 'string' ? { style: element.style } : {}),
  };
}

type MessageSource = {
  kind: 'message';
  channelId: string;
  channelName?: string;
  message: Record<string, unknown> & { ts: string };
  responseUrl: string;
  isEphemeral?: boolean;
};
type ViewSource = { kind: 'view'; view: Record<string, unknown> & { id: string } };

export function blockActionsPayload(opts: {
  ctx: PayloadContext;
  user: PayloadUser;
  action: ActionSpec;
  triggerId: string;
  source: MessageSource | ViewSource;
  stateValues?: Record<string, Record<string, object>>;
}): Record<string, unknown> {
  const { ctx, source } = opts;
  const common = {
    type: 'block_actions',
    user: user(ctx, opts.user),
    api_app_id: ctx.apiAppId,
    token: ctx.token ?? VERIFICATION_TOKEN,
    trigger_id: opts.triggerId,
    team: team(ctx),
    enterprise: null,
    is_enterprise_install: false,
  };
  const blocks = source.kind === 'view' ? source.view.blocks : source.message.blocks;
  const found = findAction(blocks, opts.action.actionId);
  const actions = [
    actionObject({ ...opts.action, blockId: opts.action.blockId ?? found?.blockId }, found?.element),
  ];
  const state = { values: opts.stateValues ?? {} };
  if (source.kind === 'view') {
    return {
      ...common,
      container: { type: 'view', view_id: source.view.id },
      view: { ...source.view, state },
      actions,
    };
  }
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: source.message.ts,
      channel_id: source.channelId,
      is_ephemeral: source.isEphemeral ?? false,
    },
    channel: { id: source.channelId, name: source.channelName ?? 'general' },
    message: { type: 'message', ...source.message },
    state,
    response_url: source.responseUrl,
    actions,
  };
}

export function viewSubmissionPayload(opts: {
  ctx: PayloadContext;
  user: PayloadUser;
  view: Record<string, unknown> & { id: string };
  values: Record<string, Record<string, object>>;
  triggerId: string;
}): Record<string, unknown> {
  const { ctx } = opts;
  return {
    type: 'view_submission',
    team: team(ctx),
    user: user(ctx, opts.user),
    api_app_id: ctx.apiAppId,
    token: ctx.token ?? VERIFICATION_TOKEN,
    trigger_id: opts.triggerId,
    view: { ...opts.view, state: { values: opts.values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Events API envelope (`type: event_callback`) around one event. */
export function eventCallback(opts: {
  ctx: PayloadContext;
  event: Record<string, unknown>;
  botUserId: string;
  eventId?: string;
}): Record<string, unknown> {
  const { ctx } = opts;
  const now = Date.now();
  return {
    token: ctx.token ?? VERIFICATION_TOKEN,
    team_id: ctx.teamId,
    api_app_id: ctx.apiAppId,
    event: { event_ts: (now / 1000).toFixed(6), ...opts.event },
    type: 'event_callback',
    event_id: opts.eventId ?? `Ev${now.toString(36).toUpperCase()}${Math.floor(Math.random() * 1e6)}`,
    event_time: Math.floor(now / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ctx.teamId,
        user_id: opts.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}
