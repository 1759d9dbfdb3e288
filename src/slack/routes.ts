import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import type { Logger } from '../logger.js';
import type { AccessService } from '../services/access.js';
import type { ApprovalService } from '../services/approvals.js';
import type { CardService } from '../services/cards.js';
import type { DepartureService } from '../services/departures.js';
import type { DisclosureService } from '../services/disclosure.js';
import type { EmailService } from '../services/email.js';
import type { ExportService } from '../services/exports.js';
import type { HomeService } from '../services/home.js';
import type { IncidentService } from '../services/incidents.js';
import type { LeakService } from '../services/leaks.js';
import type { MemberService } from '../services/members.js';
import type { OwnerService } from '../services/owners.js';
import type { PhaseService } from '../services/phases.js';
import type { PublishService } from '../services/publish.js';
import type { RetrospectiveService } from '../services/retrospective.js';
import type { RoleService } from '../services/roles.js';
import type { RotationService } from '../services/rotation.js';
import type { ScheduleService } from '../services/schedule.js';
import type { SeverityService } from '../services/severity.js';
import type { StatsService } from '../services/stats.js';
import { type HelpEntry, helpMessage } from '../views/help.js';
import { announceActions, announceRoutes, announceViews } from './handlers/announce.js';
import { statusRoute } from './handlers/commands.js';
import { disclosureActions, disclosureRoutes, disclosureViews } from './handlers/disclosure.js';
import { draftsActions, draftsRoutes } from './handlers/drafts.js';
import { exportRoutes } from './handlers/exports.js';
import { homeReportAction } from './handlers/home.js';
import { leakActions, leakRoutes, leakWatchEvent } from './handlers/leaks.js';
import { membersRoutes } from './handlers/members.js';
import { oncallActions, oncallImportRoute, oncallImportView, oncallRoutes } from './handlers/oncall.js';
import { ownerRoutes } from './handlers/owners.js';
import { phaseActions, phaseRoutes, phaseViews } from './handlers/phases.js';
import {
  editReportAction,
  editReportView,
  reportAddCommand,
  reportAddView,
  reportCommand,
  reportView,
} from './handlers/report.js';
import { retroActions, retroRoutes, retroViews } from './handlers/retrospective.js';
import { fixLeadView, roleActions, roleRoutes, takeCommandView } from './handlers/roles.js';
import { severityActions, severityRoutes, severityViews } from './handlers/severity.js';
import { statsRoute } from './handlers/stats.js';
import type { ModalMetadata } from './parse.js';

/** What every handler may use: services, never the store or SQL. */
export interface Services {
  incidents: IncidentService;
  members: MemberService;
  /** The Release Managers' roster and the 2018 per-issue roles. */
  owners: OwnerService;
  rotation: RotationService;
  roles: RoleService;
  severity: SeverityService;
  cards: CardService;
  access: AccessService;
  departures: DepartureService;
  phases: PhaseService;
  schedule: ScheduleService;
  /** The Home tab: what each person sees there, and its publishing. */
  home: HomeService;
  approvals: ApprovalService;
  emails: EmailService;
  /** An incident's records for the world (CVE, OSV, CVE map, advisory) and its retrospective. */
  exports: ExportService;
  /** The project's GitHub repository (`owner/name`), for the tracking issue's new-issue link. */
  githubRepo: string;
  disclosure: DisclosureService;
  leaks: LeakService;
  /** The announcement: its target time, Slack's schedule, publishing. */
  publish: PublishService;
  /** The committee's figures over a period (`/srp stats`, and `npx srp stats` outside Slack). */
  stats: StatsService;
  /** The retrospective after publication, and closing a complete incident. */
  retrospective: RetrospectiveService;
  /** Runs the due work a change made due (its keys), after the request has been answered. */
  dueWork: { run(keys: readonly string[]): Promise<void> };
  /** The process document whose rules apply. */
  profile: ProcessProfile;
  clock: Clock;
  log: Logger;
  publicUrl: string | undefined;
}

/**
 * Who may use a route: `anyone` in the workspace; the `involved` (the committee, the Release Managers,
 * and anyone on an open incident's Fix Team); the `committee` (members and associates); `member`
 * (full members only); `incident`: whoever may see the incident concerned (the committee's members,
 * associates for public ones, that incident's Fix Team, and the Release Managers from its release on),
 * checked against the incident the edge resolved for the request, the same one the handler then gets.
 */
