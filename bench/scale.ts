/**
 * srp with a committee's years of history: a database of 10,000 open incidents and 1,000,000 timeline
 * rows, with their phases, steps and planned nudges (see seed.ts), and the figures that say whether srp
 * still answers at once: also with ~100 nudges due in one tick (srp's clock moved on to when they are),
 * and while every open incident's nudges are planned again after an upgrade (the start-up sweep: once
 * with srp idle, for its ticks' wall time and CPU, once with reports coming in, for the acks meanwhile).
 * srp runs as a child process (so its
 * CPU is its own), against a fake Slack over real HTTP in this process; a bare Bolt app that acks and
 * posts once is measured in the same run as the yardstick. Run: `npm run bench:scale`.
 *
 *   --db FILE          measure an existing database (seeded by `tsx bench/seed.ts FILE`) instead of a fresh one
 *   --incidents N      open incidents to seed (10000)
 *   --events N         timeline rows to seed (1000000)
 *   --rounds N         report submissions per batch and app (100); 6 batches each, after 100 to warm up
 *   --profile DIR      write each app's V8 CPU profile of its report submissions into DIR (DevTools opens them)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SIGNING_SECRET, testEnv, workspace } from '../test/integration/harness.js';
import { FakeSlack } from '../test/support/fakeSlack.js';
import { SlackDriver } from '../test/support/slackDriver.js';
import { tempDir } from '../test/support/tempDir.js';
import { BENCH_PEOPLE, describeSeed, seedScaleDb } from './seed.js';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    incidents: { type: 'string', default: '10000' },
    events: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '100' },
    profile: { type: 'string' },
  },
});
/** Submissions per measured batch, per app; each app also warms up with WARM_UP first. */
const ROUNDS = Number(args.rounds);
const BATCHES = 6;
const WARM_UP = 100;
const { members: MEMBERS, associate: ASSOCIATE, fixTeamMember: FIX_TEAM } = BENCH_PEOPLE;
const [ADMIN] = MEMBERS as [string];
const OUTSIDER = 'UOUTSIDE01';
const REPORTER = 'UREPORTER2';
/** A report's posts at least: its card, the reporter's receipt, the Fix Lead's notice (intake.test.ts). */
const MIN_POSTS_PER_REPORT = 3;

interface Child {
  proc: ChildProcess;
  call<T = Record<string, unknown>>(cmd: string, extra?: Record<string, unknown>): Promise<T>;
}

/** Forks a child app (through tsx, like the tests) and talks to it over IPC. */
async function forkChild(file: string): Promise<Child> {
  const proc = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = new Promise<void>((resolve) => {
    proc.on('message', (m: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) return resolve();
      const p = pending.get(m.id as number);
      pending.delete(m.id as number);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
  });
  await ready;
  return {
    proc,
    call: (cmd, extra = {}) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, cmd, ...extra });
      }),
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};
const rows: Array<[string, string, string, boolean]> = [];
function report(what: string, value: number, unit: string, target: number, digits = 1) {
  rows.push([what, `${value.toFixed(digits)} ${unit}`, `< ${target} ${unit}`, value < target]);
}
/** p50 / p95 / max of a set of times, in ms. */
const spreadOf = (xs: number[], digits = 1) =>
  `${[pct(xs, 0.5), pct(xs, 0.95), Math.max(...xs)].map((x) => x.toFixed(digits)).join(' / ')} ms`;
function note(what: string, value: string) {
  rows.push([what, value, '', true]);
}

let viewSerial = 0;

interface Batch {
  cpuMs: number;
  ackCpu: number[];
  wall: number[];
}

