import { ratingFor } from '../cvss.js';
import type { AdvisoryRecord, AffectedRange } from '../disclosure/advisory.js';

/**
 * What every export of an incident's records for the world reads besides the advisory record: names and
 * places that come from configuration or from the disclosure row, never typed into the record.
 *
 * Only published material goes in: the advisory record (which holds no reporter contact), the CVSS part
 * of the severity row, and these. Internal notes, critiques, the reporter's contact and the distributors'
 * embargo terms (`patchDeployable`) are never read by any export.
 */
export interface ExportContext {
  /** The incident's srp id (`SRP-2026-007`): the OSV id when there is no CVE id. */
  incidentId: string;
  /** The project's name as vendor and in descriptions ("Kubernetes"). */
  project: string;
  /** The CNA: its short name and its organisation UUID in the CVE program (configuration). */
  assigner: { shortName: string; orgId: string };
  /** The project's GitHub repository (`https://github.com/kubernetes/kubernetes`): turns `#123` into a link. */
  repoUrl: string | null;
  /** When the advisory went public (the disclosure's publishedAt); null before. */
  publishedAt: Date | null;
  /** When the record was last changed (OSV `modified`); usually the latest advisory version's time. */
  modifiedAt: Date;
  /** The announcement's permalink on the mailing list (tagged `mailing-list`). */
  announcementUrl: string | null;
  /**
   * OSV needs a known ecosystem for each package (the schema's list: `Kubernetes`, `Go`, …); configuration,
   * `Kubernetes` for the SRC. `idPrefix`: a home-database prefix from the schema's list (`KUBE`) to use
   * for the OSV id instead of the CVE id.
   */
  osv: { ecosystem: string; idPrefix?: string | null };
}

/** The CVSS part of an incident's severity row (`src/store/schema.ts` `severity`); a row fits as is. */
export interface SeverityInput {
  cvssVector: string | null;
  cvssVersion: string | null;
  /** Tenths: 88 is 8.8. */
  cvssScore: number | null;
  cvssRating: 'None' | 'Low' | 'Medium' | 'High' | 'Critical' | null;
  /** The committee's rating (the final call, else the questionnaire's): the advisory's "rated X". */
  finalRating?: 'Critical' | 'High' | 'Medium' | 'Low' | null;
  questionnaireRating?: 'Critical' | 'High' | 'Medium' | 'Low' | null;
}

export type ExportFormat = 'cve' | 'osv' | 'cve-map' | 'advisory-md';

export interface ExportProblem {
  /** Where: a JSON pointer into the output (`/containers/cna/title`) or a record field (`affected`). */
  field: string;
  problem: string;
}

/** An export that cannot be produced or does not validate; the message names every field and problem. */
export class ExportInvalid extends Error {
  constructor(
    readonly format: ExportFormat,
    readonly problems: ExportProblem[],
  ) {
    super(`${format} export is not valid: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`);
    this.name = 'ExportInvalid';
  }
}

export interface Cvss {
  version: '3.0' | '3.1' | '4.0';
  vector: string;
  score: number;
  rating: 'None' | 'Low' | 'Medium' | 'High' | 'Critical';
}

/** The CVSS metric when the severity row holds a vector and its score; version from the row or the prefix. */
export function cvssOf(s: SeverityInput | null): Cvss | null {
  if (!s?.cvssVector || s.cvssScore === null) return null;
  const fromPrefix = /^CVSS:(3\.0|3\.1|4\.0)\//.exec(s.cvssVector)?.[1];
  const version = (s.cvssVersion ?? fromPrefix) as Cvss['version'] | undefined;
  if (version !== '3.0' && version !== '3.1' && version !== '4.0') return null;
  const score = s.cvssScore / 10;
  return { version, vector: s.cvssVector, score, rating: s.cvssRating ?? ratingFor(score) };
}

