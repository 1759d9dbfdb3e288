import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DeliveryStore } from '../store/deliveries.js';
import { type ChannelPolicy, mayPost, type Sensitivity } from './guard.js';

export interface OutboundMessage {
  /** Shown in notifications and previews, so it never carries report details. */
  text: string;
  blocks?: unknown[];
}

export class GuardRefusal extends Error {}

/** Metadata stamped on every post, so a post whose reply was lost can be found again in Slack. */
const METADATA_EVENT = 'srp_delivery';
const MAX_RATE_LIMIT_WAITS = 3;
const HISTORY_LOOKBACK = 200;

interface OutboxDeps {
  /** A client with retries off: the outbox decides itself when a retry is safe. */
  client: WebClient;
  deliveries: DeliveryStore;
  clock: Clock;
  log: Logger;
  policy: ChannelPolicy;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Every message srp posts goes through here. It applies the channel guard, and
 * posts each keyed message exactly once: the intent is recorded before the
 * call, the ts after; an intent left pending (a crash, a lost reply) is
 * reconciled against the channel's history before anything is sent again.
 */
export class Outbox {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: OutboxDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Posts the message once under `key`; later calls with the same key return the first post. */
  deliverOnce(key: string, channel: string, sensitivity: Sensitivity, render: () => OutboundMessage) {
    return this.withLock(key, () => this.deliverUnlocked(key, channel, sensitivity, render));
  }

  /**
   * A message that is posted once and then edited in place (an incident card):
   * the first call posts it, later calls `chat.update` it with a fresh render.
   */
  upsert(key: string, channel: string, sensitivity: Sensitivity, render: () => OutboundMessage) {
    return this.withLock(key, async () => {
      const existing = this.deps.deliveries.get(key);
      if (existing?.state === 'sent' && existing.ts) {
        this.check(existing.channel, sensitivity);
        await this.call(() =>
          this.deps.client.chat.update({
            channel: existing.channel,
            ts: existing.ts as string,
            ...render(),
          } as never),
        );
        return { channel: existing.channel, ts: existing.ts };
      }
      return this.deliverUnlocked(key, channel, sensitivity, render);
    });
  }

  /** A direct message from the app to one person; only generic text may go there. */
  async directMessage(key: string, userId: string, render: () => OutboundMessage) {
    const sent = this.deps.deliveries.get(key);
    if (sent?.state === 'sent' && sent.ts) return { channel: sent.channel, ts: sent.ts };
    const opened = await this.call(() => this.deps.client.conversations.open({ users: userId }));
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    return this.deliverOnce(key, channel, 'generic', render);
  }

  isDelivered(key: string): boolean {
    return this.deps.deliveries.get(key)?.state === 'sent';
  }

  private check(channel: string, sensitivity: Sensitivity) {
    const verdict = mayPost(this.deps.policy, channel, sensitivity);
    if (!verdict.ok) throw new GuardRefusal(`refused to post to ${channel}: ${verdict.reason}`);
  }

  private async deliverUnlocked(
    key: string,
    channel: string,
    sensitivity: Sensitivity,
    render: () => OutboundMessage,
  ) {
    this.check(channel, sensitivity);
    const { delivery, fresh } = this.deps.deliveries.claim(key, channel, this.deps.clock.now());
    if (delivery.state === 'sent' && delivery.ts) return { channel: delivery.channel, ts: delivery.ts };
    if (!fresh) {
      // A previous attempt may have reached Slack even though we never learnt its ts.
      const found = await this.findPosted(delivery.channel, key, delivery.createdAt);
      if (found) {
        this.deps.deliveries.markSent(key, found, delivery.channel, this.deps.clock.now());
        this.deps.log.info({ key }, 'reconciled a pending delivery from channel history');
        return { channel: delivery.channel, ts: found };
      }
    }
    try {
      const res = await this.call(() =>
        this.deps.client.chat.postMessage({
          channel,
          ...render(),
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: METADATA_EVENT, event_payload: { key } },
        } as never),
      );
      const ts = res.ts as string;
      this.deps.deliveries.markSent(key, ts, channel, this.deps.clock.now());
      this.deps.deliveries.recordAttempt(key, null);
      return { channel, ts };
    } catch (err) {
      this.deps.deliveries.recordAttempt(key, errorCode(err));
      throw err;
    }
  }

  private async findPosted(channel: string, key: string, since: Date): Promise<string | undefined> {
    const res = await this.call(() =>
      this.deps.client.conversations.history({
        channel,
        oldest: String(Math.floor(since.getTime() / 1000) - 60),
        limit: HISTORY_LOOKBACK,
        include_all_metadata: true,
      }),
    );
    const hit = res.messages?.find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }).metadata;
      return meta?.event_type === METADATA_EVENT && meta.event_payload?.key === key;
    });
    return hit?.ts;
  }

  /** Waits out 429s (Slack did nothing, so a retry is safe); any other failure is the caller's to handle. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const retryAfter = (err as { retryAfter?: number }).retryAfter;
        if (typeof retryAfter !== 'number' || attempt >= MAX_RATE_LIMIT_WAITS) throw err;
        this.deps.log.warn({ retryAfter }, 'Slack rate limit; waiting before retrying');
        await this.sleep(retryAfter * 1000);
      }
    }
  }

  private withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => {});
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return next;
  }
}

export function errorCode(err: unknown): string {
  const e = err as { data?: { error?: string }; code?: string; statusCode?: number; message?: string };
  return e?.data?.error ?? (e?.statusCode ? `http_${e.statusCode}` : undefined) ?? e?.code ?? 'unknown_error';
}
