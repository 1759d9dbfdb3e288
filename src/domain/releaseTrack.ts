import type { Answers, Rating } from './severity.js';
import type { SeverityProfile } from './severityRules.js';

/**
 * What the rating and the CVSS score mean for the release, per process document ("Fix Development Process"
 * and "Fix Disclosure Process"). The two documents differ here, not in the thresholds, so the differences are
 * data in TRACK_RULES rather than branches.
 */

export interface ReleaseTrack {
  release: 'out_of_band' | 'next_patch';
  maySlowRelease: boolean;
  maySemiPublicFix: boolean;
  earlyDisclosurePossible: boolean;
  distributorNoticeRequired: boolean;
  /** One sentence per decision above, in that order, each quoting the document. */
  reasons: string[];
}

export interface TrackArgs {
  rating: Rating;
  cvssScore: number | null;
  hasCve: boolean;
  userInteraction: boolean;
  straightforwardMitigation: boolean;
  remotelyExploitable: boolean;
  privilegeEscalation: boolean;
  profile: SeverityProfile['id'];
}

export interface TrackRules {
  release: Readonly<Record<Rating, { track: ReleaseTrack['release']; quote: string }>>;
  slowQuote: string;
  /** Scores under this may have the fix developed semi-publicly; null when the document has no such path. */
  semiPublicBelow: number | null;
  semiPublicQuote: string;
  earlyDisclosure: boolean;
  earlyDisclosureQuote: string;
  distributors: 'every_cve' | 'remote_or_privilege_escalation';
  distributorsQuote: string;
}

const LOW_SCORE = 4.0;
const SRC_OUT_OF_BAND =
  'Critical and High severity vulnerability fixes will typically receive an out-of-band release.';
const SRC_NEXT_PATCH =
  'Medium and Low severity vulnerability fixes will be released as part of the next Kubernetes patch release.';
const PST_OWN_RELEASE =
  'The Release Managers will create a new patch release branch from the latest patch release tag + the fix from the security branch.';

