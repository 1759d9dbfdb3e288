import type { Clock } from '../clock.js';
import { type CvssVersion, parseCvss, vectorFromPicks } from '../domain/cvss.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { ratingsDisagree } from '../domain/releaseTrack.js';
import { type Answers, assess, isComplete, type Rating } from '../domain/severity.js';
import { asRating, type SeverityState, severityState } from '../domain/severityState.js';
import { afterEventKeys } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import type { SeverityRow, SeverityStore } from '../store/severity.js';
import type { NewEvent } from '../store/timeline.js';
import { type Done, done, refused } from './result.js';

type Event = Omit<NewEvent, 'incidentId' | 'at'>;

/**
 * Severity: the questionnaire, the CVSS score, and the Fix Lead's final call, reconciled. While the
 * two have never disagreed (or only one exists) srp records the final rating itself. Once they
 * disagree, only a final call by the Fix Lead (or, with none, the IC), with a reason, settles it:
 * changing an input until the two match does not. New inputs that disagree after a call reopen it.
 */
export function severityService(deps: {
  store: SeverityStore;
  incidents: IncidentStore;
  roles: IncidentRoleStore;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
}) {
  const { store, clock } = deps;
  const state = (incidentId: string, row = store.get(incidentId)): SeverityState =>
    severityState(row, Boolean(deps.incidents.get(incidentId)?.cveId), deps.profile);
  /** Who may make the final call: the Fix Lead, or the IC when there is none. */
  const decider = (incidentId: string) =>
    deps.roles.current(incidentId, 'fix_lead')?.userId ??
    deps.roles.current(incidentId, 'commander')?.userId ??
    null;

  /**
   * Applies an input change together with what follows from it (a dispute, srp's own final rating, the
   * track event) in one transaction; the card is redrawn by the returned follow-up.
   */
  function apply(incidentId: string, patch: Partial<SeverityRow>, events: Event[], message: string): Done {
    const at = clock.now();
    const beforeRow = store.get(incidentId);
    const before = state(incidentId, beforeRow);
    const merged = { ...beforeRow, ...patch };
    const mid = state(incidentId, merged as SeverityRow);
    // Only a rating that moves counts: re-running the questionnaire to the same answer reopens nothing.
    const inputsChanged =
      (patch.questionnaireRating !== undefined &&
        patch.questionnaireRating !== beforeRow?.questionnaireRating) ||
      (patch.cvssVector !== undefined && patch.cvssVector !== beforeRow?.cvssVector);
    const disagree = ratingsDisagree(mid.questionnaire?.rating ?? null, mid.cvss?.rating ?? null);
    if (inputsChanged && disagree) {
      merged.disputedAt = at;
      patch.disputedAt = at;
      // srp's own rating no longer stands; a person's call stays on record until they make a new one.
      if (before.final && !before.final.by) {
        Object.assign(patch, { finalRating: null, finalReason: null, finalAt: null });
        Object.assign(merged, patch);
      }
      events.push({
        actor: 'srp',
        type: 'severity_disputed',
        newValue: {
          questionnaire: mid.questionnaire?.rating,
          cvss: `${mid.cvss?.score.toFixed(1)} ${mid.cvss?.rating}`,
        },
      });
    } else if (inputsChanged && !merged.disputedAt) {
      const auto = mid.questionnaire?.rating ?? (mid.cvss ? asRating(mid.cvss.rating) : null);
      if (auto && auto !== before.final?.rating) {
        const reason =
          mid.questionnaire && mid.cvss ? 'the questionnaire and CVSS agree' : 'the only rating so far';
        Object.assign(patch, { finalRating: auto, finalReason: reason, finalBy: null, finalAt: at });
        Object.assign(merged, patch);
        events.push({
          actor: 'srp',
          type: 'severity_final',
          oldValue: before.final?.rating ?? null,
          newValue: {
            rating: auto,
            reason,
            questionnaire: mid.questionnaire?.rating ?? null,
            cvss: mid.cvss?.rating ?? null,
          },
        });
      }
    }
    const after = state(incidentId, merged as SeverityRow);
    if (JSON.stringify(after.track) !== JSON.stringify(before.track)) {
      events.push({ actor: 'srp', type: 'release_track', oldValue: before.track, newValue: after.track });
    }
    store.update(incidentId, patch, at, events);
    return done(message, afterEventKeys(incidentId, at));
  }

  return {
    state: (incidentId: string) => state(incidentId),

    /** The questionnaire's rating for these answers, shown in the modal before anything is recorded. */
    preview(answers: Partial<Answers>) {
      return isComplete(answers) ? assess(answers, deps.profile) : undefined;
    },

    /** A vector from metrics picked one by one in the modal; the error names the metric to fix. */
    vectorFromPicks: (version: CvssVersion, picks: Record<string, string>) => vectorFromPicks(version, picks),

    recordAssessment(actor: string, incidentId: string, answers: Partial<Answers>): Done {
      if (!deps.incidents.get(incidentId)) return refused(`There is no incident ${incidentId}.`);
      if (!isComplete(answers)) return refused('Answer every question first.');
      const result = assess(answers, deps.profile);
      const before = state(incidentId).questionnaire?.rating ?? null;
      return apply(
        incidentId,
        {
          answers: JSON.stringify(answers),
          questionnaireRating: result.rating,
          questionnairePath: JSON.stringify(result.path),
        },
        [
          {
            actor,
            type: 'severity_assessed',
            oldValue: before,
            newValue: { inputs: answers, rating: result.rating, path: result.path.map((p) => p.explanation) },
          },
        ],
        `${incidentId}: the questionnaire rates it ${result.rating}.`,
      );
    },

    /** Validates a vector or calculator link; the error names the metric, for an inline modal error. */
    check: parseCvss,

    recordCvss(actor: string, incidentId: string, input: string): Done {
      if (!deps.incidents.get(incidentId)) return refused(`There is no incident ${incidentId}.`);
      const parsed = parseCvss(input);
      if (!parsed.ok) return refused(parsed.error);
      const r = parsed.result;
      const before = state(incidentId).cvss?.vector ?? null;
      return apply(
        incidentId,
        {
          cvssVector: r.vector,
          cvssVersion: r.version,
          cvssScore: Math.round(r.score * 10),
          cvssRating: r.rating,
        },
        [
          {
            actor,
            type: 'cvss_scored',
            oldValue: before,
            newValue: { input, vector: r.vector, version: r.version, score: r.score, rating: r.rating },
          },
        ],
        `${incidentId}: CVSS ${r.version} ${r.score.toFixed(1)} (${r.rating}).`,
      );
    },

    /** Why `actor` may not make the final call on this incident, if they may not. */
    deciderProblem(actor: string, incidentId: string): string | undefined {
      if (!deps.incidents.get(incidentId)) return `There is no incident ${incidentId}.`;
      const who = decider(incidentId);
      if (actor === who) return undefined;
      return who
        ? `Only the Fix Lead (<@${who}>) makes the final call on ${incidentId}'s severity.`
        : `${incidentId} has no Fix Lead or commander to make the final call; assign one first.`;
    },

    finalCallProblem(actor: string, incidentId: string, reason: string): string | undefined {
      const problem = this.deciderProblem(actor, incidentId);
      if (problem) return problem;
      if (!reason.trim()) return 'Give the reason for the final rating; it goes on the timeline.';
      return undefined;
    },

    finalCall(actor: string, incidentId: string, rating: Rating, reason: string): Done {
      const problem = this.finalCallProblem(actor, incidentId, reason);
      if (problem) return refused(problem);
      const before = state(incidentId);
      return apply(
        incidentId,
        { finalRating: rating, finalReason: reason.trim(), finalBy: actor, finalAt: clock.now() },
        [
          {
            actor,
            type: 'severity_final',
            oldValue: before.final?.rating ?? null,
            newValue: {
              rating,
              reason: reason.trim(),
              questionnaire: before.questionnaire?.rating ?? null,
              cvss: before.cvss ? `${before.cvss.score.toFixed(1)} ${before.cvss.rating}` : null,
            },
          },
        ],
        `${incidentId} is rated ${rating}: ${reason.trim()}`,
      );
    },
  };
}
export type SeverityService = ReturnType<typeof severityService>;
