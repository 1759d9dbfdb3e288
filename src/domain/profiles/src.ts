import { SEVERITY_THRESHOLDS } from '../severityRules.js';
import type { ProcessProfile } from './types.js';

const HOUR_MS = 3_600_000;
const OUT_OF_BAND =
  'Critical and High severity vulnerability fixes will typically receive an out-of-band release.';
const NEXT_PATCH =
  'Medium and Low severity vulnerability fixes will be released as part of the next Kubernetes patch release.';

/** Today's process, run by the Security Response Committee (SRC). */
export const src: ProcessProfile = {
  id: 'src',
  name: 'Security Response Committee (current)',
  document: 'security-release-process.md',
  committee: {
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
  },
  severity: SEVERITY_THRESHOLDS,
  releaseTrack: {
    release: {
      Critical: { track: 'out_of_band', quote: OUT_OF_BAND },
      High: { track: 'out_of_band', quote: OUT_OF_BAND },
      Medium: { track: 'next_patch', quote: NEXT_PATCH },
      Low: { track: 'next_patch', quote: NEXT_PATCH },
    },
    slowBelow: 4.0,
    slowQuote:
      'If the CVSS score is under ~4.0 (a low severity score) or the assessed risk is low the Fix Team can decide to slow the release process down in the face of holidays, developer bandwidth, etc. These decisions must be discussed on the security@kubernetes.io mailing list.',
    semiPublicBelow: 7.0,
    semiPublicQuote:
      'If the CVSS score is under ~7.0 (a medium severity score), the Fix Lead may choose to carry out the fix semi-publicly.',
    earlyDisclosure: true,
    earlyDisclosureQuote:
      'No matter the CVSS score, if the vulnerability requires User Interaction, especially in client components like kubectl, or otherwise has a straightforward, non-disruptive mitigation, the Fix Lead may choose to disclose the vulnerability before a fix is developed if they determine that users would be better off being warned against a specific interaction.',
    distributors: 'every_cve',
    distributorsQuote:
      'The Private Distributors List will be given advance notification of any vulnerability that is assigned a CVE, at least 7 days before the planned public disclosure date.',
  },
  reminders: {
    // The document says only that the commander "may be handed off to other SRC members as needed", not how
    // long a handoff may wait: two hours (a working session) and then daily are srp's own choice.
    commanderHandoff: { firstAfterMs: 2 * HOUR_MS, everyMs: 24 * HOUR_MS, source: null },
  },
};
