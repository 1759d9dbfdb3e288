import { section } from './format.js';

/**
 * The reporter's receipt: the id to quote and nothing else. A reporter need not
 * be on the committee, so it says nothing about who handles the report or how.
 */
export function reporterReceipt(incidentId: string) {
  const text = `Thank you. Your vulnerability report was received as ${incidentId}. Please quote this id in any follow-up.`;
  return {
    text,
    blocks: [
      section(
        `:lock: Thank you. Your vulnerability report was received as *${incidentId}*.\nPlease quote this id in any follow-up; the Security Response Committee will be in touch.`,
      ),
    ],
  };
}

/** The reporter's receipt for something they added to their report later: again the id only. */
export function additionReceipt(incidentId: string) {
  const text = `Thank you. What you added to ${incidentId} was received.`;
  return {
    text,
    blocks: [section(`:lock: Thank you. What you added to *${incidentId}* was received by the committee.`)],
  };
}
