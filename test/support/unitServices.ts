import { WebClient } from '@slack/web-api';
import { asc } from 'drizzle-orm';
import type { Membership } from '../../src/domain/committee.js';
import { type ProcessId, resolveProfile } from '../../src/domain/profiles/index.js';
import type { ReportDraft } from '../../src/domain/report.js';
import type { RotationRules } from '../../src/domain/rotation.js';
import { work } from '../../src/domain/work.js';
import { boltLogger, createLogger } from '../../src/logger.js';
import { closeDatabase, type Db, openDatabase, transact } from '../../src/store/db.js';
import { dueWork } from '../../src/store/schema.js';
import { wireServices } from '../../src/wiring.js';
import { ANNOUNCE, OUTSIDER, SECURITY, workspace } from '../integration/harness.js';
import { readyDisclosure } from './advisory.js';
import type { TestClock } from './clock.js';
import { FakeSlack, type FakeSlackOptions } from './fakeSlack.js';
import { tempDir } from './tempDir.js';

export const log = createLogger('silent');

/** A WebClient as srp.ts builds it (no retries, 429s rejected at once), pointed at the fake. */
export function slackClient(fake: FakeSlack): WebClient {
  return new WebClient('xoxb-test-token', {
    slackApiUrl: fake.apiUrl,
    logger: boltLogger(log),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/**
 * Stores, the outbox, the services and the due-work runner on one connection, wired by src/wiring.ts as
 * srp.ts wires them. `beforeUnitOfWork` runs before each service transaction opens: a test uses it to
 * let another replica commit between a service's read and its write.
 */
function wire(db: Db, fake: FakeSlack, clock: TestClock, o: ConnectOptions) {
  const profile = resolveProfile(o.process ?? 'src', {});
  const wired = wireServices({
    db,
    client: slackClient(fake),
    clock,
    log,
    profile,
    securityChannel: SECURITY,
    announceChannel: ANNOUNCE,
    owner: o.owner ?? 'unit',
    disclosure: readyDisclosure(),
    unitOfWork: <T>(fn: () => T) => {
      o.beforeUnitOfWork?.();
      return transact(db, fn);
    },
  });
  return { db, profile, ...wired };
}
export type Wired = ReturnType<typeof wire>;

interface ConnectOptions {
  owner?: string;
  process?: ProcessId;
  beforeUnitOfWork?: () => void;
}

/**
 * A temp SQLite file and a FakeSlack (the integration workspace unless told otherwise), with `connect()`
 * for each replica's own connection and services. `addPerson` puts someone on the committee and in Slack.
 */
export async function unitWorld(clock: TestClock, opts: { fake?: FakeSlackOptions } = {}) {
  const tmp = tempDir();
  const fake = await FakeSlack.start(opts.fake ?? workspace());
  const dbs: Db[] = [];
  const connect = (o: ConnectOptions = {}): Wired => {
    const db = openDatabase(tmp.path('srp.db'));
    dbs.push(db);
    return wire(db, fake, clock, o);
  };
  const srp = connect();
  return {
    fake,
    clock,
    srp,
    connect,
    addPerson(userId: string, membership: Membership = 'member', at = clock.now()): void {
      fake.addUser({ id: userId, name: userId.toLowerCase() });
      srp.store.members.addIfAbsent(userId, membership, 'test', at);
    },
    async stop(): Promise<void> {
      for (const db of dbs) closeDatabase(db);
      await fake.stop();
      tmp.cleanup();
    },
  };
}
export type UnitWorld = Awaited<ReturnType<typeof unitWorld>>;

/** A valid report as the modal would give it, received an hour before `now`. */
export function reportDraft(now: Date, patch: Partial<ReportDraft> = {}): ReportDraft {
  return {
    summary: 'Path traversal in kubelet /logs endpoint',
    description: 'GET /logs/../../etc/shadow returns the file to any authenticated user.',
    components: 'kubelet v1.30.0-v1.32.2',
    arrival: 'hackerone',
    arrivalRef: 'https://hackerone.com/reports/2345678',
    disclosure: 'private',
    reporterName: 'Ada Lovelace',
    reporterContact: 'ada@example.org',
    receivedAt: new Date(now.getTime() - 3_600_000),
    cveId: null,
    ...patch,
  };
}

let views = 0;
/**
 * Files a report through the incident service (a fresh modal each time), gives it its roles as the work
 * run right after the answer does (their notices stay due), and returns the incident's id.
 */
export function fileReport(
  w: Wired,
  clock: TestClock,
  patch: Partial<ReportDraft> = {},
  by = OUTSIDER,
): string {
  const r = w.incidents.submit(reportDraft(clock.now(), patch), {
    userId: by,
    sourceKey: `view:V${++views}`,
  });
  if (!r.ok) throw new Error(`the test's report is invalid: ${JSON.stringify(r.errors)}`);
  w.runner.runDatabaseWork(work.intakeRoles(r.incident.id, clock.now()).key);
  return r.incident.id;
}

/** Weekly shifts handing off on Mondays at 09:00 UTC, shift 0 starting on Monday 2026-11-02. */
export const weekly = (order: string[]): RotationRules => ({
  order,
  handoffWeekday: 1,
  handoffTime: '09:00',
  zone: 'UTC',
  startDate: '2026-11-02',
});

/** Every due-work row, by key. */
export const dueRows = (w: Wired) => w.db.select().from(dueWork).orderBy(asc(dueWork.key)).all();
