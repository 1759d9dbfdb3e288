import type { StepStatus } from '../domain/deadlines.js';
import type { Incident } from '../domain/incident.js';
import type { Rating } from '../domain/severity.js';
import type { NudgePayload } from '../domain/work.js';
import type { NudgeLine } from '../store/steps.js';
import { context, section, slackDate, userText } from './format.js';

const DAY_MS = 86_400_000;
/** A DM lists at most this many lines; the rest are counted (Slack allows 50 blocks, 3,000 chars each). */
const MAX_LINES = 40;

const mentions = (users: readonly string[]) =>
  users.length ? users.map((u) => `<@${u}>`).join(' ') : '_nobody holds it: take it from the card_';

/** A nudge as a reply under the incident's card: who, which step, when it is (or was) due. */
export function nudgeReply(
  incidentId: string,
  step: StepStatus,
  n: Pick<NudgePayload, 'nudge' | 'nth'>,
  users: readonly string[],
  now: Date,
) {
  const due = slackDate(step.dueAt);
  const name = `*${step.rule.name}*`;
  const lead =
    n.nudge === 'soon'
      ? `:alarm_clock: ${mentions(users)} ${name} is due ${due}.`
      : step.asap
        ? `:rotating_light: ${mentions(users)} ${name} is due now: ${incidentId} is public, so every deadline is ASAP.`
        : n.nth > 1
          ? `:warning: ${mentions(users)} ${name} is still overdue: it was due ${due} (${Math.max(1, Math.floor((now.getTime() - step.dueAt.getTime()) / DAY_MS))} days ago).`
          : `:warning: ${mentions(users)} ${name} is overdue: it was due ${due}.`;
  return {
    text: `${incidentId}: ${step.rule.name} ${n.nudge === 'soon' ? 'is due soon' : 'is overdue'}`,
    blocks: [
      section(lead),
      context(
        `“${step.rule.source}” · Done? Mark it on the card (or \`/srp done ${incidentId} ${step.rule.id}\`); to move it: \`/srp deadline ${incidentId} ${step.rule.id} <date> <reason>\``,
      ),
    ],
  };
}

/** The staleness ping under the card, to its commander. */
export function staleReply(
  incidentId: string,
  users: readonly string[],
  lastEvent: Date,
  rating: Rating | null,
  limitMs: number,
) {
  const days = Math.round(limitMs / DAY_MS);
  return {
    text: `${incidentId} has had no update for a while`,
    blocks: [
      section(
        `:zzz: ${mentions(users)} nothing has happened on ${incidentId} since ${slackDate(lastEvent)}: a ${rating ?? 'not yet rated'} incident should not go ${days} days without an update. What is next?`,
      ),
    ],
  };
}

const LINE_LABEL: Record<NudgeLine['kind'], string> = {
  soon: 'due',
  overdue: 'overdue since',
  stale: 'no update since',
};

/**
 * One DM with every nudge waiting for a person. Only what srp's own profile says (the id, the step's
 * name, a time), never a report's details: a DM is outside the security channel.
 */
export function nudgeDigest(lines: readonly NudgeLine[]) {
  const sorted = [...lines].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  const shown = sorted.slice(0, MAX_LINES);
  const text =
    lines.length === 1
      ? `${lines[0]?.incidentId}: ${lines[0]?.stepName}`
      : `${lines.length} security incident steps need you`;
  const body = shown.map(
    (l) => `• *${l.incidentId}* · ${userText(l.stepName, 200)} · ${LINE_LABEL[l.kind]} ${slackDate(l.dueAt)}`,
  );
  const chunks: string[] = [];
  for (const line of body) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + line.length + 1 <= 2900)
      chunks[chunks.length - 1] = `${last}\n${line}`;
    else chunks.push(line);
  }
  return {
    text,
    blocks: [
      section(
        lines.length === 1
          ? ':bell: A security incident step needs you:'
          : `:bell: ${lines.length} security incident steps need you:`,
      ),
      ...chunks.map((c) => section(c)),
      ...(lines.length > shown.length ? [context(`…and ${lines.length - shown.length} more.`)] : []),
      context('The details are in the security channel, on each incident’s card.'),
    ],
  };
}

/** Under the card: it was marked public, and what is due now. */
export function publicNoticeReply(
  incident: Incident,
  dueNow: readonly StepStatus[],
  holders: { commander: string | null; fixLead: string | null },
) {
  const who = [holders.commander, holders.fixLead].filter(Boolean).map((u) => `<@${u}>`);
  const seen = [
    incident.publicWhere ? `seen: ${userText(incident.publicWhere, 300)}` : null,
    incident.publicLink ? userText(incident.publicLink, 500) : null,
  ].filter(Boolean);
  const steps = dueNow.map((s) => `• ${s.rule.name}`).join('\n');
  return {
    text: `${incident.id} is now public: every deadline is ASAP`,
    blocks: [
      section(
        `:rotating_light: ${[...new Set(who)].join(' ')} *${incident.id} is public* (${incident.publicBy ? `marked by <@${incident.publicBy}>` : 'reported as public'} ${slackDate(incident.publicAt ?? incident.receivedAt)}${seen.length ? `; ${seen.join(' · ')}` : ''}). Every remaining deadline is now due.`,
      ),
      ...(steps ? [section(`*Due now*\n${steps}`.slice(0, 2900))] : []),
    ],
  };
}

/** The DM to its commander and Fix Lead: the id and what it means, nothing of the report. */
export function publicNoticeDm(incidentId: string) {
  const text = `${incidentId} is now public: every remaining deadline is due now.`;
  return {
    text,
    blocks: [
      section(
        `:rotating_light: *${incidentId}* is now public: every remaining deadline is due now. The details are on its card in the security channel.`,
      ),
    ],
  };
}
