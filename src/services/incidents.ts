import type { Clock } from '../clock.js';
import type { Incident } from '../domain/incident.js';
import { type ReportDraft, type ReportField, validateReport } from '../domain/report.js';
import type { Logger } from '../logger.js';
import { errorCode, type Outbox } from '../outbox/outbox.js';
import type { IncidentStore } from '../store/incidents.js';
import { type CardRoles, incidentCard } from '../views/incidentCard.js';
import { reporterReceipt } from '../views/receipt.js';
import type { SeverityState } from './severity.js';

type Errors = Partial<Record<ReportField, string>>;
export type SubmitResult = { ok: false; errors: Errors } | { ok: true; incident: Incident; created: boolean };

const cardKey = (id: string) => `card:${id}`;
const receiptKey = (id: string) => `receipt:${id}`;

/**
 * Intake and the life of an incident's record. Storing is synchronous and
 * happens inside Slack's 3-second window; posting to Slack happens after, and a
 * post that fails is picked up again by `sweep`.
 */
export function incidentService(deps: {
  incidents: IncidentStore;
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  securityChannel: string;
  /** Role holders for the card, and the roles a new incident starts with (from the rotation and round-robin). */
  roles: {
    cardRoles(id: string): CardRoles;
    cardSeverity(id: string): SeverityState;
    assignAtIntake(id: string, at: Date): void;
  };
}) {
  const { incidents, outbox, clock, log } = deps;

  async function publishCard(id: string): Promise<void> {
    // Rendered inside the outbox's lock, so concurrent changes always post the newest state.
    await outbox.upsert(cardKey(id), deps.securityChannel, 'embargoed', () => {
      const incident = incidents.get(id);
      if (!incident) throw new Error(`incident ${id} vanished`);
      return incidentCard(incident, deps.roles.cardRoles(id), deps.roles.cardSeverity(id));
    });
  }

  async function sendReceipt(id: string): Promise<void> {
    const incident = incidents.get(id);
    if (!incident) return;
    await outbox.directMessage(receiptKey(id), incident.reportedBy, () => reporterReceipt(incident.id));
  }

  /** Runs a Slack step; a failure is logged and left for the sweep, never lost. */
  async function attempt(what: string, id: string, fn: () => Promise<void>) {
    try {
      await fn();
    } catch (err) {
      log.warn(
        { incident: id, step: what, error: errorCode(err) },
        'Slack step failed; the sweep will retry it',
      );
    }
  }

  return {
    /** Validates and stores a report. A replayed submission (same source) returns the first incident. */
    submit(draft: ReportDraft, by: { userId: string; sourceKey: string }): SubmitResult {
      const now = clock.now();
      const v = validateReport(draft, now);
      if (!v.ok) return v;
      const { incident, created } = incidents.create(v.report, {
        reportedBy: by.userId,
        sourceKey: by.sourceKey,
        at: now,
      });
      if (created) {
        deps.roles.assignAtIntake(incident.id, now);
        log.info({ incident: incident.id, disclosure: incident.disclosure }, 'report taken in');
      }
      return { ok: true, incident, created };
    },

    /** The slow half of intake: the card in the security channel and the receipt to the reporter. */
    async announceIntake(id: string): Promise<void> {
      await attempt('card', id, () => publishCard(id));
      await attempt('receipt', id, () => sendReceipt(id));
    },

    edit(
      id: string,
      draft: ReportDraft,
      actor: string,
    ): { ok: false; errors: Errors } | { ok: true; changed: string[] } {
      const now = clock.now();
      const v = validateReport(draft, now);
      if (!v.ok) return v;
      const result = incidents.updateReport(id, v.report, actor, now);
      if (!result) return { ok: false, errors: { summary: `${id} no longer exists.` } };
      if (result.changed.length) log.info({ incident: id, fields: result.changed }, 'report edited');
      return { ok: true, changed: result.changed };
    },

    refreshCard: (id: string) => attempt('card', id, () => publishCard(id)),

    get: (id: string) => incidents.get(id),
    listOpen: () => incidents.listOpen(),
    timeline: (id: string) => incidents.timeline(id),

    /** Finishes any intake whose Slack steps did not complete (Slack down, a crash, a restart). */
    async sweep(): Promise<number> {
      let resumed = 0;
      for (const incident of incidents.listOpen()) {
        const card = outbox.isDelivered(cardKey(incident.id));
        const receipt = outbox.isDelivered(receiptKey(incident.id));
        if (card && receipt) continue;
        resumed++;
        if (!card) await attempt('card', incident.id, () => publishCard(incident.id));
        if (!receipt) await attempt('receipt', incident.id, () => sendReceipt(incident.id));
      }
      return resumed;
    },

    /**
     * Redraws every open incident's card once. Run at start: a change stored just before a crash may
     * not have reached its card, and the card is only ever updated in place, so this is harmless.
     */
    async redrawCards(): Promise<void> {
      for (const incident of incidents.listOpen()) {
        if (outbox.isDelivered(cardKey(incident.id)))
          await attempt('card', incident.id, () => publishCard(incident.id));
      }
    },
  };
}
export type IncidentService = ReturnType<typeof incidentService>;
