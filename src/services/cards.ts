import type { Clock } from '../clock.js';
import type { Incident } from '../domain/incident.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { openAfterRelease } from '../domain/retrospective.js';
import { work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AdvisoryStore } from '../store/advisory.js';
import type { DueWorkStore } from '../store/dueWork.js';
import type { IncidentStore } from '../store/incidents.js';
import type { MetaStore } from '../store/meta.js';
import { CARD_LAYOUT, incidentCard } from '../views/incidentCard.js';
import type { CardClosing } from '../views/retrospective.js';
import type { ScheduleService } from './schedule.js';
import { sweepOpenIncidents } from './sweep.js';

const LAYOUT_KEY = 'card_layout';

/**
 * The card is a projection: this module alone reads an incident, its roles and its severity (and, as
 * its phase, deadlines and disclosure, and its advisory record) and renders its card. Services never redraw it; they record their
 * change, and every timeline event marks the card stale (due work written in the same transaction). The
 * due-work runner then calls `redraw`, and retries it if Slack fails, until the card shows the change.
 */
export function cardService(deps: {
  incidents: IncidentStore;
  /** The advisory record's latest version and the disclosure's state (scheduled, published with its permalink). */
  advisory: Pick<AdvisoryStore, 'latest' | 'disclosure'>;
  schedule: Pick<ScheduleService, 'situation'>;
  dueWork: DueWorkStore;
  meta: MetaStore;
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
  securityChannel: string;
}) {
  function render(incidentId: string, incident?: Incident) {
    const s = deps.schedule.situation(incidentId, deps.clock.now(), incident);
    if (!s) return undefined;
    const advisory = deps.advisory.latest(incidentId);
    const row = deps.advisory.disclosure(incidentId);
    return incidentCard(
      s.incident,
      s.holders,
      s.severity,
      { schedule: s.schedule, rules: deps.profile.phases },
      {
        ...(advisory
          ? {
              advisory: {
                version: advisory.version,
                editedBy: advisory.editedBy,
                editedAt: advisory.editedAt,
              },
            }
          : {}),
        row,
        closing: closing(s.incident, s.schedule, s.severity.final?.rating ?? null, row, advisory?.record),
      },
    );
  }

  /** Complete and ready to close, or (closed after its publication) the final summary. */
  function closing(
    incident: Incident,
    schedule: Parameters<typeof openAfterRelease>[0],
    severity: string | null,
    row: ReturnType<typeof deps.advisory.disclosure>,
    record: { trackingIssue: string | null; cveId: string | null } | undefined,
  ): CardClosing | undefined {
    if (row?.state !== 'published' || !row.publishedAt) return undefined;
    if (incident.phase !== 'closed') return { complete: openAfterRelease(schedule).length === 0 };
    const closed = deps.incidents
      .timeline(incident.id)
      .filter((e) => e.type === 'closed')
      .at(-1);
    return {
      complete: true,
      summary: {
        receivedAt: incident.receivedAt,
        publishedAt: row.publishedAt,
        closedAt: closed?.at ?? null,
        closedBy: closed?.actor ?? null,
        severity,
        permalink: row.permalink,
        trackingIssue: record?.trackingIssue ?? null,
        cveId: record?.cveId ?? incident.cveId,
      },
    };
  }

  return {
    /** The card as it stands now: what the channel shows, and what `/srp show` answers with. */
    render: (incidentId: string) => render(incidentId),

    /** Due work: draws the card in the security channel, posting it the first time. */
    async redraw(incidentId: string, key: string): Promise<void> {
      const incident = deps.incidents.get(incidentId);
      if (!incident) return;
      let first = true;
      await deps.outbox.upsert({
        key,
        kind: 'card',
        channel: deps.securityChannel,
        sensitivity: 'embargoed',
        // Rendered when the call is made, so the newest state is what Slack gets.
        render: () => {
          // The incident as read a moment ago for the first render; re-read if the outbox renders again.
          const card = render(incidentId, first ? incident : undefined);
          first = false;
          if (!card) throw new Error(`incident ${incidentId} vanished`);
          return card;
        },
      });
    },

    /** Marks a card stale for a reason that is no timeline event (a deadline passing, say). */
    invalidate(incidentId: string): string {
      const now = deps.clock.now();
      const item = work.card(incidentId, now);
      deps.dueWork.rearm(item, now);
      return item.key;
    },

    /**
     * After an upgrade that changes how cards look, every open incident's card is stale: the runner then
     * redraws them paced under Slack's rate limit. Nothing happens when the layout is the one already drawn.
     */
    refreshLayout: () =>
      sweepOpenIncidents(deps, {
        metaKey: LAYOUT_KEY,
        version: CARD_LAYOUT,
        item: (id, at) => work.card(id, at),
        note: 'card layout changed; redrawing cards',
      }),
  };
}
export type CardService = ReturnType<typeof cardService>;
