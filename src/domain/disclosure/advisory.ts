import { z } from 'zod';

/**
 * The advisory record: the one structured record every disclosure text is rendered from, modelled on
 * the SRC's own `srctl` record (src-companion.md §4.9) and the fields its templates name (§4). Entered
 * once by the commander or the Fix Lead (`/srp disclose`), saved as numbered versions; severity and the
 * CVSS vector are not here: they come from the severity assessment when the texts are rendered.
 *
 * Pure data and rules; the store keeps versions, the templates render it.
 */

/** One affected range, structured so every export (texts, CVE JSON 5, OSV, the release data map) agrees. */
export const affectedRange = z.object({
  component: z.string().trim().min(1),
  /** The first affected version; null: every version before `fixed` ("0" in CVE terms). */
  introduced: z.string().trim().min(1).nullable(),
  /** The first fixed version on this line; null: no fix on this line. */
  fixed: z.string().trim().min(1).nullable(),
  /** The PR that fixes it on this branch (a URL or `#123`), if any. */
  pr: z.string().trim().min(1).nullable().default(null),
});
export type AffectedRange = z.infer<typeof affectedRange>;

const text = z.string().trim();
const optionalText = text.nullable().default(null);

export const advisoryRecord = z.object({
  /** "$SUMMARY": one line, used in every subject and title. */
  summary: text.min(1),
  /** "$ACTOR" and "$DO_SOMETHING" of "…where $ACTOR may be able to $DO_SOMETHING". */
  actor: optionalText,
  doSomething: optionalText,
  /** "Am I vulnerable?": the configuration that is affected and how to check it. */
  vulnerable: optionalText,
  /** "only affected if $CONDITION" in the distributors' email, optional. */
  condition: optionalText,
  affected: z.array(affectedRange).default([]),
  /** How to mitigate before upgrading. */
  mitigation: optionalText,
  /** "ACTION REQUIRED" after the upgrade, optional. */
  actionRequired: optionalText,
  /** "Fix impact", optional. */
  fixImpact: optionalText,
  detection: optionalText,
  additionalDetails: optionalText,
  /** Credit as the reporter wants it (prefilled from the report, editable). */
  reporterCredit: optionalText,
  /** Fix Team and release managers credited, as written (prefilled from the roles srp holds). */
  fixTeamCredit: optionalText,
  releaseManagersCredit: optionalText,
  /**
   * The PR or commit that introduced the bug (a link, `#123` or a commit id), if known: the retrospective
   * links it ("links to relevant PRs that introduced the issue, if relevant"). Never in a public record.
   */
  introducedBy: optionalText,
  /** The public tracking issue (or its placeholder), `$GITHUBISSUEURL`. */
  trackingIssue: optionalText,
  cveId: optionalText,
  /** CWE id (`CWE-287`), optional: used by the CVE record. */
  cwe: optionalText,
  /** Whether distributors may deploy the patch before the embargo lifts, and whether it is embargoed. */
  patchDeployable: optionalText,
});
export type AdvisoryRecord = z.infer<typeof advisoryRecord>;
export type AdvisoryField = keyof AdvisoryRecord;

/** Names a person reads ("the Slack line needs: CVE, fixed versions"). */
export const ADVISORY_FIELD_LABELS: Record<AdvisoryField, string> = {
  summary: 'summary',
  actor: 'actor',
  doSomething: 'what the actor can do',
  vulnerable: 'Am I vulnerable?',
  condition: 'affected only if',
  affected: 'affected versions',
  mitigation: 'mitigation',
  actionRequired: 'action required',
  fixImpact: 'fix impact',
  detection: 'detection',
  additionalDetails: 'additional details',
  reporterCredit: 'reporter credit',
  fixTeamCredit: 'Fix Team credit',
  releaseManagersCredit: 'release managers credit',
  introducedBy: 'introduced by',
  trackingIssue: 'tracking issue',
  cveId: 'CVE',
  cwe: 'CWE',
  patchDeployable: 'patch deployment terms',
};

export const CVE_ID_PATTERN = /^CVE-\d{4}-\d{4,}$/;

/** Problems a person can fix, by the field to fix (a modal shows each beside its input). */
export function recordProblemsByField(r: AdvisoryRecord): Partial<Record<AdvisoryField, string[]>> {
  const problems: Partial<Record<AdvisoryField, string[]>> = {};
  const add = (field: AdvisoryField, problem: string) => {
    problems[field] = [...(problems[field] ?? []), problem];
  };
  if (r.cveId && !CVE_ID_PATTERN.test(r.cveId)) add('cveId', 'the CVE id reads CVE-YYYY-NNNN');
  if (r.cwe && !/^CWE-\d+$/.test(r.cwe)) add('cwe', 'the CWE reads CWE-NNN');
  if (r.trackingIssue && !/^https:\/\/\S+$/.test(r.trackingIssue)) {
    add('trackingIssue', 'the tracking issue is an https link');
  }
  for (const a of r.affected) {
    if (!a.introduced && !a.fixed)
      add('affected', `${a.component}: give the first affected or the fixed version`);
  }
  return problems;
}

/** Problems a person can fix, one line each; empty when the record may be saved. */
export function recordProblems(r: AdvisoryRecord): string[] {
  return Object.values(recordProblemsByField(r)).flat();
}

/** The fixed versions, one per affected line that has one. */
export const fixedVersions = (r: AdvisoryRecord) =>
  r.affected.filter((a): a is AffectedRange & { fixed: string } => a.fixed !== null);

/**
 * Ranges typed one per line as `component [introduced] < fixed [pr]`, the srctl form
 * ("kube-apiserver 1.30.0 < 1.30.5 #12345", "kubelet < 1.29.9", "kubectl 1.31.0 <" for no fix yet).
 */
export function parseAffected(input: string): { ranges: AffectedRange[]; problems: string[] } {
  const ranges: AffectedRange[] = [];
  const problems: string[] = [];
  for (const [i, raw] of input.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S+)\s+(?:(\S+)\s+)?<\s*(\S+)?(?:\s+(\S+))?$/.exec(line);
    if (!m) {
      problems.push(
        `line ${i + 1} reads "component [introduced] < fixed [PR]", for example "kubelet 1.30.0 < 1.30.5"`,
      );
      continue;
    }
    const [, component, introduced, fixed, pr] = m;
    ranges.push({
      component: component ?? '',
      introduced: introduced ?? null,
      fixed: fixed ?? null,
      pr: pr ?? null,
    });
  }
  return { ranges, problems };
}

export function formatAffected(ranges: readonly AffectedRange[]): string {
  return ranges
    .map((a) => [a.component, a.introduced, '<', a.fixed, a.pr].filter((x) => x !== null).join(' '))
    .join('\n');
}
