import type { Phase } from './phases.js';

/**
 * Who owns an incident's steps beyond its commander, Fix Lead and Fix Team: the project's Release Managers
 * (a roster, today's process and the 2018 one alike) and the 2018 document's per-issue roles, each given to
 * one member per incident by a weekly rotation or by a queue, as the team chooses. Pure: the store keeps
 * the rules and the queue, the service applies them at intake.
 */

/** The 2018 document's roles, assigned per issue ("Per-Issue Assignment Options"). */
export const PER_ISSUE_ROLES = ['project_manager', 'triage', 'infra', 'disclosure'] as const;
export type PerIssueRole = (typeof PER_ISSUE_ROLES)[number];

export const PER_ISSUE_ROLE_NAME: Record<PerIssueRole, string> = {
  project_manager: 'Release/Project Manager',
  triage: 'Triage',
  infra: 'Infra',
  disclosure: 'Disclosure',
};

export const isPerIssueRole = (value: unknown): value is PerIssueRole =>
  typeof value === 'string' && (PER_ISSUE_ROLES as readonly string[]).includes(value);

/** A role as typed: `triage`, `project-manager`, `project_manager`, `pm`. */
export function perIssueRoleArg(word: string | undefined): PerIssueRole | undefined {
  const w = word?.toLowerCase().replaceAll('-', '_');
  if (w === 'pm') return 'project_manager';
  return isPerIssueRole(w) ? w : undefined;
}

/**
 * "Scheduled Rotation": each week has a primary and a secondary. "Queue": an ordered list of who handles
 * the next issue; the top takes it.
 */
export type AssignmentMode = 'rotation' | 'queue';
export const ASSIGNMENT_MODES: readonly AssignmentMode[] = ['rotation', 'queue'];

export interface AssignmentRule {
  role: PerIssueRole;
  mode: AssignmentMode;
  /** Members in the order the team gave. */
  order: readonly string[];
  /** A queue as it stands now (its top first); the order given until the first incident takes a turn. */
  queue: readonly string[];
}

/** Week `week`'s primary and secondary: the order's `week`-th and the one after it, round and round. */
export function rotationPair(
  order: readonly string[],
  week: number,
): { primary: string | null; secondary: string | null } {
  const n = order.length;
  if (n === 0) return { primary: null, secondary: null };
  const at = (k: number) => order[(((week + k) % n) + n) % n] as string;
  return { primary: at(0), secondary: n > 1 ? at(1) : null };
}

/**
 * Who takes a new incident under `rule` in week `week`, with `available` saying who can (a member, not on
 * leave). A rotation gives it to the week's primary, or the secondary when the primary cannot ("Secondary
 * is there if we can't get a hold of the primary"); with neither, nobody. A queue gives it to the first
 * one available from the top, who goes to the bottom; those passed over keep their place ("If we can't
 * contact them ... we go down the list"). `queue` is the queue after the turn (unchanged when nobody took it).
 */
export function takeTurn(
  rule: Pick<AssignmentRule, 'mode' | 'order' | 'queue'>,
  week: number,
  available: (userId: string) => boolean,
): { userId: string | null; queue: string[] } {
  if (rule.mode === 'rotation') {
    const { primary, secondary } = rotationPair(rule.order, week);
    const userId = [primary, secondary].find((u): u is string => u !== null && available(u)) ?? null;
    return { userId, queue: [...rule.queue] };
  }
  const userId = rule.queue.find(available) ?? null;
  if (userId === null) return { userId, queue: [...rule.queue] };
  return { userId, queue: [...rule.queue.filter((u) => u !== userId), userId] };
}

/** Problems with an order about to be saved, as sentences; empty when it is fine. */
export function orderProblems(order: readonly string[], isMember: (userId: string) => boolean): string[] {
  const problems: string[] = [];
  if (order.length === 0) problems.push('List at least one member, in order.');
  const twice = order.filter((u, i) => order.indexOf(u) !== i);
  if (twice.length) {
    problems.push(`${[...new Set(twice)].map((u) => `<@${u}>`).join(', ')}: listed more than once.`);
  }
  const outsiders = [...new Set(order.filter((u) => !isMember(u)))];
  if (outsiders.length) {
    problems.push(
      `${outsiders.map((u) => `<@${u}>`).join(', ')}: only committee members can hold these roles.`,
    );
  }
  return problems;
}

/** The phases in which the Release Managers see an incident: from its release on. */
export const RELEASE_MANAGER_PHASES: readonly Phase[] = ['release', 'retrospective'];

/**
 * Whether the Release Managers see an incident now: in its release or retrospective, or closed from one of
 * them (`closedFrom`: the phase its last closing left). Before its release it stays embargoed from them.
 */
export function releaseManagersSee(phase: Phase, closedFrom: Phase | undefined): boolean {
  if (phase === 'closed') return closedFrom !== undefined && RELEASE_MANAGER_PHASES.includes(closedFrom);
  return RELEASE_MANAGER_PHASES.includes(phase);
}
