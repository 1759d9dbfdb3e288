/**
 * Where srp may post what. This is the single rule that keeps embargoed details
 * out of public view; every outbound message passes through it.
 *
 * - `embargoed`: anything that carries report details. Only the committee's
 *   private channel, whose privacy is verified at start-up.
 * - `generic`: text with no details (an incident id and a stock phrase), which may
 *   also go to a person's DM with the app.
 * - `requested`: embargoed details that one person asked for and may read (an incident's export to a
 *   member or its Fix Lead), answered in that person's own DM with the app or in the security channel.
 *   Only `Outbox.uploadToPerson` sends it, to the DM it opens for the person who asked; no other call
 *   may use it (the outbox refuses it), so it never reaches a DM someone else named.
 * - The announcements channel takes exactly one kind of message: an incident's approved
 *   announcement line, carrying its approved hash, scheduled for its target time or posted
 *   at or after it (`mayAnnounce`). Every other call naming that channel is refused.
 */
export type Sensitivity = 'embargoed' | 'generic' | 'requested';

/** The approved announcement of an incident, as the approvals give it: its hash and its exact Slack line. */
export interface ApprovedAnnouncement {
  hash: string;
  slackLine: string;
}

export interface ChannelPolicy {
  securityChannel: string;
  announceChannel: string;
  /** The incident's approved announcement now, if it has one (read at every call, so an edit voids it at once). */
  approvedAnnouncement?: (incidentId: string) => ApprovedAnnouncement | undefined;
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

const ANNOUNCE_ONLY =
  'the announcements channel takes only an incident’s approved announcement, at its target time';

export function mayPost(policy: ChannelPolicy, channel: string, sensitivity: Sensitivity): GuardVerdict {
  if (channel === policy.announceChannel) return { ok: false, reason: ANNOUNCE_ONLY };
  if (channel === policy.securityChannel) return { ok: true };
  if ((sensitivity === 'generic' || sensitivity === 'requested') && channel.startsWith('D'))
    return { ok: true };
  return {
    ok: false,
    reason:
      sensitivity === 'embargoed'
        ? 'embargoed details may only go to the private security channel'
        : 'srp only posts to the security channel and to direct messages',
  };
}

/** An announcement srp is about to hand to Slack: scheduled for `postAt`, or posted now. */
export interface AnnouncementCall {
  method: 'chat.scheduleMessage' | 'chat.postMessage';
  channel: string;
  incidentId: string;
  /** The approved hash the message carries. */
  hash: string;
  text: string;
  /** Anything besides the text (blocks, attachments) would be unapproved content. */
  extra?: Record<string, unknown>;
  /** The incident's target time. */
  targetAt: Date;
  /** When it would appear: `post_at` for a scheduled message, now for a post. */
  at: Date;
}

/**
 * Whether an announcement may go: to the announcements channel only, the exact approved line with the approved
 * hash, nothing else in the message, and not before its target time.
 */
export function mayAnnounce(policy: ChannelPolicy, call: AnnouncementCall): GuardVerdict {
  const refuse = (why: string): GuardVerdict => ({ ok: false, reason: `${call.method}: ${why}` });
  if (call.channel !== policy.announceChannel) {
    return refuse('an announcement goes to the announcements channel only');
  }
  const approved = policy.approvedAnnouncement?.(call.incidentId);
  if (!approved) return refuse(`${call.incidentId} has no approved announcement`);
  if (call.hash !== approved.hash) return refuse(`the hash is not the approved one for ${call.incidentId}`);
  if (call.text !== approved.slackLine) {
    return refuse(`the text is not ${call.incidentId}'s approved announcement`);
  }
  if (call.extra && Object.keys(call.extra).length > 0) {
    return refuse(`nothing but the approved text may go (${Object.keys(call.extra).join(', ')})`);
  }
  // Slack's post_at is whole seconds: a target with a fraction of a second is scheduled for the next one.
  const early =
    call.method === 'chat.scheduleMessage'
      ? Math.floor(call.at.getTime() / 1000) < Math.ceil(call.targetAt.getTime() / 1000)
      : call.at.getTime() < call.targetAt.getTime();
  if (early) {
    return refuse(`it would appear before ${call.incidentId}'s target time`);
  }
  return { ok: true };
}
