import type { ProcessProfile } from '../domain/profiles/index.js';
import { computeStats, type Stats } from '../domain/stats.js';
import type { StatsStore } from '../store/stats.js';

/**
 * The committee's figures over a period, for `/srp stats` and `npx srp stats` alike: the store reads the
 * period's facts in one snapshot, domain/stats.ts works them out with the deployment's process profile.
 */
export function statsService(deps: { stats: StatsStore; profile: ProcessProfile }) {
  return {
    /** The figures for the incidents received from `since` until `until` (judged as of `until`). */
    compute(since: Date, until: Date): Stats {
      return computeStats(deps.stats.period(since, until), { since, until }, deps.profile);
    },
  };
}
export type StatsService = ReturnType<typeof statsService>;
