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

/**
 * What a reporter who filed in Slack hears when their report is closed without a fix: that it was
 * reviewed, with its id. The reasoning, and any reply, comes from a member in their own words.
 */
export function reviewedNotice(incidentId: string) {
  const text = `Thank you. Your vulnerability report ${incidentId} has been reviewed by the Security Response Committee.`;
  return {
    text,
    blocks: [
      section(
        `:lock: Thank you. Your vulnerability report *${incidentId}* has been reviewed by the Security Response Committee. A member may follow up with you directly.`,
      ),
    ],
  };
}
