// Plays Slack's side of the HTTP receiver: signed slash commands, interactions and events.
// Trigger ids and response_urls come from the FakeSlack, so follow-up API calls are checked for real.
import { createHmac } from 'node:crypto';
import type { FakeSlack } from './fakeSlack.js';
import {
  blockActionsPayload,
  eventCallback,
  findAction,
  type PayloadContext,
  slashCommandForm,
  viewSubmissionPayload,
} from './payloads.js';

export interface DriverResponse {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: ack bodies are arbitrary JSON; tests narrow them with expect().
  json: any;
  triggerId?: string;
  responseUrl?: string;
  headers: Record<string, string>;
}

type StateValues = Record<string, Record<string, object>>;

// Bolt compares the content type with === (slack-platform.md §7): no charset suffix allowed.
const FORM = 'application/x-www-form-urlencoded';

export class SlackDriver {
  private readonly url: string;
  private readonly fake: FakeSlack;
  private readonly signingSecret: string;
  private readonly ctx: PayloadContext;

  constructor(opts: {
    baseUrl: string;
    signingSecret: string;
    fake: FakeSlack;
    teamId?: string;
    /** Receiver path; Bolt's default is /slack/events. */
    endpoint?: string;
  }) {
    this.url = `${opts.baseUrl.replace(/\/$/, '')}${opts.endpoint ?? '/slack/events'}`;
    this.fake = opts.fake;
    this.signingSecret = opts.signingSecret;
    this.ctx = { teamId: opts.teamId ?? opts.fake.teamId, apiAppId: opts.fake.appId };
  }

  sign(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const sig = createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
    return {
      'content-type': FORM,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': `v0=${sig}`,
    };
  }

