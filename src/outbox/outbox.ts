import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Delivery as DeliveryRow, DeliveryStore } from '../store/deliveries.js';
import type { DmChannelStore } from '../store/dmChannels.js';
import { errorCode, GuardRefusal } from './errors.js';
import {
  type AnnouncementCall,
  type ChannelPolicy,
  mayAnnounce,
  mayPost,
  type Sensitivity,
} from './guard.js';

export interface OutboundMessage {
  /** Shown in notifications and previews, so it never carries report details. */
  text: string;
  blocks?: unknown[];
}

export interface Posted {
  channel: string;
  ts: string;
}

/** One message srp sends: its delivery key and kind (from `domain/work.ts`), where, and how sensitive. */
export interface Delivery {
  key: string;
  kind: string;
  channel: string;
  sensitivity: Sensitivity;
  /** Posts it as a reply in the thread of this message (its ts, in the same channel). */
  threadTs?: string;
  /** Called only when the message is really sent, so it shows the newest state. */
  render: () => OutboundMessage;
}

/** Metadata stamped on every post, so a post whose reply was lost can be found again in Slack. */
const METADATA_EVENT = 'srp_delivery';
/** Our clock and Slack's may disagree: the history is read from this long before the intent was recorded. */
const CLOCK_SKEW_S = 60;
/**
 * Messages per page of conversations.history: Slack's recommended page size (its maximum is 999). Cards
 * carry large blocks, so a page of 200 stays small and well inside the client's 10 s timeout.
 */
const HISTORY_PAGE = 200;
/**
 * Pages read per attempt, at most (800 messages in the window where a lost post can be). The bound keeps
 * an attempt inside its due-work lease (a minute): each call may take up to 10 s, so 4 pages and then
 * the post take 50 s at worst, and another runner never takes the row while this one is still reading.
 * It also keeps the lookup far below conversations.history's rate limit (Tier 3, 50+ a minute).
 */
const HISTORY_MAX_PAGES = 4;
/** The client's timeout on one call: a post's message is stamped within it of the attempt's start. */
const CALL_TIMEOUT_S = 10;
/**
 * Pages of the announcements channel read when confirming an announcement (from its target time on): a
 * quiet channel, so 2,000 messages is days of it; more is an error to retry, never "not posted".
 */
const ANNOUNCE_HISTORY_PAGES = 10;

/** An incident's approved announcement as srp hands it over: the line, its hash, its target time. */
export interface AnnouncementOf {
  incidentId: string;
  hash: string;
  text: string;
  targetAt: Date;
}

/**
 * More messages landed in the window where a lost post can be than one attempt reads, and ours is not
 * among those read. Retried like a Slack outage, never answered by posting: see `findPosted`.
 */
export class HistoryTooLong extends Error {
  readonly code = 'srp_history_too_long';
}

/**
 * The archive link of a message, the form chat.getPermalink answers (`thread_ts` and `cid` for a reply),
 * built without a call: no call naming the channel, and none of the CPU and rate limit a call costs.
 */
export function messageLink(workspaceUrl: string, channel: string, ts: string, threadTs?: string): string {
  const base = `${workspaceUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

interface OutboxDeps {
  /** A client with retries off: whether and when to try again is the due-work queue's decision. */
  client: WebClient;
  deliveries: DeliveryStore;
  dmChannels: DmChannelStore;
  clock: Clock;
  log: Logger;
  policy: ChannelPolicy;
  /** `https://<workspace>.slack.com/` (auth.test): links to srp's own messages are built from it. */
  workspaceUrl?: string | undefined;
}

/**
 * Every message srp posts goes through here. It applies the channel guard, and posts each keyed message
 * exactly once: the intent is recorded before the call, the ts after; an intent left pending (a crash, a
 * lost reply) is reconciled against the channel's history before anything is sent again. It never waits
 * or retries: a failure is thrown to the due-work runner, which holds the only lease on the work (so no
 * two calls for one key run at once, even across replicas) and decides when to try again.
 */
