import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatsFigures, statsHeadline, statsSections } from '../../src/domain/stats.js';
import { advisoryStore } from '../../src/store/advisory.js';
import {
  ADMIN,
  BEA as B,
  BEA_AND_CEM,
  CEM as C,
  follow,
  type Harness,
  OUTSIDER,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/**
 * A quarter of incidents driven through srp's services (reported, accepted, fixed, published with both
 * distributor notices, one closed as not a vulnerability, one left in its Fix Team phase, one received
 * before the period), then `/srp stats` in Slack and `npx srp stats --json` on the same database file:
 * the same figures for the same period.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let h: Harness;
let clock: TestClock;

function people() {
  return workspaceWith(BEA_AND_CEM);
}

const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json as { text: string; blocks?: { text?: { text: string } }[] };

/** Runs whatever the moved clock made due (nudges), as the scheduler's ticks would. */
async function catchUp() {
  await h.srp.runJobs();
  await h.srp.runJobs();
  await settled(h);
}

let seq = 0;
/** A report as a member files it, received `hoursAgo` before now; returns its id. */
async function report(arrival: string, hoursAgo: number, cveId: string | null = null): Promise<string> {
  const r = h.srp.services.incidents.submit(
    {
      summary: `Report ${++seq}`,
      description: 'Something a reporter found.',
      components: 'kubelet',
      arrival,
      arrivalRef: null,
      disclosure: 'private',
      reporterName: 'Ada',
      reporterContact: 'ada@example.org',
      receivedAt: new Date(clock.now().getTime() - hoursAgo * HOUR),
      cveId,
    },
    { userId: ADMIN, sourceKey: `stats-${seq}` },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await follow(h, r);
  await catchUp();
  expect(await say(ADMIN, `fixlead ${r.incident.id} <@${B}> knows the component`)).toMatchObject({
    text: expect.stringMatching(/Fix Lead/),
  });
  await settled(h);
  return r.incident.id;
}

function ok(done: { outcome: { ok: boolean; text?: string } } | { ok: boolean }) {
  const good = 'outcome' in done ? done.outcome.ok : done.ok;
  expect(good, JSON.stringify(done)).toBe(true);
}

const later = (ms: number) => clock.advance(ms);

beforeAll(async () => {
  // A Monday in March 2026: every figure is settled by the time stats are asked, so srp's clock and the
  // CLI's real one (later) see the same period's figures.
  clock = new TestClock(new Date('2026-01-12T09:00:00Z'));
  h = await startHarness({ fake: people(), env: { SRP_ADMINS: [ADMIN, B, C].join(',') }, clock });
  await h.driver.command(`oncall setup <@${ADMIN}> <@${B}> <@${C}> monday 10:00 Europe/Berlin 2026-01-05`, {
    userId: ADMIN,
    channelId: SECURITY,
  });
  await h.srp.runJobs();

  // Before the period (2026-02-01 on): not counted.
  const old = await report('hackerone', 1);
  ok(h.srp.services.phases.accept(ADMIN, old));

  clock.set('2026-03-02T09:00:00Z');
  await catchUp();
  const { phases, roles, severity } = h.srp.services;
  // A: HackerOne, a CVE, accepted after 5 h, Fix Team at 6 h, CVSS and a final High, fixed at 5 days,
  // notices at 10 and 16 days, published at 17 days.
  const a = await report('hackerone', 1, 'CVE-2026-1001');
  // B: security@, accepted after 2 days, then left in the Fix Team phase (its deadline passes).
  const b = await report('security_email', 1);
  // C: a distributor's report closed as not a vulnerability from Triage: no triage time.
  const c = await report('distributor', 1);

  later(4 * HOUR);
  ok(phases.accept(ADMIN, a));
  later(HOUR);
  ok(roles.changeFixTeam(B, a, C, 'add'));
  ok(severity.recordCvss(B, a, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N'));
  ok(severity.finalCall(B, a, 'High', 'as scored'));
  ok(phases.close(ADMIN, c, 'not_vulnerability', 'works as intended'));
  // Every report was received an hour before it was filed: now is 6 h after them.
  later(DAY - 6 * HOUR); // 1 day after the reports
  ok(phases.move(B, a, 'development'));
  later(DAY);
  ok(phases.accept(ADMIN, b));
  later(3 * DAY); // 5 days after the reports
  ok(phases.markDone(B, a, 'fix_lgtm'));
  ok(phases.move(B, a, 'disclosure_planning', 'the CVE was entered with the report'));
  await catchUp();

  const advisory = advisoryStore(h.srp.db);
  const received = h.srp.services.incidents.get(a)?.receivedAt.getTime() ?? 0;
  // Each notice recorded as the "sent" button records it: the notice, and its step done.
  for (const [notice, step, days] of [
    ['advance', 'distributors_advance', 10],
    ['release_day', 'distributors_release_day', 16],
  ] as const) {
    clock.set(new Date(received + days * DAY));
    advisory.noticeSent(a, notice, B, 'by_hand', clock.now());
    ok(phases.markDone(B, a, step));
    await catchUp();
  }
  clock.set(new Date(received + 17 * DAY));
  ok(phases.move(B, a, 'release'));
  advisory.putDisclosure(a, { state: 'published', publishedAt: clock.now() }, clock.now());
  await catchUp();

  // Six weeks later, every deadline of the period has passed.
  clock.set('2026-04-15T09:00:00Z');
  await catchUp();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** The CLI as `npx srp` runs it, on srp's database file. */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/srp.js', 'stats', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: h.dbPath },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Everything the message says, its code blocks' lines included. */
const messageText = (m: { blocks?: { text?: { text: string } }[] }) =>
  (m.blocks ?? []).map((b) => b.text?.text ?? '').join('\n');

describe('/srp stats and npx srp stats', () => {
  it('show the same figures for the same period', async () => {
    const slack = await say(ADMIN, 'stats --since 2026-02-01');
    const r = cli(['--since', '2026-02-01', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const figures = JSON.parse(r.stdout) as StatsFigures;

    // What srp recorded, worked out by hand.
    expect(figures.period.since).toBe('2026-02-01');
    expect(figures.incidents).toBe(3);
    expect(figures.bySeverity).toEqual({ Critical: 0, High: 1, Medium: 0, Low: 0, unrated: 2 });
    expect(figures.byArrival).toMatchObject({ hackerone: 1, security_email: 1, distributor: 1 });
    expect(figures.durations.reportToTriage).toMatchObject({ count: 2, median: '5 h', p90: '2.0 d' });
    expect(figures.durations.reportToFix).toMatchObject({ count: 1, median: '5.0 d', p90: '5.0 d' });
    expect(figures.durations.reportToPublication).toMatchObject({ count: 1, median: '17.0 d' });
    expect(figures.notices.advance).toMatchObject({ count: 1, median: '7.0 d', min: '7.0 d' });
    expect(figures.notices.releaseDay).toMatchObject({ count: 1, median: '24 h', min: '24 h' });
    // Fix Team: A's in 6 h (met), B's never organized (missed); C closed, left out.
    expect(figures.deadlines.fix_team).toEqual({ met: 1, missed: 1, share: '50%' });
    // Development: A's CVSS, final rating, CVE (with the report) and Fix LGTM in time; B's four overdue.
    expect(figures.deadlines.development).toEqual({ met: 4, missed: 4, share: '50%' });
    // A's advance notice at 10 days, due 7 days before the release date (21 days): met.
    expect(figures.deadlines.disclosure_planning).toEqual({ met: 1, missed: 0, share: '100%' });
    // A's release-day notice and announcement in time, its other four release steps never done; B's five
    // (no CVE: no notices) overdue.
    expect(figures.deadlines.release).toEqual({ met: 2, missed: 9, share: '18%' });
    // The retrospective, the CVE record and the tracking issue closed: A's three and B's two (no CVE: no
    // record to publish), all past their days after the release and not done.
    expect(figures.deadlines.retrospective).toEqual({ met: 0, missed: 5, share: '0%' });
    expect(figures.deadlines.all).toEqual({ met: 8, missed: 27 - 8, share: '30%' });

    // Slack shows the very lines the CLI's figures make, bars and all (the period's end is each one's now).
    const text = messageText(slack);
    expect(text).toContain(statsHeadline({ ...figures, period: { ...figures.period, until: '2026-04-15' } }));
    for (const section of statsSections(figures)) {
      expect(text).toContain(section.title);
      for (const line of section.lines) expect(text).toContain(line);
    }
    expect(text).toContain('█');

    // And the plain text the CLI prints has the same lines.
    const plain = cli(['--since', '2026-02-01']);
    expect(plain.code).toBe(0);
    for (const line of statsSections(figures).flatMap((s) => s.lines)) expect(plain.stdout).toContain(line);
  }, 60_000);

  it('is for members only, and a bad date is answered with the format', async () => {
    expect((await say(OUTSIDER, 'stats')).text).not.toMatch(/incidents? received/);
    const bad = await say(ADMIN, 'stats --since 1/2/2026');
    expect(bad.text).toContain('Dates are YYYY-MM-DD');
    expect(bad.blocks).toBeUndefined();
    // Without --since: the last 365 days, which hold the incident of January too.
    expect((await say(ADMIN, 'stats')).text).toBe('4 incidents received from 2025-04-15 to 2026-04-15 (UTC)');
  });
});