export type Access = 'anyone' | 'involved' | 'committee' | 'member' | 'incident';

/**
 * Where a button or select names its incident: its `value`, or its `block_id` (`what:SRP-…`, for selects,
 * which carry no value). Modals always name it in their private_metadata.
 */
export type IncidentSource = 'value' | 'block';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type EventArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

export interface CommandRoute {
  /** One or more words after `/srp`; the longest route matching the typed words wins. */
  name: string;
  usage: string;
  description: string;
  /** For `incident`, the incident is the first word after the route's name. */
  access: Access;
  run(args: CommandArgs, rest: string, services: Services): Promise<void>;
}

export interface ActionRoute {
  actionId: string;
  access: Access;
  /** Where the incident is named; required for `incident` access, and the handler gets the same id. */
  incidentFrom?: IncidentSource;
  run(args: ActionArgs, services: Services, incidentId: string | undefined): Promise<void>;
}

export interface ViewRoute {
  callbackId: string;
  access: Access;
  /** The view's private_metadata, read once at the edge; its incidentId is what access was checked on. */
  run(args: ViewArgs, services: Services, meta: ModalMetadata): Promise<void>;
}

export interface EventRoute {
  /** An event srp subscribes to (manifest.yml's bot_events); its payload is checked at the edge. */
  event: 'message';
  /** Slack telling srp what happened, not a person asking: no one's role is checked to take it in. */
  access: 'anyone';
  /** Slack has been answered before this runs (Bolt acks events first). */
  run(args: EventArgs, services: Services): Promise<void>;
}

/**
 * The routing table: every way into srp, with the access it needs. Access is
 * checked in one place (slack/app.ts) against the database on every request,
 * before any handler runs, so no handler can forget it.
 */
export const commandRoutes: CommandRoute[] = [];

/** Lives beside the table it describes. */
const helpRoute: CommandRoute = {
  name: 'help',
  usage: 'help',
  description: 'Every command with what it does.',
  access: 'anyone',
  async run({ ack, command }, _rest, { access }) {
    await ack({
      response_type: 'ephemeral',
      ...helpMessage(helpEntries(), access.standing(command.user_id)),
    });
  },
};

/** Every command as help lists it, with who may use it. */
export function helpEntries(): HelpEntry[] {
  return commandRoutes.map((r) => ({
    name: r.name,
    usage: r.usage,
    description: r.description,
    access: r.access,
  }));
}

commandRoutes.push(
  reportCommand,
  reportAddCommand,
  statusRoute,
  ...membersRoutes,
  ...oncallRoutes,
  oncallImportRoute,
  ...roleRoutes,
  ...ownerRoutes,
  ...phaseRoutes,
  ...severityRoutes,
  ...draftsRoutes,
  ...disclosureRoutes,
  ...leakRoutes,
  ...announceRoutes,
  statsRoute,
  ...retroRoutes,
  ...exportRoutes,
  helpRoute,
);
export const actionRoutes: ActionRoute[] = [
  editReportAction,
  homeReportAction,
  ...oncallActions,
  ...roleActions,
  ...phaseActions,
  ...severityActions,
  ...draftsActions,
  ...disclosureActions,
  ...leakActions,
  ...announceActions,
  ...retroActions,
];
export const viewRoutes: ViewRoute[] = [
  reportView,
  reportAddView,
  editReportView,
  fixLeadView,
  takeCommandView,
  oncallImportView,
  ...phaseViews,
  ...severityViews,
  ...disclosureViews,
  ...announceViews,
  ...retroViews,
];

export const eventRoutes: EventRoute[] = [leakWatchEvent];

/** The route for typed words: the longest name that is a prefix of them. */
export function findCommand(typed: string[]): { route: CommandRoute; rest: string[] } | undefined {
  const lower = typed.map((w) => w.toLowerCase());
  let best: { route: CommandRoute; rest: string[] } | undefined;
  for (const route of commandRoutes) {
    const parts = route.name.split(' ');
    if (
      parts.every((p, i) => lower[i] === p) &&
      (!best || parts.length > best.route.name.split(' ').length)
    ) {
      best = { route, rest: typed.slice(parts.length) };
    }
  }
  // A route that takes no arguments does not swallow a mistyped subcommand (`members remov @x`).
  if (best && best.rest.length > 0 && best.route.usage === best.route.name) return undefined;
  return best;
}
