import type { WebClient } from '@slack/web-api';
import type { Clock } from './clock.js';
import { DEFAULT_DISCLOSURE, DEFAULT_EXPORTS, type DisclosureConfig, type ExportSettings } from './config.js';
import type { ProcessProfile } from './domain/profiles/index.js';
import type { WorkKind } from './domain/work.js';
import type { Logger } from './logger.js';
import type { ApprovedAnnouncement } from './outbox/guard.js';
import type { Mailer } from './outbox/mail.js';
import { Outbox } from './outbox/outbox.js';
import { type DatabaseWork, DueWorkRunner, type WorkHandler } from './scheduler/runner.js';
import { accessService } from './services/access.js';
import { approvalService } from './services/approvals.js';
import { cardService } from './services/cards.js';
import { departureService } from './services/departures.js';
import { disclosureService } from './services/disclosure.js';
import { emailService } from './services/email.js';
import { exportService } from './services/exports.js';
import { handoffService } from './services/handoff.js';
import {
  homeRefresh,
  homeService,
  refreshingDepartures,
  refreshingMembers,
  refreshingOwners,
} from './services/home.js';
import { incidentService } from './services/incidents.js';
import { leakService, type SlackIdentity } from './services/leaks.js';
import { memberService } from './services/members.js';
import { ownerService } from './services/owners.js';
import { phaseService } from './services/phases.js';
import { publishService } from './services/publish.js';
import { retrospectiveService } from './services/retrospective.js';
import { roleService } from './services/roles.js';
import { rotationService } from './services/rotation.js';
import { scheduleService } from './services/schedule.js';
import { severityService } from './services/severity.js';
import { statsService } from './services/stats.js';
import { advisoryStore } from './store/advisory.js';
import { announcementStore } from './store/announcements.js';
import { type Db, transact } from './store/db.js';
import { deliveryStore } from './store/deliveries.js';
import { dmChannelStore } from './store/dmChannels.js';
import { dueWorkStore } from './store/dueWork.js';
import { homeStore } from './store/home.js';
import { incidentRoleStore } from './store/incidentRoles.js';
import { incidentStore } from './store/incidents.js';
import { memberStore } from './store/members.js';
import { metaStore } from './store/meta.js';
import { ownerStore } from './store/owners.js';
import { retrospectiveStore } from './store/retrospectives.js';
import { rotationStore } from './store/rotation.js';
import { severityStore } from './store/severity.js';
import { statsStore } from './store/stats.js';
import { nudgeDmStore, stepStore } from './store/steps.js';

/** Each store, built once, on one connection. */
export function stores(db: Db) {
  return {
    incidents: incidentStore(db),
    roles: incidentRoleStore(db),
    severity: severityStore(db),
    members: memberStore(db),
    owners: ownerStore(db),
    rotation: rotationStore(db),
    deliveries: deliveryStore(db),
    dmChannels: dmChannelStore(db),
    dueWork: dueWorkStore(db),
    meta: metaStore(db),
    steps: stepStore(db),
    nudgeDms: nudgeDmStore(db),
    advisory: advisoryStore(db),
    home: homeStore(db),
    announcements: announcementStore(db),
    stats: statsStore(db),
    retro: retrospectiveStore(db),
  };
}

export interface WiringOptions {
  db: Db;
  /** The Slack client every send uses: retries off (the queue retries), 429s rejected at once. */
  client: WebClient;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
  securityChannel: string;
  announceChannel: string;
  /** This process's name on the due-work leases it takes; two replicas must differ. */
  owner: string;
  /** The project's names, the texts' templates and SRP_APPROVALS (srp's own defaults when absent). */
  disclosure?: DisclosureConfig;
  /** The exports' CVE assigner and OSV ecosystem (srp's defaults when absent: no CVE records). */
  exports?: ExportSettings;
  /** Sends the disclosure emails (SRP_SMTP_URL); without it, the Fix Lead is reminded to send them. */
  mailer?: Mailer;
  /** srp's own bot and the workspace's address (auth.test), for the leak watcher; absent in unit tests. */
  identity?: SlackIdentity;
  /** Wraps each service's unit of work (tests use it to let another connection commit in between). */
  unitOfWork?: <T>(fn: () => T) => T;
  /** An incident's approved announcement (hash and Slack line); by default the approvals service's (tests may pass their own). */
  approvedAnnouncement?: (incidentId: string) => ApprovedAnnouncement | undefined;
}