/** FIRST's calculator link for a vector (the tracking issue's first line). */
export function calculatorUrl(c: Cvss): string {
  return `https://www.first.org/cvss/calculator/${c.version}#${c.vector}`;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const isSemver = (v: string) => SEMVER.test(v);

/** `1.30.5` → `release-1.30` (`v1.30.5` too); null when the version has no major.minor. */
export function releaseBranch(version: string): string | null {
  const m = /^v?(\d+)\.(\d+)(?:\.|$)/.exec(version);
  return m ? `release-${m[1]}.${m[2]}` : null;
}

/** A PR as a link: URLs stay, `#123` or `123` becomes `<repo>/pull/123`; null when it cannot be linked. */
export function prUrl(pr: string, repoUrl: string | null): string | null {
  if (/^https:\/\/\S+$/.test(pr)) return pr;
  const n = prNumber(pr);
  return n !== null && repoUrl ? `${repoUrl.replace(/\/+$/, '')}/pull/${n}` : null;
}

/** The PR's number (`#123`, `123`, `…/pull/123`), as the release tooling reads it. */
export function prNumber(pr: string): number | null {
  const m = /^#?(\d+)$/.exec(pr) ?? /\/pull\/(\d+)(?:[/?#].*)?$/.exec(pr);
  return m?.[1] ? Number(m[1]) : null;
}

/** One range as a person reads it: "1.30.0 to before 1.30.5", "before 1.29.9", "1.31.0 and later". */
export function rangeText(a: AffectedRange): string {
  if (a.introduced && a.fixed) return `${a.introduced} to before ${a.fixed}`;
  if (a.fixed) return `before ${a.fixed}`;
  return `${a.introduced} and later (no fix yet)`;
}

/** Components in first-seen order with their ranges. */
export function byComponent(ranges: readonly AffectedRange[]): Map<string, AffectedRange[]> {
  const out = new Map<string, AffectedRange[]>();
  for (const a of ranges) out.set(a.component, [...(out.get(a.component) ?? []), a]);
  return out;
}

const joinAnd = (xs: string[]) =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * The CVE description in the CNA handbook's style: "The <project> <component> in versions <…> <vuln>".
 * Built from published fields only.
 */
export function cveDescription(r: AdvisoryRecord, project: string): string {
  const parts = [...byComponent(r.affected)].map(
    ([component, ranges]) => `${component} in versions ${ranges.map(rangeText).join(', ')}`,
  );
  const subject = parts.length ? `The ${project} ${joinAnd(parts)}` : `${project}`;
  const vuln =
    r.actor && r.doSomething
      ? `may allow ${r.actor} to ${r.doSomething.replace(/[.]$/, '')}`
      : `is affected by a security issue: ${r.summary.replace(/[.]$/, '')}`;
  const lines = [sentence(`${subject} ${vuln}`)];
  if (r.condition) lines.push(sentence(`Only affected if ${r.condition.replace(/[.]$/, '')}`));
  return lines.join(' ');
}

/** The credits as published, with their CVE roles. */
export function creditsOf(
  r: AdvisoryRecord,
): Array<{ value: string; role: 'finder' | 'remediation developer' | 'other' }> {
  const out: Array<{ value: string; role: 'finder' | 'remediation developer' | 'other' }> = [];
  if (r.reporterCredit) out.push({ value: r.reporterCredit, role: 'finder' });
  if (r.fixTeamCredit) out.push({ value: r.fixTeamCredit, role: 'remediation developer' });
  if (r.releaseManagersCredit) out.push({ value: r.releaseManagersCredit, role: 'other' });
  return out;
}

/** ISO 8601 UTC with milliseconds, as the CVE and OSV records write times. */
export const isoTime = (d: Date) => d.toISOString();

/** The references every record cites, deduplicated, in this order: tracking issue, announcement, fix PRs. */
export function referencesOf(
  r: AdvisoryRecord,
  ctx: ExportContext,
): Array<{ url: string; kind: 'issue-tracking' | 'mailing-list' | 'patch' }> {
  const out: Array<{ url: string; kind: 'issue-tracking' | 'mailing-list' | 'patch' }> = [];
  const seen = new Set<string>();
  const add = (url: string | null, kind: 'issue-tracking' | 'mailing-list' | 'patch') => {
    if (!url || seen.has(url)) return;
    seen.add(url);
    out.push({ url, kind });
  };
  add(r.trackingIssue, 'issue-tracking');
  add(ctx.announcementUrl, 'mailing-list');
  for (const a of r.affected) if (a.pr) add(prUrl(a.pr, ctx.repoUrl), 'patch');
  return out;
}

/** "kubelet 1.30.5", one per affected line with a fix, in the record's order. */
export function fixedVersionList(r: AdvisoryRecord): string[] {
  return r.affected.filter((a) => a.fixed !== null).map((a) => `${a.component} ${a.fixed}`);
}
