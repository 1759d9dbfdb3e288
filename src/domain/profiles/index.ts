import { pst2018 } from './pst2018.js';
import { src } from './src.js';
import type { ProcessProfile } from './types.js';

export type {
  CommitteeRules,
  DisclosureRules,
  Owner,
  PhaseRules,
  ProcessProfile,
  Reminders,
  SeverityRules,
  StepRule,
  TrackRules,
} from './types.js';

/** Freezes `value` and everything under it, so no caller can change a process's rules in place. */
export function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}

/**
 * Every process srp can run, by id: the id a deployment configures. Another process is one more data file
 * beside these and one more line here.
 */
export const PROFILES = deepFreeze({
  src,
  pst2018,
});

export type ProcessId = keyof typeof PROFILES;

/** The ids in registry order, for a configuration schema's enum. */
export const PROCESS_IDS = Object.freeze(Object.keys(PROFILES) as ProcessId[]);

export function isProcessId(value: unknown): value is ProcessId {
  return typeof value === 'string' && Object.hasOwn(PROFILES, value);
}

/**
 * The profile a deployment runs: its process, or a team's adjustment of it (SRP_PROCESS_FILE, read by
 * file.ts), with the deployment's own company share (a committee may choose to be stricter than its
 * document). The copy is fresh and deep, so changing it never changes PROFILES or the adjusted profile.
 */
export function resolveProfile(
  process: ProcessId | ProcessProfile,
  overrides: { maxCompanyShare?: number },
): ProcessProfile {
  const profile = structuredClone(typeof process === 'string' ? PROFILES[process] : process);
  const share = overrides.maxCompanyShare ?? profile.committee.maxCompanyShare;
  if (!(share > 0 && share <= 1)) throw new RangeError(`maxCompanyShare must be in (0, 1], got ${share}`);
  profile.committee.maxCompanyShare = share;
  return profile;
}
