import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { AdvisoryRecord } from './advisory.js';
import { escapeMarkdown, escapeSlack, escapeUrl, oneLine } from './escape.js';
import {
  TEMPLATE_FIELDS,
  TEXTS,
  type TemplateField,
  type TemplateSet,
  type TextId,
  type TextKind,
} from './templates.js';

/**
 * Every disclosure text rendered from the advisory record, the severity assessment, the target time and
 * the project's configuration. Pure: the same inputs give the same texts and the same hash.
 *
 * User text is escaped for each text's kind before it is rendered (escape.ts); a field a text needs
 * that is empty is rendered as a visible `[missing: …]` marker and listed in the text's `missing` (in
 * words a person reads), never as a blank or `undefined`. A text with missing fields cannot be approved.
 */

/** The project's own names and addresses (SRP_PROJECT_NAME, ...); see config.ts. */
export interface ProjectInfo {
  name: string;
  /** `owner/name` on GitHub. */
  repo: string;
  securityEmail: string | undefined;
  signer: string | undefined;
  announceTo: readonly string[];
  ossSecurityTo: string;
  distributorsEmail: string | undefined;
}

/** What the severity assessment holds (store/severity.ts's row, the fields the texts read). */
export interface SeverityFacts {
  finalRating: string | null;
  cvssVector: string | null;
  cvssVersion: string | null;
  /** Tenths (88 = 8.8), as stored. */
  cvssScore: number | null;
}

export interface TextsInput {
  incidentId: string;
  /** The process followed (`src`, `pst2018`): the forthcoming fix email is the 2018 process's only. */
  profileId: string;
  record: AdvisoryRecord;
  severity: SeverityFacts | undefined;
  /** The announcement's target time, if chosen. */
  targetAt: Date | null;
  project: ProjectInfo;
  /** Names to credit when the record names none (the Fix Team and release managers srp knows). */
  fixTeamNames?: string | undefined;
  releaseManagerNames?: string | undefined;
}

export interface RenderedText {
  id: TextId;
  /** What the text is, for a person ("Announcement email"). */
  title: string;
  /** The email's subject or the issue's title. */
  subject?: string;
  to?: string;
  cc?: string;
  body: string;
  /** What the text needs and the record lacks, in readable labels; empty when it is complete. */
  missing: string[];
}

const PACIFIC = 'America/Los_Angeles';
const CALCULATOR: Record<string, string> = {
  '3.0': 'https://www.first.org/cvss/calculator/3.0',
  '3.1': 'https://www.first.org/cvss/calculator/3.1',
  '4.0': 'https://www.first.org/cvss/calculator/4.0',
};

/** The embargo of a target time: the day in Pacific time, 9AM PT that day in UTC, and a flag if they differ. */
export function embargoOf(targetAt: Date) {
  const pt = DateTime.fromJSDate(targetAt, { zone: PACIFIC }).setLocale('en-US');
  const nine = pt.set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  const utc = (d: DateTime) => d.toUTC().toFormat("yyyy-MM-dd HH:mm 'UTC'");
  const targetPacific = pt.toFormat('h:mm a ZZZZ');
  const isNinePT = pt.hour === 9 && pt.minute === 0;
  return {
    date: pt.toFormat('cccc, LLLL d, yyyy'),
    time: `9:00 AM ${nine.toFormat('ZZZZ')}`,
    utc: utc(nine),
    targetUtc: utc(pt),
    targetPacific,
    isNinePT,
    flag: isNinePT
      ? null
      : `Note: the announcement is planned for ${utc(pt)}, which is ${targetPacific} on that day, not 9AM PT; 9AM PT is ${utc(nine)}.`,
  };
}

const list = (items: string[]) =>
  new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(items);
const text = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);

