import type { LeakPayload } from '../domain/work.js';
import { context, plain, section, slackDate } from './format.js';

export const LEAK_ACTIONS = {
  /** "Embargo broken: go public ASAP" on a leak alert; its block_id names the incident (`leak:SRP-…`). */
  goPublic: 'srp_leak_public',
} as const;

const VIA: Record<LeakPayload['via'], string> = {
  cve: 'its CVE id',
  id: 'its srp id',
  word: 'one of its watch words',
};

/** Only Slack's own ids go into a mention; anything else is left out. */
const mention = (u: string | null) => (u && /^[UW][A-Z0-9]+$/.test(u) ? `<@${u}>` : null);

/**
 * The alert in the security channel: which incident, where, and a link to the message. It quotes nothing
 * of the message (the link leads there) and nothing of the incident but its id; the notification text is
 * the id and a stock phrase, like a card's.
 */
export function leakAlertMessage(a: {
  incidentId: string;
  alertKey: string;
  leak: LeakPayload;
  fixLead: string | null;
  commander: string | null;
  /** Set once the incident is public: who marked it and when (from this alert or otherwise). */
  publicBy: string | null;
  publicAt: Date | null;
}) {
  const { incidentId: id, leak } = a;
  const where = `<#${leak.channel}>`;
  const message = leak.link ? `<${leak.link}|A message> in ${where}` : `A message in ${where}`;
  const people = [mention(a.fixLead), mention(a.commander)].filter((x, i, all) => x && all.indexOf(x) === i);
  const lines = [
    `:rotating_light: *Possible leak of ${id}.* ${message} names ${VIA[leak.via]}, while ${id} is under embargo.`,
    people.length ? `${people.join(' ')}: look at it now.` : 'Its Fix Lead and commander: look at it now.',
  ];
  const blocks: unknown[] = [section(lines.join('\n'), 'leak-what')];
  if (a.publicAt) {
    const by = mention(a.publicBy);
    blocks.push(
      context(
        `:white_check_mark: ${id} was marked public${by ? ` by ${by}` : ''} ${slackDate(a.publicAt)}: every remaining deadline is due now.`,
      ),
    );
  } else {
    blocks.push(
      context(
        `If the embargo is broken, go public as soon as possible: every remaining deadline of ${id} becomes due now. Only its Fix Lead or incident commander can.`,
      ),
      {
        type: 'actions',
        block_id: `leak:${id}`,
        elements: [
          {
            type: 'button',
            action_id: LEAK_ACTIONS.goPublic,
            style: 'danger',
            text: plain('Embargo broken: go public ASAP'),
            value: a.alertKey,
            confirm: {
              title: plain('Go public now?'),
              text: plain(
                `${id} becomes public for good: every remaining deadline is due now, and it cannot be made private again.`,
              ),
              confirm: plain('Go public'),
              deny: plain('Cancel'),
              style: 'danger',
            },
          },
        ],
      },
    );
  }
  return { text: `Possible leak of ${id} in a public channel`, blocks };
}
