import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import { boltLogger } from '../logger.js';
import { unknownCommandMessage } from '../views/help.js';
import { actionRoutes, commandRoutes, type Services, viewRoutes } from './routes.js';

const DENIED =
  'This is for members of the Security Response Committee. To report a vulnerability, use `/srp report`.';

/** Tracks listener work still running after its ack, so shutdown can wait for it. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => {});
    return p;
  }
  async drain(timeoutMs: number): Promise<boolean> {
    const all = Promise.allSettled([...this.running]).then(() => true);
    const timer = new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref());
    return Promise.race([all, timer]);
  }
  get size() {
    return this.running.size;
  }
}

export interface SlackApp {
  app: App;
  /** Present in HTTP mode: the request listener for POST /slack/events. */
  httpReceiver?: HTTPReceiver;
  socketReceiver?: SocketModeReceiver;
}

/**
 * Builds the Bolt app and wires the routing table into it. Every command,
 * action and view submission passes the role check here, against the
 * database, before its handler runs.
 */
export function createSlackApp(
  config: Config,
  services: Services,
  identity: { botId: string; botUserId: string },
  inFlight: InFlight,
  retryConfig: RetryOptions,
): SlackApp {
  const logger = boltLogger(services.log);
  const clientOptions = { slackApiUrl: config.slack.apiUrl, retryConfig };
  let receiver: Receiver;
  let httpReceiver: HTTPReceiver | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  if (config.slack.mode === 'socket') {
    socketReceiver = new SocketModeReceiver({
      appToken: config.slack.appToken as string,
      logger,
      // The socket client opens its connection through apps.connections.open: it must use SLACK_API_URL too.
      installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig } },
    });
    receiver = socketReceiver;
  } else {
    httpReceiver = new HTTPReceiver({
      signingSecret: config.slack.signingSecret as string,
      endpoints: '/slack/events',
      logger,
      processBeforeResponse: false,
    });
    receiver = httpReceiver;
  }

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger,
    botId: identity.botId,
    botUserId: identity.botUserId,
    clientOptions,
  });

  // Slack re-sends events it thinks were lost (x-slack-retry-num); the first delivery already did the work.
  app.use(async ({ context, next }) => {
    if (context.retryNum) {
      services.log.info({ retryNum: context.retryNum }, 'ignoring a Slack retry');
      return;
    }
    await inFlight.track(next());
  });

  app.command('/srp', async (args) => {
    const [sub = 'help', ...restWords] = args.command.text.trim().split(/\s+/).filter(Boolean);
    const name = sub.toLowerCase();
    const userId = args.command.user_id;
    const route = commandRoutes.find((r) => r.name === name);
    const isCommittee = services.members.isCommittee(userId);
    if (!route) {
      const entries = commandRoutes.map((r) => ({
        usage: r.usage,
        description: r.description,
        membersOnly: r.role !== 'anyone',
      }));
      await args.ack({ response_type: 'ephemeral', ...unknownCommandMessage(sub, entries, isCommittee) });
      return;
    }
    if (!services.members.hasRole(userId, route.role)) {
      services.log.info({ user: userId, command: name }, 'denied: not on the committee');
      await args.ack({ response_type: 'ephemeral', text: DENIED });
      return;
    }
    await route.run(args, restWords.join(' '), services);
  });

  for (const route of actionRoutes) {
    app.action({ action_id: route.actionId, type: 'block_actions' }, async (args) => {
      if (!services.members.hasRole(args.body.user.id, route.role)) {
        services.log.info(
          { user: args.body.user.id, action: route.actionId },
          'denied: not on the committee',
        );
        await args.ack();
        await args
          .respond?.({ response_type: 'ephemeral', replace_original: false, text: DENIED })
          .catch(() => {});
        return;
      }
      await route.run(args as never, services);
    });
  }

  for (const route of viewRoutes) {
    app.view({ callback_id: route.callbackId, type: 'view_submission' }, async (args) => {
      if (!services.members.hasRole(args.body.user.id, route.role)) {
        services.log.info(
          { user: args.body.user.id, view: route.callbackId },
          'denied: not on the committee',
        );
        const firstInput = args.view.blocks.find((b) => b.type === 'input')?.block_id;
        await args.ack(
          firstInput
            ? { response_action: 'errors', errors: { [firstInput]: DENIED } }
            : { response_action: 'clear' },
        );
        return;
      }
      await route.run(args as never, services);
    });
  }

  app.error(async (error) => {
    services.log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  return { app, httpReceiver, socketReceiver };
}
