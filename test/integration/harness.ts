import { Writable } from 'node:stream';
import { type Config, parseConfig } from '../../src/config.js';
import { type Srp, startSrp } from '../../src/srp.js';
import { TestClock } from '../support/clock.js';
import { FakeSlack, type FakeSlackOptions } from '../support/fakeSlack.js';
import { SlackDriver } from '../support/slackDriver.js';
import { tempDir } from '../support/tempDir.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const SECURITY = 'GSECURITY1';
export const ANNOUNCE = 'CANNOUNCE1';
export const ELSEWHERE = 'CGENERAL01';
export const ADMIN = 'UADMIN0001';
export const OUTSIDER = 'UOUTSIDE01';

/** A workspace with a private security channel the bot is in, a public announcements channel, and a general one. */
export function workspace(botUserId = 'UBOT000001'): FakeSlackOptions {
  return {
    botUserId,
    channels: [
      { id: SECURITY, name: 'src-private', is_private: true, members: [botUserId, ADMIN] },
      { id: ANNOUNCE, name: 'announcements', is_private: false, members: [botUserId] },
      { id: ELSEWHERE, name: 'general', is_private: false, members: [botUserId, ADMIN, OUTSIDER] },
    ],
    users: [
      { id: ADMIN, name: 'admin', tz: 'Europe/Berlin' },
      { id: OUTSIDER, name: 'outsider', tz: 'America/Los_Angeles' },
    ],
  };
}

export function testEnv(
  fake: FakeSlack,
  dbPath: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    DATABASE_URL: dbPath,
    SRP_SECURITY_CHANNEL: SECURITY,
    SRP_ANNOUNCE_CHANNEL: ANNOUNCE,
    SRP_ADMINS: ADMIN,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Two more committee members most integration tests have: Bea in Berlin and Cem in New York. */
export const BEA = 'UMEMBER002';
export const CEM = 'UMEMBER003';
export const BEA_AND_CEM = [
  { id: BEA, name: 'bea', tz: 'Europe/Berlin' },
  { id: CEM, name: 'cem', tz: 'America/New_York' },
];

/**
 * The integration workspace with more people in Slack, and those named in `inSecurity` (by default all of
 * them) also in the security channel, as committee members and associates are.
 */
export function workspaceWith(
  users: Array<{ id: string; name: string; tz?: string }>,
  inSecurity: string[] = users.map((u) => u.id),
): FakeSlackOptions {
  const ws = workspace();
  ws.users = [...(ws.users ?? []), ...users];
  ws.channels = ws.channels?.map((c) =>
    c.id === SECURITY ? { ...c, members: [...(c.members ?? []), ...inSecurity] } : c,
  );
  return ws;
}

/** What `testEnv` needs on top to run srp in Socket Mode against the fake. */
export const SOCKET_MODE = { SLACK_APP_TOKEN: 'xapp-1-A0FAKE-1-secret', SLACK_SIGNING_SECRET: '' };

export function configFrom(env: Record<string, string>): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.config;
}

/** Every log line the app wrote, so tests can prove what never reaches a log. */
export function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream, text: () => lines.join('') };
}

