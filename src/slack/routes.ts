import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { IncidentService } from '../services/incidents.js';
import type { MemberService, Role } from '../services/members.js';
import { helpMessage } from '../views/help.js';
import { statusRoute } from './handlers/commands.js';
import { editReportAction, editReportView, reportCommand, reportView } from './handlers/report.js';

/** What every handler may use: services, never the store or SQL. */
export interface Services {
  incidents: IncidentService;
  members: MemberService;
  clock: Clock;
  log: Logger;
}

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export interface CommandRoute {
  name: string;
  usage: string;
  description: string;
  role: Role;
  run(args: CommandArgs, rest: string, services: Services): Promise<void>;
}

export interface ActionRoute {
  actionId: string;
  role: Role;
  run(args: ActionArgs, services: Services): Promise<void>;
}

export interface ViewRoute {
  callbackId: string;
  role: Role;
  run(args: ViewArgs, services: Services): Promise<void>;
}

/**
 * The routing table: every way into srp, with the role it needs. The role is
 * checked in one place (slack/app.ts) against the database on every request,
 * before any handler runs, so no handler can forget it.
 */
export const commandRoutes: CommandRoute[] = [];

/** Lives beside the table it describes. */
const helpRoute: CommandRoute = {
  name: 'help',
  usage: 'help',
  description: 'Every command with what it does.',
  role: 'anyone',
  async run({ ack, command }, _rest, { members }) {
    const entries = commandRoutes.map((r) => ({
      usage: r.usage,
      description: r.description,
      membersOnly: r.role !== 'anyone',
    }));
    await ack({ response_type: 'ephemeral', ...helpMessage(entries, members.isCommittee(command.user_id)) });
  },
};

commandRoutes.push(reportCommand, statusRoute, helpRoute);
export const actionRoutes: ActionRoute[] = [editReportAction];
export const viewRoutes: ViewRoute[] = [reportView, editReportView];
