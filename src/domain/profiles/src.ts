import { SEVERITY_THRESHOLDS } from '../severityRules.js';
import type { ProcessProfile } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WITHIN_7_DAYS = 'These steps should be completed within the 1-7 days of Disclosure.';
const WITHIN_21_DAYS = 'Fix Release Day (Completed within 1-21 days of Disclosure)';
/** "Within 1-7 days": due 7 days after the disclosure, the window opening after the first day. */
const DEVELOPMENT = { from: 'disclosure', days: 7, opensDays: 1 } as const;
/** On the release date itself. */
const RELEASE_DAY = { from: 'release', days: 0, opensDays: -2 } as const;
/** The retrospective's window: "1-3 days after the Release Date". */
const AFTER_RELEASE = { from: 'release', days: 3, opensDays: 1 } as const;
const AFTER_RELEASE_SOURCE = 'These steps should be completed 1-3 days after the Release Date.';
const PUBLIC = 'If the Fix Lead is dealing with a Public Disclosure all timelines become ASAP.';
const SCHEDULE =
  'The Fix Lead drives the schedule using their best judgment based on severity, development time, and release manager feedback.';
const INACTIVE =
  'Members of a role should remove any other members that have not communicated a leave of absence and either cannot be reached for more than 1 month or are not fulfilling their documented responsibilities for more than 1 month.';
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
  phases: {
    releaseStep: 'announce',
    publicQuote: PUBLIC,
    scheduleQuote: SCHEDULE,
    steps: [
      {
        id: 'fix_team_organized',
        phase: 'fix_team',
        name: 'Fix Team organized',
        owner: 'fix_lead',
        due: { from: 'disclosure', days: 1 },
        done: { auto: 'fix_team_added' },
        source: 'These steps should be completed within the first 24 hours of Disclosure.',
        taskQuote:
          'The Fix Lead will work quickly to identify relevant engineers from the affected projects and packages and CC those engineers into the disclosure thread.',
      },
      {
        id: 'cvss_scored',
        phase: 'development',
        name: 'CVSS scored',
        owner: 'fix_lead',
        due: DEVELOPMENT,
        done: { auto: 'cvss_scored' },
        source: WITHIN_7_DAYS,
        taskQuote: 'The Fix Lead and the Fix Team will create a CVSS score using the CVSS Calculator.',
      },
      {
        id: 'final_rating',
        phase: 'development',
        name: 'Final severity call',
        owner: 'fix_lead',
        due: DEVELOPMENT,
        done: { auto: 'final_rating' },
        source: WITHIN_7_DAYS,
        taskQuote:
          'The Fix Lead makes the final call on the calculated risk; it is better to move quickly than make the perfect assessment.',
      },
      {
        id: 'cve_requested',
        phase: 'development',
        name: 'CVE assigned',
        owner: 'fix_lead',
        due: DEVELOPMENT,
        done: { auto: 'cve_assigned' },
        source: WITHIN_7_DAYS,
        taskQuote: 'The Fix Lead will request a CVE from the Kubernetes CVE Numbering Authority.',
      },
      {
        id: 'fix_lgtm',
        phase: 'development',
        name: 'Fix LGTMed',
        owner: 'fix_team',
        due: DEVELOPMENT,
        done: 'by_person',
        source: WITHIN_7_DAYS,
        taskQuote:
          'The Fix Team will notify the Fix Lead that work on the fix branch is complete once there are LGTMs on all commits in the private repo from one or more relevant assignees in the relevant OWNERS file.',
      },
      {
        id: 'distributors_advance',
        phase: 'disclosure_planning',
        name: 'Distributors told (7 days ahead)',
        owner: 'fix_lead',
        due: { from: 'release', days: -7, opensDays: -14 },
        done: 'by_person',
        when: 'has_cve',
        source:
          'The Private Distributors List will be given advance notification of any vulnerability that is assigned a CVE, at least 7 days before the planned public disclosure date.',
      },
      {
        id: 'cherry_picks',
        phase: 'release',
        name: 'Patches cherry-picked',
        owner: 'fix_lead',
        due: RELEASE_DAY,
        done: 'by_person',
        source: WITHIN_21_DAYS,
        taskQuote:
          'The Fix Lead will cherry-pick the patches onto the master branch and all relevant release branches.',
      },
      {
        id: 'prs_merged',
        phase: 'release',
        name: 'Fix PRs merged',
        owner: 'release_managers',
        due: RELEASE_DAY,
        done: 'by_person',
        source: WITHIN_21_DAYS,
        taskQuote: 'The Release Managers will merge these PRs as quickly as possible.',
      },
      {
        id: 'binaries_built',
        phase: 'release',
        name: 'Binaries built and published',
        owner: 'release_managers',
        due: RELEASE_DAY,
        done: 'by_person',
        source: WITHIN_21_DAYS,
        taskQuote:
          'The Release Managers will ensure all the binaries are built, publicly available, and functional.',
      },
      {
        id: 'distributors_release_day',
        phase: 'release',
        name: 'Distributors told (24 h ahead)',
        owner: 'fix_lead',
        due: { from: 'release', days: -1, opensDays: -3 },
        done: 'by_person',
        when: 'has_cve',
        source:
          'The Private Distributors List will be notified at least 24 hours in advance of a pending release containing security vulnerability fixes with the public messaging, date, and time of the announcement.',
      },
      {
        id: 'announce',
        phase: 'release',
        name: 'Announced',
        owner: 'fix_lead',
        due: { from: 'disclosure', days: 21, opensDays: 1 },
        done: { auto: 'published' },
        source: WITHIN_21_DAYS,
        taskQuote:
          'The Fix Lead will announce the new releases, the CVE number, severity, and impact, and the location of the binaries to get wide distribution and user action.',
      },
      {
        id: 'fix_team_removed',
        phase: 'release',
        name: 'Fix Team removed from the private repo',
        owner: 'fix_lead',
        due: { from: 'release', days: 1 },
        done: 'by_person',
        source: WITHIN_21_DAYS,
        taskQuote:
          'The Fix Lead will remove the Fix Team from the private security repo once it is no longer needed.',
      },
      {
        id: 'retrospective',
        phase: 'retrospective',
        name: 'Retrospective sent',
        owner: 'fix_lead',
        due: AFTER_RELEASE,
        done: 'by_person',
        source: AFTER_RELEASE_SOURCE,
        taskQuote:
          'The Fix Lead will send a retrospective of the process to kubernetes-dev@googlegroups.com including details on everyone involved, the timeline of the process, links to relevant PRs that introduced the issue, if relevant, and any critiques of the response and release process.',
      },
      {
        id: 'cve_published',
        phase: 'retrospective',
        name: 'CVE record published',
        owner: 'fix_lead',
        due: AFTER_RELEASE,
        done: 'by_person',
        when: 'has_cve',
        source: AFTER_RELEASE_SOURCE,
        practice:
          'After disclosure: write the CVE JSON (state PUBLIC; affects, credits, description, impact (CVSS), CWE, references), a CNA member reviews it, `cvelib publish`, mark it in the sheet (src-companion.md, "CVE request flow").',
      },
      {
        id: 'tracking_issue_closed',
        phase: 'retrospective',
        name: 'Tracking issue closed',
        owner: 'fix_lead',
        due: AFTER_RELEASE,
        done: 'by_person',
        source: AFTER_RELEASE_SOURCE,
        practice:
          'The tracking issue: "Close it after comms are sent, fixes are out and the CVE data is published." (src-companion.md, "Templates and their fields").',
      },
    ],
    // srp's own: a reminder a quarter of the way before a deadline is early enough to act on, late
    // enough not to be noise; an hour is the least that is still useful.
    nudges: { leadShare: 0.25, minLeadMs: HOUR_MS, source: null },
    // From the SRC's oncall workflow ("Ping the IC of any severity/critical issue with no update for more
    // than 2 days", high 7 days, medium 1 month), which the process document does not state.
    staleness: {
      limits: { Critical: 2 * DAY_MS, High: 7 * DAY_MS, Medium: 30 * DAY_MS, Low: null },
      source: null,
    },
    inactiveMember: { afterMs: 30 * DAY_MS, quote: INACTIVE },
  },
  disclosure: {
    slot: {
      hourUtc: 16,
      weekdays: [1, 2, 3, 4],
      quote: 'The recommended target time is 4pm UTC on a non-Friday weekday.',
    },
    asapQuote: 'When in doubt push forward and go public ASAP.',
    notices: { advance: 'distributors_advance', releaseDay: 'distributors_release_day' },
  },
};
