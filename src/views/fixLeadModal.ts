import { plain } from './format.js';

export const FIX_LEAD_CALLBACK = 'srp_fixlead_reassign';

export function fixLeadModal(incidentId: string, current: string | null) {
  return {
    type: 'modal',
    callback_id: FIX_LEAD_CALLBACK,
    private_metadata: JSON.stringify({ incidentId }),
    title: plain('Reassign Fix Lead'),
    submit: plain('Reassign'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'fixLead',
        label: plain(`New Fix Lead for ${incidentId}`),
        element: {
          type: 'users_select',
          action_id: 'value',
          ...(current ? { initial_user: current } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'reason',
        label: plain('Reason'),
        hint: plain('Recorded on the timeline, e.g. "on leave next week" or "owns the affected component".'),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
      },
    ],
  };
}
