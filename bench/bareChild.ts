/**
 * The yardstick: a bare Bolt app with the same receiver and client settings as srp, whose report
 * submission only acks and posts one message. srp's CPU per submission is compared with this one's.
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
    app.view('srp_report', async ({ ack, client }) => {
      await ack();
      await client.chat.postMessage({
        channel: env.SRP_SECURITY_CHANNEL as string,
        text: 'New vulnerability report',
      });
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
