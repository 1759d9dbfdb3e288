import type { Clock } from '../clock.js';
import type { Incident } from '../domain/incident.js';
import {
  type ReportDraft,
  type ReportField,
  type ReportForm,
  validateAddition,
  validateReport,
} from '../domain/report.js';
import { afterEventKeys, NotYet, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { IncidentStore } from '../store/incidents.js';
import { reporterAdditionPost } from '../views/incidentCard.js';
import { additionReceipt, reporterReceipt } from '../views/receipt.js';

type Errors = Partial<Record<ReportField, string>>;

/** The one answer to someone who names a report that is not theirs, whether or not it exists. */
export const noReport = (id: string) => `You have no report ${id}.`;
/** How long a reporter's addition waits for its card to be posted before it looks again. */
const CARD_WAIT_MS = 60_000;

export type SubmitResult =
  | { ok: false; errors: Errors }
  | { ok: true; incident: Incident; created: boolean; due: string[] };

/**
 * Intake and the record of an incident. Storing happens inside Slack's 3-second window, in one
 * transaction with the work it makes due (its roles, its card, the reporter's receipt); giving the roles
 * and posting to Slack is that due work, run after the answer.
 */
export function incidentService(deps: {
  incidents: IncidentStore;
  dueWork: DueWorkStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
}) {
  const { incidents, clock, log } = deps;
  const ownReport = (id: string, userId: string) => {
    const incident = incidents.get(id);
    return incident?.reportedBy === userId ? incident : undefined;
  };

  return {
    /**
     * Validates and stores a report filled in on `form` (the committee's unless told; the Slack layer
     * decides it from who files). A replayed submission (same source) returns the first incident.
     */
    submit(draft: ReportDraft, by: { userId: string; sourceKey: string; form?: ReportForm }): SubmitResult {
      const now = clock.now();
      const v = validateReport(draft, now, by.form);
      if (!v.ok) return v;
      const { incident, created } = deps.transact(() => {
        const made = incidents.create(v.report, { reportedBy: by.userId, sourceKey: by.sourceKey, at: now });
        if (made.created) {
          deps.dueWork.enqueue(work.intakeRoles(made.incident.id, now), now);
          deps.dueWork.enqueue(work.receipt(made.incident.id, made.incident.reportedBy, now), now);
        }
        return made;
      });
      if (created) log.info({ incident: incident.id, disclosure: incident.disclosure }, 'report taken in');
      return {
        ok: true,
        incident,
        created,
        // The roles first, so the card is drawn once, with them.
        due: [
          work.intakeRoles(incident.id, now).key,
          ...afterEventKeys(incident.id, now),
          work.receipt(incident.id, incident.reportedBy, now).key,
        ],
      };
    },

    /** Applies an edited report; each changed field is a timeline event (which marks the card stale). */
    edit(
      id: string,
      draft: ReportDraft,
      actor: string,
    ): { ok: false; errors: Errors } | { ok: true; changed: string[]; due: string[] } {
      const now = clock.now();
      const v = validateReport(draft, now);
      if (!v.ok) return v;
      const before = incidents.get(id);
      // Public is for good: the deadlines already became ASAP and people were told.
      if (before?.publicAt && v.report.disclosure === 'private') {
        return {
          ok: false,
          errors: {
            disclosure: `${id} became public on ${before.publicAt.toISOString().slice(0, 10)}; an incident that was public cannot be private again.`,
          },
        };
      }
      const result = incidents.updateReport(id, v.report, actor, now);
      if (!result) return { ok: false, errors: { summary: `${id} no longer exists.` } };
      if (result.changed.length) log.info({ incident: id, fields: result.changed }, 'report edited');
      return {
        ok: true,
        changed: result.changed,
        due: result.changed.length ? afterEventKeys(id, now) : [],
      };
    },

    /** The report `userId` filed, or nothing: the same for one that does not exist and for someone else's. */
    ownReport,

    /**
     * Stores what a reporter adds to their own report later: a timeline event (which marks the card stale),
     * its post under the card and the reporter's receipt as due work, in one transaction. Someone else's
     * report gets the answer a report that does not exist gets. A replayed submission stores nothing more.
     */
    addFromReporter(
      id: string,
      input: string | null,
      by: { userId: string; sourceKey: string },
    ): { ok: false; errors: { addition: string } } | { ok: true; due: string[] } {
      if (!ownReport(id, by.userId)) return { ok: false, errors: { addition: noReport(id) } };
      const v = validateAddition(input);
      if (!v.ok) return { ok: false, errors: { addition: v.error } };
      const now = clock.now();
      const post = work.reporterAddition(id, by.sourceKey, by.userId, v.text, now);
      const receipt = work.additionReceipt(id, by.sourceKey, by.userId, now);
      deps.transact(() => {
        if (deps.dueWork.get(post.key)) return;
        incidents.appendReporterAddition(id, by.userId, v.text, now);
        deps.dueWork.enqueue(post, now);
        deps.dueWork.enqueue(receipt, now);
      });
      log.info({ incident: id }, 'reporter added to a report');
      return { ok: true, due: [...afterEventKeys(id, now), post.key, receipt.key] };
    },

    /** Due work: a reporter's addition as a reply under the card; it waits while the card is not posted. */
    async postAddition(row: DueWorkRow): Promise<void> {
      const { reporter, text } = JSON.parse(row.payload ?? '{}') as { reporter: string; text: string };
      const posted = await deps.outbox.reply(work.card(row.subject, clock.now()).key, {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => reporterAdditionPost(row.subject, reporter, text),
      });
      if (!posted) throw new NotYet(new Date(clock.now().getTime() + CARD_WAIT_MS));
    },

    /**
     * Due work: the reporter's receipt for a report or for an addition to it, the id only. Rows planned
     * before the payload named the reporter read it.
     */
    async deliverReceipt(row: DueWorkRow): Promise<void> {
      const reporter =
        (JSON.parse(row.payload ?? '{}') as { reporter?: string }).reporter ??
        incidents.get(row.subject)?.reportedBy;
      if (!reporter) return;
      await deps.outbox.directMessage({
        key: row.key,
        kind: row.kind,
        userId: reporter,
        render: () =>
          row.kind === 'addition-receipt' ? additionReceipt(row.subject) : reporterReceipt(row.subject),
      });
    },

    get: (id: string) => incidents.get(id),
    listOpen: () => incidents.listOpen(),
    timeline: (id: string) => incidents.timeline(id),
  };
}
export type IncidentService = ReturnType<typeof incidentService>;
