import { SEVERITY_THRESHOLDS } from '../severityRules.js';
import type { ProcessProfile } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const FIRST_DAY = 'These steps should be completed within the first 24 hours of Disclosure.';
const WITHIN_7_DAYS = 'These steps should be completed within the 1-7 days of Disclosure.';
const RELEASE_DAY_QUOTE = 'Fix Release Day (Completed within 1-21 days of Disclosure)';
const DEVELOPMENT = { from: 'disclosure', days: 7, opensDays: 1 } as const;
const RELEASE_DAY = { from: 'release', days: 0, opensDays: -2 } as const;
/** The 2018 per-issue roles, each cited where a step names it as the owner. */
const PROJECT_MANAGER = 'Per issue, sees it through to the end.';
const INFRA =
  'Who do you call when the cluster is not well or you gotta test something weird, or the release branch is all messed up?';
const DISCLOSURE =
  'Handles public messaging around the bug. Documentation on how to upgrade. Changelog. Explaining to public the severity. Notifications of bugs sent to mailing lists etc. Requests CVEs.';
const TRIAGE = 'Makes sure the people who should be in "the know" (aka notified) are notified';
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
  // The 2018 steps: the same first week as today's, then the notice of a forthcoming fix to users, the
  // optional (remote or privilege-escalation only) notice to distributors, and a release day on which the
  // CVE is requested. Its per-issue roles own what the document gives them.
  phases: {
    releaseStep: 'announce',
    publicQuote: 'If the Fix Lead is dealing with a Public Disclosure all timelines become ASAP.',
    scheduleQuote:
      'The Fix Lead drives the schedule using their best judgment based on severity, development time, and release manager feedback.',
    steps: [
      {
        id: 'fix_team_organized',
        phase: 'fix_team',
        name: 'Fix Team organized',
        owner: 'triage',
        ownerQuote: TRIAGE,
        due: { from: 'disclosure', days: 1 },
        done: { auto: 'fix_team_added' },
        source: FIRST_DAY,
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
        taskQuote: 'The Fix Lead and the Fix Team will create a CVSS using the CVSS Calculator.',
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
        id: 'forthcoming_fix',
        phase: 'disclosure_planning',
        name: 'Users told a fix is coming',
        owner: 'disclosure',
        ownerQuote: DISCLOSURE,
        due: DEVELOPMENT,
        done: 'by_person',
        source: 'Disclosure of Forthcoming Fix to Users (Completed within 1-7 days of Disclosure)',
        taskQuote: 'The Fix Lead will include any mitigating steps users can take until a fix is available.',
      },
      {
        id: 'distributors_optional',
        phase: 'disclosure_planning',
        name: 'Patches sent to distributors',
        owner: 'fix_lead',
        due: { from: 'disclosure', days: 14, opensDays: 1 },
        done: 'by_person',
        when: 'distributor_notice',
        source:
          'Optional Fix Disclosure to Private Distributors List (Completed within 1-14 days of Disclosure):',
        taskQuote:
          'Generally this Private Distributor Disclosure process should be reserved for remotely exploitable or privilege escalation issues.',
      },
      {
        id: 'release_branch',
        phase: 'release',
        name: 'Patch release branch created',
        owner: 'infra',
        ownerQuote: INFRA,
        due: RELEASE_DAY,
        done: 'by_person',
        source: RELEASE_DAY_QUOTE,
        taskQuote: OWN_RELEASE,
      },
      {
        id: 'binaries_built',
        phase: 'release',
        name: 'Binaries built and published',
        owner: 'infra',
        ownerQuote: INFRA,
        due: RELEASE_DAY,
        done: 'by_person',
        source: RELEASE_DAY_QUOTE,
        taskQuote:
          'The Release Managers will ensure all the binaries are built, publicly available, and functional before the Release Date.',
      },
      {
        id: 'cherry_picks',
        phase: 'release',
        name: 'Patches cherry-picked and merged',
        owner: 'project_manager',
        ownerQuote: PROJECT_MANAGER,
        due: RELEASE_DAY,
        done: 'by_person',
        source: RELEASE_DAY_QUOTE,
        taskQuote:
          'The Fix Lead will cherry-pick the patches onto the master branch and all relevant release branches.',
      },
      {
        id: 'cve_requested',
        phase: 'release',
        name: 'CVE assigned',
        owner: 'disclosure',
        ownerQuote: DISCLOSURE,
        due: RELEASE_DAY,
        done: { auto: 'cve_assigned' },
        source: RELEASE_DAY_QUOTE,
        taskQuote: 'The Fix Lead will request a CVE from DWF and include the CVSS and release details.',
      },
      {
        id: 'announce',
        phase: 'release',
        name: 'Announced',
        owner: 'disclosure',
        ownerQuote: DISCLOSURE,
        due: { from: 'disclosure', days: 21, opensDays: 1 },
        done: { auto: 'published' },
        source: RELEASE_DAY_QUOTE,
        taskQuote:
          'The Fix Lead will email kubernetes-{dev,users,announce,security-announce}@googlegroups.com now that everything is public announcing the new releases, the CVE number, the location of the binaries, and the relevant merged PRs to get wide distribution and user action.',
      },
      {
        id: 'fix_team_removed',
        phase: 'release',
        name: 'Fix Team removed from the private repo',
        owner: 'fix_lead',
        due: { from: 'release', days: 1 },
        done: 'by_person',
        source: RELEASE_DAY_QUOTE,
        taskQuote: 'The Fix Lead will remove the Fix Team from the private security repo.',
      },
      {
        id: 'retrospective',
        phase: 'retrospective',
        name: 'Retrospective sent',
        owner: 'project_manager',
        ownerQuote: PROJECT_MANAGER,
        due: { from: 'release', days: 3, opensDays: 1 },
        done: 'by_person',
        source: 'These steps should be completed 1-3 days after the Release Date.',
        taskQuote:
          'The Fix Lead will send a retrospective of the process to kubernetes-dev@googlegroups.com including details on everyone involved, the timeline of the process, links to relevant PRs that introduced the issue, if relevant, and any critiques of the response and release process.',
      },
    ],
    nudges: { leadShare: 0.25, minLeadMs: HOUR_MS, source: null },
    // The 2018 document has no staleness pings; srp keeps today's oncall limits, its own choice here.
    staleness: {
      limits: { Critical: 2 * DAY_MS, High: 7 * DAY_MS, Medium: 30 * DAY_MS, Low: null },
      source: null,
    },
    inactiveMember: {
      afterMs: 30 * DAY_MS,
      quote:
        'Members of a role should remove any other members that have not communicated a leave of absence and either cannot be reached for more than 1 month or are not fulfilling their documented responsibilities for more than 1 month.',
    },
  },
  // The 2018 document's only notice to distributors is the optional one (patches, remote or privilege-
  // escalation issues), sent "so distributors can prepare builds" for the announcement day; it sets no
  // minimum interval before the announcement and has no release-day notice.
  disclosure: {
    slot: {
      hourUtc: 16,
      weekdays: [1, 2, 3, 4],
      quote: 'The recommended target time is 4pm UTC on a non-Friday weekday.',
    },
    asapQuote: 'When in doubt push forward and go public ASAP.',
    notices: { advance: 'distributors_optional', releaseDay: null },
  },
};
