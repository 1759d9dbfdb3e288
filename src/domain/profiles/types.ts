import type { ReleaseTrack } from '../releaseTrack.js';
import type { Rating } from '../severity.js';
import type { AdjustmentRule, BaselineRule } from '../severityRules.js';
import type { ProcessId } from './index.js';

/**
 * Everything srp takes from one version of the security release process, as data: the code that checks the
 * committee, rates a report or picks its release track reads the numbers and sentences from here, so supporting
 * another version of the document means adding a profile, not another branch.
 *
 * Each group keeps the sentences its values come from next to the values, so a message can cite its source and
 * a test can check every quote against the document word for word. Quotes sit under a `source` key, a `quote`
 * key or a key ending in `Quote`; `source: null` marks values that are srp's own choice. A group srp needs later
 * (the phases of an incident with their deadlines and nudges, say) goes beside the others, cited the same way.
 */
export interface ProcessProfile {
  id: ProcessId;
  name: string;
  /** File name of the process document every quote in this profile comes from. */
  document: string;
  committee: CommitteeRules;
  severity: SeverityRules;
  releaseTrack: TrackRules;
  reminders: Reminders;
}

/** Who may sit on the committee and for how long they may be away ("Security Response Committee Membership"). */
export interface CommitteeRules {
  memberGoal: number;
  /** Largest fraction of the member seats one company may hold; holding more is "over the limit". */
  maxCompanyShare: number;
  /** How long a company may stay over its share; null when the document sets no limit. */
  maxMonthsOverShare: number | null;
  /** A leave at least this long must be coordinated, which srp takes to mean a replacement is named. */
  leaveNeedsCoordinationMonths: number;
  /** The longest leave the document provides a temporary replacement for. */
  maxLeaveMonthsWithReplacement: number;
  /** Rule → the sentence of the document it comes from, so a warning can cite its source. */
  source: {
    memberGoal: string;
    maxCompanyShare: string;
    /** Absent exactly when `maxMonthsOverShare` is null: no sentence sets a limit. */
    maxMonthsOverShare?: string;
    leaveNeedsCoordinationMonths: string;
    maxLeaveMonthsWithReplacement: string;
    /** The rule nextFixLead implements; it takes no number. */
    fixLeadRotation: string;
  };
}

/**
 * "Severity Thresholds - How We Do Vulnerability Scoring": the rows `assess` reads, each quoting its bullet.
 * The row shapes live beside the rows in severityRules.ts.
 */
export interface SeverityRules {
  baseline: readonly BaselineRule[];
  adjustments: readonly AdjustmentRule[];
}

/** What the rating and the CVSS score mean for the release ("Fix Development" and "Fix Disclosure Process"). */
export interface TrackRules {
  release: Readonly<Record<Rating, { track: ReleaseTrack['release']; quote: string }>>;
  /** Scores under this let the Fix Team slow the release down. */
  slowBelow: number;
  slowQuote: string;
  /** Scores under this may have the fix developed semi-publicly; null when the document has no such path. */
  semiPublicBelow: number | null;
  semiPublicQuote: string;
  earlyDisclosure: boolean;
  earlyDisclosureQuote: string;
  distributors: 'every_cve' | 'remote_or_privilege_escalation';
  distributorsQuote: string;
}

/** How often srp chases a step that is waiting on someone. */
export interface Reminders {
  /** An incident commander handoff waits until the incoming commander accepts it. */
  commanderHandoff: {
    /** How long the request may wait before the incoming commander is first reminded. */
    firstAfterMs: number;
    /** How often they are reminded after that. */
    everyMs: number;
    /** The sentence the times come from; null when the document sets none and the times are srp's own choice. */
    source: string | null;
  };
}
