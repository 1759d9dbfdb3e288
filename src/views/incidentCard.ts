import type { Incident } from '../domain/incident.js';
import { PER_ISSUE_ROLE_NAME, PER_ISSUE_ROLES } from '../domain/owners.js';
import { PHASES } from '../domain/phases.js';
import { ARRIVAL_CHANNELS } from '../domain/report.js';
import type { SeverityState } from '../domain/severityState.js';
import type { DisclosureRow } from '../store/advisory.js';
import { announcementCardText, SCHEDULE_ACTION } from './announce.js';
import { advisoryCardLine, DISCLOSE_OPEN_ACTION } from './disclosureModal.js';
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
  userText,
} from './format.js';
import { type CardSchedule, disclosureText, phaseActions, phaseText, scheduleText } from './phase.js';
import { type CardClosing, closingBlocks } from './retrospective.js';
import {
  CVSS_OPEN_ACTION,
  FINAL_CALL_OPEN_ACTION,
  SEVERITY_OPEN_ACTION,
  severityCardText,
} from './severity.js';

/**
 * The card's layout version: bump it when a change to this file changes how existing cards should look,
 * and srp redraws every open incident's card once after the upgrade (paced under Slack's rate limits).
 */
export const CARD_LAYOUT = 7;

export const EDIT_REPORT_ACTION = 'srp_report_edit_open';
export const IC_HANDOFF_ACTION = 'srp_ic_handoff';
export const FIX_TEAM_ADD_ACTION = 'srp_fixteam_add';
export const FIX_LEAD_REASSIGN_ACTION = 'srp_fixlead_reassign_open';
export const IC_TAKE_OPEN_ACTION = 'srp_ic_take_open';

/** Who holds the incident's roles, as the card shows them. */
export interface CardRoles {
  commander: string | null;
  pendingCommander: string | null;
  fixLead: string | null;
  fixTeam: string[];
  /** The 2018 process's per-issue roles held on this incident (none under today's process). */
  perIncident?: Partial<Record<string, string | null>>;
}

/** What the card shows of the disclosure: the advisory record's latest version (more comes with it). */
export interface CardDisclosure {
  advisory?: { version: number; editedBy: string; editedAt: Date };
  /** The disclosure's state: the target time, Slack's schedule, the published announcement's permalink. */
  row?: DisclosureRow | undefined;
  /** Published: complete and ready to close (the Close button), or closed with its final summary. */
  closing?: CardClosing | undefined;
}

/** "Prepare disclosure" shows from the development phase on, while the incident is open. */
export const preparesDisclosure = (phase: Incident['phase']) =>
  phase !== 'closed' && PHASES.indexOf(phase) >= PHASES.indexOf('development');

/** The card's disclosure part: the record's line, and the button that opens it. */
function disclosureBlocks(
  incident: Incident,
  d: CardDisclosure,
): Array<{ type: string; [k: string]: unknown }> {
  const blocks: Array<{ type: string; [k: string]: unknown }> = [];
  if (d.advisory) blocks.push(section(advisoryCardLine(d.advisory), 'advisory'));
  if (preparesDisclosure(incident.phase)) {
    blocks.push({
      type: 'actions',
      block_id: cardBlockId('disclosure', incident.id),
      elements: [
        {
          type: 'button',
          action_id: DISCLOSE_OPEN_ACTION,
          text: plain(d.advisory ? 'Edit advisory' : 'Prepare disclosure'),
          value: incident.id,
        },
      ],
    });
  }
  return blocks;
}

const NO_ROLES: CardRoles = { commander: null, pendingCommander: null, fixLead: null, fixTeam: [] };

/** Interactive elements on the card carry the incident id in their block_id (selects have no value). */
export const cardBlockId = (what: string, incidentId: string) => `${what}:${incidentId}`;
export const incidentFromBlockId = (blockId: string) => blockId.split(':')[1];

/**
 * The fallback text shows in notifications and previews, outside the channel's
 * privacy, so it carries the id and a stock phrase only.
 */
export function incidentCardText(incident: Pick<Incident, 'id'>): string {
  return `New vulnerability report ${incident.id}`;
}

/**
 * What a reporter added to their report, as a reply under its card. The notification text is a stock
 * phrase with the id; the addition itself is in the blocks, escaped.
 */
export function reporterAdditionPost(incidentId: string, reporter: string, added: string) {
  return {
    text: `The reporter added information to ${incidentId}`,
    blocks: [section(`*<@${reporter}> added to ${incidentId}:*\n${userText(added, 2900)}`, 'addition')],
  };
}

