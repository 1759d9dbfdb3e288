import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import { WebClient } from '@slack/web-api';
import type { DestinationStream } from 'pino';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { profileWith } from './domain/profiles.js';
import { boltLogger, createLogger, type Logger } from './logger.js';
import { Outbox } from './outbox/outbox.js';
import { startScheduler } from './scheduler/scheduler.js';
import { closeServer, createHttpServer, listen } from './server.js';
import { handoffService } from './services/handoff.js';
import { incidentService } from './services/incidents.js';
import { memberService } from './services/members.js';
import { type RoleService, roleService } from './services/roles.js';
import { rotationService } from './services/rotation.js';
import { severityService } from './services/severity.js';
import { createSlackApp, InFlight } from './slack/app.js';
import { preflight } from './slack/preflight.js';
import type { Services } from './slack/routes.js';
import { closeDatabase, type Db, isDatabaseReachable, openDatabase } from './store/db.js';
import { deliveryStore } from './store/deliveries.js';
import { incidentRoleStore } from './store/incidentRoles.js';
import { incidentStore } from './store/incidents.js';
import { type MemberRow, memberStore } from './store/members.js';
import { rotationStore } from './store/rotation.js';
import { severityStore } from './store/severity.js';

/** Constant-time comparison for the calendar feed's secret token. */
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Names for calendar events: Slack ids only, since the feed leaves Slack. */
function calendarNames(members: MemberRow[]): Record<string, { name: string }> {
  return Object.fromEntries(members.map((m) => [m.userId, { name: m.userId }]));
}

export interface SrpOptions {
  clock?: Clock;
  logDestination?: DestinationStream;
}

export interface Srp {
  port: number;
  db: Db;
  services: Services;
  log: Logger;
  /** Runs the scheduler's jobs now (tests, and a catch-up at start). */
  runJobs(): Promise<void>;
  stop(): Promise<void>;
}

/** How long shutdown waits for handlers that already acked to finish their Slack calls. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * The composition root: config → store → services → Slack → scheduler.
 * Nothing below this file reads the environment or constructs its own dependencies.
 */
export async function startSrp(config: Config, opts: SrpOptions = {}): Promise<Srp> {
  const clock = opts.clock ?? systemClock;
  const log = createLogger(config.logLevel, opts.logDestination);

  // Checked before the database is touched, so a wrong setup changes nothing on disk.
  const outboxClient = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(log),
    // Retries are the outbox's decision: it only repeats a post once it knows the first did not land.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const identity = await preflight(outboxClient, config);

  const db = openDatabase(config.databasePath);
  try {
    const deliveries = deliveryStore(db);
    const outbox = new Outbox({
      client: outboxClient,
      deliveries,
      clock,
      log,
      policy: { securityChannel: config.securityChannel, announceChannel: config.announceChannel },
    });
    const profile = profileWith(config.profile, { maxCompanyShare: config.maxCompanyShare });
    const members = memberService({ members: memberStore(db), clock, log, profile, client: outboxClient });
    members.seedAdmins(config.admins);
    const rotationRows = rotationStore(db);
    const rotation = rotationService({
      rotation: rotationRows,
      members,
      outbox,
      clock,
      log,
      securityChannel: config.securityChannel,
    });
    // Incidents and roles refer to each other (the card shows roles; role changes redraw the card).
    let roles: RoleService | undefined;
    const incidents = incidentService({
      incidents: incidentStore(db),
      outbox,
      clock,
      log,
      securityChannel: config.securityChannel,
      roles: {
        cardRoles: (id) => (roles as RoleService).cardRoles(id),
        cardSeverity: (id) => severity.state(id),
        assignAtIntake: (id, at) => (roles as RoleService).assignAtIntake(id, at),
      },
    });
    roles = roleService({
      roles: incidentRoleStore(db),
      incidents: incidentStore(db),
      members,
      rotation,
      outbox,
      clock,
      log,
      refreshCard: (id) => incidents.refreshCard(id),
    });
    const severity = severityService({
      store: severityStore(db),
      incidents: incidentStore(db),
      clock,
      log,
      profile: config.profile,
      decider: (id) => (roles as RoleService).fixLead(id) ?? (roles as RoleService).commander(id),
      refreshCard: (id) => incidents.refreshCard(id),
    });
    const handoffs = handoffService({
      rotation,
      store: rotationRows,
      roles,
      outbox,
      clock,
      log,
      securityChannel: config.securityChannel,
    });
    const services: Services = {
      severity,
      profile: config.profile,
      incidents,
      members,
      rotation,
      roles,
      clock,
      log,
      publicUrl: config.publicUrl,
    };

    const inFlight = new InFlight();
    // Interactive calls (views.open) have a 3-second trigger: one quick retry at most.
    const slack = createSlackApp(config, services, identity, inFlight, {
      retries: 1,
      minTimeout: 200,
      maxTimeout: 500,
    });

    const server: Server = createHttpServer({
      healthy: () => isDatabaseReachable(db),
      slack: slack.httpReceiver?.requestListener,
      calendar: (token) => {
        const expected = rotation.feedToken();
        if (!expected || !safeEqual(token, expected)) return undefined;
        return rotation.exportICal(calendarNames(members.list()));
      },
    });
    const port = await listen(server, config.port);
    if (slack.socketReceiver) await slack.socketReceiver.start();

    const scheduler = startScheduler(
      [
        { name: 'intake-sweep', run: () => incidents.sweep() },
        { name: 'oncall-handoff', run: () => handoffs.announceIfChanged() },
        { name: 'cover-requests', run: () => rotation.sweepCoverRequests() },
        { name: 'ic-handoff-reminders', run: () => (roles as RoleService).remindPendingHandoffs() },
        { name: 'member-time-zones', run: () => members.refreshTimeZones(), everyMinutes: 24 * 60 },
      ],
      log,
    );
    log.info({ mode: config.slack.mode, port }, 'srp is running');
    void inFlight.track(incidents.redrawCards());

    let stopping: Promise<void> | undefined;
    return {
      port,
      db,
      services,
      log,
      runJobs: () => scheduler.runNow(),
      stop() {
        stopping ??= (async () => {
          log.info('stopping: no new requests; finishing work in flight');
          const closed = closeServer(server);
          if (slack.socketReceiver) await slack.socketReceiver.stop();
          // A job waiting out a rate limit must not hold shutdown hostage.
          await Promise.race([scheduler.stop(), new Promise((r) => setTimeout(r, DRAIN_TIMEOUT_MS).unref())]);
          const drained = await inFlight.drain(DRAIN_TIMEOUT_MS);
          if (!drained) log.warn({ pending: inFlight.size }, 'gave up waiting for work in flight');
          await closed;
          closeDatabase(db);
          log.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    closeDatabase(db);
    throw err;
  }
}
