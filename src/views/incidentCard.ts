import type { Incident } from '../domain/incident.js';
import { ARRIVAL_CHANNELS } from '../domain/report.js';
import {
  context,
  divider,
  escapeMrkdwn,
  header,
  mrkdwn,
  plain,
  section,
  slackDate,
  truncate,
} from './format.js';

export const EDIT_REPORT_ACTION = 'srp_report_edit_open';

const STATUS_LABEL: Record<Incident['status'], string> = {
  triage: 'Triage',
  planning: 'Planning',
  development: 'Development',
  embargo: 'Embargo',
  released: 'Released',
  published: 'Published',
  closed: 'Closed',
};

/**
 * The fallback text shows in notifications and previews, outside the channel's
 * privacy, so it carries the id and a stock phrase only.
 */
export function incidentCardText(incident: Pick<Incident, 'id'>): string {
  return `New vulnerability report ${incident.id}`;
}

/** The incident's card in the security channel, re-rendered and updated in place on every change. */
export function incidentCard(incident: Incident) {
  const e = escapeMrkdwn;
  const arrived = incident.arrivalRef
    ? `${ARRIVAL_CHANNELS[incident.arrival]}: ${e(truncate(incident.arrivalRef, 300))}`
    : ARRIVAL_CHANNELS[incident.arrival];
  const reporter = [incident.reporterName, incident.reporterContact]
    .filter(Boolean)
    .map((s) => e(s as string));
  const fields = [
    `*Status*\n${STATUS_LABEL[incident.status]}`,
    `*Disclosure*\n${incident.disclosure === 'public' ? ':rotating_light: Already public: every deadline is ASAP' : 'Private'}`,
    `*Arrived via*\n${arrived}`,
    `*Received*\n${slackDate(incident.receivedAt)}`,
    `*Affected*\n${e(truncate(incident.components, 500))}`,
    `*Reporter*\n${reporter.length ? reporter.join(' · ') : '_not given_'}`,
    `*CVE*\n${incident.cveId ?? '_none yet_'}`,
    `*Taken in by*\n<@${incident.reportedBy}>`,
  ];
  return {
    text: incidentCardText(incident),
    blocks: [
      header(`${incident.id} · ${incident.summary}`),
      { type: 'section', block_id: 'facts', fields: fields.map((f) => mrkdwn(truncate(f, 2000))) },
      section(`*Description*\n${e(truncate(incident.description, 2900))}`, 'description'),
      divider(),
      {
        type: 'actions',
        block_id: 'card_actions',
        elements: [
          { type: 'button', action_id: EDIT_REPORT_ACTION, text: plain('Edit report'), value: incident.id },
        ],
      },
      context(`Opened ${slackDate(incident.createdAt)} · last change ${slackDate(incident.updatedAt)}`),
    ],
  };
}
