import { isOpenStep, type Schedule, type StepStatus } from './deadlines.js';
import type { AdvisoryRecord } from './disclosure/advisory.js';
import type { Incident } from './incident.js';
import { PER_ISSUE_ROLE_NAME } from './owners.js';
import { PHASE_NAME, PHASES, type Phase } from './phases.js';
import type { PhaseRules, StepRule } from './profiles/types.js';
import { ARRIVAL_CHANNELS } from './report.js';

/**
 * The retrospective's draft, built from what srp recorded and never retyped: who was involved and for how
 * long, the timeline of key events, each phase against the process's window, every deadline moved and why,
 * the severity assessments and the final call, the distributors' notice lead times, the links recorded and
 * the critiques people added. Blameless by construction: it states durations and decisions, never who was
 * slow. Pure: the service reads the facts, the views render the result (Markdown, Block Kit).
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * A piece of a line: srp's own words (safe to show as they are), a person (rendered as a mention or a
 * name), text someone typed (escaped where shown), a time, or a link.
 */
export type Seg = string | { user: string } | { typed: string } | { at: Date } | { link: string };
export type Line = Seg[];

/** One timeline event as the store keeps it. */
export interface RetroEvent {
  at: Date;
  actor: string;
  type: string;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
}

export interface RetroInput {
  incident: Incident;
  rules: PhaseRules;
  schedule: Schedule;
  timeline: readonly RetroEvent[];
  /** Role tenures (commander, Fix Lead, the 2018 roles), oldest first. */
  tenures: readonly { role: string; userId: string; from: Date; to: Date | null; reason: string | null }[];
  /** Every approval of the disclosure texts, standing or voided by a later edit. */
  approvals: readonly { version: number; approvedBy: string; approvedAt: Date; voidedAt: Date | null }[];
  advisory?: AdvisoryRecord | undefined;
  disclosure?: { publishedAt: Date | null; permalink: string | null } | undefined;
  notices: readonly { notice: 'advance' | 'release_day'; sentAt: Date; sentBy: string; via: string }[];
  feedback: readonly { author: string; text: string; at: Date }[];
  /** The process's minimum notice of each distributor notice (its step's deadline before the release). */
  noticeSteps?: { advance: string; releaseDay: string | null };
}

export interface Person {
  role: string;
  who: Seg;
  line: Line;
}

export type PhaseVerdict = 'met' | 'outside' | 'open' | 'skipped';

export interface PhaseRow {
  phase: Phase;
  name: string;
  /** What its window counts from. */
  origin: 'disclosure' | 'release';
  window: string;
  verdict: PhaseVerdict;
  /** Finished this long after (negative: before) its origin; undefined while open. */
  tookMs?: number;
  text: string;
}

export interface MovedDeadline {
  step: string;
  name: string;
  by: string;
  at: Date;
  from: Date | null;
  to: Date;
  reason: string;
}

export interface NoticeLead {
  notice: 'advance' | 'release_day';
  name: string;
  sentAt: Date;
  sentBy: string;
  /** How long before the announcement it was sent (negative: after); undefined before publication. */
  leadMs?: number;
  /** The process's minimum notice, when it sets one. */
  minimumMs?: number;
  text: string;
}

export interface Retrospective {
  incidentId: string;
  title: string;
  receivedAt: Date;
  publishedAt: Date | null;
  people: Person[];
  timeline: Array<{ at: Date; line: Line }>;
  phases: PhaseRow[];
  moved: MovedDeadline[];
  severity: { assessments: Array<{ at: Date; line: Line }>; final: Line | null };
  notices: NoticeLead[];
  links: Array<{ label: string; url: string }>;
  critiques: Array<{ author: string; at: Date; text: string }>;
}

