import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fakeSlack.js';
import { slashCommandForm } from '../support/payloads.js';
import { closedPort } from '../support/ports.js';
import { SlackDriver } from '../support/slackDriver.js';
import { portOf, type Running, runSrp, until } from '../support/srpProcess.js';
import { tempDir } from '../support/tempDir.js';
import {
  ADMIN,
  OUTSIDER,
  reportValues,
  SECURITY,
  SIGNING_SECRET,
  SOCKET_MODE,
  testEnv,
  workspace,
} from './harness.js';

/** srp as a process on a fresh database and fake Slack, and a driver for its port. */
async function startedSrp() {
  const tmp = tempDir();
  const fake = await FakeSlack.start(workspace());
  cleanups.push(() => fake.stop(), tmp.cleanup);
  const env = testEnv(fake, tmp.path('srp.db'));
  const first = runSrp(env, tmp.dir);
  started.push(first);
  const driver = new SlackDriver({
    baseUrl: `http://127.0.0.1:${await until(() => portOf(first), 'srp to listen')}`,
    signingSecret: SIGNING_SECRET,
    fake,
  });
  return { tmp, fake, env, first, driver };
}

/** Files a report through the real modal, as OUTSIDER. */
async function fileReportTo(driver: SlackDriver, fake: FakeSlack) {
  await driver.command('report', { userId: OUTSIDER });
  const open = await fake.waitFor(() => fake.okCallsTo('views.open').at(-1));
  await driver.viewSubmission({
    userId: OUTSIDER,
    viewId: (open.response as { view: { id: string } }).view.id,
    values: reportValues(),
  });
}

const started: Running[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const r of started.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  for (const c of cleanups.splice(0)) await c();
});

