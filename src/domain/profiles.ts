/**
 * The committee rules of each process document, as data: the code that checks the committee reads the numbers
 * from a profile, so supporting another version of the document means adding a profile, not another branch.
 */
export interface ProcessProfile {
  id: 'src' | 'pst2018';
  name: string;
  memberGoal: number;
  /** Largest fraction of the member seats one company may hold; holding more is "over the limit". */
  maxCompanyShare: number;
  /** How long a company may stay over its share; null when the document sets no limit. */
  maxMonthsOverShare: number | null;
  /** A leave at least this long must be coordinated, which srp takes to mean a replacement is named. */
  leaveNeedsCoordinationMonths: number;
  /** The longest leave the document provides a temporary replacement for. */
  maxLeaveMonthsWithReplacement: number;
  /** Rule name → the sentence of the document it comes from, so a warning can cite its source. */
  source: Record<string, string>;
}

const src: ProcessProfile = {
  id: 'src',
  name: 'Security Response Committee (current)',
  memberGoal: 7,
  maxCompanyShare: 1 / 2,
  maxMonthsOverShare: 12,
  leaveNeedsCoordinationMonths: 1,
  maxLeaveMonthsWithReplacement: 3,
  source: {
    memberGoal: 'The SRC has a goal to have at least 7 members.',
    maxCompanyShare:
      'To encourage diversity members will also abide by a 1/2 maximal representation from any one company at any time.',
    maxMonthsOverShare:
      'Being overlimit should not continue for longer than 12 months to give time to identify and mentor new members.',
    leaveNeedsCoordinationMonths:
      'Members taking an extended leave of 1 or more months should coordinate with other members to ensure the role is adequately staffed during the leave.',
    maxLeaveMonthsWithReplacement:
      'Members going on leave for 1-3 months may identify a temporary replacement.',
    fixLeadRotation: 'The role of Fix Lead should rotate round-robin across the SRC.',
  },
};

// The 2018 document names no time limit for being over the company share, so it has no
// `maxMonthsOverShare` quote; its leave sentences are word for word the same as today's.
const pst2018: ProcessProfile = {
  id: 'pst2018',
  name: 'Product Security Team (2018)',
  memberGoal: 7,
  maxCompanyShare: 1 / 3,
  maxMonthsOverShare: null,
  leaveNeedsCoordinationMonths: 1,
  maxLeaveMonthsWithReplacement: 3,
  source: {
    memberGoal: 'The PST has a goal to expand the PST to 7 members by end of year (2018) or early 2019.',
    maxCompanyShare:
      'Members will also abide by the 1/3 maximal representation policy like the steering committee.',
    leaveNeedsCoordinationMonths:
      'Members taking an extended leave of 1 or more months should coordinate with other members to ensure the role is adequately staffed during the leave.',
    maxLeaveMonthsWithReplacement:
      'Members going on leave for 1-3 months may identify a temporary replacement.',
    fixLeadRotation: 'The role of Fix Lead should rotate round-robin across the PST.',
  },
};

export const PROFILES: Readonly<Record<ProcessProfile['id'], ProcessProfile>> = Object.freeze({
  src: Object.freeze(src),
  pst2018: Object.freeze(pst2018),
});

/**
 * A profile with a deployment's own company share (a committee may choose to be stricter than its document).
 * The copy is fresh, so changing it never changes PROFILES.
 */
export function profileWith(
  id: ProcessProfile['id'],
  overrides: { maxCompanyShare?: number },
): ProcessProfile {
  const base = PROFILES[id];
  const share = overrides.maxCompanyShare ?? base.maxCompanyShare;
  if (!(share > 0 && share <= 1)) throw new RangeError(`maxCompanyShare must be in (0, 1], got ${share}`);
  return { ...base, maxCompanyShare: share, source: { ...base.source } };
}
