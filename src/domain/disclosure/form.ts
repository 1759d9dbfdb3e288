import {
  ADVISORY_FIELD_LABELS,
  type AdvisoryField,
  type AdvisoryRecord,
  advisoryRecord,
  formatAffected,
  parseAffected,
  recordProblemsByField,
} from './advisory.js';

/**
 * The advisory record as a form: what each field holds as typed (the affected ranges as lines of text),
 * how a record becomes the form's first values and how typed values become a record, with every problem
 * named beside the field to fix. Pure.
 */

/** Every field of the record, in the order the form asks for them. */
export const FORM_FIELDS = [
  'summary',
  'cveId',
  'cwe',
  'actor',
  'doSomething',
  'vulnerable',
  'condition',
  'affected',
  'mitigation',
  'actionRequired',
  'fixImpact',
  'detection',
  'additionalDetails',
  'reporterCredit',
  'fixTeamCredit',
  'releaseManagersCredit',
  'trackingIssue',
  'introducedBy',
  'patchDeployable',
] as const satisfies readonly AdvisoryField[];
// Every field of the record is in the form: a field added to the record and not here fails to compile.
const _everyField: Exclude<AdvisoryField, (typeof FORM_FIELDS)[number]> extends never ? true : never = true;
void _everyField;

/** The form as typed: each field's text, null when empty. */
export type FormValues = Record<AdvisoryField, string | null>;

/** How long each field may be (Slack's inputs allow 3,000 at most). */
export const FIELD_MAX: Record<AdvisoryField, number> = {
  summary: 200,
  cveId: 30,
  cwe: 20,
  actor: 300,
  doSomething: 500,
  vulnerable: 3000,
  condition: 1000,
  affected: 3000,
  mitigation: 3000,
  actionRequired: 3000,
  fixImpact: 3000,
  detection: 3000,
  additionalDetails: 3000,
  reporterCredit: 500,
  fixTeamCredit: 1000,
  releaseManagersCredit: 1000,
  trackingIssue: 500,
  introducedBy: 500,
  patchDeployable: 1000,
};

const clip = (s: string | null | undefined, field: AdvisoryField) =>
  s ? s.slice(0, FIELD_MAX[field]) : null;

/** A saved record as the form shows it. */
export function valuesOf(r: AdvisoryRecord): FormValues {
  const out = {} as FormValues;
  for (const f of FORM_FIELDS) {
    const v = f === 'affected' ? formatAffected(r.affected) : r[f];
    out[f] = clip(v || null, f);
  }
  return out;
}

/**
 * The report's "affected components and versions" as the ranges field's first text: kept when it already
 * reads as ranges, bare component names as `component <` lines to complete, anything else as typed (the
 * editor rewrites it; saving names the line to fix).
 */
export function affectedFromReport(components: string): string {
  const lines = components
    .split(/\n|;/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return '';
  const asRanges = lines.map((l) => (/^\S+$/.test(l) ? `${l} <` : l));
  const parsed = parseAffected(asRanges.join('\n'));
  return parsed.problems.length === 0 ? asRanges.join('\n') : components.trim();
}

/** The form's first values for an incident with no record yet: what its report already says. */
export function valuesFromReport(incident: {
  summary: string;
  components: string;
  reporterName: string | null;
  cveId: string | null;
}): FormValues {
  const out = Object.fromEntries(FORM_FIELDS.map((f) => [f, null])) as FormValues;
  out.summary = clip(incident.summary, 'summary');
  out.cveId = clip(incident.cveId, 'cveId');
  out.affected = clip(affectedFromReport(incident.components) || null, 'affected');
  out.reporterCredit = clip(incident.reporterName, 'reporterCredit');
  return out;
}

export type FormErrors = Partial<Record<AdvisoryField, string>>;

/**
 * Typed values as a record, or what to fix beside each field. `cveRequired`: the incident has a CVE (or
 * its CVE step is done), so the record must name it; `incidentCve`: the CVE the incident holds, which
 * the record may not contradict (the report is where it changes).
 */
export function recordFromValues(
  values: FormValues,
  opts: { cveRequired: boolean; incidentCve: string | null },
): { ok: true; record: AdvisoryRecord } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const text = (f: AdvisoryField) => values[f]?.trim() || null;
  for (const f of FORM_FIELDS) {
    const v = values[f];
    if (v && v.length > FIELD_MAX[f]) {
      errors[f] = `Keep the ${ADVISORY_FIELD_LABELS[f]} under ${FIELD_MAX[f]} characters.`;
    }
  }
  const affected = parseAffected(values.affected ?? '');
  if (affected.problems.length) {
    errors.affected = capitalized(affected.problems.join('; ')).slice(0, 1500);
  }
  const cveId = text('cveId')?.toUpperCase() ?? null;
  if (!cveId && opts.cveRequired) {
    errors.cveId = opts.incidentCve
      ? `Give the CVE id: this incident has ${opts.incidentCve}.`
      : 'Give the CVE id: the CVE step of this incident is done.';
  } else if (cveId && opts.incidentCve && cveId !== opts.incidentCve) {
    errors.cveId = `This incident's CVE is ${opts.incidentCve}; to change it, edit the report.`;
  }
  const candidate = {
    ...Object.fromEntries(FORM_FIELDS.map((f) => [f, text(f)])),
    affected: affected.ranges,
    cveId,
    cwe: text('cwe')?.toUpperCase() ?? null,
  };
  const parsed = advisoryRecord.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = issue.path[0] as AdvisoryField | undefined;
      if (f && !errors[f]) {
        errors[f] = f === 'summary' ? 'Give a one-line summary.' : `Check the ${ADVISORY_FIELD_LABELS[f]}.`;
      }
    }
  }
  // The rules of the other fields, also when the summary is missing: every problem shows at once.
  const checkable = parsed.success
    ? parsed.data
    : advisoryRecord.safeParse({ ...candidate, summary: text('summary') ?? '-' }).data;
  for (const [f, problems] of Object.entries(checkable ? recordProblemsByField(checkable) : {})) {
    const field = f as AdvisoryField;
    if (problems?.length && !errors[field]) errors[field] = capitalized(problems.join('; '));
  }
  if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, record: parsed.data };
}

/** A problem as a sentence; one that starts with a component's name keeps its case. */
const capitalized = (s: string) =>
  `${/^(the|line)\b/.test(s) ? s.charAt(0).toUpperCase() : s.charAt(0)}${s.slice(1)}.`.replace(/\.\.$/, '.');

/**
 * A submission made on `base` (the version the form opened on) applied over `latest` (saved meanwhile by
 * someone else): the fields the editor changed from `base` take their values, the others keep `latest`'s,
 * so two people editing different fields lose nothing. Both changed one field: the newer submission wins
 * (the timeline keeps both).
 */
export function mergeRecord(
  submitted: AdvisoryRecord,
  base: AdvisoryRecord | undefined,
  latest: AdvisoryRecord | undefined,
): AdvisoryRecord {
  if (!base || !latest) return submitted;
  const out = { ...latest } as Record<AdvisoryField, unknown>;
  for (const f of FORM_FIELDS) {
    if (!same(submitted[f], base[f])) out[f] = submitted[f];
  }
  return out as AdvisoryRecord;
}

export const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function sameRecord(a: AdvisoryRecord, b: AdvisoryRecord): boolean {
  return FORM_FIELDS.every((f) => same(a[f], b[f]));
}
