import type { Clock } from '../clock.js';
import type { AdvisoryRecord } from '../domain/disclosure/advisory.js';
import {
  type FormErrors,
  type FormValues,
  mergeRecord,
  recordFromValues,
  sameRecord,
  valuesFromReport,
  valuesOf,
} from '../domain/disclosure/form.js';
import { type AdvisorySavedPayload, afterEventKeys, NotYet, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AdvisoryStore } from '../store/advisory.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import { advisoryChangedReply, type DisclosureForm } from '../views/disclosureModal.js';
import { type Done, done, refused } from './result.js';
import type { ScheduleService, Situation } from './schedule.js';

/** How long a reply waits when the card it goes under is not posted yet. */
const CARD_WAIT_MS = 60_000;

/** A save's answer: done (or refused), or the problems to show beside the fields of the form. */
export type SaveDone = Done & { errors?: FormErrors };

/**
 * The advisory record: who may edit it (the incident's commander and its Fix Lead: the process gives the
 * disclosure to the Fix Lead, the commander runs the incident; a member who needs to edit it takes one of
 * the two roles, with a reason on the timeline), the form's first values, and saving a version. A save
 * that changes anything voids the standing approvals (the store, in its transaction) and takes a
 * scheduled announcement back (here, in the same transaction): the disclosure is unscheduled under a new
 * generation and Slack's scheduled message is deleted by due work; the card's thread says so.
 */
