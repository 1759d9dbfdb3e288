import { describe, expect, it } from 'vitest';
import { changedFields, parseCveId, type ReportDraft, validateReport } from '../../src/domain/report.js';

const now = new Date('2026-11-23T12:00:00Z');
const good: ReportDraft = {
  summary: 'Path traversal in kubelet log endpoint',
  description: 'GET /logs/../../etc/shadow returns the file.',
  components: 'kubelet v1.30.0-v1.32.2',
  arrival: 'hackerone',
  arrivalRef: 'https://hackerone.com/reports/2345678',
  disclosure: 'private',
  reporterName: 'Ada',
  reporterContact: 'ada@example.org',
  receivedAt: new Date('2026-11-22T09:30:00Z'),
  cveId: '',
};

describe('validateReport', () => {
  it('accepts a complete report and trims and normalizes it', () => {
    const r = validateReport({ ...good, summary: '  Path traversal  ', cveId: 'cve-2026-12345' }, now);
    expect(r).toMatchObject({
      ok: true,
      report: { summary: 'Path traversal', cveId: 'CVE-2026-12345', arrival: 'hackerone' },
    });
  });

  it('turns empty optional fields into null', () => {
    const r = validateReport({ ...good, reporterName: '  ', reporterContact: null, arrivalRef: '' }, now);
    expect(r.ok && r.report).toMatchObject({
      reporterName: null,
      reporterContact: null,
      arrivalRef: null,
      cveId: null,
    });
  });

  it('reports every missing required field at once, each with what to do', () => {
    const r = validateReport({}, now);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(
      ['arrival', 'components', 'description', 'disclosure', 'receivedAt', 'summary'].sort(),
    );
    expect(r.errors.summary).toMatch(/summary/);
  });

  it.each([
    [{ summary: 'a\nb' }, 'summary', /one line/],
    [{ summary: 'x'.repeat(151) }, 'summary', /150/],
    [{ description: 'x'.repeat(3001) }, 'description', /3000/],
    [{ arrival: 'pigeon' }, 'arrival', /how the report arrived/],
    [{ arrival: 'github_issue', arrivalRef: 'issue 12', disclosure: 'public' }, 'arrivalRef', /link/],
    [{ arrival: 'hackerone', arrivalRef: 'see email' }, 'arrivalRef', /HackerOne/],
    [
      { arrival: 'github_issue', arrivalRef: 'https://github.com/k/k/issues/1', disclosure: 'private' },
      'disclosure',
      /already public/,
    ],
    [{ receivedAt: new Date('2026-11-24T12:00:00Z') }, 'receivedAt', /future/],
    [{ receivedAt: new Date('1980-01-01T00:00:00Z') }, 'receivedAt', /year/],
    [{ cveId: 'CVE-26-1' }, 'cveId', /CVE-2026-12345/],
    [{ cveId: 'CVE-1998-1234' }, 'cveId', /1999/],
  ] as const)('rejects %j on %s', (patch, field, message) => {
    const r = validateReport({ ...good, ...patch }, now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field]).toMatch(message);
  });

  it('accepts a HackerOne report number instead of a link', () => {
    expect(validateReport({ ...good, arrivalRef: '#2345678' }, now).ok).toBe(true);
  });

  it('tolerates a few minutes of clock skew on the received time', () => {
    expect(validateReport({ ...good, receivedAt: new Date(now.getTime() + 60_000) }, now).ok).toBe(true);
  });
});

describe('parseCveId', () => {
  it.each(['CVE-2024-1234', 'cve-2024-12345', ' CVE-2021-25741 '])('accepts %s', (id) => {
    expect(parseCveId(id)).toEqual({ ok: true, id: id.trim().toUpperCase() });
  });
  it.each(['CVE-2024-123', 'CVE2024-1234', 'GHSA-rcw7-pqfp-735x', 'CVE-2024-12a4'])('rejects %s', (id) => {
    expect(parseCveId(id).ok).toBe(false);
  });
});

describe('changedFields', () => {
  it('lists exactly the fields that differ, comparing dates by value', () => {
    const a = validateReport(good, now);
    const b = validateReport(
      { ...good, summary: 'New summary', receivedAt: new Date(good.receivedAt as Date) },
      now,
    );
    if (!a.ok || !b.ok) throw new Error('fixture invalid');
    expect(changedFields(a.report, b.report)).toEqual(['summary']);
  });
});
