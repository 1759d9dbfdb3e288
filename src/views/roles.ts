import { plain, section } from './format.js';

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
