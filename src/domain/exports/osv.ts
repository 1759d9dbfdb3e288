import type { AdvisoryRecord, AffectedRange } from '../disclosure/advisory.js';
import {
  byComponent,
  creditsOf,
  cveDescription,
  cvssOf,
  type ExportContext,
  ExportInvalid,
  type ExportProblem,
  isoTime,
  isSemver,
  referencesOf,
  type SeverityInput,
} from './common.js';
import { assertValid } from './validate.js';

/**
 * The OSV record (ossf/osv-schema), as srctl exports it.
 *
 * id: the OSV schema only takes ids with a known home-database prefix (`CVE-`, `KUBE-`, `GHSA-`, …) or
 * `x_`. So: with `osv.idPrefix` configured (`KUBE`), `<prefix>-<CVE id>` (or `<prefix>-<srp id>` without
 * one) and the CVE id as an alias; otherwise the CVE id itself; with neither, `x_<srp id>`
 * (`x_SRP-2026-007`), a private id no database will clash with.
 *
 * affected: one entry per component, package `{ecosystem, name: component}`; the ecosystem is required
 * and must be one the schema knows, so it is configuration (`Kubernetes` for the SRC). One range per
 * affected line: `SEMVER` when every version is semantic (a leading `v` is dropped, as SEMVER ranges
 * require), else `ECOSYSTEM` as written; events `introduced` (`0` when every earlier version is affected)
 * and `fixed` when the line has a fix.
 *
 * schema_version 1.7.0: the bundled schema has 1.7's `upstream` field.
 */
export const OSV_SCHEMA_VERSION = '1.7.0';

export function osvId(r: AdvisoryRecord, ctx: ExportContext): { id: string; aliases: string[] } {
  const prefix = ctx.osv.idPrefix?.trim();
  if (prefix) return { id: `${prefix}-${r.cveId ?? ctx.incidentId}`, aliases: r.cveId ? [r.cveId] : [] };
  if (r.cveId) return { id: r.cveId, aliases: [] };
  return { id: `x_${ctx.incidentId}`, aliases: [] };
}

function rangeOf(a: AffectedRange) {
  const versions = [a.introduced, a.fixed].filter((v): v is string => v !== null);
  const semver = versions.every(isSemver);
  const v = (x: string) => (semver ? x.replace(/^v/, '') : x);
  return {
    type: semver ? 'SEMVER' : 'ECOSYSTEM',
    events: [
      { introduced: a.introduced ? v(a.introduced) : '0' },
      ...(a.fixed ? [{ fixed: v(a.fixed) }] : []),
    ],
  };
}

const OSV_CREDIT = {
  finder: 'FINDER',
  'remediation developer': 'REMEDIATION_DEVELOPER',
  other: 'OTHER',
} as const;

const OSV_REFERENCE = { 'issue-tracking': 'REPORT', 'mailing-list': 'ADVISORY', patch: 'FIX' } as const;

export function osvProblems(r: AdvisoryRecord): ExportProblem[] {
  return r.affected.length
    ? []
    : [{ field: 'affected', problem: 'an OSV record needs at least one affected range' }];
}

/** The details: the CVE description, then the published sections a reader needs, as plain Markdown. */
function detailsOf(r: AdvisoryRecord, project: string): string {
  const parts = [cveDescription(r, project)];
  const section = (title: string, body: string | null) => {
    if (body) parts.push(`### ${title}\n\n${body}`);
  };
  section('Am I vulnerable?', r.vulnerable);
  section('How do I mitigate this vulnerability?', r.mitigation);
  section('Action required', r.actionRequired);
  section('Fix impact', r.fixImpact);
  section('Detection', r.detection);
  section('Additional details', r.additionalDetails);
  return parts.join('\n\n');
}

export type OsvRecord = Record<string, unknown> & { id: string; modified: string };

/**
 * The OSV record for a published advisory. Pure; validated against the official OSV schema before it is
 * returned; throws ExportInvalid naming each field otherwise.
 */
export function osvRecord(r: AdvisoryRecord, severity: SeverityInput | null, ctx: ExportContext): OsvRecord {
  const problems = osvProblems(r);
  if (problems.length) throw new ExportInvalid('osv', problems);
  const { id, aliases } = osvId(r, ctx);
  const cvss = cvssOf(severity);
  const credits = creditsOf(r);
  const references = referencesOf(r, ctx).map((ref) => ({ type: OSV_REFERENCE[ref.kind], url: ref.url }));
  const record: OsvRecord = {
    schema_version: OSV_SCHEMA_VERSION,
    id,
    modified: isoTime(ctx.modifiedAt),
    ...(ctx.publishedAt ? { published: isoTime(ctx.publishedAt) } : {}),
    ...(aliases.length ? { aliases } : {}),
    summary: r.summary,
    details: detailsOf(r, ctx.project),
    ...(cvss
      ? { severity: [{ type: cvss.version === '4.0' ? 'CVSS_V4' : 'CVSS_V3', score: cvss.vector }] }
      : {}),
    affected: [...byComponent(r.affected)].map(([component, ranges]) => ({
      package: { ecosystem: ctx.osv.ecosystem, name: component },
      ranges: ranges.map(rangeOf),
    })),
    ...(references.length ? { references } : {}),
    ...(credits.length ? { credits: credits.map((c) => ({ name: c.value, type: OSV_CREDIT[c.role] })) } : {}),
    ...(r.cwe ? { database_specific: { cwe_ids: [r.cwe] } } : {}),
  };
  assertValid('osv', record);
  return record;
}
