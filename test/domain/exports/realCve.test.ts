import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { advisoryRecord } from '../../../src/domain/disclosure/advisory.js';
import { cveRecord, osvRecord, schemaProblems } from '../../../src/domain/exports/index.js';

/** A record as plain JSON, to index into freely. */
const loose = (x: unknown) => JSON.parse(JSON.stringify(x));

/**
 * CVE-2023-5528 (kubelet, Windows nodes, in-tree storage plugins) as the Kubernetes CNA published it:
 * test/fixtures/cve/CVE-2023-5528.json is the record from CVEProject/cvelistV5
 * (cves/2023/5xxx/CVE-2023-5528.json). srp is filled with what its tracking issue (k/k#121879) and the
 * announcement say, and its record is compared with the published one field by field.
 */
const published = JSON.parse(
  readFileSync(new URL('../../fixtures/cve/CVE-2023-5528.json', import.meta.url), 'utf8'),
);
const pub = published.containers.cna;

const record = advisoryRecord.parse({
  summary: 'Insufficient input sanitization in in-tree storage plugin leads to privilege escalation',
  actor: 'a user that can create pods and persistent volumes on Windows nodes',
  doSomething: 'escalate to admin privileges on those nodes',
  condition: 'they are using an in-tree storage plugin for Windows nodes',
  affected: [
    { component: 'kubelet', introduced: 'v1.28.0', fixed: 'v1.28.4', pr: null },
    { component: 'kubelet', introduced: 'v1.27.0', fixed: 'v1.27.8', pr: null },
    { component: 'kubelet', introduced: 'v1.26.0', fixed: 'v1.26.11', pr: null },
    { component: 'kubelet', introduced: null, fixed: 'v1.25.16', pr: null },
  ],
  reporterCredit: 'Tomer Peled',
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/121879',
  cveId: 'CVE-2023-5528',
  cwe: 'CWE-20',
});
const severity = {
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
  cvssVersion: '3.1',
  cvssScore: 72,
  cvssRating: 'High' as const,
};
const ctx = {
  incidentId: 'SRP-2023-041',
  project: 'Kubernetes',
  assigner: { shortName: 'kubernetes', orgId: 'a6081bf6-c852-4425-ad4f-a67919267565' },
  repoUrl: 'https://github.com/kubernetes/kubernetes',
  publishedAt: new Date('2023-11-14T17:00:00.000Z'),
  modifiedAt: new Date('2023-11-14T20:32:08.411Z'),
  announcementUrl: 'https://groups.google.com/g/kubernetes-security-announce/c/SL_d4NR8pzA',
  osv: { ecosystem: 'Kubernetes' },
};

describe('CVE-2023-5528 as srp would write it, against the published record', () => {
  const ours = cveRecord(record, severity, ctx);
  const cna = loose(ours.containers.cna);

  it('the published record itself validates with srp’s schema setup (the ajv options are right)', () => {
    expect(schemaProblems('cve', published)).toEqual([]);
    expect(schemaProblems('cve', ours)).toEqual([]);
  });

  it('same CVE id, assigner, CVSS vector, score and severity, CWE and public date', () => {
    expect(ours.cveMetadata.cveId).toBe(published.cveMetadata.cveId);
    expect(ours.cveMetadata.assignerOrgId).toBe(published.cveMetadata.assignerOrgId);
    expect(ours.cveMetadata.assignerShortName).toBe(published.cveMetadata.assignerShortName);
    expect(cna.providerMetadata.orgId).toBe(pub.providerMetadata.orgId);
    const [theirs] = pub.metrics;
    expect(cna.metrics[0].cvssV3_1).toEqual({
      version: theirs.cvssV3_1.version,
      vectorString: theirs.cvssV3_1.vectorString,
      baseScore: theirs.cvssV3_1.baseScore,
      baseSeverity: theirs.cvssV3_1.baseSeverity,
    });
    expect(cna.problemTypes[0].descriptions[0].cweId).toBe(pub.problemTypes[0].descriptions[0].cweId);
    expect(cna.datePublic).toBe(pub.datePublic);
  });

  it('the same affected product and versions (srp writes "< first fixed" where they wrote "<= last affected")', () => {
    const [theirs] = pub.affected;
    const [mine] = cna.affected;
    for (const key of ['vendor', 'product', 'repo', 'defaultStatus']) expect(mine[key]).toBe(theirs[key]);
    const unaffected = (vs: Array<{ status: string; version: string }>) =>
      vs.filter((v) => v.status === 'unaffected').map((v) => v.version);
    expect(unaffected(mine.versions)).toEqual(unaffected(theirs.versions));
    const minor = (v: string) => v.replace(/^v/, '').split('.').slice(0, 2).join('.');
    const theirRanges = theirs.versions.filter((v: { status: string }) => v.status === 'affected');
    const myRanges = mine.versions.filter((v: { status: string }) => v.status === 'affected');
    expect(myRanges.map((v: { version: string }) => v.version)).toEqual(
      theirRanges.map((v: { version: string }) => v.version),
    );
    for (const [i, t] of theirRanges.entries()) {
      // Their inclusive end and srp's exclusive end are adjacent patch releases on the same minor line.
      const m = myRanges[i];
      expect(minor(m.lessThan)).toBe(minor(t.lessThanOrEqual));
      expect(Number(m.lessThan.split('.')[2])).toBe(Number(t.lessThanOrEqual.split('.')[2]) + 1);
      expect(m.versionType).toBe(t.versionType);
    }
  });

  it('the same tagged references and the reporter credited', () => {
    const tagged = (refs: Array<{ url: string; tags?: string[] }>) =>
      refs.filter((r) => r.tags).map((r) => ({ url: r.url, tags: r.tags }));
    expect(tagged(cna.references)).toEqual(tagged(pub.references));
    expect(cna.credits.map((c: { value: string }) => c.value)).toEqual(
      pub.credits.map((c: { value: string }) => c.value),
    );
  });

  it('the description carries the published one’s facts', () => {
    const text: string = cna.descriptions[0].value;
    expect(text).toContain('a user that can create pods and persistent volumes on Windows nodes');
    expect(text).toContain('escalate to admin privileges on those nodes');
    expect(text).toContain('in-tree storage plugin for Windows nodes');
  });

  it('its OSV record validates and says the same', () => {
    const osv = loose(osvRecord(record, severity, ctx));
    expect(schemaProblems('osv', osv)).toEqual([]);
    expect(osv.id).toBe('CVE-2023-5528');
    expect(osv.severity).toEqual([{ type: 'CVSS_V3', score: severity.cvssVector }]);
    expect(osv.affected[0].ranges.at(-1)).toEqual({
      type: 'SEMVER',
      events: [{ introduced: '0' }, { fixed: '1.25.16' }],
    });
  });
});
