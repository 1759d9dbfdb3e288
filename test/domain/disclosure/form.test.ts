import { describe, expect, it } from 'vitest';
import { type AdvisoryRecord, advisoryRecord } from '../../../src/domain/disclosure/advisory.js';
import {
  affectedFromReport,
  FORM_FIELDS,
  type FormValues,
  mergeRecord,
  recordFromValues,
  valuesFromReport,
  valuesOf,
} from '../../../src/domain/disclosure/form.js';

const empty = () => Object.fromEntries(FORM_FIELDS.map((f) => [f, null])) as FormValues;
const values = (patch: Partial<FormValues>): FormValues => ({
  ...empty(),
  summary: 'Path traversal',
  ...patch,
});
const open = { cveRequired: false, incidentCve: null };

describe('the advisory form', () => {
  it('reads typed values as a record: ranges parsed, ids upper-cased, empty fields null', () => {
    const r = recordFromValues(
      values({
        affected: 'kubelet 1.30.0 < 1.30.5 #12345\n\nkubelet < 1.29.9',
        cveId: ' cve-2026-1234 ',
        cwe: 'cwe-22',
        actor: '  ',
        trackingIssue: 'https://github.com/example/p/issues/1',
      }),
      open,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.affected).toEqual([
      { component: 'kubelet', introduced: '1.30.0', fixed: '1.30.5', pr: '#12345' },
      { component: 'kubelet', introduced: null, fixed: '1.29.9', pr: null },
    ]);
    expect(r.record).toMatchObject({ cveId: 'CVE-2026-1234', cwe: 'CWE-22', actor: null });
  });

  it('names the line of a range it cannot read, beside the ranges', () => {
    const r = recordFromValues(
      values({ affected: 'kubelet 1.30.0 < 1.30.5\nkubelet v1.30.0-v1.32.2' }),
      open,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.affected).toMatch(/^Line 2 reads "component \[introduced\] < fixed \[PR\]"/);
    expect(Object.keys(r.errors)).toEqual(['affected']);
  });

  it('puts every problem beside its field: summary, CVE, CWE, tracking issue, a range with no version', () => {
    const r = recordFromValues(
      {
        ...empty(),
        summary: ' ',
        cveId: 'CVE-26-1',
        cwe: '22',
        trackingIssue: 'http://example.org',
        affected: 'kubelet <',
      },
      open,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.summary).toBe('Give a one-line summary.');
    expect(r.errors.cveId).toMatch(/CVE-YYYY-NNNN/);
    expect(r.errors.cwe).toMatch(/CWE-NNN/);
    expect(r.errors.trackingIssue).toMatch(/https link/);
    expect(r.errors.affected).toMatch(/kubelet: give the first affected or the fixed version/);
  });

  it('requires the CVE once it exists, and refuses one that contradicts the incident', () => {
    const missing = recordFromValues(values({}), { cveRequired: true, incidentCve: 'CVE-2026-1111' });
    expect(!missing.ok && missing.errors.cveId).toMatch(/this incident has CVE-2026-1111/);
    const stepDone = recordFromValues(values({}), { cveRequired: true, incidentCve: null });
    expect(!stepDone.ok && stepDone.errors.cveId).toMatch(/CVE step/);
    const other = recordFromValues(values({ cveId: 'CVE-2026-2222' }), {
      cveRequired: true,
      incidentCve: 'CVE-2026-1111',
    });
    expect(!other.ok && other.errors.cveId).toMatch(/edit the report/);
    expect(
      recordFromValues(values({ cveId: 'CVE-2026-1111' }), {
        cveRequired: true,
        incidentCve: 'CVE-2026-1111',
      }).ok,
    ).toBe(true);
  });

  it('refuses a field longer than its limit rather than cutting it', () => {
    const r = recordFromValues(values({ summary: 'x'.repeat(201) }), open);
    expect(!r.ok && r.errors.summary).toMatch(/under 200 characters/);
  });

  it('prefills from the report: summary, CVE, reporter, and the components as ranges where they read as such', () => {
    const v = valuesFromReport({
      summary: 'Path traversal',
      components: 'kubelet\nkube-proxy',
      reporterName: 'Ada Lovelace',
      cveId: null,
    });
    expect(v).toMatchObject({ summary: 'Path traversal', reporterCredit: 'Ada Lovelace', cveId: null });
    expect(v.affected).toBe('kubelet <\nkube-proxy <');
    expect(affectedFromReport('kubelet 1.30.0 < 1.30.5')).toBe('kubelet 1.30.0 < 1.30.5');
    // Unreadable as ranges: kept as typed, for the editor to rewrite.
    expect(affectedFromReport('kubelet v1.30.0-v1.32.2, all platforms')).toBe(
      'kubelet v1.30.0-v1.32.2, all platforms',
    );
  });

  it('round-trips a saved record through the form', () => {
    const record = advisoryRecord.parse({
      summary: 'S',
      affected: [{ component: 'kubelet', introduced: '1.30.0', fixed: '1.30.5', pr: '#1' }],
      cveId: 'CVE-2026-1234',
      mitigation: 'Turn it off.',
    });
    const back = recordFromValues(valuesOf(record), open);
    expect(back.ok && back.record).toEqual(record);
  });

  it('merges a submission over a version saved meanwhile: untouched fields keep the newer values', () => {
    const base = advisoryRecord.parse({ summary: 'S', mitigation: 'm0', detection: 'd0' });
    const latest: AdvisoryRecord = { ...base, detection: 'd1 (someone else)' };
    const submitted: AdvisoryRecord = { ...base, mitigation: 'm1 (mine)' };
    expect(mergeRecord(submitted, base, latest)).toMatchObject({
      mitigation: 'm1 (mine)',
      detection: 'd1 (someone else)',
    });
  });
});
