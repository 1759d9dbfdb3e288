import { formatAge, type Incident } from '../domain/incident.js';
import { context, section, userText } from './format.js';

/**
 * A message holds at most 50 blocks and about 12,000 characters of text in all; 40 incidents of at most
 * ~250 characters each stay well inside both.
 */
const MAX_LISTED = 40;

export function statusMessage(open: Incident[], now: Date) {
  if (open.length === 0)
    return { text: 'No open incidents.', blocks: [section(':white_check_mark: No open incidents.')] };
  const shown = open.slice(0, MAX_LISTED);
  const blocks: object[] = [
    section(`*${open.length} open incident${open.length === 1 ? '' : 's'}*`),
    ...shown.map((i) =>
      section(
        `*${i.id}* · ${userText(i.summary, 200)}\n` +
          `Open ${formatAge(i.createdAt, now)} · ${i.disclosure === 'public' ? 'public disclosure (ASAP)' : 'private disclosure'} · ${i.status}`,
      ),
    ),
  ];
  if (open.length > shown.length)
    blocks.push(context(`…and ${open.length - shown.length} more, oldest first.`));
  return { text: `${open.length} open incident(s)`, blocks };
}