export interface Harness {
  fake: FakeSlack;
  srp: Srp;
  driver: SlackDriver;
  logs: ReturnType<typeof logCapture>;
  dbPath: string;
  /** Restarts srp on the same database and fake Slack. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export { TestClock };

/**
 * The real app (HTTP receiver on an ephemeral port, a temp SQLite file) against a fake Slack over HTTP.
 * Its scheduler is manual: no cron tick ever fires by itself, so a test never races one; work a request
 * makes due runs right after the answer, and a test runs everything else with `srp.runJobs()`.
 */
export async function startHarness(
  opts: { fake?: FakeSlackOptions; env?: Record<string, string>; clock?: TestClock } = {},
): Promise<Harness> {
  const tmp = tempDir();
  // Slack's clock is srp's: message timestamps and srp's records of its sends agree.
  const clock = opts.clock;
  const fake = await FakeSlack.start({
    ...(opts.fake ?? workspace()),
    ...(clock ? { now: () => clock.now().getTime() } : {}),
  });
  const dbPath = tmp.path('srp.db');
  const logs = logCapture();
  const config = configFrom(testEnv(fake, dbPath, opts.env));
  const start = () =>
    startSrp(config, { logDestination: logs.stream, clock: opts.clock, scheduler: 'manual' });
  const h: Harness = {
    fake,
    logs,
    dbPath,
    srp: await start(),
    driver: undefined as unknown as SlackDriver,
    async restart() {
      await h.srp.stop();
      h.srp = await start();
      h.driver = new SlackDriver({
        baseUrl: `http://127.0.0.1:${h.srp.port}`,
        signingSecret: SIGNING_SECRET,
        fake,
      });
    },
    async stop() {
      await h.srp.stop();
      await fake.stop();
      tmp.cleanup();
    },
  };
  h.driver = new SlackDriver({
    baseUrl: `http://127.0.0.1:${h.srp.port}`,
    signingSecret: SIGNING_SECRET,
    fake,
  });
  return h;
}

/**
 * Waits until every piece of work due by now is done (sent, redrawn): nothing runnable now is pending or
 * held by a runner. Work planned for later (a reminder tomorrow, a nudge waiting for working hours, a
 * retry after a backoff) does not count.
 */
export async function settled(h: Harness): Promise<void> {
  const due = h.srp.db.$client
    .prepare(
      "select key from due_work where state = 'pending' and (run_at <= ? or lease_owner is not null) limit 5",
    )
    .pluck();
  let left: unknown[] = [];
  await h.fake
    .waitFor(
      () => {
        left = due.all(h.srp.services.clock.now().getTime());
        return left.length === 0;
      },
      5000,
      'due work to settle',
    )
    .catch((err: Error) => {
      throw new Error(`${err.message} Still due: ${left.join(', ')}`);
    });
}

/**
 * Waits until no runner holds a row: whatever the last request set off has succeeded or given its row
 * back for a retry. A test that saw Slack fail waits for this before it moves the clock.
 */
export async function idle(h: Harness): Promise<void> {
  const held = h.srp.db.$client
    .prepare("select count(*) from due_work where state = 'pending' and lease_owner is not null")
    .pluck();
  await h.fake.waitFor(() => held.get() === 0, 5000, 'the runner to let go of its rows');
}

/** Runs the due work a service call made due (its card, its DMs), as the Slack layer does after answering. */
export async function follow(h: Harness, done: { due?: string[] }): Promise<void> {
  await h.srp.services.dueWork.run(done.due ?? []);
}

/** A complete, valid set of modal values, keyed as Slack sends them (block_id → action_id → element state). */
export function reportValues(patch: Record<string, object> = {}): Record<string, Record<string, object>> {
  const v = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
  const values: Record<string, Record<string, object>> = {
    summary: v('Path traversal in kubelet /logs endpoint'),
    description: v('GET /logs/../../etc/shadow returns the file to any authenticated user.'),
    components: v('kubelet v1.30.0-v1.32.2'),
    arrival: {
      value: {
        type: 'static_select',
        selected_option: { value: 'hackerone', text: { type: 'plain_text', text: 'HackerOne' } },
      },
    },
    arrivalRef: v('https://hackerone.com/reports/2345678'),
    disclosure: {
      value: {
        type: 'radio_buttons',
        selected_option: { value: 'private', text: { type: 'plain_text', text: 'No' } },
      },
    },
    reporterName: v('Ada Lovelace'),
    reporterContact: v('ada@example.org'),
    receivedAt: {
      value: { type: 'datetimepicker', selected_date_time: Math.floor(Date.now() / 1000) - 3600 },
    },
    cveId: v(null),
  };
  for (const [block, state] of Object.entries(patch)) values[block] = { value: state };
  return values;
}

/**
 * Files a report through the real modal as `userId` and waits for its card and the reporter's
 * receipt. Returns the new incident's id.
 */
export async function fileReport(
  h: Harness,
  opts: { userId?: string; values?: Record<string, object> } = {},
): Promise<string> {
  const userId = opts.userId ?? OUTSIDER;
  const known = new Set(h.srp.services.incidents.listOpen().map((i) => i.id));
  const opened = h.fake.okCallsTo('views.open').length;
  await h.driver.command('report', { userId });
  const open = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
  // The app's clock may be a test's: the report arrived an hour before it.
  const receivedAt = Math.floor(h.srp.services.clock.now().getTime() / 1000) - 3600;
  await h.driver.viewSubmission({
    userId,
    viewId: (open.response as { view: { id: string } }).view.id,
    values: reportValues({
      receivedAt: { type: 'datetimepicker', selected_date_time: receivedAt },
      ...opts.values,
    }),
  });
  const id = await h.fake.waitFor(
    () => h.srp.services.incidents.listOpen().find((i) => !known.has(i.id))?.id,
  );
  await h.fake.waitFor(
    () =>
      h.fake.messages(SECURITY).some((m) => m.text.endsWith(id)) &&
      h.fake.messages(h.fake.dmChannelId(userId)).some((m) => m.text.includes(id)),
  );
  // And the rest it made due (the notices to the people given roles).
  await settled(h);
  return id;
}
