import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { errorCode } from '../outbox/errors.js';

/** A reason not to start, phrased for the operator; main prints it without a stack trace. */
export class StartupError extends Error {}

/**
 * Checks, before taking any request, that the token works and that the
 * security channel is private: embargoed details must never land in a public
 * channel, so srp refuses to run rather than risk it.
 */
export async function preflight(
  client: WebClient,
  config: Config,
): Promise<{ botId: string; botUserId: string }> {
  let auth: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    auth = await client.auth.test();
  } catch (err) {
    throw new StartupError(
      `Slack rejected SLACK_BOT_TOKEN (auth.test: ${errorCode(err)}). Check the token from the app's OAuth & Permissions page` +
        (config.slack.apiUrl ? ` and that SLACK_API_URL (${config.slack.apiUrl}) is right.` : '.'),
    );
  }
  if (!auth.user_id || !auth.bot_id)
    throw new StartupError('SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot).');

  let channel: { is_private?: boolean; is_im?: boolean; is_mpim?: boolean; name?: string } | undefined;
  try {
    channel = (await client.conversations.info({ channel: config.securityChannel })).channel;
  } catch (err) {
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
  return { botId: auth.bot_id, botUserId: auth.user_id };
}
