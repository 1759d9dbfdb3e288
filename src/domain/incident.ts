import type { PerIssueRole } from './owners.js';
import type { Phase, Resolution } from './phases.js';
import type { Report } from './report.js';

/** Incident ids read `SRP-2026-007`: the year the report was taken and a per-year sequence. */
export function formatIncidentId(year: number, sequence: number): string {
  return `SRP-${year}-${String(sequence).padStart(3, '0')}`;
}

export const INCIDENT_ID_PATTERN = /^SRP-\d{4}-\d{3,}$/;

export function parseIncidentId(input: string): string | undefined {
  const id = input.trim().toUpperCase();
  return INCIDENT_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * Who runs an incident: the commander coordinates it (the current oncall unless handed off) and the Fix Lead
 * leads the fix and its disclosure (round-robin across members); under the 2018 process also its per-issue
 * roles (Release/Project Manager, Triage, Infra, Disclosure). Not to be confused with a committee
 * `Membership` or an oncall `OncallPosition`.
 */
export type IncidentRole = 'commander' | 'fix_lead' | PerIssueRole;

export interface Incident extends Report {
  id: string;
  phase: Phase;
  /** How a closed incident ended; null while open. */
  resolution: Resolution | null;
  /** When it became public (null while private): from then every remaining deadline is due at once. */
  publicAt: Date | null;
  publicBy: string | null;
  publicWhere: string | null;
  publicLink: string | null;
  reportedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** "3d 4h", "5h 12m", "8m": how long an incident has been open, coarse enough to read at a glance. */
export function formatAge(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${mins}m`;
  return `${mins}m`;
}