/** `rounds` report submissions, one at a time, each with its follow-up posts landed before the next. */
async function submissions(
  driver: SlackDriver,
  fake: FakeSlack,
  child: Child,
  perSubmission: number,
  rounds: number,
  profile?: string,
): Promise<Batch> {
  const wall: number[] = [];
  if (profile) await child.call('profileStart');
  await child.call('acks');
  const before = await child.call<{ cpuUs: number; systemUs: number }>('cpu');
  const cpu0 = before.cpuUs;
  for (let i = 0; i < rounds; i++) {
    const posts = fake.okCallsTo('chat.postMessage').length;
    const t0 = performance.now();
    const res = await driver.viewSubmission({
      userId: REPORTER,
      view: {
        id: `VBENCH${(viewSerial++).toString(36)}`.toUpperCase(),
        type: 'modal',
        callback_id: 'srp_report',
        private_metadata: '',
        blocks: [],
      },
      values: reportValues(),
    });
    wall.push(performance.now() - t0);
    if (res.status !== 200 || res.text !== '')
      throw new Error(`submission answered ${res.status} ${res.text}`);
    // The whole submission: its follow-up posts too, before the next one starts.
    await fake.waitFor(() => fake.okCallsTo('chat.postMessage').length >= posts + perSubmission, 10_000);
  }
  const after = await child.call<{ cpuUs: number; systemUs: number }>('cpu');
  const cpuUs = (after.cpuUs - cpu0) / rounds;
  if (process.env.BENCH_SPLIT)
    process.stderr.write(
      `${profile ?? ''} per submission: ${(cpuUs / 1000).toFixed(2)} ms, of which system ${((after.systemUs - before.systemUs) / rounds / 1000).toFixed(2)} ms\n`,
    );
  if (profile) await child.call('profileStop', { file: `${args.profile}/${profile}.cpuprofile` });
  const acks = (await child.call<number[]>('acks')).map((us) => us / 1000);
  return { cpuMs: cpuUs / 1000, ackCpu: acks, wall };
}

function reportValues() {
  const v = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
  return {
    summary: v('Path traversal in kubelet /logs endpoint'),
    description: v('GET /logs/../../etc/shadow returns the file to any authenticated user.'),
    components: v('kubelet v1.30.0-v1.32.2'),
    arrival: { value: { type: 'static_select', selected_option: { value: 'hackerone' } } },
    arrivalRef: v('2345678'),
    disclosure: { value: { type: 'radio_buttons', selected_option: { value: 'private' } } },
    reporterName: v(null),
    reporterContact: v(null),
    receivedAt: {
      value: { type: 'datetimepicker', selected_date_time: Math.floor(Date.now() / 1000) - 3600 },
    },
    cveId: v(null),
  };
}

