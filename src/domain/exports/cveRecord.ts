import type { AdvisoryRecord, AffectedRange } from '../disclosure/advisory.js';
import {
  byComponent,
  creditsOf,
  cveDescription,
  cvssOf,
  type ExportContext,
  ExportInvalid,
  type ExportProblem,
  fixedVersionList,
  isoTime,
  isSemver,
  referencesOf,
  type SeverityInput,
} from './common.js';
import { assertValid } from './validate.js';

/**
 * The CVE record in CVE JSON 5 (state PUBLISHED, the CNA container), as `cvelib publish` takes it.
 * dataVersion 5.1: the bundled schema's default is 5.1.0 and its pattern takes 5.x; 5.1 is what
 * cvelistV5 records written since 2024 carry. Fields the CVE Services set (dateReserved, datePublished,
 * dateUpdated, serial) are left to them.
 *
 * Affected: one product per component (vendor = the project, product = the component, defaultStatus
 * unaffected), one `version … lessThan fixed` entry per range (`0` when every earlier version is
 * affected), each fixed version listed `unaffected` (as the SRC's published records do). A line with no
 * fix yet is affected to the end of its minor (`1.31.0 lessThan 1.31.*`), or `*` when it has no minor.
 */
export const CVE_DATA_VERSION = '5.1';

type Version =
  | { version: string; status: 'affected'; versionType: string; lessThan: string }
  | { version: string; status: 'unaffected' };

function versionType(ranges: readonly AffectedRange[]): string {
  const all = ranges.flatMap((a) => [a.introduced, a.fixed]).filter((v): v is string => v !== null);
  return all.every(isSemver) ? 'semver' : 'custom';
}

function upperBound(a: AffectedRange): string {
  if (a.fixed) return a.fixed;
  const m = /^(v?\d+\.\d+)\./.exec(a.introduced ?? '');
  return m ? `${m[1]}.*` : '*';
}

function versionsOf(ranges: readonly AffectedRange[]): Version[] {
  const type = versionType(ranges);
  const affected: Version[] = ranges.map((a) => ({
    version: a.introduced ?? '0',
    status: 'affected',
    versionType: type,
    lessThan: upperBound(a),
  }));
  const fixed: Version[] = ranges
    .filter((a): a is AffectedRange & { fixed: string } => a.fixed !== null)
    .map((a) => ({ version: a.fixed, status: 'unaffected' }));
  const seen = new Set<string>();
  return [...affected, ...fixed].filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the record lacks for a CVE record, in a person's words (checked before the schema). */
export function cveRecordProblems(r: AdvisoryRecord, ctx: ExportContext): ExportProblem[] {
  const problems: ExportProblem[] = [];
  if (!r.cveId) problems.push({ field: 'cveId', problem: 'a CVE record needs the CVE id' });
  if (!r.affected.length)
    problems.push({ field: 'affected', problem: 'a CVE record needs at least one affected range' });
  if (!referencesOf(r, ctx).length)
    problems.push({
      field: 'trackingIssue',
      problem: 'a CVE record needs a reference: the tracking issue, the announcement or a fix PR link',
    });
  return problems;
}

export interface CveRecord {
  dataType: 'CVE_RECORD';
  dataVersion: string;
  cveMetadata: {
    cveId: string;
    assignerOrgId: string;
    assignerShortName: string;
    state: 'PUBLISHED';
  };
  containers: { cna: Record<string, unknown> };
}

/**
 * The CVE record for a published advisory. Pure; validated against the official CVE JSON 5 schema
 * before it is returned. Throws ExportInvalid naming each field when the record lacks what a CVE record
 * needs or the result does not validate.
 */
export function cveRecord(r: AdvisoryRecord, severity: SeverityInput | null, ctx: ExportContext): CveRecord {
  const problems = cveRecordProblems(r, ctx);
  if (problems.length) throw new ExportInvalid('cve', problems);
  const cvss = cvssOf(severity);
  const credits = creditsOf(r);
  const fixed = fixedVersionList(r);
  const cna: Record<string, unknown> = {
    providerMetadata: { orgId: ctx.assigner.orgId, shortName: ctx.assigner.shortName },
    title: r.summary,
    descriptions: [{ lang: 'en', value: cveDescription(r, ctx.project) }],
    affected: [...byComponent(r.affected)].map(([component, ranges]) => ({
      vendor: ctx.project,
      product: component,
      ...(ctx.repoUrl ? { repo: ctx.repoUrl } : {}),
      versions: versionsOf(ranges),
      defaultStatus: 'unaffected',
    })),
    ...(r.cwe
      ? {
          problemTypes: [{ descriptions: [{ lang: 'en', type: 'CWE', cweId: r.cwe, description: r.cwe }] }],
        }
      : {}),
    ...(cvss
      ? {
          metrics: [
            {
              format: 'CVSS',
              scenarios: [{ lang: 'en', value: 'GENERAL' }],
              [cvss.version === '4.0' ? 'cvssV4_0' : cvss.version === '3.1' ? 'cvssV3_1' : 'cvssV3_0']: {
                version: cvss.version,
                vectorString: cvss.vector,
                baseScore: cvss.score,
                baseSeverity: cvss.rating.toUpperCase(),
              },
            },
          ],
        }
      : {}),
    references: referencesOf(r, ctx).map((ref) => ({ url: ref.url, tags: [ref.kind] })),
    ...(r.mitigation ? { workarounds: [{ lang: 'en', value: r.mitigation }] } : {}),
    ...(fixed.length
      ? { solutions: [{ lang: 'en', value: `Upgrade to a fixed version: ${fixed.join(', ')}.` }] }
      : {}),
    ...(credits.length
      ? { credits: credits.map((c) => ({ lang: 'en', value: c.value, type: c.role })) }
      : {}),
    ...(ctx.publishedAt ? { datePublic: isoTime(ctx.publishedAt) } : {}),
  };
  const record: CveRecord = {
    dataType: 'CVE_RECORD',
    dataVersion: CVE_DATA_VERSION,
    cveMetadata: {
      cveId: r.cveId as string,
      assignerOrgId: ctx.assigner.orgId,
      assignerShortName: ctx.assigner.shortName,
      state: 'PUBLISHED',
    },
    containers: { cna },
  };
  assertValid('cve', record);
  return record;
}
