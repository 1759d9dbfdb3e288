/**
 * The Home tab's render with 200 open incidents: srp's own services on a temp SQLite file, seeded through
 * the same services a committee uses (reports filed, roles given at intake and taken over, a Fix Team,
 * phases moved, some public), spread over the last 60 days so steps are due soon, overdue and upcoming.
 * Times `home.render(user)` warm, 50 runs per reader, and prints p50 / p95 / max in ms. Target: < 100 ms
 * for a member. No Slack is called: rendering reads the database only. Run: `npm run bench:home`.
 *
 *   --incidents N   open incidents to seed (200)
 *   --runs N        measured renders per reader (50), after 5 to warm up
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { WebClient } from '@slack/web-api';
import { systemClock } from '../src/clock.js';
import type { Phase } from '../src/domain/phases.js';
import { resolveProfile } from '../src/domain/profiles/index.js';
import { createLogger } from '../src/logger.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { wireServices } from '../src/wiring.js';
import { tempDir } from '../test/support/tempDir.js';

const { values: args } = parseArgs({
  options: {
    incidents: { type: 'string', default: '200' },
    runs: { type: 'string', default: '50' },
  },
});
const INCIDENTS = Number(args.incidents);
const RUNS = Number(args.runs);
const WARM_UP = 5;
const TARGET_MS = 100;
const DAY = 86_400_000;

const MEMBERS = [
  'UMEMBER001',
  'UMEMBER002',
  'UMEMBER003',
  'UMEMBER004',
  'UMEMBER005',
  'UMEMBER006',
  'UMEMBER007',
];
/** The member measured: Fix Lead by round-robin on a seventh of the incidents, and commander of a fifth. */
const MEMBER = MEMBERS[3] as string;
const ASSOCIATE = 'UASSOC0001';
const FIX_TEAM = 'UFIXTEAM01';
const REPORTER = 'UREPORTER1';

const tmp = tempDir();
const db = openDatabase(tmp.path('home.db'));
const log = createLogger('silent');
const wired = wireServices({
  db,
  // Never called: rendering reads the database only.
  client: new WebClient('xoxb-bench', {
    slackApiUrl: 'http://127.0.0.1:9/api/',
    retryConfig: { retries: 0 },
  }),
  clock: systemClock,
  log,
  profile: resolveProfile('src', {}),
  securityChannel: 'GSECURITY1',
  announceChannel: 'CANNOUNCE1',
  owner: 'bench',
});
const { store, home, incidents, rotation, schedule } = wired;