/** The incident's card in the security channel, re-rendered and updated in place on every change. */
export function incidentCard(
  incident: Incident,
  roles: CardRoles = NO_ROLES,
  severity?: SeverityState,
  plan?: CardSchedule,
  disclosure: CardDisclosure = {},
) {
  const e = escapeMrkdwn;
  const arrived = incident.arrivalRef
    ? `${ARRIVAL_CHANNELS[incident.arrival]}: ${userText(incident.arrivalRef, 300)}`
    : ARRIVAL_CHANNELS[incident.arrival];
  // A reporter who filed it themselves is the person who filed it: their mention, then any other contact.
  const reporter = [
    ...(incident.arrival === 'slack' ? [`<@${incident.reportedBy}>`] : []),
    ...[incident.reporterName, incident.reporterContact].filter(Boolean).map((s) => e(s as string)),
  ];
  const fields = [
    `*Phase*\n${phaseText(incident)}`,
    `*Disclosure*\n${disclosureText(incident)}`,
    `*Arrived via*\n${arrived}`,
    `*Received*\n${slackDate(incident.receivedAt)}`,
    `*Affected*\n${userText(incident.components, 600)}`,
    `*Reporter*\n${reporter.length ? reporter.join(' · ') : '_not given_'}`,
    `*CVE*\n${incident.cveId ?? '_none yet_'}`,
    `*Reported by*\n<@${incident.reportedBy}>`,
  ];
  const commander = roles.commander ? `<@${roles.commander}>` : '_none: hand it to someone_';
  const pending = roles.pendingCommander
    ? `\n:hourglass: handing off to <@${roles.pendingCommander}>, awaiting acceptance`
    : '';
  const roleFields = [
    `*Incident commander*\n${commander}${pending}`,
    `*Fix Lead*\n${roles.fixLead ? `<@${roles.fixLead}>` : '_none assigned_'}`,
    `*Fix Team*\n${roles.fixTeam.length ? roles.fixTeam.map((u) => `<@${u}>`).join(' ') : '_nobody yet_'}`,
  ];
  // "Triage: @x · Infra: @y", in the document's order, once anyone holds one of the 2018 roles.
  const perIssue = PER_ISSUE_ROLES.flatMap((r) => {
    const holder = roles.perIncident?.[r];
    return holder ? [`${PER_ISSUE_ROLE_NAME[r]}: <@${holder}>`] : [];
  });
  if (perIssue.length) roleFields.push(`*Per-issue roles*\n${perIssue.join(' · ')}`);
  return {
    text: incidentCardText(incident),
    blocks: [
      header(`${incident.id} · ${incident.summary}`),
      { type: 'section', block_id: 'facts', fields: fields.map((f) => mrkdwn(truncate(f, 2000))) },
      section(`*Description*\n${userText(incident.description, 2900)}`, 'description'),
      { type: 'section', block_id: 'roles', fields: roleFields.map((f) => mrkdwn(f)) },
      ...(plan ? [section(scheduleText(incident, plan), 'schedule')] : []),
      ...closingBlocks(incident.id, disclosure.closing),
      ...announcementBlocks(incident, disclosure.row),
      ...(severity ? [section(severityCardText(severity), 'severity')] : []),
      {
        type: 'actions',
        block_id: cardBlockId('severity', incident.id),
        elements: [
          {
            type: 'button',
            action_id: SEVERITY_OPEN_ACTION,
            text: plain('Assess severity'),
            value: incident.id,
          },
          { type: 'button', action_id: CVSS_OPEN_ACTION, text: plain('CVSS score'), value: incident.id },
          {
            type: 'button',
            action_id: FINAL_CALL_OPEN_ACTION,
            text: plain('Final call'),
            value: incident.id,
            ...(severity?.needsFinalCall ? { style: 'primary' } : {}),
          },
        ],
      },
      ...(plan ? [phaseActions(incident, plan)] : []),
      ...disclosureBlocks(incident, disclosure),
      divider(),
      {
        type: 'actions',
        block_id: cardBlockId('card', incident.id),
        elements: [
          { type: 'button', action_id: EDIT_REPORT_ACTION, text: plain('Edit report'), value: incident.id },
          {
            type: 'button',
            action_id: FIX_LEAD_REASSIGN_ACTION,
            text: plain('Reassign Fix Lead'),
            value: incident.id,
          },
          { type: 'button', action_id: IC_TAKE_OPEN_ACTION, text: plain('Take command'), value: incident.id },
          { type: 'users_select', action_id: IC_HANDOFF_ACTION, placeholder: plain('Hand off IC to...') },
          { type: 'users_select', action_id: FIX_TEAM_ADD_ACTION, placeholder: plain('Add to Fix Team...') },
        ],
      },
      context(`Opened ${slackDate(incident.createdAt)} · last change ${slackDate(incident.updatedAt)}`),
    ],
  };
}

/**
 * The announcement on the card: scheduled for when (with the Fix Lead's override), or published with its
 * permalink; and, while it can still be scheduled, the button that opens the schedule form.
 */
function announcementBlocks(incident: Incident, d: DisclosureRow | undefined): Array<{ type: string }> {
  const text = announcementCardText(d);
  const schedulable =
    incident.phase !== 'closed' &&
    d?.state !== 'published' &&
    (incident.phase === 'disclosure_planning' || incident.phase === 'release' || d !== undefined);
  if (!text && !schedulable) return [];
  const block: { type: string } & Record<string, unknown> = {
    type: 'section',
    block_id: 'announcement',
    text: { type: 'mrkdwn', text: text ?? '*Announcement*: not scheduled' },
    ...(schedulable
      ? {
          accessory: {
            type: 'button',
            action_id: SCHEDULE_ACTION,
            text: plain(d?.state === 'scheduled' ? 'Reschedule…' : 'Schedule announcement…'),
            value: incident.id,
          },
        }
      : {}),
  };
  return [block];
}