describe('srp as a process', () => {
  it('with nothing configured, prints one message listing what is missing and exits non-zero', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const r = runSrp({}, tmp.dir);
    expect(await r.exited).toBe(1);
    const err = r.err();
    for (const key of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SRP_SECURITY_CHANNEL',
      'SRP_ANNOUNCE_CHANNEL',
      'SRP_ADMINS',
    ]) {
      expect(err).toContain(key);
    }
    expect(err.match(/srp cannot start/g)).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('with a broken SRP_PROCESS_FILE, prints one message listing every problem in it and exits non-zero', async () => {
    const tmp = tempDir();
    const fake = await FakeSlack.start(workspace());
    cleanups.push(() => fake.stop(), tmp.cleanup);
    const file = tmp.path('process.yml');
    writeFileSync(file, 'deadline:\n  cvss_scored: 7 days\nstaleness: { High: soon }\n');
    const r = runSrp(testEnv(fake, tmp.path('srp.db'), { SRP_PROCESS_FILE: file }), tmp.dir);
    expect(await r.exited).toBe(1);
    expect(r.err()).toBe(
      [
        'srp cannot start: the configuration is not valid.',
        `  - ${file}: extends is missing: start the file with "extends: src" or "extends: pst2018"`,
        `  - ${file}: staleness.High: "soon" is not a duration; write it like 7d, 36h or P7D, or none for no limit`,
        `  - ${file}: unknown key "deadline" at the top level; did you mean "deadlines"? (allowed: extends, deadlines, nudges, staleness)`,
        'Set these in the environment or in .env (see .env.example).',
        '',
      ].join('\n'),
    );
    // Checked before Slack or the database is touched.
    expect(fake.calls).toEqual([]);
    expect(existsSync(tmp.path('srp.db'))).toBe(false);
  });

  it('refuses to start when the security channel is public, and says why', async () => {
    const tmp = tempDir();
    const ws = workspace();
    ws.channels = ws.channels?.map((c) => (c.id === SECURITY ? { ...c, is_private: false } : c));
    const fake = await FakeSlack.start(ws);
    cleanups.push(() => fake.stop(), tmp.cleanup);
    const r = runSrp(testEnv(fake, tmp.path('srp.db')), tmp.dir);
    expect(await r.exited).toBe(1);
    expect(r.err()).toMatch(/SRP_SECURITY_CHANNEL .* is not a private channel/);
    expect(r.err()).not.toMatch(/\n\s+at /);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('with Slack unreachable, says it could not reach Slack (not that the token was rejected) and exits 1', async () => {
    const tmp = tempDir();
    const fake = await FakeSlack.start(workspace());
    cleanups.push(() => fake.stop(), tmp.cleanup);
    const apiUrl = `http://127.0.0.1:${await closedPort()}/api/`;
    const r = runSrp(testEnv(fake, tmp.path('srp.db'), { SLACK_API_URL: apiUrl }), tmp.dir);
    expect(await r.exited).toBe(1);
    // One line, after three tries a second and two apart; no stack trace, no word about the token.
    expect(r.err()).toBe(
      `srp cannot start: Could not reach Slack at ${apiUrl} (auth.test: ECONNREFUSED, 3 tries): check the network or SLACK_API_URL.\n`,
    );
    // stdout has the client's log line of each failed try, and no stack trace either.
    expect(r.out()).not.toMatch(/\n\s+at /);
    expect(fake.calls).toEqual([]);
    // Checked before the database is touched.
    expect(existsSync(tmp.path('srp.db'))).toBe(false);
  });

  it('keeps every incident and its timeline across kill -9, and does not re-post the card', async () => {
    const { tmp, fake, env, first, driver } = await startedSrp();
    await fileReportTo(driver, fake);
    // The card, the reporter's receipt and the Fix Lead's notice.
    // srp runs as a child here (no settled()): wait for the outcome, then check nothing more was posted.
    await fake.waitFor(() => fake.okCallsTo('chat.postMessage').length >= 3);
    expect(fake.okCallsTo('chat.postMessage')).toHaveLength(3);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);

    const second = runSrp(env, tmp.dir);
    started.push(second);
    const port2 = await until(() => portOf(second), 'srp to listen again');
    await until(() => second.out().includes('start-up catch-up done'), 'the start-up catch-up');
    expect(fake.okCallsTo('chat.postMessage')).toHaveLength(3);
    expect(fake.messages(SECURITY)).toHaveLength(1);

    const driver2 = new SlackDriver({
      baseUrl: `http://127.0.0.1:${port2}`,
      signingSecret: SIGNING_SECRET,
      fake,
    });
    const status = await driver2.command('status', { userId: ADMIN, channelId: SECURITY });
    expect(JSON.stringify(status.json)).toMatch(/SRP-\d{4}-001/);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const db = new Database(tmp.path('srp.db'), { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from incidents').get()).toEqual({ n: 1 });
      expect(db.prepare('select type from incident_events order by id').all()).toEqual([
        { type: 'created' },
        { type: 'role_changed' },
      ]);
      expect(db.prepare('select role, user_id from incident_roles').all()).toEqual([
        { role: 'fix_lead', user_id: ADMIN },
      ]);
    } finally {
      db.close();
    }
  });

  it('kill -9 while a card is being posted: its row is taken again after the lease, and nothing is sent twice', async () => {
    const { tmp, fake, env, first, driver } = await startedSrp();
    // Slack takes its time with the card: srp is killed while the post is in flight.
    fake.delayNext('chat.postMessage', 1000);
    await fileReportTo(driver, fake);
    await fake.waitFor(() => fake.arrived.includes('chat.postMessage'));
    first.child.kill('SIGKILL');
    await first.exited;
    // Slack did post it, but srp never learnt the ts.
    const [card] = await fake.waitFor(() => fake.messages(SECURITY).length === 1 && fake.messages(SECURITY));

    const db = new Database(tmp.path('srp.db'));
    const id = (db.prepare('select id from incidents').get() as { id: string }).id;
    const row = () =>
      db
        .prepare('select state, lease_owner, run_at, attempts from due_work where key = ?')
        .get(`card:${id}`) as {
        state: string;
        lease_owner: string | null;
        run_at: number;
        attempts: number;
      };
    // The dead process still holds the row, until its lease ends.
    expect(row()).toMatchObject({ state: 'pending', attempts: 1 });
    expect(row().lease_owner).not.toBeNull();
    expect(row().run_at).toBeGreaterThan(Date.now());
    // As if the lease (a minute) had passed while srp was down.
    db.prepare(
      'update due_work set run_at = run_at - 61000, lease_until = lease_until - 61000 where key = ?',
    ).run(`card:${id}`);
    db.close();

    const second = runSrp(env, tmp.dir);
    started.push(second);
    await until(() => second.out().includes('start-up catch-up done'), 'the start-up catch-up');
    // Taken again, found in the channel's history by its metadata, adopted: still one card, one receipt.
    expect(fake.messages(SECURITY)).toHaveLength(1);
    expect(fake.messages(fake.dmChannelId(OUTSIDER))).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const after = new Database(tmp.path('srp.db'), { readonly: true });
    try {
      expect(after.prepare('select state, ts from deliveries where key = ?').get(`card:${id}`)).toEqual({
        state: 'sent',
        ts: card?.ts,
      });
      expect(after.prepare('select state, attempts from due_work where key = ?').get(`card:${id}`)).toEqual({
        state: 'done',
        attempts: 2,
      });
    } finally {
      after.close();
    }
  });

  it('answers GET /healthz with 200 while the database is reachable', async () => {
    const tmp = tempDir();
    const fake = await FakeSlack.start(workspace());
    cleanups.push(() => fake.stop(), tmp.cleanup);
    const r = runSrp(testEnv(fake, tmp.path('srp.db')), tmp.dir);
    started.push(r);
    const port = await until(() => portOf(r), 'srp to listen');
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
  });

  it('is not killed by a correctly signed JSON null, a null payload or a target that is no URL', async () => {
    const { first, driver } = await startedSrp();
    for (const [body, contentType] of [
      ['null', 'application/json'],
      ['payload=null', 'application/x-www-form-urlencoded'],
    ] as const) {
      const res = await driver.raw(body, { ...driver.sign(body), 'content-type': contentType });
      expect(res.status).toBe(400);
    }
    const port = await until(() => portOf(first), 'the port');
    const status = await rawRequestLine(port, 'GET // HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    const help = await driver.command('help', { userId: ADMIN });
    expect(help.status).toBe(200);
    expect(first.child.exitCode).toBe(null);
    expect(first.out()).toContain('refused a malformed Slack request');
  });

  it('keeps running (and says so) after a fault outside any request: a Socket Mode envelope the socket client cannot read', async () => {
    const tmp = tempDir();
    const fake = await FakeSlack.start(workspace());
    cleanups.push(() => fake.stop(), tmp.cleanup);
    const r = runSrp(testEnv(fake, tmp.path('srp.db'), SOCKET_MODE), tmp.dir);
    started.push(r);
    await fake.socket.waitForConnection(15_000);
    // @slack/socket-mode reads payload.event.type in its message handler, before any receiver: the
    // rejection is unhandled, and without srp's guard Node ends the process.
    fake.socket.send('events_api', null as unknown as object).catch(() => {});
    await until(() => r.out().includes('unhandled promise rejection; srp keeps running'), 'the guard');
    // The same null as an interactive payload reaches the gate, which acks it and goes no further.
    const refused = await fake.socket.send('interactive', null as unknown as object);
    expect(refused.payload).toEqual({});
    const help = await fake.socket.send(
      'slash_commands',
      slashCommandForm({
        ctx: { teamId: fake.teamId, apiAppId: fake.appId },
        user: { id: ADMIN },
        text: 'help',
        channelId: fake.dmChannelId(ADMIN),
        triggerId: fake.issueTriggerId(ADMIN),
        responseUrl: fake.responseUrl({ userId: ADMIN }),
      }),
    );
    expect(JSON.stringify(help.payload)).toContain('/srp');
    expect(r.child.exitCode).toBe(null);
    const guardLine = r
      .out()
      .split('\n')
      .find((l) => l.includes('unhandled promise rejection'));
    expect(JSON.parse(guardLine ?? '{}').fault).toMatchObject({
      type: 'TypeError',
      frames: expect.any(Array),
    });
  });
});

/** Sends one raw HTTP request and returns the status line of the answer. */
async function rawRequestLine(port: number, request: string): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.once('data', (d) => {
      resolve(String(d).split('\r\n')[0] ?? '');
      socket.destroy();
    });
    socket.once('error', reject);
  });
}
