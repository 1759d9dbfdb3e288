import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { errorCode } from '../outbox/errors.js';

/** A reason not to start, phrased for the operator; main prints it without a stack trace. */
export class StartupError extends Error {}

export interface PreflightOptions {
  /**
   * The waits between tries of a call that got no answer from Slack (a network failure, an HTTP 5xx, an
   * error on Slack's side): by default two more tries, 1 s and then 2 s later, so a blip at start-up does
   * not stop srp, while a Slack that stays unreachable is reported soon: a refused connection after about
   * 3 s, a network that swallows requests after three client timeouts (10 s each in srp.ts). A rejected
   * token or an unknown channel is reported at once: no retry changes Slack's answer.
   */
  retryDelaysMs?: readonly number[];
}

const RETRY_DELAYS_MS = [1000, 2000];

/** `ok:false` answers that are Slack's own trouble, not a verdict on the token or the channel. */
const SLACK_SIDE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Why a call got no verdict from Slack. */
type NoAnswer = { kind: 'unreachable' | 'slack_side'; cause: string; retry: boolean };

/**
 * A failure that is not Slack's answer about the token or channel: the request never got an answer
 * (web-api's request error: refused, DNS, timeout), got an HTTP error instead of the API's JSON, or Slack
 * said it failed on its side. Undefined for a real answer (a platform error such as `invalid_auth`).
 */
function noAnswer(err: unknown): NoAnswer | undefined {
  const e = err as {
    code?: string;
    original?: Error & { cause?: { code?: string; message?: string } };
    statusCode?: number;
    statusMessage?: string;
  };
  if (e?.code === ErrorCode.RequestError) {
    const o = e.original;
    const cause =
      o?.name === 'TimeoutError' ? 'timed out' : (o?.cause?.code ?? o?.cause?.message ?? o?.message);
    return { kind: 'unreachable', cause: cause ?? 'request failed', retry: true };
  }
  if (e?.code === ErrorCode.HTTPError) {
    const status = `HTTP ${e.statusCode}${e.statusMessage ? ` ${e.statusMessage}` : ''}`;
    return { kind: 'unreachable', cause: status, retry: (e.statusCode ?? 0) >= 500 };
  }
  if (e?.code === ErrorCode.RateLimitedError)
    return { kind: 'slack_side', cause: 'ratelimited', retry: true };
  const code = errorCode(err);
  if (SLACK_SIDE.has(code)) return { kind: 'slack_side', cause: code, retry: true };
  return undefined;
}

/**
 * Makes one start-up call, trying again (per `delays`) while Slack gives no answer. An answer Slack
 * gave (a platform error) is thrown as is, for the caller to explain; no answer becomes a StartupError
 * that says Slack could not be reached, where, and why.
 */
async function ask<T>(
  client: WebClient,
  method: string,
  call: () => Promise<T>,
  delays: readonly number[],
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const why = noAnswer(err);
      if (!why) throw err;
      const delay = delays[attempt];
      if (why.retry && delay !== undefined) {
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      const tries = attempt + 1;
      const cause = `${method}: ${why.cause}${tries > 1 ? `, ${tries} tries` : ''}`;
      throw new StartupError(
        why.kind === 'unreachable'
          ? `Could not reach Slack at ${client.slackApiUrl} (${cause}): check the network or SLACK_API_URL.`
          : `Slack at ${client.slackApiUrl} failed to answer (${cause}), an error on Slack's side: try again shortly.`,
      );
    }
  }
}

/**
 * Checks, before taking any request, that the token works and that the
 * security channel is private: embargoed details must never land in a public
 * channel, so srp refuses to run rather than risk it. A Slack that cannot be
 * reached is told apart from one that rejects the token or cannot see the channel.
 */
export async function preflight(
  client: WebClient,
  config: Config,
  opts: PreflightOptions = {},
): Promise<{ botId: string; botUserId: string; url?: string }> {
  const delays = opts.retryDelaysMs ?? RETRY_DELAYS_MS;
  let auth: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    auth = await ask(client, 'auth.test', () => client.auth.test(), delays);
  } catch (err) {
    if ((err as { code?: string })?.code !== ErrorCode.PlatformError) throw err;
    throw new StartupError(
      `Slack rejected SLACK_BOT_TOKEN (auth.test: ${errorCode(err)}). Check the token from the app's OAuth & Permissions page` +
        (config.slack.apiUrl ? ` and that SLACK_API_URL (${config.slack.apiUrl}) is right.` : '.'),
    );
  }
  if (!auth.user_id || !auth.bot_id)
    throw new StartupError('SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot).');

  let channel: { is_private?: boolean; is_im?: boolean; is_mpim?: boolean; name?: string } | undefined;
  try {
    const info = () => client.conversations.info({ channel: config.securityChannel });
    channel = (await ask(client, 'conversations.info', info, delays)).channel;
  } catch (err) {
    if ((err as { code?: string })?.code !== ErrorCode.PlatformError) throw err;
    const code = errorCode(err);
    throw new StartupError(
      code === 'channel_not_found'
        ? `srp cannot see SRP_SECURITY_CHANNEL (${config.securityChannel}). Invite the app to the committee's private channel (/invite @srp) and check the id.`
        : `Could not check SRP_SECURITY_CHANNEL (${config.securityChannel}): conversations.info failed with ${code}.`,
    );
  }
  if (!channel?.is_private || channel.is_im || channel.is_mpim) {
    throw new StartupError(
      `Refusing to start: SRP_SECURITY_CHANNEL (${config.securityChannel}${channel?.name ? `, #${channel.name}` : ''}) is not a private channel. ` +
        'Embargoed vulnerability details are posted there, so it must be a private channel that only the committee can join.',
    );
  }
  return { botId: auth.bot_id, botUserId: auth.user_id, ...(auth.url ? { url: auth.url } : {}) };
}
