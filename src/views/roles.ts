import { isPerIssueRole, PER_ISSUE_ROLE_NAME } from '../domain/owners.js';
import { plain, section } from './format.js';

export const IC_TAKE_CALLBACK = 'srp_ic_take';

/** "Take command": for when the commander does not answer; the reason goes on the timeline. */
export function takeCommandModal(incidentId: string, commander: string | null) {
  return {
    type: 'modal',
    callback_id: IC_TAKE_CALLBACK,
    private_metadata: JSON.stringify({ incidentId }),
    title: plain('Take command'),
    submit: plain('Take command'),
    close: plain('Cancel'),
    blocks: [
      section(
        commander
          ? `You take over from <@${commander}> as incident commander of *${incidentId}*; they are told.`
          : `You become the incident commander of *${incidentId}*.`,
      ),
      {
        type: 'input',
        block_id: 'reason',
        label: plain('Why'),
        hint: plain('Recorded on the timeline, e.g. "the commander has not answered for a day".'),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
      },
    ],
  };
}

export const IC_ACCEPT_ACTION = 'srp_ic_accept';
export const IC_DECLINE_ACTION = 'srp_ic_decline';

/** A DM to the incoming commander: the id only (DMs are outside the private channel), and the two answers. */
export function commanderHandoffRequest(
  handoffId: number,
  incidentId: string,
  from: string | null,
  reminder = false,
) {
  const who = from ? `<@${from}> asks you` : 'You are asked';
  const text = `${reminder ? 'Reminder: ' : ''}${who} to take over as incident commander of ${incidentId}.`;
  return {
    text,
    blocks: [
      section(`${text}\n${from ? `<@${from}> stays in charge until you accept.` : ''}`),
      {
        type: 'actions',
        block_id: `ic_handoff_${handoffId}`,
        elements: [
          {
            type: 'button',
            style: 'primary',
            action_id: IC_ACCEPT_ACTION,
            text: plain('Accept'),
            value: String(handoffId),
          },
          { type: 'button', action_id: IC_DECLINE_ACTION, text: plain('Decline'), value: String(handoffId) },
        ],
      },
    ],
  };
}

const ROLE_NAME = {
  commander: 'incident commander',
  fix_lead: 'Fix Lead',
  fix_team: 'Fix Team',
  ...PER_ISSUE_ROLE_NAME,
} as const;

/**
 * The DM someone gets when a role on an incident becomes theirs, or is taken over from them: the id
 * and the role only (a DM is outside the private channel), and where to see the incident: the card
 * for members, `/srp show` for a Fix Team member who is not in the channel.
 */
export function roleNotice(n: {
  incidentId: string;
  role: keyof typeof ROLE_NAME;
  change: 'given' | 'taken_over';
  by: string;
  /** The new holder, when the role was taken from the reader. */
  to: string;
  cardLink: string | undefined;
}) {
  const role = ROLE_NAME[n.role];
  // The 2018 roles read as roles held ("the Triage role on …"), the incident roles as titles.
  const perIssue = isPerIssueRole(n.role);
  const text =
    n.change === 'taken_over'
      ? n.by === n.to
        ? perIssue
          ? `<@${n.by}> took over the ${role} role on ${n.incidentId}; the reason is on its timeline.`
          : `<@${n.by}> took over as ${role} of ${n.incidentId}; the reason is on its timeline.`
        : perIssue
          ? `<@${n.by}> gave the ${role} role on ${n.incidentId} to <@${n.to}>; the reason is on its timeline.`
          : `<@${n.by}> made <@${n.to}> the ${role} of ${n.incidentId}; the reason is on its timeline.`
      : n.role === 'fix_team'
        ? `You were added to the Fix Team of ${n.incidentId}.`
        : perIssue
          ? `You hold the ${role} role on ${n.incidentId}.`
          : `You are now the ${role} of ${n.incidentId}.`;
  const where = n.cardLink ? `<${n.cardLink}|Open its card>.` : `See it with \`/srp show ${n.incidentId}\`.`;
  return { text, blocks: [section(`${text}\n${where}`)] };
}
