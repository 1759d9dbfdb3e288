import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { WebClient } from '@slack/web-api';
import type { DestinationStream } from 'pino';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { resolveProfile } from './domain/profiles/index.js';
import { boltLogger, createLogger, faultOf, type Logger } from './logger.js';
import { Mailer } from './outbox/mail.js';
import { startScheduler } from './scheduler/scheduler.js';
import { closeServer, createHttpServer, listen } from './server.js';
import { createSlackApp, InFlight } from './slack/app.js';
import { preflight } from './slack/preflight.js';
import type { Services } from './slack/routes.js';
import { startCheckpointer } from './store/checkpointer.js';
import { closeDatabase, type Db, isDatabaseReachable, openDatabase } from './store/db.js';
import { emailStore } from './store/emails.js';
import type { MemberRow } from './store/members.js';
import { wireServices } from './wiring.js';

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
  /**
   * `manual`: no cron ticks and no wake-ups; due work runs only when a request makes it due or the caller
   * runs `runJobs()`. Integration tests use it so they decide when time passes, never racing a timer.
   */
  scheduler?: 'cron' | 'manual';
}

export interface Srp {
  port: number;
  db: Db;
  services: Services;
  log: Logger;
  /** One scheduler tick now: the planners, then every due row (tests, and a catch-up at start). */
  runJobs(): Promise<unknown>;
  stop(): Promise<void>;
}

/** How long shutdown waits for handlers that already acked to finish their Slack calls. */
const DRAIN_TIMEOUT_MS = 10_000;
/** A Slack call that hangs must not hold a due-work lease (60 s) or shutdown hostage. */
const SLACK_TIMEOUT_MS = 10_000;
/** How often the WAL is copied back into the database, off the event loop. */
const CHECKPOINT_EVERY_MS = 60_000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Formats one date in a time zone, as the scheduler and the rotation do, so ICU's data is loaded. */
function warmDateFormatting(): void {
  new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
    hour12: false,
  }).formatToParts(new Date());
}

/**
 * The composition root: config → store → services → due-work runner → Slack → scheduler. Data flows one
 * way: services depend on stores (never on each other to redraw anything), the runner on services' due
 * work handlers, the Slack app and the scheduler on both. Nothing below this file reads the environment
 * or constructs its own dependencies.
 */
export async function startSrp(config: Config, opts: SrpOptions = {}): Promise<Srp> {
  const clock = opts.clock ?? systemClock;
  const log = createLogger(config.logLevel, opts.logDestination);

  // Checked before the database is touched, so a wrong setup changes nothing on disk.
  const client = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(log),
    // Retries are the due-work queue's decision: it only repeats a post once it knows the first did not land.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: SLACK_TIMEOUT_MS,
  });
  const identity = await preflight(client, config);
  // ICU loads its date-formatting data on first use (about 30 ms, once): taken here, in a slice of its own,
  // so it does not add to whichever slice first formats a date (the cron schedule's, a card's).
  warmDateFormatting();
  await yieldToLoop();

  const db = openDatabase(config.databasePath, { checkpoints: 'external' });
  const checkpointer = startCheckpointer(config.databasePath);
  try {
    // The first write into the WAL fsyncs: it is made on the worker, before any request is taken.
    await checkpointer.warm();
    const wired = wireServices({
      db,
      client,
      clock,
      log,
      profile: resolveProfile(config.processFile?.profile ?? config.process, {
        maxCompanyShare: config.maxCompanyShare,
      }),
      securityChannel: config.securityChannel,
      announceChannel: config.announceChannel,
      disclosure: config,
      exports: config.exports,
      mailer: config.smtpUrl
        ? new Mailer({
            smtpUrl: config.smtpUrl,
            from: config.project.securityEmail ?? '',
            store: emailStore(db),
            clock,
            log,
          })
        : undefined,
      owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      identity,
    });
    const {
      store,
      members,
      owners,
      rotation,
      roles,
      incidents,
      severity,
      cards,
      access,
      departures,
      handoffs,
      schedule,
      phases,
      home,
      disclosure,
      leaks,
      publish,
      runner,
    } = wired;
    members.seedAdmins(config.admins);
    // Start-up is a few slices of synchronous work; between them, the event loop runs (health checks).
    await yieldToLoop();

    const services: Services = {
      incidents,
      members,
      owners,
      rotation,
      roles,
      severity,
      cards,
      access,
      departures,
      phases,
      schedule,
      home,
      approvals: wired.approvals,
      emails: wired.emails,
      exports: wired.exports,
      githubRepo: config.project.repo,
      disclosure,
      leaks,
      publish,
      stats: wired.stats,
      retrospective: wired.retrospective,
      dueWork: runner,
      profile: wired.members.profile,
      clock,
      log,
      publicUrl: config.publicUrl,
    };

    await yieldToLoop();
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
      onError: (err) => log.error({ fault: faultOf(err) }, 'an HTTP request failed'),
      calendar: (token) => {
        const expected = rotation.feedToken();
        if (!expected || !safeEqual(token, expected)) return undefined;
        return rotation.exportICal(calendarNames(members.list()));
      },
    });
    const port = await listen(server, config.port);
    if (slack.socketReceiver) await slack.socketReceiver.start();
    // No await from here on: main installs its fault guards when this returns, and Slack can already send
    // (a Socket Mode envelope the socket client cannot read is a rejection only those guards catch).

    const scheduler = startScheduler({
      planners: [
        { name: 'oncall-handoff', plan: () => handoffs.planAnnouncement() },
        { name: 'member-time-zones', plan: () => members.planZoneRefresh(), everyMinutes: 60 },
      ],
      runner,
      nextRunAt: () => store.dueWork.nextRunAt(),
      clock,
      log,
      mode: opts.scheduler ?? 'cron',
    });
    const checkpoints =
      opts.scheduler === 'manual'
        ? undefined
        : setInterval(
            () => void checkpointer.checkpoint().catch((err) => log.warn({ err }, 'WAL checkpoint failed')),
            CHECKPOINT_EVERY_MS,
          ).unref();
    log.info({ mode: config.slack.mode, port }, 'srp is running');
    // In the background: after an upgrade that changed the card layout, every open card is redrawn, paced.
    void inFlight.track(cards.refreshLayout());
    // Likewise when the way nudges are planned changed (or phases came in): every open incident is re-planned.
    void inFlight.track(schedule.refreshAll());

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
          // Due work interrupted here keeps its lease until it expires and is then taken again.
          await Promise.race([scheduler.stop(), new Promise((r) => setTimeout(r, DRAIN_TIMEOUT_MS).unref())]);
          const drained = await inFlight.drain(DRAIN_TIMEOUT_MS);
          if (!drained) log.warn({ pending: inFlight.size }, 'gave up waiting for work in flight');
          await closed;
          clearInterval(checkpoints);
          await checkpointer.stop();
          closeDatabase(db);
          log.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    await checkpointer.stop();
    closeDatabase(db);
    throw err;
  }
}