const tmp = tempDir('srp-bench-');
const dbPath = tmp.path('srp.db');
const ws = workspace();
ws.users = [...MEMBERS, ASSOCIATE, FIX_TEAM, OUTSIDER, REPORTER].map((id) => ({
  id,
  name: id.toLowerCase(),
  tz: 'UTC',
}));
const fake = await FakeSlack.start(ws);
const children: Child[] = [];
try {
  if (args.db) {
    copyFileSync(args.db, dbPath);
    note('database', `${args.db} (copied)`);
  } else {
    const seeded = await seedScaleDb(dbPath, {
      incidents: Number(args.incidents),
      events: Number(args.events),
      ...BENCH_PEOPLE,
      now: new Date(),
    });
    for (const line of describeSeed(seeded).split('\n')) note('seeded', line);
  }
  // The cards srp posted over those years are in the channel, so a redraw updates them in place.
  const seededDb = new Database(dbPath, { readonly: true });
  for (const card of seededDb
    .prepare("select key, channel, ts from deliveries where kind = 'card' and state = 'sent'")
    .all() as Array<{ key: string; channel: string; ts: string }>) {
    fake.addMessage({
      channel: card.channel,
      ts: card.ts,
      text: `New vulnerability report ${card.key.slice(5)}`,
    });
  }
  seededDb.close();
  const env = testEnv(fake, dbPath, { SRP_ADMINS: ADMIN, LOG_LEVEL: 'info' });

  // --- srp: start-up to a healthy /healthz, the catch-up, steady ticks ---
  const srp = await forkChild('./srpChild.ts');
  children.push(srp);
  const t0 = performance.now();
  const started = await srp.call<{ port: number; ms: number; maxStallMs: number }>('start', {
    env,
    scheduler: 'cron',
  });
  let healthy = false;
  while (!healthy) healthy = (await fetch(`http://127.0.0.1:${started.port}/healthz`)).status === 200;
  report('start-up to a healthy /healthz', performance.now() - t0, 'ms', 1000, 0);
  report('event-loop stall during start-up', started.maxStallMs, 'ms', 50);
  const catchUp = await srp.call<{ ms: number; maxStallMs: number }>('tick');
  report('event-loop stall during the start-up catch-up', catchUp.maxStallMs, 'ms', 50);
  const ticks: Array<{ ms: number; cpuMs: number; maxStallMs: number }> = [];
  for (let i = 0; i < 20; i++) {
    ticks.push(await srp.call<{ ms: number; cpuMs: number; maxStallMs: number }>('tick'));
  }
  report('scheduler tick, all jobs (max of 20)', Math.max(...ticks.map((t) => t.ms)), 'ms', 50);
  note('scheduler tick wall, p50 / p95 / max', spreadOf(ticks.map((t) => t.ms)));
  note('scheduler tick CPU, p50 / p95 / max', spreadOf(ticks.map((t) => t.cpuMs)));
  report('event-loop stall during a tick', Math.max(...ticks.map((t) => t.maxStallMs)), 'ms', 50);

  // --- /srp status for every role ---
  const driver = new SlackDriver({
    baseUrl: `http://127.0.0.1:${started.port}`,
    signingSecret: SIGNING_SECRET,
    fake,
  });
  for (const [role, user] of [
    ['member', ADMIN],
    ['associate', ASSOCIATE],
    ['Fix Team member', FIX_TEAM],
    ['outsider', OUTSIDER],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const s = performance.now();
      const res = await driver.command('status', { userId: user });
      times.push(performance.now() - s);
      if (res.status !== 200) throw new Error(`/srp status answered ${res.status}`);
    }
    report(`/srp status ack, ${role} (max of 10)`, Math.max(...times), 'ms', 300);
  }

  // --- report submissions: CPU before the ack, and per submission against a bare Bolt app ---
  // Both apps warm up first (the JIT), then take turns, batch by batch, so both see the same machine;
  // the figures are the medians over the batches.
  const bare = await forkChild('./bareChild.ts');
  children.push(bare);
  const bareStarted = await bare.call<{ port: number }>('start', { env });
  const bareDriver = new SlackDriver({
    baseUrl: `http://127.0.0.1:${bareStarted.port}`,
    signingSecret: SIGNING_SECRET,
    fake,
  });
  const posted = () => fake.okCallsTo('chat.postMessage').length;
  const postsBefore = posted();
  await submissions(driver, fake, srp, MIN_POSTS_PER_REPORT, WARM_UP);
  // How many posts a report makes here (with a rotation, the commander's notice too), counted once the
  // last one's have landed: every measured submission then waits for all of them.
  for (let seen = -1; seen !== posted(); ) {
    seen = posted();
    await new Promise((r) => setTimeout(r, 300));
  }
  const postsPerReport = Math.round((posted() - postsBefore) / WARM_UP);
  // The yardstick making srp's own posts of a report (the last one's, as Slack got them).
  const people = [...MEMBERS, ASSOCIATE, FIX_TEAM, REPORTER];
  const srpPosts = fake
    .okCallsTo('chat.postMessage')
    .slice(-postsPerReport)
    .map(({ args: a }) => ({
      user: people.find((u) => fake.dmChannelId(u) === a.channel),
      text: String(a.text),
      blocks: typeof a.blocks === 'string' ? JSON.parse(a.blocks) : a.blocks,
    }));
  const same = await forkChild('./bareChild.ts');
  children.push(same);
  const sameStarted = await same.call<{ port: number }>('start', { env, messages: srpPosts });
  const sameDriver = new SlackDriver({
    baseUrl: `http://127.0.0.1:${sameStarted.port}`,
    signingSecret: SIGNING_SECRET,
    fake,
  });
  await submissions(bareDriver, fake, bare, 1, WARM_UP);
  await submissions(sameDriver, fake, same, postsPerReport, WARM_UP);
  const srpBatches: Batch[] = [];
  const bareBatches: Batch[] = [];
  const sameBatches: Batch[] = [];
  const ratios: number[] = [];
  const sameRatios: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const profile = args.profile && b === 0;
    srpBatches.push(
      await submissions(driver, fake, srp, postsPerReport, ROUNDS, profile ? 'srp-submissions' : undefined),
    );
    bareBatches.push(
      await submissions(bareDriver, fake, bare, 1, ROUNDS, profile ? 'bare-submissions' : undefined),
    );
    sameBatches.push(await submissions(sameDriver, fake, same, postsPerReport, ROUNDS));
    ratios.push((srpBatches.at(-1) as Batch).cpuMs / (bareBatches.at(-1) as Batch).cpuMs);
    sameRatios.push((srpBatches.at(-1) as Batch).cpuMs / (sameBatches.at(-1) as Batch).cpuMs);
  }
  const acks = srpBatches.flatMap((x) => x.ackCpu);
  const wall = srpBatches.flatMap((x) => x.wall);
  report('report submission: CPU until the ack (p50)', pct(acks, 0.5), 'ms', 5, 2);
  report('report submission: CPU until the ack (p95)', pct(acks, 0.95), 'ms', 5, 2);
  note(
    'report submission: ack wall time p50 / max',
    `${pct(wall, 0.5).toFixed(1)} / ${Math.max(...wall).toFixed(1)} ms`,
  );
  const median = (xs: number[]) => pct(xs, 0.5);
  note(
    'bare Bolt app: CPU per submission (ack + 1 post)',
    `${median(bareBatches.map((x) => x.cpuMs)).toFixed(2)} ms (ack ${median(bareBatches.flatMap((x) => x.ackCpu)).toFixed(2)} ms)`,
  );
  note(
    `srp: CPU per submission (ack + ${postsPerReport} posts: card, receipt, role notices)`,
    `${median(srpBatches.map((x) => x.cpuMs)).toFixed(2)} ms`,
  );
  note('srp / bare, per batch', ratios.map((r) => r.toFixed(2)).join(' '));
  report(`srp CPU per submission / bare Bolt app (median of ${BATCHES})`, median(ratios), 'x', 2, 2);
  // Not a target of its own: what Slack's calls alone cost, and so how much of the ratio is srp's work.
  note(
    `bare Bolt app making srp's ${postsPerReport} posts: CPU per submission`,
    `${median(sameBatches.map((x) => x.cpuMs)).toFixed(2)} ms = ${(median(sameBatches.map((x) => x.cpuMs)) / median(bareBatches.map((x) => x.cpuMs))).toFixed(2)}x the 1-post app`,
  );
  note(
    "srp / bare app making srp's posts, per batch",
    `${sameRatios.map((r) => r.toFixed(2)).join(' ')} (median ${median(sameRatios).toFixed(2)}x)`,
  );
  await bare.call('stop');
  await same.call('stop');

  // --- with phases: a tick with ~100 nudges due at once (the clock moved on to when they are) ---
  const nudges = await srp.call<{
    advancedMs: number;
    due: Array<{ kind: string; n: number }>;
    tickMs: number;
    tickCpuMs: number;
    tickStallMs: number;
    drained: { ran: number; retried: number; failed: number };
    after: Array<{ kind: string; state: string; n: number }>;
  }>('dueNudges', { count: 100 });
  const byKind = (xs: Array<{ kind: string; state?: string; n: number }>) =>
    xs.map((x) => `${x.n} ${x.kind}${x.state ? ` ${x.state}` : ''}`).join(', ');
  note(
    'due nudges: the clock moved on',
    `${(nudges.advancedMs / 60_000).toFixed(0)} min; due then: ${byKind(nudges.due)}`,
  );
  note(
    'due nudges: one tick',
    `${nudges.tickMs.toFixed(0)} ms wall, ${nudges.tickCpuMs.toFixed(0)} ms CPU; ran ${nudges.drained.ran}, retried ${nudges.drained.retried}; rows now: ${byKind(nudges.after)}`,
  );
  report('event-loop stall during the tick with 100 nudges due', nudges.tickStallMs, 'ms', 50);

  // --- with phases: the start-up sweep after a SCHEDULE_VERSION change, and the replans it makes due ---
  // Once with srp otherwise idle (the ticks' own wall time and CPU), once while reports are submitted.
  interface SweepTick {
    ms: number;
    cpuMs: number;
    stallMs: number;
    ran: number;
  }
  type Marked = { marked: number; markMs: number; markStallMs: number };
  const quiet = await srp.call<Marked>('sweepStart');
  const quietRun = await srp.call<{ ticks: SweepTick[]; totalMs: number }>('sweepResult');
  note('schedule sweep: incidents marked', `${quiet.marked} in ${quiet.markMs.toFixed(0)} ms`);
  report('event-loop stall while marking every schedule', quiet.markStallMs, 'ms', 50);
  const sweepTicks = quietRun.ticks;
  note(
    'schedule sweep: replanning them all',
    `${sweepTicks.length} ticks (in production, minutes) of up to ${Math.max(...sweepTicks.map((t) => t.ran))} rows, ${(quietRun.totalMs / 1000).toFixed(1)} s back to back`,
  );
  note(
    'schedule sweep: a tick wall, p50 / p95 / max',
    spreadOf(
      sweepTicks.map((t) => t.ms),
      0,
    ),
  );
  note(
    'schedule sweep: a tick CPU, p50 / p95 / max',
    spreadOf(
      sweepTicks.map((t) => t.cpuMs),
      0,
    ),
  );
  report(
    'event-loop stall during the replan ticks (max)',
    Math.max(...sweepTicks.map((t) => t.stallMs)),
    'ms',
    50,
  );

  const loaded = await srp.call<Marked>('sweepStart');
  let sweepDone = false;
  const loadedResult = srp.call<{ ticks: SweepTick[]; totalMs: number }>('sweepResult').finally(() => {
    sweepDone = true;
  });
  const during: Batch[] = [];
  // A report every quarter second or so (each waits for its card and receipt first), so the sweep's ticks
  // still run mostly back to back.
  while (!sweepDone) {
    during.push(await submissions(driver, fake, srp, postsPerReport, 1));
    await new Promise((r) => setTimeout(r, 250));
  }
  const loadedRun = await loadedResult;
  const duringWall = during.flatMap((b) => b.wall);
  note(
    'schedule sweep with reports coming in',
    `${loaded.marked} marked, ${loadedRun.ticks.length} ticks, ${(loadedRun.totalMs / 1000).toFixed(1)} s; ${duringWall.length} reports submitted meanwhile`,
  );
  note('report submission ack wall, quiet: p50 / p95 / max', spreadOf(srpBatches.flatMap((b) => b.wall)));
  note('report submission ack wall, during the sweep', spreadOf(duringWall));
  report('report submission ack wall during the sweep (p95)', pct(duringWall, 0.95), 'ms', 300, 0);
  report(
    'report submission CPU until the ack during the sweep (p95)',
    pct(
      during.flatMap((b) => b.ackCpu),
      0.95,
    ),
    'ms',
    5,
    2,
  );

  // --- a redraw of every open card (as after an upgrade that changed the card) ---
  const redraw = await srp.call<{
    marked: number;
    markMs: number;
    markStallMs: number;
    tickMs: number;
    tickStallMs: number;
    drained: { ran: number };
  }>('redraw');
  note(
    'redraw: cards marked stale',
    `${redraw.marked} in ${redraw.markMs.toFixed(0)} ms; first tick redrew ${redraw.drained.ran} in ${redraw.tickMs.toFixed(0)} ms`,
  );
  report('event-loop stall while marking every card', redraw.markStallMs, 'ms', 50);
  report('event-loop stall while redrawing', redraw.tickStallMs, 'ms', 50);
  await srp.call('stop');
} finally {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill();
  await fake.stop();
  tmp.cleanup();
}

const width = Math.max(...rows.map((r) => r[0].length));
process.stdout.write(
  `${rows
    .map(
      ([what, value, target, ok]) =>
        `${target ? (ok ? 'ok  ' : 'MISS') : '    '}  ${what.padEnd(width)}  ${value.padStart(12)}  ${target}`,
    )
    .join('\n')}\n`,
);
process.exitCode = rows.every((r) => r[3]) ? 0 : 1;