function seed(): void {
  const now = Date.now();
  for (const [i, userId] of MEMBERS.entries())
    store.members.addIfAbsent(userId, 'member', 'seed', new Date(now - (900 - i) * DAY));
  store.members.addIfAbsent(ASSOCIATE, 'associate', 'seed', new Date(now - 400 * DAY));
  // The rotation started on the Monday a month or so ago.
  const monthAgo = new Date(now - 30 * DAY);
  const monday = new Date(monthAgo.getTime() - ((monthAgo.getUTCDay() + 6) % 7) * DAY)
    .toISOString()
    .slice(0, 10);
  const configured = rotation.configure(MEMBERS[0] as string, {
    order: MEMBERS.slice(0, 4),
    handoffWeekday: 1,
    handoffTime: '10:00',
    zone: 'Europe/Berlin',
    startDate: monday,
  });
  if (!configured.ok) throw new Error(configured.message);
  const phases: Phase[] = ['triage', 'fix_team', 'development', 'disclosure_planning', 'release'];
  for (let n = 0; n < INCIDENTS; n++) {
    const result = incidents.submit(
      {
        summary: `Seeded vulnerability ${n}: path traversal in a component's log endpoint`,
        description: 'A description long enough to look like a report, with steps to reproduce and impact.',
        components: 'kube-apiserver v1.30.0-v1.32.2',
        arrival: 'hackerone',
        arrivalRef: 'https://hackerone.com/reports/2345678',
        disclosure: n % 9 === 0 ? 'public' : 'private',
        reporterName: 'Ada',
        reporterContact: 'ada@example.org',
        // Spread over the last 60 days, so some steps are long overdue, some due soon, some ahead.
        receivedAt: new Date(now - Math.floor((n / INCIDENTS) * 60 * DAY) - 3_600_000),
        cveId: n % 3 === 0 ? `CVE-2026-${10000 + n}` : null,
      },
      { userId: REPORTER, sourceKey: `bench:${n}` },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const id = result.incident.id;
    const at = new Date(now);
    if (n % 5 === 0)
      store.roles.assign({
        incidentId: id,
        role: 'commander',
        userId: MEMBER,
        at,
        by: 'seed',
        reason: 'bench',
      });
    if (n % 10 === 0) store.roles.addToFixTeam(id, FIX_TEAM, MEMBERS[0] as string, at);
    const phase = phases[n % phases.length] as Phase;
    if (phase !== 'triage') {
      store.incidents.setPhase(id, 'triage', phase, {
        type: 'phase_changed',
        actor: 'seed',
        at,
        reason: null,
        resolution: null,
      });
    }
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

interface Figures {
  p50: number;
  p95: number;
  max: number;
  /** CPU time of this process (user + system), p50 and p95: what the render costs when it waits for no one. */
  cpu50: number;
  cpu95: number;
  blocks: number;
}

function measure(userId: string): Figures {
  let blocks = 0;
  for (let i = 0; i < WARM_UP; i++) blocks = home.render(userId).blocks.length;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    home.render(userId);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    p50: pct(wall, 50),
    p95: pct(wall, 95),
    max: wall.at(-1) as number,
    cpu50: pct(cpu, 50),
    cpu95: pct(cpu, 95),
    blocks,
  };
}

const t0 = performance.now();
seed();
const open = store.incidents.openPage({ limit: 1 }).total;
process.stdout.write(
  `seeded ${open} open incidents in ${Math.round(performance.now() - t0)} ms; ` +
    `${MEMBER} holds a role on ${store.home.openHeldBy(MEMBER).length} of them\n\n`,
);

const f = (ms: number) => ms.toFixed(1).padStart(6);
process.stdout.write(
  `home.render(user), warm, ${RUNS} runs, ms  wall p50     p95     max   CPU p50     p95  blocks\n`,
);
const held = (userId: string) => store.home.openHeldBy(userId).length;
const readers: Array<[string, string]> = [
  [`member, a role on ${held(MEMBER)}`, MEMBER],
  [`member, a role on ${held(MEMBERS[6] as string)}`, MEMBERS[6] as string],
  ['associate (public ones)', ASSOCIATE],
  [`Fix Team member (${held(FIX_TEAM)})`, FIX_TEAM],
  [`reporter of all ${INCIDENTS}`, REPORTER],
];
let memberP95 = 0;
for (const [label, userId] of readers) {
  const r = measure(userId);
  if (userId === MEMBER) memberP95 = r.p95;
  process.stdout.write(
    `  ${label.padEnd(30)} ${f(r.p50)}  ${f(r.p95)}  ${f(r.max)}    ${f(r.cpu50)}  ${f(r.cpu95)}  ${String(r.blocks).padStart(6)}\n`,
  );
}

// What the narrowing saves: the situation of every open incident, as a render without it would compute.
const all = store.incidents.listOpen();
const times: number[] = [];
for (let i = 0; i < 10; i++) {
  const s = performance.now();
  const now = new Date();
  for (const i of all) schedule.situation(i.id, now, i);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
process.stdout.write(
  `\n  for reference, situation() of all ${all.length} open incidents: p50 ${pct(times, 50).toFixed(1)} ms\n`,
);

const ok = memberP95 < TARGET_MS;
process.stdout.write(
  `\nmember render p95 ${memberP95.toFixed(1)} ms: ${ok ? 'within' : 'MISSES'} the ${TARGET_MS} ms target\n`,
);
closeDatabase(db);
tmp.cleanup();
process.exitCode = ok ? 0 : 1;
