import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  advisoryMarkdown,
  cveMapEntries,
  cveMapYaml,
  cveRecord,
  ExportInvalid,
  osvRecord,
  schemaProblems,
} from '../../../src/domain/exports/index.js';
import {
  fullContext,
  fullRecord,
  fullSeverity,
  minimalContext,
  minimalRecord,
  minimalSeverity,
} from './fixtures.js';

/** A record as plain JSON, to index into freely. */
const loose = (x: unknown) => JSON.parse(JSON.stringify(x));

const cases = [
  { name: 'full', record: fullRecord, severity: fullSeverity, ctx: fullContext },
  { name: 'minimal', record: minimalRecord, severity: minimalSeverity, ctx: minimalContext },
] as const;

const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;

describe.each(cases)('exports of the $name incident', ({ name, record, severity, ctx }) => {
  it('CVE record: golden file, and valid against the official CVE JSON 5 schema', async () => {
    const cve = cveRecord(record, severity, ctx);
    expect(schemaProblems('cve', cve)).toEqual([]);
    await expect(json(cve)).toMatchFileSnapshot(`./golden/${name}.cve.json`);
  });

  it('OSV record: golden file, and valid against the official OSV schema', async () => {
    const osv = osvRecord(record, severity, ctx);
    expect(schemaProblems('osv', osv)).toEqual([]);
    await expect(json(osv)).toMatchFileSnapshot(`./golden/${name}.osv.json`);
  });

  it('CVE data map: golden file, and the YAML parses back to the same entries', async () => {
    const yaml = cveMapYaml(record, severity, ctx);
    await expect(yaml).toMatchFileSnapshot(`./golden/${name}.cve-map.yaml`);
    const docs = parseAllDocuments(yaml);
    expect(Array.isArray(docs) && docs.every((d) => d.errors.length === 0)).toBe(true);
    const back = (docs as Array<{ toJS(): unknown }>).map((d) => d.toJS());
    expect(back).toEqual(cveMapEntries(record, severity, ctx).map(({ branch: _, ...entry }) => entry));
  });

  it('advisory Markdown: golden file', async () => {
    await expect(advisoryMarkdown(record, severity, ctx)).toMatchFileSnapshot(`./golden/${name}.advisory.md`);
  });

  it('no export carries the distributors’ embargo terms', () => {
    const all = [
      json(cveRecord(record, severity, ctx)),
      json(osvRecord(record, severity, ctx)),
      cveMapYaml(record, severity, ctx),
      advisoryMarkdown(record, severity, ctx),
    ].join('\n');
    expect(all).not.toContain('PRIVATE-EMBARGO-TERMS');
  });
});

describe('the full incident, field by field', () => {
  const cve = cveRecord(fullRecord, fullSeverity, fullContext);
  const cna = loose(cve.containers.cna);

  it('writes the CNA container from the record, the severity row and the context', () => {
    expect(cve.cveMetadata).toEqual({
      cveId: 'CVE-2026-1234',
      assignerOrgId: 'a6081bf6-c852-4425-ad4f-a67919267565',
      assignerShortName: 'kubernetes',
      state: 'PUBLISHED',
    });
    expect(cna.descriptions[0].value).toMatch(
      /^The Kubernetes kubelet in versions 1\.30\.0 to before 1\.30\.5, 1\.29\.0 to before 1\.29\.9, before 1\.28\.14, kube-apiserver in versions .* may allow a user who can create pods to gain root/,
    );
    expect(cna.affected.map((a: { product: string }) => a.product)).toEqual([
      'kubelet',
      'kube-apiserver',
      'kubectl',
    ]);
    expect(cna.affected[0].versions).toContainEqual({
      version: '0',
      status: 'affected',
      versionType: 'semver',
      lessThan: '1.28.14',
    });
    expect(cna.affected[2].versions).toEqual([
      { version: '1.31.0', status: 'affected', versionType: 'semver', lessThan: '1.31.*' },
    ]);
    expect(cna.metrics[0].cvssV3_1).toEqual({
      version: '3.1',
      vectorString: fullSeverity.cvssVector,
      baseScore: 9.9,
      baseSeverity: 'CRITICAL',
    });
    expect(cna.problemTypes[0].descriptions[0].cweId).toBe('CWE-59');
    expect(cna.references.map((r: { tags: string[] }) => r.tags[0])).toEqual([
      'issue-tracking',
      'mailing-list',
      'patch',
      'patch',
      'patch',
      'patch',
    ]);
    expect(cna.references[2].url).toBe('https://github.com/kubernetes/kubernetes/pull/12345');
    expect(cna.credits).toEqual([
      { lang: 'en', value: 'Alice Example (Example Corp)', type: 'finder' },
      { lang: 'en', value: 'Bob Builder and Carol Coder', type: 'remediation developer' },
      { lang: 'en', value: 'Dana Release', type: 'other' },
    ]);
    expect(cna.workarounds).toEqual([{ lang: 'en', value: fullRecord.mitigation }]);
    expect(cna.datePublic).toBe('2026-03-10T16:00:00.000Z');
  });

  it('maps one YAML document per release branch, the fix PR and the others linked', () => {
    const entries = cveMapEntries(fullRecord, fullSeverity, fullContext);
    expect(entries.map((e) => [e.branch, e.pr, e.datafields.cve.linkedprs])).toEqual([
      ['release-1.30', 12345, [12346, 12347, 12348]],
      ['release-1.29', 12346, [12345, 12347, 12348]],
      ['release-1.28', 12347, [12345, 12346, 12348]],
    ]);
    const { description, score, rating, vector, trackingissue } = entries[0]?.datafields.cve ?? {};
    expect(description).toContain('Affected Versions:\n- kubelet 1.30.0 to before 1.30.5');
    expect(description).toContain(
      'Fixed Versions:\n- kubelet 1.30.5 (https://github.com/kubernetes/kubernetes/pull/12345)',
    );
    expect(description).toContain('This vulnerability was reported by Alice Example (Example Corp).');
    expect([score, rating, vector, trackingissue]).toEqual([
      9.9,
      'Critical',
      fullSeverity.cvssVector,
      fullRecord.trackingIssue,
    ]);
  });

  it('OSV: CVSS_V3 and CVSS_V4 severities, SEMVER ranges without a leading v, the ecosystem from config', () => {
    const osv = loose(osvRecord(fullRecord, fullSeverity, fullContext));
    expect(osv.id).toBe('CVE-2026-1234');
    expect(osv.severity).toEqual([{ type: 'CVSS_V3', score: fullSeverity.cvssVector }]);
    expect(osv.affected[0].package).toEqual({ ecosystem: 'Kubernetes', name: 'kubelet' });
    expect(osv.affected[0].ranges[2]).toEqual({
      type: 'SEMVER',
      events: [{ introduced: '0' }, { fixed: '1.28.14' }],
    });
    const v4 = loose(osvRecord(minimalRecord, minimalSeverity, minimalContext));
    expect(v4.severity).toEqual([{ type: 'CVSS_V4', score: minimalSeverity.cvssVector }]);
    const vPrefixed = loose(
      osvRecord(
        {
          ...minimalRecord,
          affected: [{ component: 'kubelet', introduced: 'v1.30.0', fixed: 'v1.30.5', pr: null }],
        },
        null,
        minimalContext,
      ),
    );
    expect(vPrefixed.affected[0].ranges[0].events).toEqual([{ introduced: '1.30.0' }, { fixed: '1.30.5' }]);
  });

  it('OSV id: the CVE id, a configured home prefix with the CVE as alias, or x_<srp id> without a CVE', () => {
    expect(
      osvRecord(fullRecord, null, { ...fullContext, osv: { ecosystem: 'Kubernetes', idPrefix: 'KUBE' } }),
    ).toMatchObject({
      id: 'KUBE-CVE-2026-1234',
      aliases: ['CVE-2026-1234'],
    });
    const noCve = osvRecord({ ...minimalRecord, cveId: null }, null, minimalContext);
    expect(noCve.id).toBe('x_SRP-2026-008');
    expect(schemaProblems('osv', noCve)).toEqual([]);
  });
});

