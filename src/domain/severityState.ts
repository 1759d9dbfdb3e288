import type { CvssRating } from './cvss.js';
import type { ProcessProfile, TrackRules } from './profiles/index.js';
import { type ReleaseTrack, releaseTrack, trackFactsFrom, trackFactsFromCvss } from './releaseTrack.js';
import type { Answers, Rating, RuleStep } from './severity.js';

/** An incident's severity as stored: the questionnaire, the CVSS score and the final call. */
export interface SeverityFacts {
  answers: string | null;
  questionnaireRating: Rating | null;
  questionnairePath: string | null;
  cvssVector: string | null;
  cvssVersion: string | null;
  /** Tenths of a point, so 8.8 is 88. */
  cvssScore: number | null;
  cvssRating: CvssRating | null;
  finalRating: Rating | null;
  finalReason: string | null;
  finalBy: string | null;
  finalAt: Date | null;
  /** When the two ratings last came to disagree; only a final call made after it settles the rating. */
  disputedAt: Date | null;
}

export interface SeverityState {
  questionnaire: { rating: Rating; path: RuleStep[]; answers: Answers } | null;
  cvss: { vector: string; version: string; score: number; rating: CvssRating } | null;
  final: { rating: Rating; reason: string | null; by: string | null; at: Date | null } | null;
  /** The ratings came to disagree and no final call has been made since. */
  needsFinalCall: boolean;
  /** What follows from the final rating, worked out on every read so a CVE added later counts. */
  track: ReleaseTrack | null;
  hasCve: boolean;
  /** When distributors get advance notice under this process (every CVE, or some issues only). */
  distributorRule: TrackRules['distributors'];
}

/** CVSS's qualitative rating in the questionnaire's terms, for when it is the only rating there is. */
export const asRating = (r: CvssRating): Rating => (r === 'None' ? 'Low' : r);

/** The severity an incident's stored facts add up to, under a process. Pure. */
export function severityState(
  row: Partial<SeverityFacts> | undefined,
  hasCve: boolean,
  profile: Pick<ProcessProfile, 'releaseTrack'>,
): SeverityState {
  const questionnaire =
    row?.questionnaireRating && row.answers && row.questionnairePath
      ? {
          rating: row.questionnaireRating,
          path: JSON.parse(row.questionnairePath) as RuleStep[],
          answers: JSON.parse(row.answers) as Answers,
        }
      : null;
  const cvss =
    row?.cvssVector && row.cvssScore != null && row.cvssRating
      ? {
          vector: row.cvssVector,
          version: row.cvssVersion ?? '',
          score: row.cvssScore / 10,
          rating: row.cvssRating,
        }
      : null;
  const final = row?.finalRating
    ? {
        rating: row.finalRating,
        reason: row.finalReason ?? null,
        by: row.finalBy ?? null,
        at: row.finalAt ?? null,
      }
    : null;
  const disputedAt = row?.disputedAt ?? null;
  const needsFinalCall =
    disputedAt !== null && !(final?.by && final.at && final.at.getTime() >= disputedAt.getTime());
  const track =
    final && !needsFinalCall
      ? releaseTrack({
          rating: final.rating,
          cvssScore: cvss?.score ?? null,
          hasCve,
          rules: profile.releaseTrack,
          ...(questionnaire ? trackFactsFrom(questionnaire.answers) : trackFactsFromCvss(cvss?.vector ?? '')),
        })
      : null;
  return {
    questionnaire,
    cvss,
    final,
    needsFinalCall,
    track,
    hasCve,
    distributorRule: profile.releaseTrack.distributors,
  };
}