/** "3 d 4 h", "5 h 12 min", "40 min": coarse enough to read, exact enough to compare with a window. */
export function formatDuration(ms: number): string {
  const total = Math.round(Math.abs(ms) / MINUTE_MS);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

const ORIGIN_NAME = { disclosure: 'the report', release: 'the release' } as const;

/** A window in days from its origin, as people say it: "1-7 d after the report", "7-14 d before the release". */
export function windowText(opens: number, due: number, origin: 'disclosure' | 'release'): string {
  const o = ORIGIN_NAME[origin];
  if (opens >= 0 && due > 0) return opens === 0 ? `within ${due} d of ${o}` : `${opens}-${due} d after ${o}`;
  if (due <= 0 && opens < 0) {
    return due === 0 ? `from ${-opens} d before ${o} to its day` : `${-due}-${-opens} d before ${o}`;
  }
  const rel = (d: number) => (d < 0 ? `${-d} d before` : d === 0 ? 'the day of' : `${d} d after`);
  return `from ${rel(opens)} to ${rel(due)} ${o}`;
}

/** When a step srp sees done by a fact (no one pressed Done) was done: the fact's first event. */
function autoDoneAt(rule: StepRule, input: RetroInput): Date | undefined {
  if (rule.done === 'by_person') return undefined;
  const first = (type: string, field?: string) =>
    input.timeline.find((e) => e.type === type && (field === undefined || e.field === field))?.at;
  const last = (type: string) => input.timeline.filter((e) => e.type === type).at(-1)?.at;
  switch (rule.done.auto) {
    case 'fix_team_added':
      return first('fix_team_added');
    case 'cvss_scored':
      return first('cvss_scored');
    case 'final_rating':
      return last('severity_final');
    case 'cve_assigned':
      return first('field_changed', 'cveId') ?? (input.incident.cveId ? input.incident.createdAt : undefined);
    case 'published':
      return input.disclosure?.publishedAt ?? undefined;
  }
}

function finishedAt(step: StepStatus, input: RetroInput): Date | undefined {
  return step.outcome?.at ?? autoDoneAt(step.rule, input);
}

/** Each phase of the process (per origin its steps count from) against its window. */
function phaseRows(input: RetroInput): PhaseRow[] {
  const rows: PhaseRow[] = [];
  const origins = {
    disclosure: input.incident.receivedAt,
    release: input.disclosure?.publishedAt ?? input.schedule.releaseAt,
  };
  for (const phase of PHASES) {
    for (const from of ['disclosure', 'release'] as const) {
      const steps = input.schedule.steps.filter(
        (s) => s.rule.phase === phase && s.rule.due.from === from && s.state !== 'not_applicable',
      );
      if (steps.length === 0) continue;
      const opens = Math.min(...steps.map((s) => s.rule.due.opensDays ?? 0));
      const due = Math.max(...steps.map((s) => s.rule.due.days));
      const window = windowText(opens, due, from);
      const name = PHASE_NAME[phase];
      const origin = origins[from];
      const open = steps.filter((s) => s.state !== 'done' && s.state !== 'skipped');
      const base = { phase, name, origin: from, window };
      if (open.length > 0) {
        rows.push({
          ...base,
          verdict: 'open',
          text: `Not finished when this was drawn: ${open.map((s) => s.rule.name).join(', ')} open (window ${window}).`,
        });
        continue;
      }
      if (steps.every((s) => s.state === 'skipped')) {
        rows.push({ ...base, verdict: 'skipped', text: `Skipped (window ${window}).` });
        continue;
      }
      const times = steps.flatMap((s) => {
        const t = finishedAt(s, input);
        return t ? [t.getTime()] : [];
      });
      if (times.length === 0) {
        rows.push({ ...base, verdict: 'met', text: `Done; srp saw no time for it (window ${window}).` });
        continue;
      }
      const end = Math.max(...times);
      const tookMs = end - origin.getTime();
      const deadline = origin.getTime() + due * DAY_MS;
      const verdict: PhaseVerdict = end <= deadline ? 'met' : 'outside';
      const took =
        tookMs >= 0
          ? `${formatDuration(tookMs)} after ${ORIGIN_NAME[from]}`
          : `${formatDuration(tookMs)} before ${ORIGIN_NAME[from]}`;
      rows.push({
        ...base,
        verdict,
        tookMs,
        text: verdict === 'met' ? `Met: done ${took} (window ${window}).` : `Took ${took}, window ${window}.`,
      });
    }
  }
  return rows;
}

const ROLE_NAME: Record<string, string> = {
  commander: 'Incident commander',
  fix_lead: 'Fix Lead',
  ...PER_ISSUE_ROLE_NAME,
};

/** From `from` to `to` (or "until now"), and how long. */
function tenure(from: Date, to: Date | null): Line {
  return to
    ? [{ at: from }, ' to ', { at: to }, ` (${formatDuration(to.getTime() - from.getTime())})`]
    : ['since ', { at: from }];
}

function people(input: RetroInput): Person[] {
  const out: Person[] = [];
  for (const t of input.tenures) {
    out.push({
      role: ROLE_NAME[t.role] ?? t.role,
      who: { user: t.userId },
      line: [...tenure(t.from, t.to), ...(t.reason ? [': ', { typed: t.reason }] : [])],
    });
  }
  // The Fix Team from its timeline: each seat from when it was added to when it was removed.
  const seats = new Map<string, { from: Date; to: Date | null; by: string }[]>();
  for (const e of input.timeline) {
    if (e.type === 'fix_team_added' && typeof e.newValue === 'string') {
      seats.set(e.newValue, [...(seats.get(e.newValue) ?? []), { from: e.at, to: null, by: e.actor }]);
    }
    if (e.type === 'fix_team_removed' && typeof e.oldValue === 'string') {
      const open = seats.get(e.oldValue)?.find((s) => s.to === null);
      if (open) open.to = e.at;
    }
  }
  for (const [userId, list] of seats) {
    for (const s of list) {
      out.push({ role: 'Fix Team', who: { user: userId }, line: [...tenure(s.from, s.to)] });
    }
  }
  const approvers = new Map<string, { at: Date; version: number; standing: boolean }>();
  for (const a of input.approvals) {
    const before = approvers.get(a.approvedBy);
    if (!before || a.approvedAt > before.at) {
      approvers.set(a.approvedBy, { at: a.approvedAt, version: a.version, standing: a.voidedAt === null });
    }
  }
  for (const [userId, a] of approvers) {
    out.push({
      role: 'Approved the texts',
      who: { user: userId },
      line: [`version ${a.version}, `, { at: a.at }, ...(a.standing ? [] : [' (voided by a later edit)'])],
    });
  }
  for (const n of input.notices) {
    out.push({
      role: 'Told the distributors',
      who: { user: n.sentBy },
      line: [`${noticeName(n.notice)}, `, { at: n.sentAt }],
    });
  }
  const credit = input.advisory?.reporterCredit;
  out.push({
    role: 'Reporter',
    who: credit ? { typed: credit } : 'not credited',
    line: [
      credit ? 'as credited in the advisory record' : 'no credit in the advisory record',
      `; arrived via ${ARRIVAL_CHANNELS[input.incident.arrival]}`,
    ],
  });
  if (input.advisory?.fixTeamCredit) {
    out.push({
      role: 'Fix Team credit',
      who: { typed: input.advisory.fixTeamCredit },
      line: ['as published'],
    });
  }
  if (input.advisory?.releaseManagersCredit) {
    out.push({
      role: 'Release managers credit',
      who: { typed: input.advisory.releaseManagersCredit },
      line: ['as published'],
    });
  }
  return out;
}

const noticeName = (n: 'advance' | 'release_day') =>
  n === 'advance' ? 'advance notice' : 'release-day notice';

const stepName = (rules: PhaseRules, id: string | null, fallback: unknown): string => {
  const v = fallback as { step?: unknown } | null;
  if (v && typeof v.step === 'string') return v.step;
  return rules.steps.find((s) => s.id === id)?.name ?? id ?? 'a step';
};

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A timeline event as a line of the retrospective, or undefined for events it leaves out (edits of fields). */
function eventLine(e: RetroEvent, input: RetroInput): Line | undefined {
  const by: Seg = e.actor === 'srp' ? 'srp' : { user: e.actor };
  const v = obj(e.newValue);
  const reason = (r: unknown): Line => (str(r) ? [': ', { typed: str(r) as string }] : []);
  switch (e.type) {
    case 'created':
      return ['Report filed in srp by ', by];
    case 'role_changed': {
      const user = typeof e.newValue === 'string' ? e.newValue : str(v.userId);
      if (!user) return undefined;
      return [
        { user },
        ` became ${ROLE_NAME[e.field ?? ''] ?? e.field}`,
        ...(e.actor !== user ? [' (', by, ')'] : []),
        ...reason(v.reason),
      ];
    }
    case 'fix_team_added':
      return typeof e.newValue === 'string' ? [{ user: e.newValue }, ' joined the Fix Team'] : undefined;
    case 'fix_team_removed':
      return typeof e.oldValue === 'string' ? [{ user: e.oldValue }, ' left the Fix Team'] : undefined;
    case 'phase_changed':
    case 'reopened': {
      const to = str(v.phase) as Phase | undefined;
      const from = str(e.oldValue) as Phase | undefined;
      if (!to) return undefined;
      return [
        `${e.type === 'reopened' ? 'Reopened' : 'Moved'} from ${PHASE_NAME[from as Phase] ?? from} to ${PHASE_NAME[to] ?? to} by `,
        by,
        ...reason(v.reason),
      ];
    }
    case 'closed':
      return ['Closed', str(v.resolution) ? ` as ${str(v.resolution)}` : '', ' by ', by, ...reason(v.reason)];
    case 'made_public':
      return [
        'Marked public by ',
        by,
        ...(str(v.where) ? [': seen in ', { typed: str(v.where) as string }] : []),
      ];
    case 'severity_assessed':
      return ['Questionnaire rated it ', `${str(v.rating) ?? '?'}`, ' (', by, ')'];
    case 'cvss_scored':
      return [
        `CVSS ${str(v.version) ?? ''} ${typeof v.score === 'number' ? v.score.toFixed(1) : '?'} (${str(v.rating) ?? '?'}) `,
        ...(str(v.vector) ? [{ typed: str(v.vector) as string }, ' '] : []),
        'scored by ',
        by,
      ];
    case 'severity_disputed':
      return [
        `The questionnaire (${str(v.questionnaire) ?? '?'}) and CVSS (${str(v.cvss) ?? '?'}) disagreed`,
      ];
    case 'severity_final':
      return [`Rated ${str(v.rating) ?? '?'} by `, by, ...reason(v.reason)];
    case 'deadline_moved':
      return [
        `Deadline of ${stepName(input.rules, e.field, e.newValue)} moved`,
        ...(typeof e.oldValue === 'number' ? [' from ', { at: new Date(e.oldValue) }] : []),
        ...(typeof v.due === 'number' ? [' to ', { at: new Date(v.due) }] : []),
        ' by ',
        by,
        ...reason(v.reason),
      ];
    case 'advisory_created':
      return ['Advisory record first saved by ', by];
    case 'approved':
      return [`Disclosure texts (version ${String(v.version ?? '?')}) approved by `, by];
    case 'approvals_voided':
      return ['Approvals voided by an edit of the advisory record (', by, ')'];
    case 'disclosure_scheduled':
      return [
        'Announcement scheduled',
        ...(typeof v.at === 'number' ? [' for ', { at: new Date(v.at) }] : []),
        ' by ',
        by,
        ...(str(v.override) ? [': rule overridden: ', { typed: str(v.override) as string }] : []),
      ];
    case 'announcement_cancelled':
      return ['Announcement schedule cancelled by ', by, ...reason(v.reason ?? e.newValue)];
    case 'distributor_notice_sent':
      return [
        `Distributors sent the ${noticeName(e.field === 'advance' ? 'advance' : 'release_day')} by `,
        by,
      ];
    case 'published':
      return [
        'Announcement published',
        ...(str(v.permalink) ? [': ', { link: str(v.permalink) as string }] : []),
      ];
    case 'step_done':
      return [`${stepName(input.rules, e.field, e.newValue)} marked done by `, by];
    case 'step_skipped':
      return [`${stepName(input.rules, e.field, e.newValue)} skipped by `, by, ...reason(v.reason)];
    default:
      return undefined;
  }
}

/** Events at the time they describe: the publication at the announcement's own time. */
const eventTime = (e: RetroEvent) => {
  if (e.type === 'published') {
    const at = obj(e.newValue).at;
    if (typeof at === 'number') return new Date(at);
  }
  return e.at;
};

function linksOf(input: RetroInput): Array<{ label: string; url: string }> {
  const a = input.advisory;
  const links: Array<{ label: string; url: string }> = [];
  if (a?.introducedBy) links.push({ label: 'Introduced by', url: a.introducedBy });
  for (const r of a?.affected ?? []) {
    if (r.pr) links.push({ label: `Fix for ${r.component}${r.fixed ? ` ${r.fixed}` : ''}`, url: r.pr });
  }
  if (a?.trackingIssue) links.push({ label: 'Tracking issue', url: a.trackingIssue });
  if (input.disclosure?.permalink) links.push({ label: 'Announcement', url: input.disclosure.permalink });
  const cve = a?.cveId ?? input.incident.cveId;
  if (cve) links.push({ label: 'CVE', url: `https://www.cve.org/CVERecord?id=${cve}` });
  if (input.incident.publicLink)
    links.push({ label: 'Where it became public', url: input.incident.publicLink });
  return links;
}

function noticeLeads(input: RetroInput): NoticeLead[] {
  const published = input.disclosure?.publishedAt ?? null;
  return input.notices.map((n) => {
    const stepId = n.notice === 'advance' ? input.noticeSteps?.advance : input.noticeSteps?.releaseDay;
    const rule = stepId ? input.rules.steps.find((s) => s.id === stepId) : undefined;
    const minimumMs =
      rule && rule.due.from === 'release' && rule.due.days < 0 ? -rule.due.days * DAY_MS : undefined;
    const leadMs = published ? published.getTime() - n.sentAt.getTime() : undefined;
    const name = noticeName(n.notice);
    let text: string;
    if (leadMs === undefined) text = `${name} sent; not published yet.`;
    else if (leadMs < 0) text = `${name} sent ${formatDuration(leadMs)} after the announcement.`;
    else {
      const min =
        minimumMs !== undefined ? `; the process asks for at least ${formatDuration(minimumMs)}` : '';
      text = `${name} sent ${formatDuration(leadMs)} before the announcement${min}.`;
    }
    return {
      notice: n.notice,
      name,
      sentAt: n.sentAt,
      sentBy: n.sentBy,
      ...(leadMs !== undefined ? { leadMs } : {}),
      ...(minimumMs !== undefined ? { minimumMs } : {}),
      text: text.charAt(0).toUpperCase() + text.slice(1),
    };
  });
}

/**
 * The steps after the release (counted from it, due after it: removing the Fix Team, publishing the CVE
 * record, closing the tracking issue, the retrospective) still open. Published with none open, an incident
 * is complete and may close as fixed.
 */
export function openAfterRelease(s: Schedule): StepStatus[] {
  return s.steps.filter((x) => x.rule.due.from === 'release' && x.rule.due.days > 0 && isOpenStep(x));
}

/** The retrospective's draft from the incident's records. */
export function buildRetrospective(input: RetroInput): Retrospective {
  const timeline: Array<{ at: Date; line: Line }> = [
    {
      at: input.incident.receivedAt,
      line: [`Report received via ${ARRIVAL_CHANNELS[input.incident.arrival]}`],
    },
  ];
  for (const e of input.timeline) {
    const line = eventLine(e, input);
    if (line) timeline.push({ at: eventTime(e), line });
  }
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime());

  const moved: MovedDeadline[] = input.timeline
    .filter((e) => e.type === 'deadline_moved')
    .map((e) => {
      const v = obj(e.newValue);
      return {
        step: e.field ?? '',
        name: stepName(input.rules, e.field, e.newValue),
        by: e.actor,
        at: e.at,
        from: typeof e.oldValue === 'number' ? new Date(e.oldValue) : null,
        to: new Date(typeof v.due === 'number' ? v.due : e.at.getTime()),
        reason: str(v.reason) ?? '',
      };
    });

  const assessments = input.timeline
    .filter((e) => ['severity_assessed', 'cvss_scored', 'severity_disputed'].includes(e.type))
    .flatMap((e) => {
      const line = eventLine(e, input);
      return line ? [{ at: e.at, line }] : [];
    });
  const finalEvent = input.timeline.filter((e) => e.type === 'severity_final').at(-1);
  const final = finalEvent ? (eventLine(finalEvent, input) ?? null) : null;

  return {
    incidentId: input.incident.id,
    title: input.advisory?.summary ?? input.incident.summary,
    receivedAt: input.incident.receivedAt,
    publishedAt: input.disclosure?.publishedAt ?? null,
    people: people(input),
    timeline,
    phases: phaseRows(input),
    moved,
    severity: { assessments, final },
    notices: noticeLeads(input),
    links: linksOf(input),
    critiques: input.feedback.map((f) => ({ author: f.author, at: f.at, text: f.text })),
  };
}