export class Outbox {
  constructor(private readonly deps: OutboxDeps) {}

  /** Posts the message once under its key; later calls with the same key return the first post. */
  async post(d: Delivery, known?: DeliveryRow): Promise<Posted> {
    this.check(d.channel, d.sensitivity);
    return this.deliver(d, known);
  }

  /** The keyed, exactly-once post behind `post` and `postAnnouncement`, once the guard has let it through. */
  private async deliver(
    d: Omit<Delivery, 'sensitivity'>,
    known?: DeliveryRow,
    stamp: Record<string, string> = {},
  ): Promise<Posted> {
    const { deliveries, clock, log } = this.deps;
    // A caller that just read the record passes it, and the intent is only inserted if there is none.
    const { delivery, fresh } = known
      ? { delivery: known, fresh: false }
      : deliveries.claim(d.key, d.kind, d.channel, clock.now());
    if (delivery.state === 'sent' && delivery.ts) return { channel: delivery.channel, ts: delivery.ts };
    if (!fresh) {
      // A previous attempt may have reached Slack even though we never learnt its ts.
      const found = await this.findPosted(delivery, d.threadTs).catch((err: unknown) => {
        deliveries.recordAttempt(d.key, errorCode(err));
        throw err;
      });
      if (found) {
        deliveries.markSent(d.key, found, delivery.channel, clock.now());
        log.info({ key: d.key }, 'reconciled a pending delivery from channel history');
        return { channel: delivery.channel, ts: found };
      }
      deliveries.retrying(d.key, clock.now());
    }
    try {
      const res = await this.deps.client.chat.postMessage({
        channel: d.channel,
        ...(d.threadTs ? { thread_ts: d.threadTs } : {}),
        ...d.render(),
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: METADATA_EVENT, event_payload: { ...stamp, key: d.key } },
      } as never);
      const ts = res.ts as string;
      deliveries.markSent(d.key, ts, d.channel, clock.now());
      return { channel: d.channel, ts };
    } catch (err) {
      deliveries.recordAttempt(d.key, errorCode(err));
      throw err;
    }
  }

  /**
   * A message posted once and then edited in place (an incident card): later calls update it. If someone
   * deleted it in Slack, it is posted again, so the card comes back with its newest state.
   */
  async upsert(d: Delivery): Promise<Posted> {
    const existing = this.deps.deliveries.get(d.key);
    if (existing?.state !== 'sent' || !existing.ts) return this.post(d, existing);
    this.check(existing.channel, d.sensitivity);
    try {
      await this.deps.client.chat.update({
        channel: existing.channel,
        ts: existing.ts,
        ...d.render(),
      } as never);
    } catch (err) {
      if (errorCode(err) !== 'message_not_found') throw err;
      this.deps.log.warn({ key: d.key }, 'the message was deleted in Slack; posting it again');
      this.deps.deliveries.forget(d.key, existing.ts);
      return this.post(d);
    }
    return { channel: existing.channel, ts: existing.ts };
  }

  /**
   * A reply in the thread of a message srp posted under `parentKey` (an incident's card), in that
   * message's channel, guarded and exactly once like any post. Undefined while the parent is not posted
   * yet: the caller waits for it.
   */
  async reply(parentKey: string, d: Omit<Delivery, 'channel' | 'threadTs'>): Promise<Posted | undefined> {
    const parent = this.deps.deliveries.get(parentKey);
    if (parent?.state !== 'sent' || !parent.ts) return undefined;
    return this.post({ ...d, channel: parent.channel, threadTs: parent.ts });
  }

  /**
   * A reply in the thread of `parentKey`'s message that is later edited in place (a retrospective draft):
   * posted once like `reply`, then updated like `upsert`. Undefined while the parent is not posted yet.
   */
  async upsertReply(
    parentKey: string,
    d: Omit<Delivery, 'channel' | 'threadTs'>,
  ): Promise<Posted | undefined> {
    const parent = this.deps.deliveries.get(parentKey);
    if (parent?.state !== 'sent' || !parent.ts) return undefined;
    return this.upsert({ ...d, channel: parent.channel, threadTs: parent.ts });
  }

  /** A direct message from the app to one person; only generic text may go there. */
  async directMessage(d: Omit<Delivery, 'channel' | 'sensitivity'> & { userId: string }): Promise<Posted> {
    const cached = this.deps.dmChannels.get(d.userId);
    if (!cached) {
      // Before opening a DM: a message already sent needs no channel.
      const sent = this.deps.deliveries.get(d.key);
      if (sent?.state === 'sent' && sent.ts) return { channel: sent.channel, ts: sent.ts };
    }
    const channel = cached ?? (await this.dmChannel(d.userId));
    try {
      return await this.post({ ...d, channel, sensitivity: 'generic' });
    } catch (err) {
      // A DM channel Slack no longer knows is opened afresh on the next attempt.
      if (errorCode(err) === 'channel_not_found') this.deps.dmChannels.forget(d.userId);
      throw err;
    }
  }

  /**
   * A link to a top-level message srp posted (an incident's card), or undefined while it is not posted.
   * Built from the workspace's address when srp knows it; asked of Slack only when it does not. (A reply's
   * link needs its thread, which the delivery record does not keep.)
   */
  async permalink(key: string): Promise<string | undefined> {
    const d = this.deps.deliveries.get(key);
    if (d?.state !== 'sent' || !d.ts) return undefined;
    if (this.deps.workspaceUrl) return messageLink(this.deps.workspaceUrl, d.channel, d.ts);
    const res = await this.deps.client.chat.getPermalink({ channel: d.channel, message_ts: d.ts });
    return res.permalink;
  }

  /**
   * A text file shared into a channel (files.uploadV2), under the same guard as a post: embargoed content
   * only into the security channel. Made on a person's request and answered to them; a repeated request
   * uploads again (a second copy of a draft harms nothing), so no delivery is recorded. Returns the
   * file's permalink.
   */
  async upload(f: {
    channel: string;
    sensitivity: Sensitivity;
    filename: string;
    title: string;
    content: string;
    comment?: string;
  }): Promise<string | undefined> {
    return this.uploadFile(f, false);
  }

  /**
   * A file one person asked for, into their own DM with the app (opened here, never a channel someone
   * named): the only way `requested` content (embargoed details they may read) leaves the security channel.
   */
  async uploadToPerson(f: {
    userId: string;
    filename: string;
    title: string;
    content: string;
    comment?: string;
  }): Promise<string | undefined> {
    const channel = this.deps.dmChannels.get(f.userId) ?? (await this.dmChannel(f.userId));
    const { userId: _user, ...file } = f;
    return this.uploadFile({ ...file, channel, sensitivity: 'requested' }, true);
  }

  private async uploadFile(
    f: {
      channel: string;
      sensitivity: Sensitivity;
      filename: string;
      title: string;
      content: string;
      comment?: string;
    },
    viaPerson: boolean,
  ): Promise<string | undefined> {
    this.check(f.channel, f.sensitivity, viaPerson);
    const res = await this.deps.client.filesUploadV2({
      channel_id: f.channel,
      filename: f.filename,
      title: f.title,
      content: f.content,
      ...(f.comment ? { initial_comment: f.comment } : {}),
    });
    const done = (res as { files?: Array<{ files?: Array<{ permalink?: string }> }> }).files;
    return done?.[0]?.files?.[0]?.permalink;
  }

  /**
   * Posts an incident's approved announcement to the announcements channel, exactly once under `key` (the
   * intent recorded before the call, a pending one looked up in the channel's history before any re-send),
   * stamped with the incident and the approved hash. The guard checks it against the approval at this moment
   * and refuses it before its target time.
   */
  async postAnnouncement(a: AnnouncementOf & { key: string }): Promise<Posted> {
    const channel = this.deps.policy.announceChannel;
    this.checkAnnouncement({ ...a, method: 'chat.postMessage', channel, at: this.deps.clock.now() });
    return this.deliver(
      { key: a.key, kind: 'announce-confirm', channel, render: () => ({ text: a.text }) },
      undefined,
      { incident: a.incidentId, hash: a.hash },
    );
  }

  /**
   * Hands an approved announcement to Slack's schedule for its target time; returns Slack's scheduled
   * message id. Not keyed here: the caller records its intent first and, after a crash, looks for the
   * scheduled message (`scheduledAnnouncements`) before calling again. No metadata: Slack never posts a
   * scheduled message that carries metadata, so the line itself is what identifies it.
   */
  async scheduleAnnouncement(a: AnnouncementOf): Promise<string> {
    const channel = this.deps.policy.announceChannel;
    const postAt = Math.ceil(a.targetAt.getTime() / 1000);
    this.checkAnnouncement({ ...a, method: 'chat.scheduleMessage', channel, at: new Date(postAt * 1000) });
    const res = await this.deps.client.chat.scheduleMessage({
      channel,
      text: a.text,
      post_at: postAt,
      unfurl_links: false,
      unfurl_media: false,
    } as never);
    const id = res.scheduled_message_id;
    if (!id) throw new Error('chat.scheduleMessage returned no scheduled_message_id');
    return id;
  }

  /** The messages Slack holds scheduled for the announcements channel (a read: it needs no guard). */
  async scheduledAnnouncements(): Promise<Array<{ id: string; text: string; postAt: number }>> {
    const channel = this.deps.policy.announceChannel;
    const out: Array<{ id: string; text: string; postAt: number }> = [];
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
      const res = await this.deps.client.chat.scheduledMessages.list({
        channel,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const m of res.scheduled_messages ?? []) {
        if (m.id) out.push({ id: m.id, text: m.text ?? '', postAt: m.post_at ?? 0 });
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return out;
    }
    throw new HistoryTooLong(`more than ${HISTORY_MAX_PAGES} pages of scheduled messages in ${channel}`);
  }

  /**
   * Withdraws a scheduled announcement. `refused`: Slack no longer has it to withdraw (it was posted, or is
   * due within the minute, or was lost); the caller finds out which.
   */
  async withdrawAnnouncement(scheduledMessageId: string): Promise<'deleted' | 'refused'> {
    try {
      await this.deps.client.chat.deleteScheduledMessage({
        channel: this.deps.policy.announceChannel,
        scheduled_message_id: scheduledMessageId,
      });
      return 'deleted';
    } catch (err) {
      if (errorCode(err) === 'invalid_scheduled_message_id') return 'refused';
      throw err;
    }
  }

  /**
   * The ts of an incident's announcement in the announcements channel since `from`, if it is there: srp's own
   * post (its delivery stamp names `key`), or the exact line (Slack's scheduled delivery carries no stamp).
   * Reads the whole window; one too long to read is an error to retry, never "not there".
   */
  async findAnnouncement(a: { key: string; text: string; from: Date }): Promise<string | undefined> {
    const channel = this.deps.policy.announceChannel;
    const oldest = String(Math.floor(a.from.getTime() / 1000) - CLOCK_SKEW_S);
    let cursor: string | undefined;
    for (let page = 1; page <= ANNOUNCE_HISTORY_PAGES; page++) {
      const res = await this.deps.client.conversations.history({
        channel,
        oldest,
        inclusive: true,
        limit: HISTORY_PAGE,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      });
      const hit = res.messages?.find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } })
          .metadata;
        const stamped = meta?.event_type === METADATA_EVENT && meta.event_payload?.key === a.key;
        return stamped || (m.text === a.text && !m.thread_ts);
      });
      if (hit?.ts) return hit.ts;
      cursor = res.has_more ? res.response_metadata?.next_cursor : undefined;
      if (!cursor) return undefined;
    }
    throw new HistoryTooLong(
      `more than ${ANNOUNCE_HISTORY_PAGES * HISTORY_PAGE} messages in the announcements channel since the target time`,
    );
  }

  /** A link to a message in the announcements channel (a read). */
  async announcementLink(ts: string): Promise<string> {
    const res = await this.deps.client.chat.getPermalink({
      channel: this.deps.policy.announceChannel,
      message_ts: ts,
    });
    if (!res.permalink) throw new Error('chat.getPermalink returned no permalink');
    return res.permalink;
  }

  isDelivered(key: string): boolean {
    return this.deps.deliveries.get(key)?.state === 'sent';
  }

  private async dmChannel(userId: string): Promise<string> {
    const opened = await this.deps.client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    this.deps.dmChannels.save(userId, channel, this.deps.clock.now());
    return channel;
  }

  private checkAnnouncement(call: AnnouncementCall) {
    const verdict = mayAnnounce(this.deps.policy, call);
    if (!verdict.ok) throw new GuardRefusal(`refused an announcement: ${verdict.reason}`);
  }

  /** `requested` content passes only from `uploadToPerson` (`viaPerson`): never a post, an update or a plain upload. */
  private check(channel: string, sensitivity: Sensitivity, viaPerson = false) {
    if (sensitivity === 'requested' && !viaPerson) {
      throw new GuardRefusal(
        `refused to post to ${channel}: requested content goes only to the asker's own DM`,
      );
    }
    const verdict = mayPost(this.deps.policy, channel, sensitivity);
    if (!verdict.ok) throw new GuardRefusal(`refused to post to ${channel}: ${verdict.reason}`);
  }

  /**
   * The ts of the message a previous attempt posted under the delivery's key, if Slack has it. Such a
   * post can only have been made while an attempt ran: between the first attempt (the intent) and the
   * latest one's timeout, give or take the two clocks' skew. That window of the channel's history is
   * read page by page (newest first), so what landed in the channel since does not make it longer; for a
   * reply, the same window of its thread's replies, which the history leaves out. If
   * even that window holds more than HISTORY_MAX_PAGES pages (hundreds of messages within a few minutes),
   * the attempt fails with HistoryTooLong, a retryable error, rather than posting: not finding the
   * message in the pages read does not mean it is not there, and a second card splits the committee's
   * thread and leaves one copy never updated.
   */
  private async findPosted(d: DeliveryRow, threadTs?: string): Promise<string | undefined> {
    const { channel, key } = d;
    const from = Math.floor(d.createdAt.getTime() / 1000) - CLOCK_SKEW_S;
    const to = Math.ceil((d.attemptedAt ?? d.createdAt).getTime() / 1000) + CALL_TIMEOUT_S + CLOCK_SKEW_S;
    let cursor: string | undefined;
    for (let page = 1; page <= HISTORY_MAX_PAGES; page++) {
      const query = {
        channel,
        oldest: String(from),
        latest: String(to),
        inclusive: true,
        limit: HISTORY_PAGE,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      };
      const res = threadTs
        ? await this.deps.client.conversations.replies({ ...query, ts: threadTs })
        : await this.deps.client.conversations.history(query);
      const hit = res.messages?.find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } })
          .metadata;
        return meta?.event_type === METADATA_EVENT && meta.event_payload?.key === key;
      });
      if (hit?.ts) return hit.ts;
      // Slack ends a cursor-paginated collection with an empty or missing next_cursor.
      cursor = res.has_more ? res.response_metadata?.next_cursor : undefined;
      if (!cursor) return undefined;
    }
    this.deps.log.warn(
      { key, channel, pages: HISTORY_MAX_PAGES, from, to },
      'a pending delivery was not found in the channel history read; not posting it again blindly',
    );
    throw new HistoryTooLong(
      `more than ${HISTORY_MAX_PAGES * HISTORY_PAGE} messages in ${channel} while the delivery was being attempted`,
    );
  }
}