/**
 * Stores → outbox → services → the due-work runner, wired once. Services depend on stores and on the
 * services below them (never on each other to redraw anything: the card is a projection); the runner
 * depends on every service's due-work handler. The composition root (srp.ts) adds Slack and the
 * scheduler on top; unit tests use this as it is.
 */
export function wireServices(o: WiringOptions) {
  const { db, client, clock, log, profile, securityChannel } = o;
  const store = stores(db);
  // Late-bound: the outbox's guard asks the approvals service, which is built on top of the outbox.
  const approvedAnnouncement =
    o.approvedAnnouncement ?? ((incidentId: string) => approvals.approvedTexts(incidentId));
  const outbox = new Outbox({
    client,
    deliveries: store.deliveries,
    dmChannels: store.dmChannels,
    clock,
    log,
    policy: { securityChannel, announceChannel: o.announceChannel, approvedAnnouncement },
    workspaceUrl: o.identity?.url,
  });
  const base = {
    dueWork: store.dueWork,
    outbox,
    transact: o.unitOfWork ?? (<T>(fn: () => T) => transact(db, fn)),
    clock,
    log,
  };
  // Which Home tabs a change makes stale: the services that record changes re-arm them.
  const homes = homeRefresh({ store: store.home, dueWork: store.dueWork, transact: base.transact });
  const members = refreshingMembers(
    memberService({ members: store.members, dueWork: store.dueWork, clock, log, profile, client }),
    homes,
    clock,
  );
  const rotation = rotationService({ ...base, rotation: store.rotation, members, securityChannel });
  // The Release Managers and the 2018 per-issue roles: who the schedule's steps name besides an
  // incident's own roles.
  const owners = refreshingOwners(
    ownerService({ store: store.owners, roles: store.roles, members, rotation, clock, log, profile }),
    homes,
    clock,
  );
  const roles = roleService({
    ...base,
    roles: store.roles,
    incidents: store.incidents,
    members,
    rotation,
    owners,
    profile,
  });
  const incidents = incidentService({ ...base, incidents: store.incidents });
  const severity = severityService({
    store: store.severity,
    incidents: store.incidents,
    roles: store.roles,
    clock,
    log,
    profile,
  });
  const schedule = scheduleService({
    ...base,
    incidents: store.incidents,
    roles: store.roles,
    severity: store.severity,
    steps: store.steps,
    nudgeDms: store.nudgeDms,
    meta: store.meta,
    workingHours: (userId) => members.workingHours(userId),
    owners,
    homes,
    disclosures: store.advisory,
    profile,
  });
  const phases = phaseService({
    ...base,
    incidents: store.incidents,
    steps: store.steps,
    schedule,
    members,
    profile,
  });
  const cards = cardService({ ...base, ...store, schedule, profile, securityChannel });
  const handoffs = handoffService({
    ...base,
    rotation,
    store: store.rotation,
    roles,
    homes,
    securityChannel,
  });
  const access = accessService({ members, roles: store.roles, owners, incidents: store.incidents });
  const departures = refreshingDepartures(
    departureService({ ...base, members, roles: store.roles, rotation }),
    homes,
    clock,
  );
  const home = homeService({ ...base, store: store.home, access, schedule, rotation, client });
  const disclosureConfig = o.disclosure ?? DEFAULT_DISCLOSURE();
  const approvals = approvalService({
    advisory: store.advisory,
    severity: store.severity,
    schedule,
    members,
    phases,
    outbox,
    clock,
    log,
    profile,
    project: disclosureConfig.project,
    templates: disclosureConfig.templates,
    needed: disclosureConfig.approvals,
    securityChannel,
  });
  const emails = emailService({
    ...base,
    advisory: store.advisory,
    approvals,
    steps: store.steps,
    mailer: o.mailer,
    roles: store.roles,
    members,
    profile,
  });
  const disclosure = disclosureService({
    ...base,
    advisory: store.advisory,
    schedule,
  });
  const leaks = leakService({
    ...base,
    advisory: store.advisory,
    incidents: store.incidents,
    roles: store.roles,
    phases,
    securityChannel,
    identity: o.identity,
  });
  const publish = publishService({
    ...base,
    incidents: store.incidents,
    steps: store.steps,
    advisory: store.advisory,
    announcements: store.announcements,
    schedule,
    profile,
    approvedAnnouncement,
  });
  const retrospective = retrospectiveService({
    ...base,
    incidents: store.incidents,
    roles: store.roles,
    advisory: store.advisory,
    retro: store.retro,
    steps: store.steps,
    schedule,
    members,
    phases,
    profile,
  });

  const stats = statsService({ stats: store.stats, profile });
  const exports = exportService({
    incidents: store.incidents,
    advisory: store.advisory,
    severity: store.severity,
    roles: store.roles,
    members,
    access,
    project: disclosureConfig.project,
    settings: o.exports ?? DEFAULT_EXPORTS,
    outbox,
    securityChannel,
    retrospective: (id) => retrospective.markdown(id),
  });

  // Every kind of due work and the service that does it: the one runner hands each row here.
  const handlers: Record<WorkKind, WorkHandler | DatabaseWork> = {
    'intake-roles': {
      database: (row) => {
        const { reportedAt } = JSON.parse(row.payload ?? '{}') as { reportedAt?: number };
        return roles.assignAtIntake(row.subject, new Date(reportedAt ?? row.dueAt.getTime()));
      },
    },
    card: (row) => cards.redraw(row.subject, row.key),
    receipt: (row) => incidents.deliverReceipt(row),
    'reporter-addition': (row) => incidents.postAddition(row),
    'addition-receipt': (row) => incidents.deliverReceipt(row),
    'ic-handoff-request': (row) => roles.deliverHandoffRequest(row),
    'ic-handoff-answer': (row) => roles.deliverHandoffAnswer(row),
    'ic-handoff-reminder': (row) => roles.remindHandoff(row),
    'role-notice': (row) => roles.deliverNotice(row),
    'cover-request': (row) => rotation.postCoverRequest(row),
    'cover-taken': (row) => rotation.deliverCoverTaken(row),
    'oncall-handoff': (row) => handoffs.postAnnouncement(row),
    'shift-digest': (row) => handoffs.deliverDigest(row),
    note: (row) => rotation.deliverNote(row),
    'member-zones': (row) => members.refreshTimeZones(row.subject),
    // The incident's nudges, and the disclosure emails its approved, scheduled texts make due.
    schedule: {
      database: (row) => [
        ...schedule.replan(row.subject),
        ...emails.plan(row.subject),
        ...retrospective.plan(row.subject),
      ],
    },
    nudge: (row) => schedule.deliverNudge(row),
    stale: (row) => schedule.deliverStale(row),
    'nudge-dm': (row) => schedule.deliverDigest(row),
    'public-notice': (row) => schedule.deliverPublicNotice(row),
    home: (row) => home.publish(row),
    'approval-notice': (row) => approvals.deliverNotice(row),
    email: (row) => emails.deliver(row),
    'email-check': (row) => emails.deliverCheck(row),
    'advisory-saved': (row) => disclosure.deliverSaved(row),
    'leak-alert': (row) => leaks.deliverAlert(row),
    'announce-schedule': (row) => publish.handOver(row),
    'announce-confirm': (row) => publish.confirm(row),
    'announce-unschedule': (row) => publish.unschedule(row),
    'notice-warning': (row) => publish.warnNotice(row),
    retrospective: (row) => retrospective.deliver(row),
  };
  const runner = new DueWorkRunner({
    store: store.dueWork,
    clock,
    log,
    owner: o.owner,
    handlers,
    // chat.update is Tier 3 (about 50 a minute): a backlog of stale cards is redrawn under it.
    // views.publish is Tier 4 (100+ a minute), shared with the modals people open.
    perDrain: { card: 40, home: 50 },
  });
  return {
    store,
    outbox,
    members,
    owners,
    rotation,
    roles,
    incidents,
    severity,
    cards,
    handoffs,
    access,
    departures,
    schedule,
    phases,
    home,
    approvals,
    disclosure,
    leaks,
    publish,
    runner,
    emails,
    stats,
    retrospective,
    exports,
  };
}
export type Wired = ReturnType<typeof wireServices>;
