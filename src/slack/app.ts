import { App, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import { boltLogger } from '../logger.js';
import { unknownCommandMessage } from '../views/help.js';
import { homeOpened } from './handlers/home.js';
import { incidentArg, parseMetadata, words } from './parse.js';
import { createGate } from './payloads.js';
import { gated, SlackHttpReceiver } from './receiver.js';
import {
  type Access,
  type ActionRoute,
  actionRoutes,
  findCommand,
  helpEntries,
  type Services,
  viewRoutes,
} from './routes.js';

const DENIED =
  'This is for members of the Security Response Committee. To report a vulnerability, use `/srp report`.';
const MEMBERS_ONLY = 'Only full members of the Security Response Committee can do this.';

const denial = (access: Access) => (access === 'member' ? MEMBERS_ONLY : DENIED);

/**
 * The incident a click is about, read from the one place its route says: the element's value, or the
 * block_id of a select (`what:SRP-…`), or, for an element inside a modal, the modal's metadata.
 */
function incidentOfAction(
  route: ActionRoute,
  body: { actions?: unknown[]; view?: { private_metadata?: string } },
): string | undefined {
  const action = body.actions?.[0] as { value?: unknown; block_id?: unknown } | undefined;
  if (body.view?.private_metadata && !route.incidentFrom)
    return parseMetadata(body.view.private_metadata).incidentId;
  if (route.incidentFrom === 'value')
    return typeof action?.value === 'string' ? incidentArg(action.value) : undefined;
  if (route.incidentFrom === 'block')
    return typeof action?.block_id === 'string' ? incidentArg(action.block_id.split(':')[1]) : undefined;
  return undefined;
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
  httpReceiver?: SlackHttpReceiver;
  /** Present in Socket Mode. */
  socketReceiver?: Receiver;
}

/** srp's one slash command. */
const COMMAND = '/srp';

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

  /** The one place access is checked: against the database, on every request. */
  function allowed(userId: string, access: Access, incidentId: string | undefined): boolean {
    if (access === 'anyone') return true;
    if (access === 'member') return services.members.isMember(userId);
    if (access === 'committee') return services.members.isCommittee(userId);
    if (access === 'involved') return services.access.standing(userId) !== 'anyone';
    // Without an id the handler only explains its usage, which the committee may read.
    if (incidentId === undefined) return services.members.isCommittee(userId);
    return services.access.canSee(userId, incidentId);
  }
  // One listener per kind of payload, dispatching through the routing table: Bolt runs every listener's
  // matching for every request, so one per route would cost each request a pass over all of them.
  const actions = new Map(actionRoutes.map((r) => [r.actionId, r]));
  const views = new Map(viewRoutes.map((r) => [r.callbackId, r]));
  // Both receivers check every payload against its schema and this table before Bolt sees it.
  const gate = createGate(
    { command: COMMAND, actionIds: new Set(actions.keys()), callbackIds: new Set(views.keys()) },
    services.log,
  );

  const clientOptions = { slackApiUrl: config.slack.apiUrl, retryConfig };
  let receiver: Receiver;
  let httpReceiver: SlackHttpReceiver | undefined;
  let socketReceiver: Receiver | undefined;
  if (config.slack.mode === 'socket') {
    socketReceiver = gated(
      new SocketModeReceiver({
        appToken: config.slack.appToken as string,
        logger,
        // The socket client opens its connection through apps.connections.open: it must use SLACK_API_URL too.
        installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig } },
      }),
      gate,
    );
    receiver = socketReceiver;
  } else {
    httpReceiver = new SlackHttpReceiver({
      signingSecret: config.slack.signingSecret as string,
      gate,
      logger,
      log: services.log,
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

  // Slack's retries of events are answered at the edge (payloads.ts), before Bolt.
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });

  app.command(COMMAND, async (args) => {
    const typed = words(args.command.text);
    const userId = args.command.user_id;
    const found = findCommand(typed.length ? typed : ['help']);
    if (!found) {
      await args.ack({
        response_type: 'ephemeral',
        ...unknownCommandMessage(typed.join(' '), helpEntries(), services.access.standing(userId)),
      });
      return;
    }
    const { route, rest } = found;
    if (!allowed(userId, route.access, incidentArg(rest[0]))) {
      services.log.info({ user: userId, command: route.name }, 'denied: access');
      await args.ack({ response_type: 'ephemeral', text: denial(route.access) });
      return;
    }
    services.members.noteActivity(userId);
    await route.run(args, rest.join(' '), services);
  });

  app.action({ type: 'block_actions' }, async (args) => {
    const route = actions.get((args.action as { action_id?: string }).action_id ?? '');
    if (!route) {
      // Not reached: the edge answers an unknown action_id with 404 before Bolt sees it.
      await args.ack();
      return;
    }
    const incidentId = incidentOfAction(route, args.body);
    if (!allowed(args.body.user.id, route.access, incidentId)) {
      services.log.info({ user: args.body.user.id, action: route.actionId }, 'denied: access');
      await args.ack();
      await args
        .respond?.({ response_type: 'ephemeral', replace_original: false, text: denial(route.access) })
        .catch(() => {});
      return;
    }
    // A click in a modal or on the Home tab carries no response_url, so Bolt gives it no respond(): what a
    // handler would answer there is logged rather than thrown.
    const respond =
      args.respond ??
      (async () =>
        services.log.info({ action: route.actionId }, 'nowhere to answer a click without a response_url'));
    services.members.noteActivity(args.body.user.id);
    await route.run({ ...args, respond } as never, services, incidentId);
  });

  app.view({ type: 'view_submission' }, async (args) => {
    const route = views.get(args.view.callback_id);
    if (!route) {
      // Not reached: the edge answers an unknown callback_id with 404 before Bolt sees it.
      await args.ack();
      return;
    }
    const meta = parseMetadata(args.view.private_metadata);
    if (!allowed(args.body.user.id, route.access, meta.incidentId)) {
      services.log.info({ user: args.body.user.id, view: route.callbackId }, 'denied: access');
      const firstInput = args.view.blocks.find((b) => b.type === 'input')?.block_id;
      await args.ack(
        firstInput
          ? { response_action: 'errors', errors: { [firstInput]: denial(route.access) } }
          : { response_action: 'clear' },
      );
      return;
    }
    services.members.noteActivity(args.body.user.id);
    await route.run(args as never, services, meta);
  });

  // Events are acked by Bolt before any listener runs. The Home tab is everyone's: no access check, as
  // what it shows is decided by the person's standing when it is drawn.
  app.event('app_home_opened', async ({ event }) => {
    await homeOpened(event, services);
  });

  app.error(async (error) => {
    services.log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  return { app, httpReceiver, socketReceiver };
}
