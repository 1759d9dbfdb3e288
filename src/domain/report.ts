/**
 * A vulnerability report as the committee records it, modelled on the SRC's own
 * incident record, and the rules a report must satisfy before it becomes an
 * incident. Pure: the caller passes `now`.
 */

export const ARRIVAL_CHANNELS = {
  hackerone: 'HackerOne',
  security_email: 'security@ email',
  github_issue: 'Public GitHub issue',
  distributor: 'Distributor',
  other: 'Other',
  /** Filed by the reporter themselves with `/srp report`. */
  slack: 'Reported in Slack',
} as const;
export type Arrival = keyof typeof ARRIVAL_CHANNELS;

export type Disclosure = 'private' | 'public';

export const REPORT_FIELDS = [
  'summary',
  'description',
  'components',
  'arrival',
  'arrivalRef',
  'disclosure',
  'reporterName',
  'reporterContact',
  'receivedAt',
  'cveId',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/**
 * Who fills the report in, and so what the form asks. The committee (a member or associate filing on
 * someone's behalf) records how the report arrived, from whom and when. A reporter filing their own
 * finding is asked only what a reporter knows; srp records the rest itself: it arrived in Slack, from
 * them (the filer, kept apart from the report as `reportedBy`), received now.
 */
export const REPORT_FORMS = ['committee', 'reporter'] as const;
export type ReportForm = (typeof REPORT_FORMS)[number];

/** The fields each form asks, in the order it asks them. */
export const FORM_FIELDS: Record<ReportForm, readonly ReportField[]> = {
  committee: REPORT_FIELDS,
  reporter: ['summary', 'description', 'components', 'disclosure', 'reporterContact', 'cveId'],
};

/**
 * The form a submission is read as: the one that was shown, but never the committee's for someone who is
 * not on it (whatever the form claims), and the reporter's for a committee member who was shown that one.
 */
export function reportFormFor(shown: ReportForm | undefined, onCommittee: boolean): ReportForm {
  return onCommittee && shown !== 'reporter' ? 'committee' : 'reporter';
}

/** What a person typed, before validation: every field may be missing. */
export interface ReportDraft {
  summary?: string | null;
  description?: string | null;
  components?: string | null;
  arrival?: string | null;
  arrivalRef?: string | null;
  disclosure?: string | null;
  reporterName?: string | null;
  reporterContact?: string | null;
  receivedAt?: Date | null;
  cveId?: string | null;
}

export interface Report {
  summary: string;
  description: string;
  components: string;
  arrival: Arrival;
  arrivalRef: string | null;
  disclosure: Disclosure;
  reporterName: string | null;
  reporterContact: string | null;
  receivedAt: Date;
  cveId: string | null;
}

export const LIMITS = {
  summary: 150,
  description: 3000,
  components: 500,
  arrivalRef: 500,
  reporterName: 150,
  reporterContact: 300,
  /** What a reporter adds to their report later (`/srp report add`). */
  addition: 3000,
} as const;

export type ReportValidation =
  | { ok: true; report: Report }
  | { ok: false; errors: Partial<Record<ReportField, string>> };

const CVE_PATTERN = /^CVE-(\d{4})-(\d{4,})$/;
/** Reports can't come from the future; a few minutes allow for clocks that disagree. */
const CLOCK_SKEW_MS = 5 * 60_000;
const EARLIEST_RECEIVED = Date.UTC(1999, 0, 1);

/** Normalizes a CVE id (`cve-2024-1234` → `CVE-2024-1234`) or explains what is wrong with it. */
export function parseCveId(input: string): { ok: true; id: string } | { ok: false; error: string } {
  const id = input.trim().toUpperCase();
  const m = CVE_PATTERN.exec(id);
  if (!m)
    return { ok: false, error: 'A CVE id looks like CVE-2026-12345 (CVE, the year, then 4 or more digits).' };
  if (Number(m[1]) < 1999) return { ok: false, error: 'CVE ids start in 1999; check the year.' };
  return { ok: true, id };
}

function text(v: string | null | undefined): string {
  return (v ?? '').trim();
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The reporter's form as a draft: the fields it asks, as typed, and what srp records for the others.
 * Anything else a submission carries (a forged one) is dropped here.
 */
function reporterDraft(draft: ReportDraft, now: Date): ReportDraft {
  const asked: ReportDraft = Object.fromEntries(FORM_FIELDS.reporter.map((f) => [f, draft[f]]));
  return { ...asked, arrival: 'slack', arrivalRef: null, reporterName: null, receivedAt: now };
}

/**
 * Checks a draft report as filled in on `form`. Every problem is returned at once, keyed by field, each
 * phrased as what to do about it, so the modal can show them all inline. The reporter's form is the
 * committee's rules on its subset of the fields; errors only ever name a field the form asked.
 */
export function validateReport(
  input: ReportDraft,
  now: Date,
  form: ReportForm = 'committee',
): ReportValidation {
  const draft = form === 'reporter' ? reporterDraft(input, now) : input;
  const errors: Partial<Record<ReportField, string>> = {};
  const summary = text(draft.summary);
  const description = text(draft.description);
  const components = text(draft.components);
  const arrivalRef = text(draft.arrivalRef);
  const reporterName = text(draft.reporterName);
  const reporterContact = text(draft.reporterContact);

  if (!summary) errors.summary = 'Give the report a one-line summary.';
  else if (summary.includes('\n'))
    errors.summary = 'Keep the summary to one line; details go in the description.';
  else if (summary.length > LIMITS.summary)
    errors.summary = `Keep the summary under ${LIMITS.summary} characters.`;

  if (!description)
    errors.description = 'Describe the vulnerability: what is affected and how it can be exploited.';
  else if (description.length > LIMITS.description)
    errors.description = `Keep the description under ${LIMITS.description} characters; attach the rest in the thread.`;

  if (!components)
    errors.components = 'Name the affected component(s) and versions, for example "kubelet 1.30-1.32".';
  else if (components.length > LIMITS.components)
    errors.components = `Keep this under ${LIMITS.components} characters.`;

  const arrival = draft.arrival && draft.arrival in ARRIVAL_CHANNELS ? (draft.arrival as Arrival) : undefined;
  if (!arrival) errors.arrival = 'Choose how the report arrived.';

  if (arrivalRef.length > LIMITS.arrivalRef)
    errors.arrivalRef = `Keep the reference under ${LIMITS.arrivalRef} characters.`;
  else if (arrival === 'github_issue' && !isHttpUrl(arrivalRef))
    errors.arrivalRef = 'Paste the link to the public GitHub issue (https://github.com/...).';
  else if (arrival === 'hackerone' && arrivalRef && !isHttpUrl(arrivalRef) && !/^#?\d+$/.test(arrivalRef))
    errors.arrivalRef = 'Give the HackerOne report link or its number (for example 2345678).';

  const disclosure =
    draft.disclosure === 'public' || draft.disclosure === 'private' ? draft.disclosure : undefined;
  if (!disclosure) errors.disclosure = 'Say whether the vulnerability is already public.';
  else if (disclosure === 'private' && arrival === 'github_issue')
    errors.disclosure =
      'A public GitHub issue is already public: choose "Yes, already public" (every deadline becomes ASAP).';

  if (reporterName.length > LIMITS.reporterName)
    errors.reporterName = `Keep the name under ${LIMITS.reporterName} characters.`;
  if (reporterContact.length > LIMITS.reporterContact)
    errors.reporterContact = `Keep the contact under ${LIMITS.reporterContact} characters.`;

  const receivedAt = draft.receivedAt ?? undefined;
  if (!receivedAt || Number.isNaN(receivedAt.getTime()))
    errors.receivedAt = 'Say when the report was received.';
  else if (receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    errors.receivedAt = 'The received time is in the future; pick when the report actually arrived.';
  else if (receivedAt.getTime() < EARLIEST_RECEIVED)
    errors.receivedAt = 'Check the year of the received time.';

  let cveId: string | null = null;
  if (text(draft.cveId)) {
    const parsed = parseCveId(text(draft.cveId));
    if (parsed.ok) cveId = parsed.id;
    else errors.cveId = parsed.error;
  }

  if (Object.keys(errors).length > 0 || !arrival || !disclosure || !receivedAt) return { ok: false, errors };
  return {
    ok: true,
    report: {
      summary,
      description,
      components,
      arrival,
      arrivalRef: arrivalRef || null,
      disclosure,
      reporterName: reporterName || null,
      reporterContact: reporterContact || null,
      receivedAt,
      cveId,
    },
  };
}

/** What a reporter adds to their report later, trimmed, or what is wrong with it. */
export function validateAddition(
  input: string | null | undefined,
): { ok: true; text: string } | { ok: false; error: string } {
  const added = text(input);
  if (!added) return { ok: false, error: 'Write what you want to add to your report.' };
  if (added.length > LIMITS.addition)
    return {
      ok: false,
      error: `Keep this under ${LIMITS.addition} characters; add the rest in a second addition.`,
    };
  return { ok: true, text: added };
}

/** The fields whose values differ between two reports, for the timeline. */
export function changedFields(before: Report, after: Report): ReportField[] {
  return REPORT_FIELDS.filter((f) => {
    const a = before[f];
    const b = after[f];
    if (a instanceof Date && b instanceof Date) return a.getTime() !== b.getTime();
    return a !== b;
  });
}
