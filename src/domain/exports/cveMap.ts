import { Document } from 'yaml';
import type { AdvisoryRecord } from '../disclosure/advisory.js';
import {
  byComponent,
  creditsOf,
  cveDescription,
  cvssOf,
  type ExportContext,
  ExportInvalid,
  type ExportProblem,
  prNumber,
  prUrl,
  rangeText,
  releaseBranch,
  type SeverityInput,
} from './common.js';

/**
 * The release team's CVE data map (sig-release, read by `krel cve edit` and the release notes): one YAML
 * document per release branch that carries a fix, `release-1.30` from the fixed version `1.30.5`.
 *
 *   pr: 12345                      # the fix PR on that branch (its number)
 *   datafields:
 *     cve:
 *       id, title, description, trackingissue, vector, score, rating,
 *       linkedprs: [the fix PRs on the other branches, and any other PR on this one]
 *
 * The description is the CVE description followed by Affected Versions, Fixed Versions and the credits
 * (src-companion.md §4.8). Every branch with a fix needs its PR, and the map needs the CVE id, the
 * tracking issue and a CVSS vector: the tooling reads them all.
 */
export interface CveMapEntry {
  branch: string;
  pr: number;
  datafields: {
    cve: {
      id: string;
      title: string;
      description: string;
      trackingissue: string;
      vector: string;
      score: number;
      rating: string;
      linkedprs: number[];
    };
  };
}

interface Fix {
  branch: string;
  component: string;
  fixed: string;
  pr: number | null;
  index: number;
}

function fixesOf(r: AdvisoryRecord): { fixes: Fix[]; problems: ExportProblem[] } {
  const fixes: Fix[] = [];
  const problems: ExportProblem[] = [];
  for (const [index, a] of r.affected.entries()) {
    if (!a.fixed) continue;
    const branch = releaseBranch(a.fixed);
    if (!branch) {
      problems.push({
        field: `affected[${index}].fixed`,
        problem: `${a.component} ${a.fixed}: a fixed version reads major.minor.patch, to find its release branch`,
      });
      continue;
    }
    const pr = a.pr ? prNumber(a.pr) : null;
    if (a.pr && pr === null)
      problems.push({
        field: `affected[${index}].pr`,
        problem: `${a.component} ${a.fixed}: the PR reads #123 or a pull request link`,
      });
    fixes.push({ branch, component: a.component, fixed: a.fixed, pr, index });
  }
  return { fixes, problems };
}

/** What the record lacks for the release team's map, in a person's words. */
export function cveMapProblems(r: AdvisoryRecord, severity: SeverityInput | null): ExportProblem[] {
  const problems: ExportProblem[] = [];
  if (!r.cveId) problems.push({ field: 'cveId', problem: 'the CVE data map needs the CVE id' });
  if (!r.trackingIssue)
    problems.push({ field: 'trackingIssue', problem: 'the CVE data map needs the tracking issue' });
  if (!cvssOf(severity))
    problems.push({ field: 'cvss', problem: 'the CVE data map needs a scored CVSS vector' });
  const { fixes, problems: fixProblems } = fixesOf(r);
  problems.push(...fixProblems);
  if (!fixes.length && !fixProblems.length)
    problems.push({ field: 'affected', problem: 'the CVE data map needs at least one fixed version' });
  for (const f of fixes)
    if (f.pr === null && !r.affected[f.index]?.pr)
      problems.push({
        field: `affected[${f.index}].pr`,
        problem: `${f.branch}: the fix PR for ${f.component} ${f.fixed} is needed`,
      });
  return problems;
}

/** The description the release notes show: what, affected and fixed versions, credits. */
export function cveMapDescription(r: AdvisoryRecord, ctx: ExportContext): string {
  const lines = [cveDescription(r, ctx.project), '', 'Affected Versions:'];
  for (const [component, ranges] of byComponent(r.affected))
    for (const a of ranges) lines.push(`- ${component} ${rangeText(a)}`);
  const fixed = r.affected.filter((a) => a.fixed !== null);
  if (fixed.length) {
    lines.push('', 'Fixed Versions:');
    for (const a of fixed) {
      const link = a.pr ? prUrl(a.pr, ctx.repoUrl) : null;
      lines.push(`- ${a.component} ${a.fixed}${link ? ` (${link})` : ''}`);
    }
  }
  const credits = creditsOf(r);
  const who = (role: string) => credits.find((c) => c.role === role)?.value;
  const thanks = [
    who('finder') && `This vulnerability was reported by ${who('finder')}.`,
    who('remediation developer') && `The issue was fixed and coordinated by ${who('remediation developer')}.`,
    who('other') && `Thank you to the release managers: ${who('other')}.`,
  ].filter(Boolean);
  if (thanks.length) lines.push('', ...(thanks as string[]));
  return lines.join('\n');
}

/** The map's entries, one per release branch in the order the record lists them. Throws ExportInvalid. */
export function cveMapEntries(
  r: AdvisoryRecord,
  severity: SeverityInput | null,
  ctx: ExportContext,
): CveMapEntry[] {
  const problems = cveMapProblems(r, severity);
  if (problems.length) throw new ExportInvalid('cve-map', problems);
  const cvss = cvssOf(severity) as NonNullable<ReturnType<typeof cvssOf>>;
  const { fixes } = fixesOf(r);
  const branches = [...new Set(fixes.map((f) => f.branch))];
  const allPrs = [...new Set(fixes.map((f) => f.pr as number))];
  const description = cveMapDescription(r, ctx);
  return branches.map((branch) => {
    const pr = fixes.find((f) => f.branch === branch)?.pr as number;
    return {
      branch,
      pr,
      datafields: {
        cve: {
          id: r.cveId as string,
          title: r.summary,
          description,
          trackingissue: r.trackingIssue as string,
          vector: cvss.vector,
          score: cvss.score,
          rating: cvss.rating,
          linkedprs: allPrs.filter((n) => n !== pr),
        },
      },
    };
  });
}

/** The map as YAML: one document per branch, each headed by a comment naming its branch. */
export function cveMapYaml(r: AdvisoryRecord, severity: SeverityInput | null, ctx: ExportContext): string {
  return cveMapEntries(r, severity, ctx)
    .map(({ branch, ...entry }) => {
      const doc = new Document(entry);
      return `---\n# ${branch}\n${doc.toString({ lineWidth: 0 })}`;
    })
    .join('');
}
