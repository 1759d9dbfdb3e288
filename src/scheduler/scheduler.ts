import cron from 'node-cron';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DrainResult, DueWorkRunner } from './runner.js';

/**
 * A "what is due" step: it looks at stored facts and inserts due work (if absent). It never sends
 * anything itself; the runner does, right after.
 */
export interface Planner {
  name: string;
  plan(): unknown;
  /** Plan less often than every tick (and always on a catch-up run). */
  everyMinutes?: number;
}

/** Wake-ups for work due before the next tick are only worth it if they come soon. */
const WAKE_WITHIN_MS = 60_000;

/**
 * Every minute: the planners, then the runner drains whatever is due. Also once at start, so work left
 * over from downtime is caught up straight away: from stored due times, not from missed timer ticks. In
 * `manual` mode (tests) nothing runs by itself; `runNow` runs one tick, so a test decides when time
 * passes and work is done. Ticks never overlap: one that comes while another runs waits for it.
 */
export function startScheduler(opts: {
  planners: Planner[];
  runner: DueWorkRunner;
  /** When the next pending row may run, to wake before the next tick (a Retry-After of a few seconds). */
  nextRunAt: () => Date | undefined;
  clock: Clock;
  log: Logger;
  mode: 'cron' | 'manual';
}) {
  const { log } = opts;
  let chain: Promise<unknown> = Promise.resolve();
  let tick = 0;
  let wake: NodeJS.Timeout | undefined;
  let stopped = false;

  const runOnce = async (all: boolean): Promise<DrainResult> => {
    const minute = tick++;
    for (const p of opts.planners) {
      if (!all && p.everyMinutes && minute % p.everyMinutes !== 0) continue;
      try {
        await p.plan();
      } catch (err) {
        log.error({ err, planner: p.name }, 'planning due work failed');
      }
      // Each planner is a short synchronous slice; requests are answered between them.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await opts.runner.drain();
    if (opts.mode === 'cron' && !stopped) scheduleWake();
    return result;
  };

  /** Ticks and wake-ups run one after another, never two at once in this process. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch((err) => log.error({ err }, 'scheduler tick failed'));
    return next;
  };
  const run = (all: boolean) => serial(() => runOnce(all));

  /** An optimization only: if work comes due before the next tick, drain then. The database decides. */
  function scheduleWake() {
    const at = opts.nextRunAt();
    if (!at) return;
    const wait = at.getTime() - opts.clock.now().getTime();
    if (wait <= 0 || wait > WAKE_WITHIN_MS) return;
    clearTimeout(wake);
    wake = setTimeout(
      () =>
        void serial(async () => {
          await opts.runner.drain();
          if (!stopped) scheduleWake();
        }),
      wait + 50,
    );
    wake.unref();
  }

  const task =
    opts.mode === 'cron'
      ? cron.schedule('* * * * *', () => void run(false), { name: 'srp-minutely', noOverlap: true })
      : undefined;
  const first =
    opts.mode === 'cron'
      ? run(true).then((r) => log.info({ ...r }, 'start-up catch-up done'))
      : Promise.resolve();

  return {
    /** One tick now: every planner, then every due row. */
    runNow: () => run(true),
    async stop() {
      stopped = true;
      clearTimeout(wake);
      await task?.stop();
      await first.catch(() => {});
      await chain;
    },
  };
}
