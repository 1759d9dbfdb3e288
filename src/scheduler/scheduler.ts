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
  const running = new Set<string>();
  let tick = 0;
  const runAll = async (all = false) => {
    const minute = tick++;
    for (const job of jobs) {
      if (running.has(job.name)) continue;
      if (!all && job.everyMinutes && minute % job.everyMinutes !== 0) continue;
      running.add(job.name);
      try {
        await job.run();
      } catch (err) {
        log.error({ err, job: job.name }, 'scheduled job failed');
      } finally {
        running.delete(job.name);
      }
    }
  };
  const task = cron.schedule('* * * * *', () => runAll(), { name: 'srp-minutely', noOverlap: true });
  const first = runAll(true).then(() => log.info({ jobs: jobs.length }, 'start-up catch-up done'));
  return {
    runNow: () => runAll(true),
    async stop() {
      await task.stop();
      await first;
    },
  };
}
