import { nextDeadline, overdueSteps, type StepStatus } from '../domain/deadlines.js';
import { formatAge, type Incident, parseIncidentId } from '../domain/incident.js';
import type { Situation } from '../services/schedule.js';
import type { TimelineEvent } from '../store/incidents.js';
import type { Wired } from '../wiring.js';
import {
  asUser,
  type CliCommand,
  cliConfig,
  EXIT,
  type ParsedArgs,
  parseArgs,
  runCommand,
  UsageError,
  withServices,
} from './command.js';

/** The incident id, the first argument: `SRP-2026-001` (any case). */
export function incidentArg(p: ParsedArgs): string {
  const word = p.positional[0];
  if (word === undefined) throw new UsageError('give the incident id, e.g. SRP-2026-001');
  const id = parseIncidentId(word);
  if (!id) throw new UsageError(`"${word}" is not an incident id; they look like SRP-2026-001`);
  if (p.positional.length > 1) throw new UsageError(`unexpected "${p.positional[1]}"`);
  return id;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
/** `2026-03-10 16:00Z`: a UTC time a person reads at a terminal. */
const when = (d: Date | null | undefined) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')}Z` : '-');

const stepJson = (s: StepStatus) => ({
  step: s.rule.id,
  name: s.rule.name,
  phase: s.rule.phase,
  state: s.state,
  dueAt: iso(s.dueAt),
  ...(s.outcome ? { outcome: { at: iso(s.outcome.at), by: s.outcome.by, reason: s.outcome.reason } } : {}),
  ...(s.moved ? { moved: { by: s.moved.by, at: iso(s.moved.at), reason: s.moved.reason } } : {}),
});

/** What a script reads of an incident: the report without its reporter's contact. */
const incidentJson = (i: Incident) => ({
  id: i.id,
  summary: i.summary,
  phase: i.phase,
  resolution: i.resolution,
  disclosure: i.disclosure,
  arrival: i.arrival,
  components: i.components,
  cveId: i.cveId,
  receivedAt: iso(i.receivedAt),
  publicAt: iso(i.publicAt),
  createdAt: iso(i.createdAt),
  updatedAt: iso(i.updatedAt),
});

function publication(w: Wired, id: string) {
  const d = w.store.advisory.disclosure(id);
  return {
    state: d?.state ?? 'unscheduled',
    targetAt: iso(d?.targetAt),
    publishedAt: iso(d?.publishedAt),
    permalink: d?.permalink ?? null,
  };
}

const STATUS_USAGE = `Usage: srp status [--json] [--as <Slack user id>]

The open incidents, oldest first: id, phase, rating, next deadline, overdue steps, publication, age and
summary, as srp holds them now (the database in DATABASE_URL, read beside the running srp).

  --json       one JSON document for scripts: {"now", "total", "incidents": [...]}
  --as U…      only the incidents that Slack user may see (as /srp status shows them)

Exit status: 0 listed; 1 the database cannot be read; 2 bad input.`;

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'The open incidents with their phase, next deadline and publication',
  usage: STATUS_USAGE,
  run(args, io) {
    return runCommand(this, args, io, async () => {
      const p = parseArgs(args, { json: 'switch', as: 'value' });
      if (p.positional.length > 0) throw new UsageError(`unexpected "${p.positional[0]}"`);
      const who = asUser(p);
      const config = cliConfig(io);
      return withServices(config, (w) => {
        const now = new Date();
        const open =
          who === undefined
            ? w.store.incidents.listOpen()
            : w.access.visibleOpen(who, Number.MAX_SAFE_INTEGER).incidents;
        const rows = open.map((i) => {
          const s = w.schedule.situation(i.id, now, i);
          const next = s ? nextDeadline(s.schedule) : undefined;
          return {
            incident: i,
            rating: s?.rating ?? null,
            next,
            overdue: s ? overdueSteps(s.schedule).length : 0,
            publication: publication(w, i.id),
          };
        });
        if (p.flags.has('json')) {
          io.stdout(
            JSON.stringify({
              now: now.toISOString(),
              total: rows.length,
              incidents: rows.map((r) => ({
                ...incidentJson(r.incident),
                rating: r.rating,
                nextDeadline: r.next
                  ? { step: r.next.rule.id, name: r.next.rule.name, dueAt: iso(r.next.dueAt) }
                  : null,
                overdue: r.overdue,
                publication: r.publication,
                age: formatAge(r.incident.receivedAt, now),
              })),
            }),
          );
          return EXIT.ok;
        }
        if (rows.length === 0) {
          io.stdout('No open incidents.');
          return EXIT.ok;
        }
        const table = [
          ['ID', 'PHASE', 'RATING', 'NEXT DEADLINE', 'OVERDUE', 'PUBLICATION', 'AGE', 'SUMMARY'],
          ...rows.map((r) => [
            r.incident.id,
            r.incident.phase,
            r.rating ?? '-',
            r.next ? `${r.next.rule.name} ${when(r.next.dueAt)}` : '-',
            String(r.overdue),
            `${r.incident.disclosure}, ${r.publication.state}`,
            formatAge(r.incident.receivedAt, now),
            oneLine(r.incident.summary),
          ]),
        ];
        io.stdout(columns(table));
        io.stdout(`\n${rows.length} open incident${rows.length === 1 ? '' : 's'}.`);
        return EXIT.ok;
      });
    });
  },
};

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const SHOW_USAGE = `Usage: srp show <incident id> [--json] [--as <Slack user id>]

One incident in full: the report (without the reporter's contact), roles, severity, publication, every
step with its deadline, and the timeline.

  --json       one JSON document for scripts
  --as U…      only if that Slack user may see the incident (as /srp show)

Exit status: 0 shown; 1 the database cannot be read; 2 bad input (no such incident, not an id).`;

