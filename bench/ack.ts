/**
 * How fast srp acks Slack, and how soon after a `/srp report` the modal opens.
 * Slack allows 3 s for both; this prints the distribution so a regression shows
 * up as numbers, not as a flaky timed test. Run: `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { OUTSIDER, reportValues, SECURITY, startHarness } from '../test/integration/harness.js';

const ROUNDS = Number(process.env.ROUNDS ?? 200);

function summary(name: string, ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]?.toFixed(1);
  return `${name.padEnd(28)} n=${s.length}  p50=${q(0.5)} ms  p95=${q(0.95)} ms  p99=${q(0.99)} ms  max=${s.at(-1)?.toFixed(1)} ms`;
}

const h = await startHarness();
const ack: number[] = [];
const toOpen: number[] = [];
const submitAck: number[] = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    const opened = h.fake.okCallsTo('views.open').length;
    const t0 = performance.now();
    await h.driver.command('report', { userId: OUTSIDER });
    ack.push(performance.now() - t0);
    const call = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened], 3000);
    toOpen.push(call.at - (performance.timeOrigin + t0));
    const t1 = performance.now();
    const res = await h.driver.viewSubmission({
      userId: OUTSIDER,
      viewId: (call.response as { view: { id: string } }).view.id,
      values: reportValues(),
    });
    submitAck.push(performance.now() - t1);
    if (res.status !== 200) throw new Error(`submission answered ${res.status}`);
  }
  await h.fake.waitFor(() => h.fake.messages(SECURITY).length === ROUNDS, 30_000);
  process.stdout.write(
    `${[
      summary('/srp report → ack', ack),
      summary('/srp report → views.open', toOpen),
      summary('submission → ack (stored)', submitAck),
      `incidents stored: ${h.srp.services.incidents.listOpen().length}, cards posted: ${h.fake.messages(SECURITY).length}`,
    ].join('\n')}\n`,
  );
} finally {
  await h.stop();
}
