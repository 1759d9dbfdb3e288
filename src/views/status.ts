import { formatAge, type Incident } from '../domain/incident.js';
import { context, section, userText } from './format.js';

/**
 * A message holds at most 50 blocks and about 12,000 characters of text in all; 40 incidents of at most
 * ~250 characters each stay well inside both.
 */
export const STATUS_LISTED = 40;

/** `/srp status`: the first open incidents (the caller fetched at most STATUS_LISTED) and how many in all. */
export function statusMessage(open: { total: number; incidents: Incident[] }, now: Date) {
  const { total } = open;
  if (total === 0)
    return { text: 'No open incidents.', blocks: [section(':white_check_mark: No open incidents.')] };
  const shown = open.incidents.slice(0, STATUS_LISTED);
  const blocks: object[] = [
    section(`*${total} open incident${total === 1 ? '' : 's'}*`),
    ...shown.map((i) =>
      section(
        `*${i.id}* · ${userText(i.summary, 200)}\n` +
          `Open ${formatAge(i.createdAt, now)} · ${i.disclosure === 'public' ? 'public disclosure (ASAP)' : 'private disclosure'} · ${i.status}`,
      ),
    ),
  ];
  if (total > shown.length) blocks.push(context(`…and ${total - shown.length} more, oldest first.`));
  return { text: `${total} open incident(s)`, blocks };
}