export function disclosureService(deps: {
  advisory: AdvisoryStore;
  schedule: Pick<ScheduleService, 'situation'>;
  dueWork: DueWorkStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
}) {
  const { advisory, clock } = deps;

  /** The incident and why `actor` may not edit its record, if they may not. */
  function check(actor: string, incidentId: string): { s?: Situation; problem?: string } {
    const s = deps.schedule.situation(incidentId);
    if (!s) return { problem: `There is no incident ${incidentId}.` };
    const { commander, fixLead } = s.holders;
    if (actor === commander || actor === fixLead) return { s };
    const who = [
      ...(commander ? [`its incident commander (<@${commander}>)`] : []),
      ...(fixLead ? [`its Fix Lead (<@${fixLead}>)`] : []),
    ];
    return {
      s,
      problem: `Only ${incidentId}'s incident commander or Fix Lead can edit its advisory record${
        who.length ? `: ${who.join(' or ')}` : ''
      }. To take one of the roles: \`/srp fixlead ${incidentId} take <reason>\` or \`/srp ic ${incidentId} take <reason>\`.`,
    };
  }

  /** The record must name the CVE once the incident has one, or once its CVE step is marked done. */
  const cveRequired = (s: Situation) =>
    Boolean(s.incident.cveId) ||
    s.schedule.steps.some((x) => x.rule.id === 'cve_requested' && x.state === 'done');

  return {
    /** Why `actor` may not edit the incident's advisory record (checked on opening and on saving). */
    editorProblem: (actor: string, incidentId: string) => check(actor, incidentId).problem,

    /** The form as `actor` opens it: the latest version's values, or the report's the first time. */
    form(
      actor: string,
      incidentId: string,
    ): { ok: true; form: DisclosureForm } | { ok: false; message: string } {
      const { s, problem } = check(actor, incidentId);
      if (problem || !s) return { ok: false, message: problem ?? `There is no incident ${incidentId}.` };
      const latest = advisory.latest(incidentId);
      const values = latest ? valuesOf(latest.record) : valuesFromReport(s.incident);
      // A CVE assigned since the record was saved: offered, so the editor need not copy it.
      values.cveId ??= s.incident.cveId;
      return {
        ok: true,
        form: {
          incidentId,
          values,
          version: latest?.version ?? null,
          ...(latest ? { lastEdit: { by: latest.editedBy, at: latest.editedAt } } : {}),
          cveRequired: cveRequired(s),
          severity: s.severity,
          fixTeam: s.holders.fixTeam,
          releaseManagers: s.holders.releaseManagers,
        },
      };
    },

    /**
     * Saves what `actor` typed as the next version. `source` names the submission (`view:<id>:<user>`): a
     * replay of it finds the row its first save inserted and saves nothing. `base` is the version the form
     * opened on; fields the editor left as they were keep what someone else saved meanwhile.
     */
    save(actor: string, incidentId: string, values: FormValues, source: string, base: number): SaveDone {
      const { s, problem } = check(actor, incidentId);
      if (problem || !s) return refused(problem ?? `There is no incident ${incidentId}.`);
      const parsed = recordFromValues(values, {
        cveRequired: cveRequired(s),
        incidentCve: s.incident.cveId,
      });
      if (!parsed.ok) return { ...refused('Fix the fields marked.'), errors: parsed.errors };
      const now = clock.now();
      return deps.transact((): SaveDone => {
        const replayKey = work.advisorySaved(
          incidentId,
          source,
          { version: 0, by: actor, voided: 0, cancelled: false },
          now,
        ).key;
        const earlier = deps.dueWork.get(replayKey);
        if (earlier) {
          const p = JSON.parse(earlier.payload ?? '{}') as AdvisorySavedPayload;
          return done(`${incidentId}: the advisory record is saved as version ${p.version}.`);
        }
        const latest = advisory.latest(incidentId);
        const baseRecord = base > 0 ? advisory.version(incidentId, base)?.record : undefined;
        const merged =
          latest && latest.version !== base
            ? mergeRecord(parsed.record, baseRecord, latest.record)
            : parsed.record;
        if (latest && sameRecord(merged, latest.record)) {
          return done(
            `${incidentId}: nothing changed; the advisory record stays at version ${latest.version}.`,
          );
        }
        let payload: AdvisorySavedPayload | undefined;
        const extra: string[] = [];
        const saved = advisory.save(incidentId, merged as AdvisoryRecord, actor, now, (v, voided) => {
          let cancelled = false;
          const d = advisory.disclosure(incidentId);
          if (d && d.state !== 'published' && (voided.length > 0 || d.state === 'scheduled')) {
            const r = advisory.unschedule(incidentId, actor, now, 'the advisory record changed');
            if (r?.before.state === 'scheduled') {
              cancelled = true;
              // Withdraws from Slack every generation before the one the edit made current.
              const item = work.announceUnschedule(incidentId, r.after.generation, now);
              deps.dueWork.enqueue(item, now);
              extra.push(item.key);
            }
          }
          payload = { version: v.version, by: actor, voided: voided.length, cancelled };
          const item = work.advisorySaved(incidentId, source, payload, now);
          deps.dueWork.enqueue(item, now);
          extra.push(item.key);
        });
        const p = payload as AdvisorySavedPayload;
        const n = saved.changed.length;
        const parts = [
          `${incidentId}: the advisory record is saved as version ${p.version} (${n} field${n === 1 ? '' : 's'} changed).`,
          ...(latest && latest.version !== base
            ? [
                `Version ${latest.version} was saved by <@${latest.editedBy}> meanwhile: the fields you did not change keep theirs.`,
              ]
            : []),
          ...(p.voided
            ? [
                `${p.voided} approval${p.voided === 1 ? ' was' : 's were'} voided: the texts need approving again.`,
              ]
            : []),
          ...(p.cancelled
            ? ['The scheduled announcement is cancelled: schedule it again once approved.']
            : []),
        ];
        return done(parts.join(' '), [...afterEventKeys(incidentId, now), ...extra]);
      });
    },

    /** Due work: says under the card what a save voided or cancelled (nothing, when it did neither). */
    async deliverSaved(row: DueWorkRow): Promise<void> {
      const p = JSON.parse(row.payload ?? '{}') as AdvisorySavedPayload;
      if (!p.voided && !p.cancelled) return;
      const now = clock.now();
      const posted = await deps.outbox.reply(work.card(row.subject, now).key, {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => advisoryChangedReply(row.subject, p),
      });
      if (!posted) throw new NotYet(new Date(now.getTime() + CARD_WAIT_MS));
    },
  };
}
export type DisclosureService = ReturnType<typeof disclosureService>;
