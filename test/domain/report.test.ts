import { describe, expect, it } from 'vitest';
import {
  changedFields,
  FORM_FIELDS,
  LIMITS,
  parseCveId,
  REPORT_FIELDS,
  type ReportDraft,
  reportFormFor,
  validateAddition,
  validateReport,
} from '../../src/domain/report.js';

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

describe('validateReport on the reporter form', () => {
  it('asks a subset of the committee form: no arrival, reference, name or received time', () => {
    expect(FORM_FIELDS.committee).toEqual(REPORT_FIELDS);
    expect(FORM_FIELDS.reporter).toEqual([
      'summary',
      'description',
      'components',
      'disclosure',
      'reporterContact',
      'cveId',
    ]);
    expect(FORM_FIELDS.reporter.every((f) => REPORT_FIELDS.includes(f))).toBe(true);
  });

  it('records the rest itself: arrived in Slack, received now, no reporter name', () => {
    const r = validateReport(
      { summary: 'Path traversal', description: 'd', components: 'kubelet', disclosure: 'private' },
      now,
      'reporter',
    );
    expect(r).toEqual({
      ok: true,
      report: {
        summary: 'Path traversal',
        description: 'd',
        components: 'kubelet',
        arrival: 'slack',
        arrivalRef: null,
        disclosure: 'private',
        reporterName: null,
        reporterContact: null,
        receivedAt: now,
        cveId: null,
      },
    });
  });

  it("ignores the committee's fields when a submission carries them anyway", () => {
    const r = validateReport(
      { ...good, arrival: 'github_issue', arrivalRef: 'not a link', reporterName: 'Mallory' },
      now,
      'reporter',
    );
    expect(r).toMatchObject({
      ok: true,
      report: { arrival: 'slack', arrivalRef: null, reporterName: null, receivedAt: now },
    });
    // Its own fields keep their values.
    expect(r.ok && r.report).toMatchObject({ summary: good.summary, reporterContact: 'ada@example.org' });
  });

  it('applies the same rules to the fields it asks, and names only those', () => {
    const empty = validateReport({ arrival: 'pigeon', receivedAt: null }, now, 'reporter');
    expect(empty.ok).toBe(false);
    if (empty.ok) return;
    expect(Object.keys(empty.errors).sort()).toEqual(['components', 'description', 'disclosure', 'summary']);

    const bad = validateReport(
      {
        ...good,
        summary: 'a\nb',
        cveId: 'CVE-26-1',
        reporterContact: 'x'.repeat(LIMITS.reporterContact + 1),
      },
      now,
      'reporter',
    );
    expect(bad).toEqual({
      ok: false,
      errors: {
        summary: expect.stringMatching(/one line/),
        cveId: expect.stringMatching(/CVE-2026-12345/),
        reporterContact: expect.stringMatching(/300/),
      },
    });
  });

  it('the committee form may record a report that arrived in Slack', () => {
    expect(validateReport({ ...good, arrival: 'slack', arrivalRef: '' }, now)).toMatchObject({
      ok: true,
      report: { arrival: 'slack' },
    });
  });
});

describe('reportFormFor', () => {
  it("gives the committee's form only to someone on the committee who was shown it", () => {
    expect(reportFormFor(undefined, true)).toBe('committee');
    expect(reportFormFor('committee', true)).toBe('committee');
    expect(reportFormFor('reporter', true)).toBe('reporter');
    expect(reportFormFor(undefined, false)).toBe('reporter');
    expect(reportFormFor('reporter', false)).toBe('reporter');
    // A forged claim to the committee's form from someone not on it.
    expect(reportFormFor('committee', false)).toBe('reporter');
  });
});

describe('validateAddition', () => {
  it('trims an addition, and asks for one that is empty or too long', () => {
    expect(validateAddition('  more details  ')).toEqual({ ok: true, text: 'more details' });
    expect(validateAddition('   ')).toEqual({ ok: false, error: expect.stringMatching(/add/) });
    expect(validateAddition(null).ok).toBe(false);
    expect(validateAddition('x'.repeat(LIMITS.addition)).ok).toBe(true);
    expect(validateAddition('x'.repeat(LIMITS.addition + 1))).toEqual({
      ok: false,
      error: expect.stringMatching(/3000/),
    });
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