export const TRACK_RULES: Readonly<Record<SeverityProfile['id'], TrackRules>> = Object.freeze({
  src: {
    release: {
      Critical: { track: 'out_of_band', quote: SRC_OUT_OF_BAND },
      High: { track: 'out_of_band', quote: SRC_OUT_OF_BAND },
      Medium: { track: 'next_patch', quote: SRC_NEXT_PATCH },
      Low: { track: 'next_patch', quote: SRC_NEXT_PATCH },
    },
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
  // The 2018 document gives every fix its own patch release, has no semi-public path and no disclosure
  // before a fix, and sends patches to distributors only for remote or privilege-escalation issues.
  pst2018: {
    release: {
      Critical: { track: 'out_of_band', quote: PST_OWN_RELEASE },
      High: { track: 'out_of_band', quote: PST_OWN_RELEASE },
      Medium: { track: 'out_of_band', quote: PST_OWN_RELEASE },
      Low: { track: 'out_of_band', quote: PST_OWN_RELEASE },
    },
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
});

const quoted = (sentence: string) => `“${sentence}”`;

export function releaseTrack(args: TrackArgs): ReleaseTrack {
  const { rating, cvssScore: score } = args;
  if (score !== null && !(score >= 0 && score <= 10)) {
    throw new RangeError(`a CVSS score is between 0.0 and 10.0, got ${score}`);
  }
  const rules = TRACK_RULES[args.profile];
  const scoreText = score === null ? 'no CVSS score yet' : `CVSS ${score.toFixed(1)}`;

  const release = rules.release[rating];
  const releaseReason =
    release.track === 'out_of_band'
      ? `Out-of-band release for a ${rating} issue: ${quoted(release.quote)}`
      : `Next patch release for a ${rating} issue: ${quoted(release.quote)}`;

  // The document's "or the assessed risk is low" makes a Low rating enough on its own, whatever the score.
  // A low score does not slow an issue the Fix Lead rated Critical or High: their call outranks CVSS.
  const overruled = rating === 'Critical' || rating === 'High';
  const maySlowRelease = (score !== null && score < LOW_SCORE && !overruled) || rating === 'Low';
  const slowReason = maySlowRelease
    ? `May slow the release after discussion on the private list (${scoreText}, rated ${rating}): ${quoted(rules.slowQuote)}`
    : `Not to be slowed (${scoreText}, rated ${rating}): ${quoted(rules.slowQuote)}`;

  // Without a score yet, a Medium or Low rating stands in for "a medium severity score" or lower.
  const below = rules.semiPublicBelow;
  const maySemiPublicFix =
    below !== null &&
    !overruled &&
    (score !== null ? score < below : rating === 'Medium' || rating === 'Low');
  const semiPublicReason =
    below === null
      ? `The fix is developed privately; this process has no semi-public path: ${quoted(rules.semiPublicQuote)}`
      : maySemiPublicFix
        ? `The fix may be developed semi-publicly (${scoreText}, rated ${rating}): ${quoted(rules.semiPublicQuote)}`
        : `The fix is developed privately (${scoreText}, rated ${rating}): ${quoted(rules.semiPublicQuote)}`;

  const interactionOrMitigation = args.userInteraction || args.straightforwardMitigation;
  const earlyDisclosurePossible = rules.earlyDisclosure && interactionOrMitigation;
  const earlyReason = !rules.earlyDisclosure
    ? `No disclosure before a fix in this process: ${quoted(rules.earlyDisclosureQuote)}`
    : earlyDisclosurePossible
      ? `May be disclosed before a fix (${args.userInteraction ? 'needs user interaction' : 'has a straightforward mitigation'}): ${quoted(rules.earlyDisclosureQuote)}`
      : `No early disclosure: it needs no user interaction and has no straightforward mitigation: ${quoted(rules.earlyDisclosureQuote)}`;

  const distributorNoticeRequired =
    rules.distributors === 'every_cve' ? args.hasCve : args.remotelyExploitable || args.privilegeEscalation;
  const distributorReason =
    rules.distributors === 'every_cve'
      ? `${args.hasCve ? 'Distributors get advance notice' : 'No distributor notice until a CVE is assigned'}: ${quoted(rules.distributorsQuote)}`
      : `${distributorNoticeRequired ? 'Distributors get the patches early' : 'Distributor disclosure can be skipped'} (${describeReach(args)}): ${quoted(rules.distributorsQuote)}`;

  return {
    release: release.track,
    maySlowRelease,
    maySemiPublicFix,
    earlyDisclosurePossible,
    distributorNoticeRequired,
    reasons: [releaseReason, slowReason, semiPublicReason, earlyReason, distributorReason],
  };
}

function describeReach(args: TrackArgs): string {
  const parts = [
    args.remotelyExploitable ? 'remotely exploitable' : 'not remotely exploitable',
    args.privilegeEscalation ? 'privilege escalation' : 'no privilege escalation',
  ];
  return parts.join(', ');
}

/**
 * The release-track inputs the questionnaire already answers. Authenticated attackers reach the API over the
 * network, so only adjacent-network and local positions are not remote; a client counts as user interaction
 * because "Using kubectl or a client library are considered user interaction".
 */
export function trackFactsFrom(
  answers: Answers,
): Pick<
  TrackArgs,
  'userInteraction' | 'straightforwardMitigation' | 'remotelyExploitable' | 'privilegeEscalation'
> {
  return {
    userInteraction: answers.userInteraction || answers.component === 'client',
    straightforwardMitigation: answers.straightforwardMitigation,
    remotelyExploitable: answers.position !== 'adjacent_network' && answers.position !== 'local',
    privilegeEscalation: answers.impact === 'code_execution' || answers.impact === 'privilege_elevation',
  };
}

/**
 * True when both ratings are known and differ. CVSS "None" (0.0) is its own level below Low: the questionnaire
 * never yields it, so a zero score on an issue the team is handling is always worth a second look.
 */
export function ratingsDisagree(questionnaire: Rating | null, cvss: Rating | 'None' | null): boolean {
  if (questionnaire === null || cvss === null) return false;
  return questionnaire !== cvss;
}

/**
 * The track inputs a CVSS vector answers when there is no questionnaire: user interaction (3.x UI:R,
 * 4.0 UI:P or UI:A) and a network attack vector. Privilege escalation is not something a vector says.
 */
export function trackFactsFromCvss(
  vector: string,
): Pick<
  TrackArgs,
  'userInteraction' | 'straightforwardMitigation' | 'remotelyExploitable' | 'privilegeEscalation'
> {
  const metric = (key: string) => new RegExp(`/${key}:([A-Z]+)`).exec(vector)?.[1];
  const ui = metric('UI');
  return {
    userInteraction: ui !== undefined && ui !== 'N',
    straightforwardMitigation: false,
    remotelyExploitable: metric('AV') === 'N',
    privilegeEscalation: false,
  };
}
