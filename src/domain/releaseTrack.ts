import type { TrackRules } from './profiles/index.js';
import type { Answers, Rating } from './severity.js';

/**
 * What the rating and the CVSS score mean for the release, per process document ("Fix Development Process"
 * and "Fix Disclosure Process"). The two documents differ here, not in the thresholds, so the differences are
 * data in each profile's `releaseTrack` rather than branches.
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
  /** The process profile's `releaseTrack`. */
  rules: TrackRules;
}

const quoted = (sentence: string) => `“${sentence}”`;

export function releaseTrack(args: TrackArgs): ReleaseTrack {
  const { rating, cvssScore: score, rules } = args;
  if (score !== null && !(score >= 0 && score <= 10)) {
    throw new RangeError(`a CVSS score is between 0.0 and 10.0, got ${score}`);
  }
  const scoreText = score === null ? 'no CVSS score yet' : `CVSS ${score.toFixed(1)}`;

  const release = rules.release[rating];
  const releaseReason =
    release.track === 'out_of_band'
      ? `Out-of-band release for a ${rating} issue: ${quoted(release.quote)}`
      : `Next patch release for a ${rating} issue: ${quoted(release.quote)}`;

  // The document's "or the assessed risk is low" makes a Low rating enough on its own, whatever the score.
  // A low score does not slow an issue the Fix Lead rated Critical or High: their call outranks CVSS.
  const overruled = rating === 'Critical' || rating === 'High';
  const maySlowRelease = (score !== null && score < rules.slowBelow && !overruled) || rating === 'Low';
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