/** The field values for one kind of text, escaped for it; null where the record or config has nothing. */
function fieldValues(input: TextsInput, kind: TextKind): Record<TemplateField, string | null> {
  const esc = kind === 'slack' ? escapeSlack : escapeMarkdown;
  const e = (s: string | null | undefined) => {
    const t = text(s);
    return t === null ? null : esc(t);
  };
  const url = (s: string | null | undefined) => {
    const t = text(s);
    return t === null ? null : escapeUrl(kind, t);
  };
  const r = input.record;
  const components = [...new Set(r.affected.map((a) => a.component))];
  const range = (a: AdvisoryRecord['affected'][number]) =>
    [a.introduced ? `>= ${esc(a.introduced)}` : null, a.fixed ? `< ${esc(a.fixed)}` : '(no fix yet)']
      .filter(Boolean)
      .join(kind === 'slack' ? ' ' : ', ');
  const fixed = r.affected.filter((a) => a.fixed);
  const lines = (xs: string[]) => (xs.length === 0 ? null : xs.join('\n'));
  const inline = (xs: string[]) => (xs.length === 0 ? null : xs.join(', '));
  const sev = input.severity;
  const version = sev?.cvssVector
    ? (sev.cvssVersion ?? /^CVSS:(\d\.\d)/.exec(sev.cvssVector)?.[1] ?? null)
    : null;
  const calculator =
    sev?.cvssVector && version && CALCULATOR[version] ? `${CALCULATOR[version]}#${sev.cvssVector}` : null;
  const embargo = input.targetAt ? embargoOf(input.targetAt) : null;
  const p = input.project;
  return {
    'incident.id': input.incidentId,
    summary: e(r.summary),
    cve: e(r.cveId),
    actor: e(r.actor),
    doSomething: e(r.doSomething),
    vulnerable: e(r.vulnerable),
    condition: e(r.condition),
    components: components.length ? list(components.map(esc)) : null,
    areaLabels: lines(components.map((c) => `/area ${esc(c.replace(/\s+/g, '-'))}`)),
    affectedVersions:
      kind === 'slack'
        ? inline(r.affected.map((a) => `${esc(a.component)} ${range(a)}`))
        : lines(r.affected.map((a) => `- ${esc(a.component)} ${range(a)}`)),
    fixedVersions:
      kind === 'slack'
        ? inline(fixed.map((a) => `${esc(a.component)} ${esc(a.fixed ?? '')}`))
        : lines(fixed.map((a) => `- ${esc(a.component)} ${esc(a.fixed ?? '')}`)),
    fixedVersionsWithPrs: lines(
      fixed.map(
        (a) => `- ${esc(a.component)} ${esc(a.fixed ?? '')}${a.pr ? ` (fixed by ${esc(a.pr)})` : ''}`,
      ),
    ),
    mitigation: e(r.mitigation),
    actionRequired: e(r.actionRequired),
    fixImpact: e(r.fixImpact),
    detection: e(r.detection),
    additionalDetails: e(r.additionalDetails),
    reporter: e(r.reporterCredit),
    fixTeam: e(r.fixTeamCredit ?? input.fixTeamNames),
    releaseManagers: e(r.releaseManagersCredit ?? input.releaseManagerNames),
    trackingIssue: url(r.trackingIssue),
    cwe: e(r.cwe),
    patchDeployable: e(r.patchDeployable),
    severity: e(sev?.finalRating),
    'cvss.vector': e(sev?.cvssVector),
    'cvss.version': version,
    'cvss.score': sev?.cvssVector && sev.cvssScore != null ? (sev.cvssScore / 10).toFixed(1) : null,
    'cvss.calculatorUrl': url(calculator),
    'target.utc': embargo?.targetUtc ?? null,
    'target.pacific': embargo?.targetPacific ?? null,
    'embargo.date': embargo?.date ?? null,
    'embargo.time': embargo?.time ?? null,
    'embargo.utc': embargo?.utc ?? null,
    'embargo.flag': embargo?.flag ?? null,
    'project.name': e(p.name),
    'project.repo': e(p.repo),
    'project.securityEmail': e(p.securityEmail),
    'project.signer': e(p.signer),
    'emails.announce': p.announceTo.length ? esc(p.announceTo.join(', ')) : null,
    'emails.ossSecurity': e(p.ossSecurityTo),
    'emails.distributors': e(p.distributorsEmail),
  };
}

/** The nested object a template reads (`cvss.vector` → `{ cvss: { vector } }`). */
function nest(values: Record<string, string | null>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    const parts = path.split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) {
      at[part] ??= {};
      at = at[part] as Record<string, unknown>;
    }
    at[parts.at(-1) as string] = value;
  }
  return out;
}

/** The texts that apply under a process: the forthcoming fix email is the 2018 process's only. */
export function textsFor(profileId: string) {
  return TEXTS.filter((t) => t.profiles === 'all' || (t.profiles as readonly string[]).includes(profileId));
}

/** Every text of the incident's process, rendered; in the order the drafts show them. */
export function renderTexts(templates: TemplateSet, input: TextsInput): RenderedText[] {
  const byKind = {
    slack: fieldValues(input, 'slack'),
    markdown: fieldValues(input, 'markdown'),
  };
  return textsFor(input.profileId).flatMap((t) => {
    const compiled = templates.texts.find((c) => c.id === t.id);
    if (!compiled) return [];
    const values = { ...byKind[t.kind] };
    const missingFields = compiled.needs.filter((f) => values[f] === null);
    const missing = [...new Set(missingFields.map((f) => TEMPLATE_FIELDS[f]))];
    for (const f of missingFields) values[f] = `[missing: ${TEMPLATE_FIELDS[f]}]`;
    const context = nest(values);
    const header = (name: 'Title' | 'Subject' | 'To' | 'Cc') => {
      const h = compiled.headers[name];
      return h ? oneLine(h(context)).trim() : undefined;
    };
    const subject = header('Subject') ?? header('Title');
    const to = header('To');
    const cc = header('Cc');
    const body = compiled
      .body(context)
      .replace(/\n{3,}/g, '\n\n')
      .replace(/\s+$/, '\n');
    return [
      {
        id: t.id,
        title: t.title,
        ...(subject !== undefined ? { subject } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(cc !== undefined ? { cc } : {}),
        body: t.kind === 'slack' ? body.trim() : body,
        missing,
      },
    ];
  });
}

/** "the Slack line (#announcements) needs: CVE, fixed versions", or undefined when it needs nothing. */
export function missingSentence(t: RenderedText): string | undefined {
  if (t.missing.length === 0) return undefined;
  // "the Slack line", "the announcement email": a proper name keeps its capital.
  const name = t.title.startsWith('Slack')
    ? t.title
    : `${t.title.charAt(0).toLowerCase()}${t.title.slice(1)}`;
  return `the ${name} needs: ${t.missing.join(', ')}`;
}

/** JSON with its keys in order, so equal texts always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 over the canonical JSON of every text's id, recipients, subject and body: what an approval is of. */
export function textsHash(texts: readonly RenderedText[]): string {
  const content = texts.map((t) => ({ id: t.id, subject: t.subject, to: t.to, cc: t.cc, body: t.body }));
  return createHash('sha256').update(canonical(content)).digest('hex');
}
