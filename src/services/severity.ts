import type { Clock } from '../clock.js';
import { type CvssRating, parseCvss } from '../domain/cvss.js';
import { type ReleaseTrack, ratingsDisagree, releaseTrack, trackFactsFrom } from '../domain/releaseTrack.js';
import { type Answers, assess, isComplete, type Rating, type RuleStep } from '../domain/severity.js';
import { SEVERITY_PROFILES } from '../domain/severityRules.js';
import type { Logger } from '../logger.js';
import type { IncidentStore } from '../store/incidents.js';
import type { SeverityRow, SeverityStore } from '../store/severity.js';
import type { NewEvent } from '../store/timeline.js';
import { type Done, refused } from './members.js';

export interface SeverityState {
  questionnaire: { rating: Rating; path: RuleStep[]; answers: Answers } | null;
  cvss: { vector: string; version: string; score: number; rating: CvssRating } | null;
  final: { rating: Rating; reason: string | null; by: string | null } | null;
  /** Both ratings are in, they differ, and nobody has made the call yet. */
  needsFinalCall: boolean;
  track: ReleaseTrack | null;
}

type Event = Omit<NewEvent, 'incidentId' | 'at'>;

function stateOf(row: SeverityRow | undefined): SeverityState {
  const questionnaire =
    row?.questionnaireRating && row.answers && row.questionnairePath
      ? {
          rating: row.questionnaireRating,
          path: JSON.parse(row.questionnairePath) as RuleStep[],
          answers: JSON.parse(row.answers) as Answers,
        }
      : null;
  const cvss =
    row?.cvssVector && row.cvssScore !== null && row.cvssRating
      ? {
          vector: row.cvssVector,
          version: row.cvssVersion ?? '',
          score: row.cvssScore / 10,
          rating: row.cvssRating,
        }
      : null;
  const final = row?.finalRating
    ? { rating: row.finalRating, reason: row.finalReason, by: row.finalBy }
    : null;
  const needsFinalCall = !final?.by && ratingsDisagree(questionnaire?.rating ?? null, cvss?.rating ?? null);
  return {
    questionnaire,
    cvss,
    final,
    needsFinalCall,
    track: row?.track ? (JSON.parse(row.track) as ReleaseTrack) : null,
  };
}

/** CVSS's qualitative rating in the questionnaire's terms, for when it is the only rating there is. */
const asRating = (r: CvssRating): Rating => (r === 'None' ? 'Low' : r);

/**
 * Severity: the questionnaire, the CVSS score, and the Fix Lead's final call,
 * reconciled. When the two agree (or only one exists) srp records the final
 * rating itself; when they disagree only the Fix Lead (or, with none, the IC)
 * may decide, with a reason. The release track follows from the final rating.
 */
export function severityService(deps: {
  store: SeverityStore;
  incidents: IncidentStore;
  clock: Clock;
  log: Logger;
  profile: 'src' | 'pst2018';
  /** Who may make the final call: the Fix Lead, or the IC when there is none. */
  decider: (incidentId: string) => string | null;
  refreshCard: (incidentId: string) => Promise<void>;
}) {
  const { store, clock } = deps;

  /** The automatic final rating and the track, recomputed after any change; a person's call is kept. */
  function settle(
    incidentId: string,
    row: SeverityRow,
    events: Event[],
  ): { patch: Partial<SeverityRow>; events: Event[] } {
    const s = stateOf(row);
    const patch: Partial<SeverityRow> = {};
    let final = s.final;
    if (!final?.by) {
      const auto = s.needsFinalCall
        ? null
        : (s.questionnaire?.rating ?? (s.cvss ? asRating(s.cvss.rating) : null));
      if (auto !== (final?.rating ?? null)) {
        patch.finalRating = auto;
        patch.finalReason = auto ? 'the questionnaire and CVSS agree, or only one was made' : null;
        patch.finalBy = null;
        events.push({
          actor: 'srp',
          type: 'severity_final',
          oldValue: final?.rating ?? null,
          newValue: auto,
        });
        final = auto ? { rating: auto, reason: patch.finalReason ?? null, by: null } : null;
      }
    }
    const incident = deps.incidents.get(incidentId);
    const track =
      final && incident
        ? releaseTrack({
            rating: final.rating,
            cvssScore: s.cvss?.score ?? null,
            hasCve: Boolean(incident.cveId),
            profile: deps.profile,
            ...(s.questionnaire
              ? trackFactsFrom(s.questionnaire.answers)
              : {
                  userInteraction: false,
                  straightforwardMitigation: false,
                  remotelyExploitable: true,
                  privilegeEscalation: false,
                }),
          })
        : null;
    const trackJson = track ? JSON.stringify(track) : null;
    if (trackJson !== (row.track ?? null)) {
      patch.track = trackJson;
      events.push({
        actor: 'srp',
        type: 'release_track',
        oldValue: s.track?.release ?? null,
        newValue: track,
      });
    }
    return { patch, events };
  }

  /** Stores the change and what follows from it now; the card is redrawn by the returned follow-up. */
  function apply(incidentId: string, patch: Partial<SeverityRow>, events: Event[], message: string): Done {
    const at = clock.now();
    const row = store.update(incidentId, patch, at, events);
    const settled = settle(incidentId, row, []);
    if (settled.events.length) store.update(incidentId, settled.patch, at, settled.events);
    return { outcome: { ok: true, message }, followUp: () => deps.refreshCard(incidentId) };
  }

  return {
    state: (incidentId: string) => stateOf(store.get(incidentId)),

    recordAssessment(actor: string, incidentId: string, answers: Partial<Answers>): Done {
      if (!deps.incidents.get(incidentId)) return refused(`There is no incident ${incidentId}.`);
      if (!isComplete(answers)) return refused('Answer every question first.');
      const result = assess(answers, SEVERITY_PROFILES[deps.profile]);
      const before = stateOf(store.get(incidentId)).questionnaire?.rating ?? null;
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
      const before = stateOf(store.get(incidentId)).cvss?.vector ?? null;
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

    /** Why `actor` may not make the final call, if they may not. */
    finalCallProblem(actor: string, incidentId: string, reason: string): string | undefined {
      if (!deps.incidents.get(incidentId)) return `There is no incident ${incidentId}.`;
      const decider = deps.decider(incidentId);
      if (actor !== decider) {
        return decider
          ? `Only the Fix Lead (<@${decider}>) makes the final call on ${incidentId}'s severity.`
          : `${incidentId} has no Fix Lead or commander to make the final call; assign one first.`;
      }
      if (!reason.trim()) return 'Give the reason for the final rating; it goes on the timeline.';
      return undefined;
    },

    finalCall(actor: string, incidentId: string, rating: Rating, reason: string): Done {
      const problem = this.finalCallProblem(actor, incidentId, reason);
      if (problem) return refused(problem);
      const before = stateOf(store.get(incidentId));
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