export const showCommand: CliCommand = {
  name: 'show',
  summary: 'One incident in full: roles, severity, steps and timeline',
  usage: SHOW_USAGE,
  run(args, io) {
    return runCommand(this, args, io, async () => {
      const p = parseArgs(args, { json: 'switch', as: 'value' });
      const id = incidentArg(p);
      const who = asUser(p);
      const config = cliConfig(io);
      return withServices(config, (w) => {
        const s = w.schedule.situation(id);
        if (!s) throw new UsageError(`there is no incident ${id}`, true);
        if (who !== undefined && !w.access.canSee(who, id)) {
          throw new UsageError(`${who} may not see ${id}`, true);
        }
        const timeline = w.incidents.timeline(id);
        const pub = publication(w, id);
        if (p.flags.has('json')) {
          io.stdout(JSON.stringify(showJson(s, pub, timeline)));
        } else {
          io.stdout(showText(s, pub, timeline));
        }
        return EXIT.ok;
      });
    });
  },
};

function severityJson(s: Situation) {
  const v = s.severity;
  return {
    rating: s.rating,
    questionnaire: v.questionnaire?.rating ?? null,
    cvss: v.cvss,
    final: v.final
      ? { rating: v.final.rating, reason: v.final.reason, by: v.final.by, at: iso(v.final.at) }
      : null,
    needsFinalCall: v.needsFinalCall,
  };
}

function showJson(s: Situation, pub: ReturnType<typeof publication>, timeline: TimelineEvent[]) {
  const h = s.holders;
  return {
    incident: incidentJson(s.incident),
    roles: { commander: h.commander, fixLead: h.fixLead, fixTeam: h.fixTeam, perIncident: h.perIncident },
    severity: severityJson(s),
    publication: pub,
    steps: s.schedule.steps.map(stepJson),
    timeline: timeline.map((e) => ({
      at: iso(e.at),
      actor: e.actor,
      type: e.type,
      field: e.field,
      oldValue: e.oldValue,
      newValue: e.newValue,
    })),
  };
}

const valueText = (v: unknown) =>
  v === null || v === undefined ? '' : oneLine(typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 120);

function showText(s: Situation, pub: ReturnType<typeof publication>, timeline: TimelineEvent[]): string {
  const i = s.incident;
  const h = s.holders;
  const v = s.severity;
  const lines = [
    `${i.id}  ${oneLine(i.summary)}`,
    '',
    `Phase:        ${i.phase}${i.resolution ? ` (${i.resolution})` : ''}`,
    `Disclosure:   ${i.disclosure}${i.publicAt ? `, public since ${when(i.publicAt)}` : ''}`,
    `Publication:  ${pub.state}${pub.targetAt ? `, target ${when(new Date(pub.targetAt))}` : ''}${pub.publishedAt ? `, published ${when(new Date(pub.publishedAt))}` : ''}${pub.permalink ? ` ${pub.permalink}` : ''}`,
    `Received:     ${when(i.receivedAt)} via ${i.arrival}`,
    `Components:   ${oneLine(i.components)}`,
    `CVE:          ${i.cveId ?? '-'}`,
    `Rating:       ${s.rating ?? '-'}${v.final ? ` (final call${v.final.reason ? `: ${oneLine(v.final.reason)}` : ''})` : ''}`,
    `CVSS:         ${v.cvss ? `${v.cvss.score} ${v.cvss.rating} ${v.cvss.vector}` : '-'}`,
    `Commander:    ${h.commander ?? '-'}`,
    `Fix Lead:     ${h.fixLead ?? '-'}`,
    `Fix Team:     ${h.fixTeam.length ? h.fixTeam.join(', ') : '-'}`,
    '',
    'Steps:',
    ...s.schedule.steps.map((st) => {
      const out = st.outcome ? ` ${st.state} ${when(st.outcome.at)} by ${st.outcome.by}` : ` ${st.state}`;
      const moved = st.moved ? ` (moved by ${st.moved.by}: ${oneLine(st.moved.reason)})` : '';
      return `  ${st.rule.name}: due ${when(st.dueAt)},${out}${moved}`;
    }),
    '',
    'Timeline:',
    ...timeline.map((e) => {
      const change =
        e.field !== null ? ` ${e.field}: ${valueText(e.oldValue)} -> ${valueText(e.newValue)}` : '';
      return `  ${when(e.at)}  ${e.actor}  ${e.type}${change}`;
    }),
  ];
  return lines.join('\n');
}
