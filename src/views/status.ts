import { formatAge, type Incident } from '../domain/incident.js';
import { context, escapeMrkdwn, section, truncate } from './format.js';

/** A message holds at most 50 blocks; keep room for the header and the overflow note. */
const MAX_LISTED = 45;

export function statusMessage(open: Incident[], now: Date) {
  if (open.length === 0)
    return { text: 'No open incidents.', blocks: [section(':white_check_mark: No open incidents.')] };
  const shown = open.slice(0, MAX_LISTED);
  const blocks: object[] = [
    section(`*${open.length} open incident${open.length === 1 ? '' : 's'}*`),
    ...shown.map((i) =>
      section(
        `*${i.id}* · ${escapeMrkdwn(truncate(i.summary, 150))}\n` +
          `Open ${formatAge(i.createdAt, now)} · ${i.disclosure === 'public' ? 'public disclosure (ASAP)' : 'private disclosure'} · ${i.status}`,
      ),
    ),
  ];
  if (open.length > shown.length)
    blocks.push(context(`…and ${open.length - shown.length} more, oldest first.`));
  return { text: `${open.length} open incident(s)`, blocks };
}