/** How each piece reads outside Slack: people by name (or their id), times in UTC. */
export interface MarkdownOptions {
  name?: (userId: string) => string;
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Typed text in Markdown: kept on one line, with Markdown's own markup characters escaped. */
const mdText = (s: string) => s.replace(/\s+/g, ' ').replace(/([\\`*_[\]<>#|])/g, '\\$1');

/** A web link as an autolink; anything else typed (`#123`, a commit id) as text. */
const mdLink = (url: string) => (/^https?:\/\/\S+$/.test(url) ? `<${url}>` : mdText(url));

function mdLine(line: Line, o: MarkdownOptions): string {
  const name = o.name ?? ((u: string) => `@${u}`);
  return line
    .map((s) => {
      if (typeof s === 'string') return s;
      if ('user' in s) return name(s.user);
      if ('typed' in s) return mdText(s.typed);
      if ('at' in s) return utc(s.at);
      return mdLink(s.link);
    })
    .join('');
}

/** The draft as Markdown: for the mailing list, and `--format retro-md`. */
export function retrospectiveMarkdown(r: Retrospective, o: MarkdownOptions = {}): string {
  const name = o.name ?? ((u: string) => `@${u}`);
  const out: string[] = [];
  out.push(`# Retrospective: ${r.incidentId}: ${mdText(r.title)}`, '');
  out.push(
    `Received ${utc(r.receivedAt)}${r.publishedAt ? `; published ${utc(r.publishedAt)}` : '; not published yet'}. This retrospective is blameless: it records durations and decisions.`,
    '',
  );
  out.push('## Who was involved', '');
  for (const p of r.people) out.push(`- ${p.role}: ${mdLine([p.who], o)}, ${mdLine(p.line, o)}`);
  out.push('', '## Timeline', '');
  for (const t of r.timeline) out.push(`- ${utc(t.at)}: ${mdLine(t.line, o)}`);
  out.push('', '## Phases against the process windows', '');
  out.push('| Phase | Window | Outcome |', '| --- | --- | --- |');
  for (const p of r.phases) out.push(`| ${p.name} | ${p.window} | ${p.text} |`);
  out.push('', '## Deadlines moved', '');
  if (r.moved.length === 0) out.push('None.');
  for (const m of r.moved) {
    out.push(
      `- ${m.name}: ${m.from ? `from ${utc(m.from)} ` : ''}to ${utc(m.to)}, by ${name(m.by)} on ${utc(m.at)}: ${mdText(m.reason) || 'no reason recorded'}`,
    );
  }
  out.push('', '## Severity', '');
  if (r.severity.assessments.length === 0) out.push('- No assessment recorded.');
  for (const a of r.severity.assessments) out.push(`- ${utc(a.at)}: ${mdLine(a.line, o)}`);
  out.push(`- Final call: ${r.severity.final ? mdLine(r.severity.final, o) : 'none recorded'}`);
  out.push('', '## Distributor notices', '');
  if (r.notices.length === 0) out.push('None recorded.');
  for (const n of r.notices) out.push(`- ${n.text} (sent ${utc(n.sentAt)} by ${name(n.sentBy)})`);
  out.push('', '## Links', '');
  if (r.links.length === 0) out.push('None recorded.');
  for (const l of r.links) out.push(`- ${l.label}: ${mdLink(l.url)}`);
  out.push('', '## Critiques', '');
  if (r.critiques.length === 0) out.push('None yet.');
  for (const c of r.critiques) out.push(`- ${name(c.author)} (${utc(c.at)}): ${mdText(c.text)}`);
  return `${out.join('\n')}\n`;
}
