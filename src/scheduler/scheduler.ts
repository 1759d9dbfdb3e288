import cron from 'node-cron';
import type { Logger } from '../logger.js';

export interface Job {
  name: string;
  /** Decides what is due from stored state and hands it to a service; safe to run late or twice. */
  run(): Promise<unknown>;
  /** Run less often than every minute (and once at start). */
  everyMinutes?: number;
}

/**
 * Runs every job once a minute, and once at start so anything left over from
 * downtime is caught up straight away. A job still running when the next tick
 * comes is not started twice.
 */
export function startScheduler(jobs: Job[], log: Logger) {
  // One run at a time: a tick (or runNow) that arrives while a run is going waits for it and then runs,
  // so no job ever runs twice at once and nothing asked for is skipped.
  let chain: Promise<void> = Promise.resolve();
  let tick = 0;
  const runAll = (all: boolean) => {
    const minute = tick++;
    const run = chain.then(async () => {
      for (const job of jobs) {
        if (!all && job.everyMinutes && minute % job.everyMinutes !== 0) continue;
        try {
          await job.run();
        } catch (err) {
          log.error({ err, job: job.name }, 'scheduled job failed');
        }
      }
    });
    chain = run;
    return run;
  };
  const task = cron.schedule('* * * * *', () => runAll(false), { name: 'srp-minutely', noOverlap: true });
  const first = runAll(true).then(() => log.info({ jobs: jobs.length }, 'start-up catch-up done'));
  return {
    runNow: () => runAll(true),
    async stop() {
      await task.stop();
      await first;
      await chain;
    },
  };
}
