import type { Clock } from '../clock.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { severityState } from '../domain/severityState.js';
import { work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { DueWorkStore } from '../store/dueWork.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import type { MetaStore } from '../store/meta.js';
import type { SeverityStore } from '../store/severity.js';
import { CARD_LAYOUT, incidentCard } from '../views/incidentCard.js';

/** Open incidents whose cards are re-armed per transaction after a layout change, between yields. */
const LAYOUT_SLICE = 500;
const LAYOUT_KEY = 'card_layout';

/**
 * The card is a projection: this module alone reads an incident, its roles and its severity (and, as
 * they come, its phase and disclosure) and renders its card. Services never redraw it; they record their
 * change, and every timeline event marks the card stale (due work written in the same transaction). The
 * due-work runner then calls `redraw`, and retries it if Slack fails, until the card shows the change.
 */
export function cardService(deps: {
  incidents: IncidentStore;
  roles: IncidentRoleStore;
  severity: SeverityStore;
  dueWork: DueWorkStore;
  meta: MetaStore;
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
  securityChannel: string;
}) {
  function render(incidentId: string, incident = deps.incidents.get(incidentId)) {
    if (!incident) return undefined;
    const severity = severityState(deps.severity.get(incidentId), Boolean(incident.cveId), deps.profile);
    return incidentCard(incident, deps.roles.holders(incidentId), severity);
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
     * After an upgrade that changes how cards look, every open incident's card is stale: mark them in
     * slices (yielding between, so requests are answered meanwhile); the runner then redraws them paced
     * under Slack's rate limit. Nothing happens when the layout is the one already drawn.
     */
    async refreshLayout(): Promise<number> {
      if (deps.meta.get(LAYOUT_KEY) === String(CARD_LAYOUT)) return 0;
      let after = '';
      let marked = 0;
      for (;;) {
        const ids = deps.incidents.openIdsAfter(after, LAYOUT_SLICE);
        if (ids.length === 0) break;
        deps.dueWork.rearmMany(
          ids.map((id) => work.card(id, deps.clock.now())),
          deps.clock.now(),
        );
        marked += ids.length;
        after = ids.at(-1) as string;
        await new Promise((r) => setImmediate(r));
      }
      deps.meta.set(LAYOUT_KEY, String(CARD_LAYOUT));
      if (marked)
        deps.log.info({ cards: marked, layout: CARD_LAYOUT }, 'card layout changed; redrawing cards');
      return marked;
    },
  };
}
export type CardService = ReturnType<typeof cardService>;
