/** What a use case answers, shared by every service and the Slack layer. */

export type Outcome = { ok: true; message: string } | { ok: false; message: string };

/**
 * A change made at once (inside Slack's 3-second window) and the due work it made due now: the keys of
 * the rows (a card to redraw, a DM to send) that the Slack layer runs right after it has answered. If
 * they fail, or srp dies first, the rows are still in the queue and the scheduler runs them.
 */
export interface Done {
  outcome: Outcome;
  due?: string[];
}

export const refused = (message: string): Done => ({ outcome: { ok: false, message } });
export const done = (message: string, due: string[] = []): Done => ({ outcome: { ok: true, message }, due });