  async raw(body: string, headers: Record<string, string>): Promise<DriverResponse> {
    const res = await fetch(this.url, { method: 'POST', headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: Object.fromEntries(res.headers) };
  }

  /** `channelId` defaults to the user's DM with the app, which always exists in the fake. */
  async command(
    text: string,
    opts: { userId: string; userName?: string; channelId?: string; channelName?: string; command?: string },
  ): Promise<DriverResponse> {
    const channelId = opts.channelId ?? this.fake.dmChannelId(opts.userId);
    const triggerId = this.fake.issueTriggerId(opts.userId);
    const responseUrl = this.fake.responseUrl({ channel: channelId, userId: opts.userId });
    const form = slashCommandForm({
      ctx: this.ctx,
      user: { id: opts.userId, ...(opts.userName ? { name: opts.userName } : {}) },
      text,
      channelId,
      ...(opts.channelName ? { channelName: opts.channelName } : {}),
      ...(opts.command ? { command: opts.command } : {}),
      triggerId,
      responseUrl,
    });
    return this.postForm(new URLSearchParams(form).toString(), { triggerId, responseUrl });
  }

  /**
   * Clicks an element. For messages, the message is read from the fake (newest one holding `actionId`
   * unless `messageTs` is given); for views, `view`/`viewId` is merged over the fake's copy. Throws when
   * the element isn't rendered there, unless `blockId` is given explicitly.
   */
  async blockAction(opts: {
    userId: string;
    actionId: string;
    value?: string;
    blockId?: string;
    selectedUser?: string;
    selectedOption?: { value: string; text?: string };
    container?: 'message' | 'view';
    channelId?: string;
    messageTs?: string;
    view?: object;
    viewId?: string;
    stateValues?: StateValues;
  }): Promise<DriverResponse> {
    const triggerId = this.fake.issueTriggerId(opts.userId);
    const action = {
      actionId: opts.actionId,
      ...(opts.blockId ? { blockId: opts.blockId } : {}),
      ...(opts.value !== undefined ? { value: opts.value } : {}),
      ...(opts.selectedUser ? { selectedUser: opts.selectedUser } : {}),
      ...(opts.selectedOption ? { selectedOption: opts.selectedOption } : {}),
    };
    const container = opts.container ?? (opts.view || opts.viewId ? 'view' : 'message');
    let source: Parameters<typeof blockActionsPayload>[0]['source'];
    let responseUrl: string | undefined;
    if (container === 'view') {
      const view = this.resolveView(opts.view, opts.viewId);
      this.assertRendered(view.blocks, opts, `view ${view.id}`);
      source = { kind: 'view', view };
    } else {
      if (!opts.channelId) throw new Error('blockAction: channelId is required for message actions');
      const list = this.fake.messages(opts.channelId);
      const message = opts.messageTs
        ? list.find((m) => m.ts === opts.messageTs)
        : list.findLast((m) => findAction(m.blocks, opts.actionId));
      if (!message) {
        throw new Error(
          `blockAction: no message in ${opts.channelId} ${opts.messageTs ?? `with ${opts.actionId}`}`,
        );
      }
      this.assertRendered(message.blocks, opts, `message ${message.ts}`);
      responseUrl = this.fake.responseUrl({
        channel: opts.channelId,
        messageTs: message.ts,
        userId: opts.userId,
      });
      const { channel: _c, metadata: _m, ...wire } = message;
      source = { kind: 'message', channelId: opts.channelId, message: wire, responseUrl };
    }
    const payload = blockActionsPayload({
      ctx: this.ctx,
      user: { id: opts.userId },
      action,
      triggerId,
      source,
      ...(opts.stateValues ? { stateValues: opts.stateValues } : {}),
    });
    return this.postForm(`payload=${encodeURIComponent(JSON.stringify(payload))}`, {
      triggerId,
      responseUrl,
    });
  }

  /** Submits a modal; `values` is state.values (block_id → action_id → value object). */
  async viewSubmission(opts: {
    userId: string;
    view?: Record<string, unknown> & { id: string; hash?: string };
    viewId?: string;
    values: StateValues;
  }): Promise<DriverResponse> {
    const triggerId = this.fake.issueTriggerId(opts.userId);
    const view = this.resolveView(opts.view, opts.viewId);
    const payload = viewSubmissionPayload({
      ctx: this.ctx,
      user: { id: opts.userId },
      view,
      values: opts.values,
      triggerId,
    });
    return this.postForm(`payload=${encodeURIComponent(JSON.stringify(payload))}`, { triggerId });
  }

  /** Delivers an Events API callback as JSON; `retryNum` adds Slack's retry headers. */
  async event(
    event: object,
    opts: { eventId?: string; retryNum?: number; retryReason?: string } = {},
  ): Promise<DriverResponse> {
    const envelope = eventCallback({
      ctx: this.ctx,
      event: event as Record<string, unknown>,
      botUserId: this.fake.botUserId,
      ...(opts.eventId ? { eventId: opts.eventId } : {}),
    });
    const body = JSON.stringify(envelope);
    const headers: Record<string, string> = { ...this.sign(body), 'content-type': 'application/json' };
    if (opts.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
    }
    return this.raw(body, headers);
  }

  private async postForm(body: string, extra: { triggerId?: string; responseUrl?: string | undefined }) {
    const res = await this.raw(body, this.sign(body));
    return {
      ...res,
      ...(extra.triggerId ? { triggerId: extra.triggerId } : {}),
      ...(extra.responseUrl ? { responseUrl: extra.responseUrl } : {}),
    };
  }

  private resolveView(
    view: object | undefined,
    viewId: string | undefined,
  ): Record<string, unknown> & { id: string } {
    const id = viewId ?? (view as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') throw new Error('a view id is required (pass viewId or view.id)');
    const known = this.fake.wireView(id);
    if (!known && !view) throw new Error(`view ${id} is unknown to the fake; pass the view object`);
    return { ...(known ?? {}), ...(view ?? {}), id };
  }

  private assertRendered(blocks: unknown, opts: { actionId: string; blockId?: string }, where: string): void {
    if (opts.blockId || findAction(blocks, opts.actionId)) return;
    throw new Error(
      `action_id ${opts.actionId} is not rendered in ${where}; pass blockId to force the click`,
    );
  }
}
