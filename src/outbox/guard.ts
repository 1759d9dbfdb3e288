/**
 * Where srp may post what. This is the single rule that keeps embargoed details
 * out of public view; every outbound message passes through it.
 *
 * - `embargoed`: anything that carries report details. Only the committee's
 *   private channel, whose privacy is verified at start-up.
 * - `generic`: text with no details (an incident id and a stock phrase), which may
 *   also go to a person's DM with the app.
 * - The announcements channel takes nothing until an announcement is published.
 */
export type Sensitivity = 'embargoed' | 'generic';

export interface ChannelPolicy {
  securityChannel: string;
  announceChannel: string;
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

export function mayPost(policy: ChannelPolicy, channel: string, sensitivity: Sensitivity): GuardVerdict {
  if (channel === policy.announceChannel) {
    return { ok: false, reason: 'nothing is posted to the announcements channel before disclosure' };
  }
  if (channel === policy.securityChannel) return { ok: true };
  if (sensitivity === 'generic' && channel.startsWith('D')) return { ok: true };
  return {
    ok: false,
    reason:
      sensitivity === 'embargoed'
        ? 'embargoed details may only go to the private security channel'
        : 'srp only posts to the security channel and to direct messages',
  };
}
