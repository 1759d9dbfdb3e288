import type { Phase } from '../phases.js';
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
 * key or a key ending in `Quote`; `source: null` marks values that are srp's own choice.
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
  phases: PhaseRules;
  disclosure: DisclosureRules;
}

/**
 * When the announcement goes out ("Fix Disclosure Process"): the recommended slot, what a public incident
 * allows, and which steps are the distributors' notices (their deadlines, counted back from the release
 * date, are the minimum notice: 7 days and 24 hours in today's process).
 */
export interface DisclosureRules {
  slot: {
    /** The hour (UTC) of the recommended target time. */
    hourUtc: number;
    /** ISO weekdays (1 = Monday) the target may fall on. */
    weekdays: readonly number[];
    quote: string;
  };
  /** A public incident or a broken embargo: the target may be now. */
  asapQuote: string;
  /** The steps that are the distributors' notices; null when the process has no such notice. */
  notices: { advance: string; releaseDay: string | null };
}

/**
 * Who a step belongs to: an incident role, a group (the incident's Fix Team, the project's Release
 * Managers), or one of the 2018 document's per-issue roles (Release/Project Manager, Triage, Infra,
 * Disclosure), which a process that uses them assigns to each incident.
 */
export type Owner =
  | 'commander'
  | 'fix_lead'
  | 'fix_team'
  | 'release_managers'
  | 'project_manager'
  | 'triage'
  | 'infra'
  | 'disclosure';

/** The facts srp sees that can make a step done without anyone pressing Done. */
export type AutoDone = 'fix_team_added' | 'cvss_scored' | 'final_rating' | 'cve_assigned' | 'published';

/** When a step is due: days from the disclosure (the report's received time) or from the release date. */
export interface Due {
  from: 'disclosure' | 'release';
  /** Days after the origin; negative means before it (e.g. 7 days before the release date). */
  days: number;
  /**
   * Where the step's window opens, in days from the same origin ("within 1-7 days": 1): the "due soon"
   * nudge comes a share of the window before the deadline. Without it the window opens at the origin.
   */
  opensDays?: number;
}

export interface StepRule {
  id: string;
  phase: Phase;
  /** As people say it: "Fix Team organized", "Distributors told (7 days ahead)". */
  name: string;
  owner: Owner;
  /** Why this owner, when the document names the role elsewhere (the 2018 roles' own descriptions). */
  ownerQuote?: string;
  due: Due;
  /** Done by a fact srp sees, or by a person pressing Done (the Fix Team's LGTMs, the binaries built). */
  done: { auto: AutoDone } | 'by_person';
  /** When the step applies at all: only once the incident has a CVE; only when distributors get notice. */
  when?: 'has_cve' | 'distributor_notice';
  /** The sentence of the document its deadline comes from. */
  source: string;
  /** The sentence saying what is to be done, when it is another one. */
  taskQuote?: string;
  /**
   * What the SRC's practice says about a step the process document does not name (the CVE record, closing
   * the tracking issue), from src-companion.md: a note, not a quote of the document (`source` stays the
   * document's sentence its deadline comes from).
   */
  practice?: string;
  /**
   * The "due soon" nudge comes this long before the deadline, instead of the phase's share of the window. Set
   * only by a team's own process file (SRP_PROCESS_FILE): no document sets when to remind.
   */
  leadMs?: number;
  /** Present when a team's process file changed this step's deadline or nudge: "changed by <file>". */
  adjusted?: string;
}

/** An incident's steps, their deadlines and how srp reminds people of them. */
export interface PhaseRules {
  steps: readonly StepRule[];
  /** The step whose due time is "the release date" other steps count from (the public announcement). */
  releaseStep: string;
  /** "All timelines become ASAP" once the disclosure is public. */
  publicQuote: string;
  /** The Fix Lead may move any deadline. */
  scheduleQuote: string;
  nudges: {
    /** The "due soon" nudge comes this share of the step's window before its deadline ... */
    leadShare: number;
    /** ... but never less than this long before it. */
    minLeadMs: number;
    /** srp's own choice; no document sets when to remind. */
    source: null;
    /** Present when a team's process file changed the share or the minimum: "changed by <file>". */
    adjusted?: string;
  };
  /**
   * An incident with no timeline event for this long pings its commander, once per such period, by final
   * rating (null: no limit). The SRC's oncall workflow sets them, not the process document: `source: null`.
   */
  staleness: {
    limits: Readonly<Record<Rating, number | null>>;
    source: null;
    /** Present when a team's process file changed a limit: "changed by <file>". */
    adjusted?: string;
  };
  /** A member with no activity in srp for this long and no leave recorded is flagged. */
  inactiveMember: { afterMs: number; quote: string };
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
