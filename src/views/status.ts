import type { StepStatus } from '../domain/deadlines.js';
import { formatAge, type Incident } from '../domain/incident.js';
import { context, section, slackDate, userText } from './format.js';
import { phaseText } from './phase.js';

/**
 * A message holds at most 50 blocks and about 12,000 characters of text in all; 30 incidents of at most
 * ~380 characters each (a summary cut to 150) stay inside both, however long the summaries.
 */
export const STATUS_LISTED = 30;

/** An incident's deadlines as the status list shows them. */
export interface StatusDeadlines {
  next: StepStatus | undefined;
  overdue: number;
}

/**
 * `/srp status`: the first open incidents (the caller fetched at most STATUS_LISTED) with their phase and
 * next deadline, and how many there are in all.
 */
export function statusMessage(
  open: { total: number; incidents: Incident[] },
  now: Date,
  deadlines: (incident: Incident) => StatusDeadlines | undefined = () => undefined,
) {
  const { total } = open;
  if (total === 0)
    return { text: 'No open incidents.', blocks: [section(':white_check_mark: No open incidents.')] };
  const shown = open.incidents.slice(0, STATUS_LISTED);
  const blocks: object[] = [
    section(`*${total} open incident${total === 1 ? '' : 's'}*`),
    ...shown.map((i) => {
      const d = deadlines(i);
      const next = d?.next
        ? ` · next: ${userText(d.next.rule.name, 60)} ${d.next.asap ? 'ASAP' : slackDate(d.next.dueAt)}`
        : '';
      const overdue = d?.overdue ? ` · :warning: ${d.overdue} overdue` : '';
      return section(
        `*${i.id}* · ${userText(i.summary, 150)}\n` +
          `${phaseText(i)}${next}${overdue}\n` +
          `Open ${formatAge(i.createdAt, now)} · ${i.publicAt ? 'public (ASAP)' : 'private disclosure'}`,
      );
    }),
  ];
  if (total > shown.length) blocks.push(context(`…and ${total - shown.length} more, oldest first.`));
  return { text: `${total} open incident(s)`, blocks };
}
