import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import { boltLogger } from '../logger.js';
import { unknownCommandMessage } from '../views/help.js';
import { incidentArg, words } from './parse.js';
import { actionRoutes, findCommand, helpEntries, type Role, type Services, viewRoutes } from './routes.js';

const DENIED =
  'This is for members of the Security Response Committee. To report a vulnerability, use `/srp report`.';
const MEMBERS_ONLY = 'Only full members of the Security Response Committee can do this.';

const denial = (role: Role) => (role === 'member' ? MEMBERS_ONLY : DENIED);

/** The incident a modal is about, from its private_metadata. */
function incidentOfMetadata(privateMetadata: string | undefined): string | undefined {
  try {
    return (JSON.parse(privateMetadata || '{}') as { incidentId?: string }).incidentId;
  } catch {
    return undefined;
  }
}

/** The incident a click is about: a button's value, a card element's block_id, or its modal's metadata. */
function incidentOfAction(body: {
  actions?: unknown[];
  view?: { private_metadata?: string };
}): string | undefined {
  const action = body.actions?.[0] as { value?: string; block_id?: string } | undefined;
  return (
    incidentArg(action?.value) ??
    incidentArg(action?.block_id?.split(':')[1]) ??
    incidentOfMetadata(body.view?.private_metadata)
  );
}

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

  /** The one place a role is checked: against the database, on every request. */
  function allowed(userId: string, role: Role, incidentWord?: string): boolean {
    if (role !== 'incident') return services.members.hasRole(userId, role);
    const incidentId = incidentArg(incidentWord);
    // Without an id the handler only explains its usage, which the committee may read.
    if (incidentId === undefined) return services.members.isCommittee(userId);
    return services.roles.canSee(userId, incidentId);
  }
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
    const typed = words(args.command.text);
    const userId = args.command.user_id;
    const found = findCommand(typed.length ? typed : ['help']);
    if (!found) {
      await args.ack({
        response_type: 'ephemeral',
        ...unknownCommandMessage(typed.join(' '), helpEntries(), services.members.isCommittee(userId)),
      });
      return;
    }
    const { route, rest } = found;
    if (!allowed(userId, route.role, rest[0])) {
      services.log.info({ user: userId, command: route.name }, 'denied: role');
      await args.ack({ response_type: 'ephemeral', text: denial(route.role) });
      return;
    }
    await route.run(args, rest.join(' '), services);
  });

  for (const route of actionRoutes) {
    app.action({ action_id: route.actionId, type: 'block_actions' }, async (args) => {
      if (!allowed(args.body.user.id, route.role, incidentOfAction(args.body))) {
        services.log.info({ user: args.body.user.id, action: route.actionId }, 'denied: role');
        await args.ack();
        await args
          .respond?.({ response_type: 'ephemeral', replace_original: false, text: denial(route.role) })
          .catch(() => {});
        return;
      }
      await route.run(args as never, services);
    });
  }

  for (const route of viewRoutes) {
    app.view({ callback_id: route.callbackId, type: 'view_submission' }, async (args) => {
      if (!allowed(args.body.user.id, route.role, incidentOfMetadata(args.view.private_metadata))) {
        services.log.info({ user: args.body.user.id, view: route.callbackId }, 'denied: role');
        const firstInput = args.view.blocks.find((b) => b.type === 'input')?.block_id;
        await args.ack(
          firstInput
            ? { response_action: 'errors', errors: { [firstInput]: denial(route.role) } }
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
