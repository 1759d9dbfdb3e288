export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  /** Omitted means "everyone, including the bot": the common case of a channel the app was invited to. */
  members?: string[];
}

export interface FakeUser {
  id: string;
  name: string;
  tz?: string;
  is_bot?: boolean;
  real_name?: string;
}

export interface RecordedCall {
  method: string;
  /** Request arguments with `blocks`/`view`/`metadata`/`attachments` already JSON-decoded; `token` removed. */
  args: Record<string, unknown>;
  token: string | undefined;
  ok: boolean;
  error?: string;
  /** Soft problems Slack would only warn about, e.g. `missing_text_in_blocks`, `message_truncated`. */
  warning?: string;
  status: number;
  at: number;
  /** The JSON body the fake answered with (undefined for injected 500s). */
  response?: unknown;
}

export interface FakeSlackOptions {
  channels?: FakeChannel[];
  users?: FakeUser[];
  botUserId?: string;
  botId?: string;
  teamId?: string;
  appId?: string;
  /** When set, any other bot/user token gets `invalid_auth`. */
  botToken?: string;
  /** When set, apps.connections.open only accepts this exact token (otherwise any `xapp-…`). */
  appToken?: string;
  triggerTtlMs?: number;
  /**
   * Slack's docs list `expired_trigger_id` / `exchanged_trigger_id`, while the project reference describes
   * `invalid_arguments` + "invalid `trigger_id`". Default follows the reference; 'specific' gives the codes.
   */
  triggerErrorStyle?: 'invalid_arguments' | 'specific';
  /**
   * The workspace's clock for message timestamps (ms). A test that moves srp's clock moves Slack's with it,
   * so a message's ts and srp's record of when it sent it agree, as they do in production.
   */
  now?: () => number;
}

export interface FakeMessage {
  type: 'message';
  ts: string;
  channel: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  edited?: { user: string; ts: string };
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text?: string;
  blocks?: unknown[];
}

export interface FakeView {
  id: string;
  hash: string;
  /** The view JSON exactly as the app sent it (last open/push/update/publish). */
  view: Record<string, unknown> & { type: string };
  /** The user whose trigger opened it, or the Home tab owner; undefined for triggers issued without a user. */
  user: string | undefined;
  externalId?: string;
  rootViewId: string;
  previousViewId: string | null;
}

/**
 * A failure injected into the next call of a method: a 429, a 500, or an `ok:false` error, before the call
 * is carried out; or (`after: true`) a 500 once it has been carried out, as when Slack did the work and the
 * answer was lost on the way back.
 */
export type FailureSpec =
  | { status: 429; retryAfter: number }
  | { status: 500; after?: boolean }
  | { error: string };

/** A message waiting in Slack's schedule (chat.scheduleMessage). */
export interface FakeScheduled {
  id: string;
  channel: string;
  text: string;
  /** Unix seconds. */
  post_at: number;
  date_created: number;
  /** Dropped at its time instead of posted (a test said to lose it, or it carried metadata: Slack's bug). */
  lost: boolean;
  metadata?: FakeMessage['metadata'];
}

export interface ApiReply {
  ok: boolean;
  error?: string;
  warning?: string;
  [key: string]: unknown;
}
