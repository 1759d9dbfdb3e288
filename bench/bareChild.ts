/**
 * The yardstick: a bare Bolt app with the same receiver and client settings as srp, whose report
 * submission only acks and posts one message. srp's CPU per submission is compared with this one's.
 * Started with `messages` (srp's own card, receipt and role notice, as the parent saw them posted), it
 * makes those posts instead, the DMs through a cached conversations.open as srp does: the floor that
 * Slack's calls alone put under srp's figure.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { measureAcks, serve } from './child.js';

measureAcks();

serve({
  async start(msg) {
    const env = msg.env as Record<string, string>;
    const receiver = new HTTPReceiver({
      signingSecret: env.SLACK_SIGNING_SECRET as string,
      endpoints: '/slack/events',
      processBeforeResponse: false,
    });
    const app = new App({
      token: env.SLACK_BOT_TOKEN,
      receiver,
      botId: 'B0BOT',
      botUserId: 'UBOT000001',
      clientOptions: { slackApiUrl: env.SLACK_API_URL, retryConfig: { retries: 0 } },
    });
    const messages = msg.messages as Array<{ user?: string; text: string; blocks?: unknown[] }> | undefined;
    const dms = new Map<string, string>();
    app.view('srp_report', async ({ ack, client }) => {
      await ack();
      if (!messages) {
        await client.chat.postMessage({
          channel: env.SRP_SECURITY_CHANNEL as string,
          text: 'New vulnerability report',
        });
        return;
      }
      for (const m of messages) {
        let channel = env.SRP_SECURITY_CHANNEL as string;
        if (m.user) {
          channel =
            dms.get(m.user) ?? ((await client.conversations.open({ users: m.user })).channel?.id as string);
          dms.set(m.user, channel);
        }
        await client.chat.postMessage({
          channel,
          text: m.text,
          ...(m.blocks ? { blocks: m.blocks } : {}),
        } as never);
      }
    });
    const server = createServer(receiver.requestListener);
    await new Promise<void>((r) => server.listen(0, r));
    return { port: (server.address() as AddressInfo).port };
  },
  async stop() {
    setImmediate(() => process.exit(0));
    return {};
  },
});
