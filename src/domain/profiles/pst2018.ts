import { SEVERITY_THRESHOLDS } from '../severityRules.js';
import type { ProcessProfile } from './types.js';

const HOUR_MS = 3_600_000;
const OWN_RELEASE =
  'The Release Managers will create a new patch release branch from the latest patch release tag + the fix from the security branch.';

/**
 * The 2018 process, run by the Product Security Team (PST). Against today's it sets no time limit for being
 * over the company share (so there is no `maxMonthsOverShare` quote), gives every fix its own patch release,
 * has no semi-public path and no disclosure before a fix, and sends patches to distributors only for remote or
 * privilege-escalation issues. Its leave sentences are word for word today's.
 */
export const pst2018: ProcessProfile = {
  id: 'pst2018',
  name: 'Product Security Team (2018)',
  document: 'security-release-process-2018.md',
  committee: {
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
  },
  severity: SEVERITY_THRESHOLDS,
  releaseTrack: {
    release: {
      Critical: { track: 'out_of_band', quote: OWN_RELEASE },
      High: { track: 'out_of_band', quote: OWN_RELEASE },
      Medium: { track: 'out_of_band', quote: OWN_RELEASE },
      Low: { track: 'out_of_band', quote: OWN_RELEASE },
    },
    slowBelow: 4.0,
    slowQuote:
      'If the CVSS score is under 4.0 (a low severity score) or the assessed risk is low the Fix Team can decide to slow the release process down in the face of holidays, developer bandwidth, etc.',
    semiPublicBelow: null,
    semiPublicQuote:
      'The Fix Lead will get the Fix Team access to private security repos in the kubernetes-security GitHub org to develop the fix.',
    earlyDisclosure: false,
    earlyDisclosureQuote:
      'This Disclosure process should begin after the Fix Team has developed a Fix or mitigation so that a realistic timeline can be communicated to users.',
    distributors: 'remote_or_privilege_escalation',
    distributorsQuote:
      'Generally this Private Distributor Disclosure process should be reserved for remotely exploitable or privilege escalation issues.',
  },
  reminders: {
    // The 2018 document has no incident commander (its nearest role, the Release/Project Manager, "sees it
    // through to the end"), so nothing times a handoff; srp keeps its own times, the same as for today's process.
    commanderHandoff: { firstAfterMs: 2 * HOUR_MS, everyMs: 24 * HOUR_MS, source: null },
  },
};
