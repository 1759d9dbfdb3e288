/**
 * Fuzzes srp's edge with srp as a child process, so a crash is an exit the parent sees: FUZZ_RUNS
 * (10,000) generated requests of every kind, well-formed or broken (test/support/edgeRequests.ts),
 * correctly signed, to POST /slack/events. Prints the count sent, the status histogram (overall and
 * by kind), the slowest ack and the process exits; a process that exits is started again (up to
 * FUZZ_MAX_EXITS times) so the count shows how often. Exits non-zero on any exit, 5xx, unanswered
 * request or ack of 3 s or more. Run: `npm run fuzz` (FUZZ_SEED, FUZZ_CONCURRENCY to vary; FUZZ_DEBUG=1
 * prints each 5xx's request and srp's error log lines).
 */
import { defaultBodyLimit } from '@slack/bolt';
import fc from 'fast-check';
import { ADMIN, SIGNING_SECRET, testEnv, workspace } from '../test/integration/harness.js';
import { contextIn, type Generated, requests, sendSigned } from '../test/support/edgeRequests.js';
import { FakeSlack } from '../test/support/fakeSlack.js';
import { SlackDriver } from '../test/support/slackDriver.js';
import { portOf, type Running, runSrp, until } from '../test/support/srpProcess.js';
import { tempDir } from '../test/support/tempDir.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);
const MAX_EXITS = Number(process.env.FUZZ_MAX_EXITS ?? 20);
/** Prints each 5xx's request and srp's error log lines. */
const DEBUG = Boolean(process.env.FUZZ_DEBUG);
/** Generated in batches: a few of the bodies are megabytes long. */
const BATCH = 200;

const tmp = tempDir();
const fake = await FakeSlack.start(workspace());
const env = testEnv(fake, tmp.path('srp.db'));

const exits: string[] = [];
let stopping = false;

/** srp as a child process, and a driver for its port; an exit is counted unless the fuzzer stopped it. */
async function start(): Promise<{ srp: Running; driver: SlackDriver; baseUrl: string }> {
  const srp = runSrp(env, tmp.dir);
  void srp.exited.then((code) => {
    if (!stopping) exits.push(`code ${code ?? srp.child.signalCode}: ${srp.err().trim().split('\n').at(-1)}`);
  });
  const baseUrl = `http://127.0.0.1:${await until(() => portOf(srp), 'srp to listen', 30_000)}`;
  return { srp, baseUrl, driver: new SlackDriver({ baseUrl, signingSecret: SIGNING_SECRET, fake }) };
}

const byKind = new Map<string, Map<string, number>>();
const count = (kind: string, status: string) => {
  for (const key of [kind, 'all']) {
    const h = byKind.get(key) ?? new Map<string, number>();
    h.set(status, (h.get(status) ?? 0) + 1);
    byKind.set(key, h);
  }
};
let sent = 0;
let maxAckMs = 0;
let current = await start();
let restarting: Promise<void> | undefined;

async function send(g: Generated): Promise<void> {
  const { child } = current.srp;
  if (child.exitCode !== null || child.signalCode !== null) {
    if (exits.length > MAX_EXITS) return;
    restarting ??= start().then((next) => {
      current = next;
      restarting = undefined;
    });
    await restarting;
  }
  sent += 1;
  try {
    const res = await sendSigned(current.driver, g.wire);
    maxAckMs = Math.max(maxAckMs, res.ms);
    count(g.kind, String(res.status));
    if (DEBUG && res.status >= 500) process.stdout.write(`${res.status} for ${g.wire.body.slice(0, 2000)}\n`);
  } catch {
    // Over the limit, srp answers 413 and closes the connection without reading the upload, which the
    // client may see as a reset before it reads the answer.
    count(
      g.kind,
      Buffer.byteLength(g.wire.body) > defaultBodyLimit ? '413 (closed mid-upload)' : 'no answer',
    );
  }
}

const t0 = performance.now();
const context = contextIn(fake, ADMIN);
for (let done = 0; done < RUNS && exits.length <= MAX_EXITS; done += BATCH) {
  const batch = fc.sample(requests(context), { numRuns: Math.min(BATCH, RUNS - done), seed: SEED + done });
  for (let i = 0; i < batch.length; i += CONCURRENCY)
    await Promise.all(batch.slice(i, i + CONCURRENCY).map(send));
}
const seconds = (performance.now() - t0) / 1000;

// After all that: still healthy, and a plain /srp help still works.
const health = await fetch(`${current.baseUrl}/healthz`).then(
  (r) => r.status,
  () => 'no answer',
);
const help = await current.driver.command('help', { userId: ADMIN }).then(
  (r) => r.status,
  () => 'no answer',
);

const histogram = (h: Map<string, number> | undefined) =>
  [...(h ?? new Map()).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
const all = byKind.get('all');
const fivexx = [...(all ?? new Map()).entries()]
  .filter(([s]) => s.startsWith('5'))
  .reduce((n, [, c]) => n + c, 0);
// Faults srp logged (listener errors after the ack included), for a closer look.
if (DEBUG)
  process.stdout.write(
    `${current.srp
      .out()
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l))
      .join('\n')}\n`,
  );
process.stdout.write(
  [
    `seed ${SEED}, concurrency ${CONCURRENCY}, ${seconds.toFixed(1)} s`,
    `requests sent: ${sent}`,
    `status histogram: ${histogram(all)}`,
    ...['interactive', 'event', 'command', 'other'].map(
      (k) => `  ${k.padEnd(11)} ${histogram(byKind.get(k))}`,
    ),
    `max ack: ${maxAckMs.toFixed(1)} ms`,
    `process exits: ${exits.length}${exits.length ? `\n  ${exits.slice(0, 5).join('\n  ')}` : ''}`,
    `afterwards: GET /healthz ${health}, /srp help ${help}`,
    '',
  ].join('\n'),
);

stopping = true;
current.srp.child.kill('SIGTERM');
await current.srp.exited;
await fake.stop();
tmp.cleanup();
const ok =
  exits.length === 0 &&
  fivexx === 0 &&
  !all?.has('no answer') &&
  maxAckMs < 3000 &&
  health === 200 &&
  help === 200;
process.exit(ok ? 0 : 1);
