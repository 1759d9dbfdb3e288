/** srp as the bench's child process: started, ticked and measured on the parent's command. */
import type { Clock } from '../src/clock.js';
import { parseConfig } from '../src/config.js';
import { type Srp, startSrp } from '../src/srp.js';
import { measureAcks, serve, withStallMonitor } from './child.js';

measureAcks();
let srp: Srp | undefined;
const running = () => {
  if (!srp) throw new Error('srp is not started');
  return srp;
};
/** The system clock, moved forward when the parent has time pass (`dueNudges`). */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

/** withStallMonitor, and the CPU (ms) this process used meanwhile. */
async function timed<T>(fn: () => Promise<T>) {
  const cpu0 = process.cpuUsage();
  const t = await withStallMonitor(fn);
  const cpu = process.cpuUsage(cpu0);
  return { ...t, cpuMs: (cpu.user + cpu.system) / 1000 };
}

interface SweepTick {
  ms: number;
  cpuMs: number;
  stallMs: number;
  ran: number;
}
/** The schedule sweep under way (`sweepStart`), its ticks run back to back; `sweepResult` waits for it. */
let sweep: Promise<{ ticks: SweepTick[]; totalMs: number }> | undefined;

/** Due-work rows by kind and state that were due at `at` (pending ones) or finished since `since`. */
function dueWorkCounts(s: Srp, at: number, since: number) {
  return s.db.$client
    .prepare(`select kind, state, count(*) as n from due_work
      where (state = 'pending' and run_at <= ?) or (state != 'pending' and done_at >= ?) group by kind, state`)
    .all(at, since) as Array<{ kind: string; state: string; n: number }>;
}

serve({
  /** Starts srp on the seeded database; healthy once this answers (it listens before resolving). */
  async start(msg) {
    const parsed = parseConfig(msg.env as Record<string, string>);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const config = parsed.config;
    const started = await withStallMonitor(async () => {
      srp = await startSrp(config, { clock, scheduler: msg.scheduler as 'cron' | 'manual' });
      return srp.port;
    });
    return { port: started.value, ms: started.ms, maxStallMs: started.maxStallMs };
  },
  /** Waits for the start-up catch-up (and anything it queued) and reports the stall meanwhile. */
  async tick() {
    const t = await timed(() => running().runJobs());
    return { ms: t.ms, cpuMs: t.cpuMs, maxStallMs: t.maxStallMs, drained: t.value };
  },
  /** As after an upgrade that changed the card layout: every open card is stale; mark them, then one tick. */
  async redraw() {
    const s = running();
    s.db.$client.prepare("update meta set value = '0' where key = 'card_layout'").run();
    const mark = await withStallMonitor(() => s.services.cards.refreshLayout());
    const tick = await withStallMonitor(() => s.runJobs());
    return {
      marked: mark.value,
      markMs: mark.ms,
      markStallMs: mark.maxStallMs,
      tickMs: tick.ms,
      tickStallMs: tick.maxStallMs,
      drained: tick.value,
    };
  },
  /**
   * Time passes until `count` planned nudges are due at once (the clock moved to the count-th pending
   * nudge's time), then one tick: its wall time and stall, and what it did.
   */
  async dueNudges(msg) {
    const s = running();
    const count = Number(msg.count);
    const at = s.db.$client
      .prepare(
        "select run_at from due_work where state = 'pending' and kind = 'nudge' order by run_at limit 1 offset ?",
      )
      .pluck()
      .get(count - 1) as number;
    const since = clock.now().getTime();
    offsetMs += Math.max(0, at - since);
    const due = dueWorkCounts(s, at, Number.POSITIVE_INFINITY);
    const tick = await timed(() => s.runJobs());
    return {
      advancedMs: at - since,
      due,
      tickMs: tick.ms,
      tickCpuMs: tick.cpuMs,
      tickStallMs: tick.maxStallMs,
      drained: tick.value,
      after: dueWorkCounts(s, clock.now().getTime(), since),
    };
  },
  /**
   * As after an upgrade that changed how nudges are planned (SCHEDULE_VERSION): every open incident's
   * `schedule:` row marked due (answered once marked), then ticks back to back, in the background, until
   * the runner has planned them all, its per-drain share at a time (in production, one tick a minute).
   */
  async sweepStart() {
    const s = running();
    s.db.$client.prepare("update meta set value = '0' where key = 'schedule_version'").run();
    const mark = await withStallMonitor(() => s.services.schedule.refreshAll());
    const left = s.db.$client
      .prepare("select count(*) from due_work where kind = 'schedule' and state = 'pending' and run_at <= ?")
      .pluck();
    sweep = (async () => {
      const ticks: SweepTick[] = [];
      const t0 = performance.now();
      while ((left.get(clock.now().getTime()) as number) > 0 && ticks.length < 1000) {
        const tick = await timed(() => s.runJobs());
        ticks.push({
          ms: tick.ms,
          cpuMs: tick.cpuMs,
          stallMs: tick.maxStallMs,
          ran: (tick.value as { ran: number }).ran,
        });
      }
      return { ticks, totalMs: performance.now() - t0 };
    })();
    return { marked: mark.value, markMs: mark.ms, markStallMs: mark.maxStallMs };
  },
  async sweepResult() {
    if (!sweep) throw new Error('no sweep started');
    return await sweep;
  },
  async stop() {
    const t = await withStallMonitor(async () => running().stop());
    setImmediate(() => process.exit(0));
    return { ms: t.ms };
  },
});