describe('refusals name the field and the problem', () => {
  it('a record without what a CVE record needs', () => {
    const bare = { ...minimalRecord, cveId: null, affected: [], trackingIssue: null };
    const err = (() => {
      try {
        cveRecord(bare, null, minimalContext);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ExportInvalid);
    expect((err as ExportInvalid).problems.map((p) => p.field)).toEqual([
      'cveId',
      'affected',
      'trackingIssue',
    ]);
  });

  it('a record the official schema rejects: the instancePath and the reason', () => {
    expect(() => cveRecord({ ...minimalRecord, summary: 'x'.repeat(300) }, null, minimalContext)).toThrow(
      /\/containers\/cna\/title: must NOT have more than 256 characters/,
    );
    expect(() =>
      cveRecord(minimalRecord, null, {
        ...minimalContext,
        assigner: { shortName: 'k8s', orgId: 'not-a-uuid' },
      }),
    ).toThrow(/\/cveMetadata\/assignerOrgId: must match pattern/);
    expect(() =>
      osvRecord(minimalRecord, null, { ...minimalContext, osv: { ecosystem: 'Kubernetez' } }),
    ).toThrow(/osv export is not valid: \/affected\/0\/package\/ecosystem: must match pattern/);
  });

  it('the CVE map without PRs, a vector or a fixed version', () => {
    expect(() =>
      cveMapYaml(
        {
          ...minimalRecord,
          affected: [{ component: 'kubelet', introduced: null, fixed: '1.31.2', pr: null }],
        },
        minimalSeverity,
        minimalContext,
      ),
    ).toThrow(/affected\[0\]\.pr: release-1\.31: the fix PR for kubelet 1\.31\.2 is needed/);
    expect(() => cveMapYaml(minimalRecord, null, minimalContext)).toThrow(
      /cvss: the CVE data map needs a scored CVSS vector/,
    );
    expect(() =>
      cveMapYaml(
        {
          ...minimalRecord,
          affected: [{ component: 'kubectl', introduced: '1.31.0', fixed: null, pr: null }],
        },
        minimalSeverity,
        minimalContext,
      ),
    ).toThrow(/affected: the CVE data map needs at least one fixed version/);
  });
});

describe('advisory Markdown escapes user text', () => {
  it('renders hostile input inert: no HTML, no links, no Prow commands, no mentions, no headings', () => {
    const md = advisoryMarkdown(
      {
        ...fullRecord,
        summary: '<img src=x onerror=alert(1)> [click](https://evil.example)',
        detection: '/close\n# Heading\n@kubernetes/security-response ping\n- item',
      },
      fullSeverity,
      fullContext,
    );
    expect(md).toContain('\\<img src=x onerror=alert(1)\\> \\[click\\](https://evil.example)');
    expect(md).toContain('\\/close\n\\# Heading\n@\u200bkubernetes/security-response ping\n\\- item');
    expect(md).not.toMatch(/^\/close/m);
  });

  it('says what is missing instead of leaving it blank', () => {
    const md = advisoryMarkdown(minimalRecord, null, minimalContext);
    expect(md).toContain('CVSS Rating: (missing: CVSS vector)');
    expect(md).toContain('(missing: Am I vulnerable?)');
    expect(md).toContain('This vulnerability was reported by (missing: reporter credit).');
  });
});
