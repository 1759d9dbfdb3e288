// Web API state and the method handlers for FakeSlack: conversations, chat, users, auth.
// View methods live in fakeSlackViews.ts; transport, auth and recording in fakeSlack.ts.
import { checkMessage } from './blockKit.js';
import type {
  ApiReply,
  FakeChannel,
  FakeEphemeral,
  FakeMessage,
  FakeScheduled,
  FakeSlackOptions,
  FakeUser,
} from './fakeSlackTypes.js';

export type Args = Record<string, unknown>;
export type Handler = (args: Args) => ApiReply;

interface ChannelState extends FakeChannel {
  created: number;
  /** Set for DMs opened through conversations.open. */
  imUser?: string;
}

export const fail = (error: string, extra: Record<string, unknown> = {}): ApiReply => ({
  ok: false,
  error,
  ...extra,
});

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const truthy = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

/** A Slack ts ("1700000000.123456", or whole seconds) as exact microseconds; undefined when malformed. */
function tsMicros(v: unknown): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(String(v));
  if (!m) return undefined;
  return BigInt(m[1] as string) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/** Slack's history cursors look like base64 of `next_ts:<ts of the first message of the next page>`. */
const encodeCursor = (ts: string) => Buffer.from(`next_ts:${ts}`).toString('base64');
function decodeCursor(v: unknown): bigint | undefined {
  const m = /^next_ts:(\d+\.\d{6})$/.exec(Buffer.from(String(v), 'base64').toString('utf8'));
  return m ? tsMicros(m[1]) : undefined;
}

/** Current UTC offset of an IANA zone in seconds, as users.info reports it. */
function tzOffsetSeconds(tz: string): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? '');
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

export class SlackState {
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly channels = new Map<string, ChannelState>();
  readonly users = new Map<string, FakeUser>();
  readonly messagesByChannel = new Map<string, FakeMessage[]>();
  readonly ephemerals: FakeEphemeral[] = [];
  private readonly dms = new Map<string, string>();
  /** chat.scheduleMessage's queue, by scheduled_message_id. */
  private readonly scheduled = new Map<string, FakeScheduled>();
  private scheduledCount = 0;
  private loseAll = false;
  private lastTsMicros = 0;
  private readonly now: () => number;

  constructor(opts: FakeSlackOptions) {
    this.now = opts.now ?? Date.now;
    this.teamId = opts.teamId ?? 'T0FAKE';
    this.botUserId = opts.botUserId ?? 'U0BOT';
    this.botId = opts.botId ?? 'B0BOT';
    this.appId = opts.appId ?? 'A_FAKE';
    for (const c of opts.channels ?? []) this.addChannel(c);
    for (const u of opts.users ?? []) this.addUser(u);
  }

  addChannel(c: FakeChannel): void {
    this.channels.set(c.id, { ...c, created: Math.floor(Date.now() / 1000) });
  }

  addUser(u: FakeUser): void {
    this.users.set(u.id, { ...u });
  }

  /** Keeps later ts values above one given from outside (a message added with its own ts). */
  noteTs(ts: string): void {
    this.lastTsMicros = Math.max(this.lastTsMicros, Number(tsMicros(ts) ?? 0));
  }

  /** Real Slack ts values are epoch seconds with microseconds; keep them strictly increasing. */
  nextTs(): string {
    this.lastTsMicros = Math.max(this.now() * 1000, this.lastTsMicros + 1);
    const sec = Math.floor(this.lastTsMicros / 1e6);
    return `${sec}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  /**
   * Posts every scheduled message whose post_at has come (by this workspace's clock), stamped at its
   * post_at as Slack does, or drops it when it is to be lost. Called before any API call is answered and
   * whenever a test reads messages.
   */
  deliverScheduled(): void {
    const nowS = this.now() / 1000;
    for (const m of [...this.scheduled.values()].sort((a, b) => a.post_at - b.post_at)) {
      if (m.post_at > nowS) continue;
      this.scheduled.delete(m.id);
      if (m.lost) continue;
      const list = this.messagesByChannel.get(m.channel) ?? [];
      let micros = m.post_at * 1_000_000;
      while (list.some((x) => tsMicros(x.ts) === BigInt(micros))) micros += 1;
      const ts = `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
      list.push({
        type: 'message',
        ts,
        channel: m.channel,
        user: this.botUserId,
        bot_id: this.botId,
        app_id: this.appId,
        team: this.teamId,
        text: m.text,
      });
      this.messagesByChannel.set(m.channel, list);
    }
  }

  scheduledMessages(channel?: string): FakeScheduled[] {
    return [...this.scheduled.values()].filter((m) => channel === undefined || m.channel === channel);
  }

  /** One scheduled message (by id), or every one scheduled from now on, is dropped at its time. */
  loseScheduled(id?: string): void {
    if (id === undefined) {
      this.loseAll = true;
      for (const m of this.scheduled.values()) m.lost = true;
      return;
    }
    const m = this.scheduled.get(id);
    if (m) m.lost = true;
  }

  dmChannelId(userId: string): string {
    let id = this.dms.get(userId);
    if (!id) {
      id = `D${String(this.dms.size + 1).padStart(8, '0')}`;
      this.dms.set(userId, id);
      this.channels.set(id, {
        id,
        name: userId,
        is_private: true,
        members: [userId, this.botUserId],
        created: Math.floor(Date.now() / 1000),
        imUser: userId,
      });
    }
    return id;
  }

  isMember(c: FakeChannel, userId: string): boolean {
    return c.members === undefined || c.members.includes(userId);
  }

  /** Channel ids, `#name`/`name`, and user ids (posting to a user id lands in the app DM) all resolve. */
  resolveChannel(ref: unknown): ChannelState | undefined {
    const s = str(ref);
    if (!s) return undefined;
    const direct = this.channels.get(s);
    if (direct) return direct;
    if (/^[UW]/.test(s) && this.users.has(s)) return this.channels.get(this.dmChannelId(s));
    const name = s.replace(/^#/, '');
    return [...this.channels.values()].find((c) => c.name === name && !c.imUser);
  }

  /** Private channels are invisible to a bot that isn't in them: Slack answers channel_not_found. */
  private visibleChannel(ref: unknown): ChannelState | undefined {
    const c = this.resolveChannel(ref);
    if (!c || (c.is_private && !this.isMember(c, this.botUserId))) return undefined;
    return c;
  }

  messages(channel: string): FakeMessage[] {
    return this.messagesByChannel.get(channel) ?? [];
  }

  private channelJson(c: ChannelState): Record<string, unknown> {
    const base = {
      id: c.id,
      created: c.created,
      is_archived: false,
      is_org_shared: false,
      context_team_id: this.teamId,
    };
    if (c.imUser) return { ...base, is_im: true, is_private: true, user: c.imUser, is_open: true };
    return {
      ...base,
      name: c.name,
      name_normalized: c.name,
      is_channel: !c.is_private,
      is_group: c.is_private,
      is_im: false,
      is_mpim: false,
      is_private: c.is_private,
      is_general: false,
      is_member: this.isMember(c, this.botUserId),
      is_ext_shared: false,
      is_shared: false,
    };
  }

  private userJson(u: FakeUser): Record<string, unknown> {
    const tz = u.tz ?? 'America/Los_Angeles';
    const label = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    const realName = u.real_name ?? u.name;
    return {
      id: u.id,
      team_id: this.teamId,
      name: u.name,
      deleted: false,
      real_name: realName,
      tz,
      tz_label: label ?? tz,
      tz_offset: tzOffsetSeconds(tz),
      is_bot: u.is_bot ?? false,
      is_admin: false,
      is_app_user: false,
      profile: {
        real_name: realName,
        display_name: u.name,
        real_name_normalized: realName,
        team: this.teamId,
      },
    };
  }

  private messageContent(args: Args, check: ReturnType<typeof checkMessage>): ApiReply | undefined {
    if (check.error === 'invalid_blocks' || check.error === 'msg_blocks_too_long') {
      return fail(check.error, {
        errors: check.errors,
        response_metadata: { messages: check.errors.map((e) => `[ERROR] ${e}`) },
      });
    }
    if (check.error) return fail(check.error);
    const md = args.metadata;
    if (
      md !== undefined &&
      (typeof md !== 'object' || md === null || typeof (md as Args).event_type !== 'string')
    ) {
      return fail('invalid_metadata_format');
    }
    return undefined;
  }

  private warningsOf(check: ReturnType<typeof checkMessage>): Partial<ApiReply> {
    if (check.warnings.length === 0) return {};
    return { warning: check.warnings.join(','), response_metadata: { warnings: check.warnings } };
  }

  readonly handlers: Record<string, Handler> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://fake-workspace.slack.com/',
      team: 'Fake Workspace',
      user: 'srp',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    }),

    'conversations.info': (args) => {
      const c = this.visibleChannel(args.channel);
      return c ? { ok: true, channel: this.channelJson(c) } : fail('channel_not_found');
    },

    'conversations.open': (args) => {
      const users = (str(args.users) ?? '').split(',').filter(Boolean);
      if (users.length === 0 && !str(args.channel)) return fail('users_list_not_supplied');
      if (users.length === 0) {
        const c = this.visibleChannel(args.channel);
        return c ? { ok: true, channel: this.channelJson(c) } : fail('channel_not_found');
      }
      if (users.length > 1)
        return fail('not_supported_by_fake', { detail: 'multi-person DMs are not modelled' });
      const userId = users[0] as string;
      if (!this.users.has(userId)) return fail('user_not_found');
      const id = this.dmChannelId(userId);
      const c = this.channels.get(id) as ChannelState;
      return truthy(args.return_im)
        ? { ok: true, channel: this.channelJson(c) }
        : { ok: true, channel: { id } };
    },

    // Like Slack: newest first, at most `limit` (1-999) top-level messages, within oldest/latest (exclusive
    // unless `inclusive`), and a cursor naming the first message of the next page while `has_more`.
    'conversations.history': (args) => {
      const c = this.visibleChannel(args.channel);
      if (!c) return fail('channel_not_found');
      const oldest = args.oldest === undefined ? 0n : tsMicros(args.oldest);
      if (oldest === undefined) return fail('invalid_ts_oldest');
      // Slack's default `latest` is now; the fake has none, since its ts can run a few µs ahead of the clock.
      const latest = args.latest === undefined ? undefined : tsMicros(args.latest);
      if (latest === undefined && args.latest !== undefined) return fail('invalid_ts_latest');
      const from = args.cursor === undefined ? undefined : decodeCursor(args.cursor);
      if (from === undefined && args.cursor !== undefined) return fail('invalid_cursor');
      const inclusive = truthy(args.inclusive);
      const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
      const withMeta = truthy(args.include_all_metadata);
      const inRange = (t: bigint) =>
        (inclusive ? t >= oldest : t > oldest) &&
        (latest === undefined || (inclusive ? t <= latest : t < latest)) &&
        (from === undefined || t <= from);
      const all = this.messages(c.id)
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        .map((m) => ({ m, t: tsMicros(m.ts) as bigint }))
        .filter(({ t }) => inRange(t))
        .sort((a, b) => (a.t === b.t ? 0 : a.t < b.t ? 1 : -1));
      const page = all
        .slice(0, limit)
        .map(({ m: { channel: _c, metadata, ...m } }) => (withMeta && metadata ? { ...m, metadata } : m));
      const next = all[limit];
      return {
        ok: true,
        messages: page,
        has_more: next !== undefined,
        pin_count: 0,
        ...(next ? { response_metadata: { next_cursor: encodeCursor(next.m.ts) } } : {}),
      };
    },

    /** A thread: its parent, then its replies, oldest first (the parent is kept whatever the window says). */
    'conversations.replies': (args) => {
      const c = this.visibleChannel(args.channel);
      if (!c) return fail('channel_not_found');
      const ts = str(args.ts);
      const parent = this.messages(c.id).find((m) => m.ts === ts);
      if (!parent) return fail('thread_not_found');
      const oldest = Number(args.oldest ?? 0);
      const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
      const inclusive = truthy(args.inclusive);
      const inRange = (t: number) => (inclusive ? t >= oldest && t <= latest : t > oldest && t < latest);
      const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
      const withMeta = truthy(args.include_all_metadata);
      const replies = this.messages(c.id).filter(
        (m) => m.thread_ts === ts && m.ts !== ts && inRange(Number(m.ts)),
      );
      const all = [parent, ...replies];
      const page = all
        .slice(0, limit)
        .map(({ channel: _c, metadata, ...m }) => (withMeta && metadata ? { ...m, metadata } : m));
      return { ok: true, messages: page, has_more: all.length > limit };
    },

    'chat.postMessage': (args) => {
      const c = this.resolveChannel(args.channel);
      if (!c) return fail('channel_not_found');
      // Public channels are fine without membership (chat:write.public); private ones are not.
      if (c.is_private && !this.isMember(c, this.botUserId)) return fail('not_in_channel');
      const check = checkMessage(args);
      const bad = this.messageContent(args, check);
      if (bad) return bad;
      const message: FakeMessage = {
        type: 'message',
        ts: this.nextTs(),
        channel: c.id,
        user: this.botUserId,
        bot_id: this.botId,
        app_id: this.appId,
        team: this.teamId,
        text: str(args.text) ?? '',
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        ...(args.metadata ? { metadata: args.metadata as FakeMessage['metadata'] } : {}),
        ...(str(args.thread_ts) ? { thread_ts: str(args.thread_ts) } : {}),
      };
      const list = this.messagesByChannel.get(c.id) ?? [];
      list.push(message);
      this.messagesByChannel.set(c.id, list);
      const { channel: _c, ...wire } = message;
      return { ok: true, channel: c.id, ts: message.ts, message: wire, ...this.warningsOf(check) };
    },

    'chat.update': (args) => {
      const c = this.resolveChannel(args.channel);
      if (!c) return fail('channel_not_found');
      const message = this.messages(c.id).find((m) => m.ts === args.ts);
      if (!message) return fail('message_not_found');
      // Slack keeps the old blocks when `blocks` is omitted, so validate what the message will end up with.
      const blocks = args.blocks === undefined ? message.blocks : args.blocks;
      const text = args.text === undefined ? message.text : args.text;
      const check = checkMessage({ text, blocks });
      const bad = this.messageContent(args, check);
      if (bad) return bad;
      message.text = str(text) ?? '';
      if (Array.isArray(blocks) && blocks.length > 0) message.blocks = blocks;
      else delete message.blocks;
      if (args.metadata) message.metadata = args.metadata as FakeMessage['metadata'];
      message.edited = { user: this.botUserId, ts: this.nextTs() };
      const { channel: _c, ...wire } = message;
      return {
        ok: true,
        channel: c.id,
        ts: message.ts,
        text: message.text,
        message: wire,
        ...this.warningsOf(check),
      };
    },

    'chat.postEphemeral': (args) => {
      const c = this.visibleChannel(args.channel);
      if (!c) return fail('channel_not_found');
      const user = str(args.user);
      if (!user || !this.users.has(user)) return fail('user_not_found');
      if (!this.isMember(c, user)) return fail('user_not_in_channel');
      const check = checkMessage(args);
      const bad = this.messageContent(args, check);
      if (bad) return bad;
      const ephemeral: FakeEphemeral = {
        channel: c.id,
        user,
        message_ts: this.nextTs(),
        ...(str(args.text) ? { text: str(args.text) } : {}),
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
      };
      this.ephemerals.push(ephemeral);
      return { ok: true, message_ts: ephemeral.message_ts, ...this.warningsOf(check) };
    },

    'chat.getPermalink': (args) => {
      const c = this.visibleChannel(args.channel);
      if (!c) return fail('channel_not_found');
      const ts = str(args.message_ts);
      if (!ts || !this.messages(c.id).some((m) => m.ts === ts)) return fail('message_not_found');
      return {
        ok: true,
        channel: c.id,
        permalink: `https://fake-workspace.slack.com/archives/${c.id}/p${ts.replace('.', '')}`,
      };
    },

    // Slack's scheduling: post_at in unix seconds, in the future and at most 120 days ahead. A message
    // scheduled with metadata is accepted and never posted (a Slack bug the reference notes).
    'chat.scheduleMessage': (args) => {
      const c = this.resolveChannel(args.channel);
      if (!c) return fail('channel_not_found');
      if (c.is_private && !this.isMember(c, this.botUserId)) return fail('not_in_channel');
      const postAt = Number(args.post_at);
      if (!Number.isInteger(postAt)) return fail('invalid_time');
      const nowS = this.now() / 1000;
      if (postAt <= nowS) return fail('time_in_past');
      if (postAt > nowS + 120 * 86_400) return fail('time_too_far');
      const check = checkMessage(args);
      const bad = this.messageContent(args, check);
      if (bad) return bad;
      this.scheduledCount += 1;
      const id = `Q${String(this.scheduledCount).padStart(8, '0')}`;
      const metadata = args.metadata as FakeMessage['metadata'] | undefined;
      const entry: FakeScheduled = {
        id,
        channel: c.id,
        text: str(args.text) ?? '',
        post_at: postAt,
        date_created: Math.floor(nowS),
        lost: this.loseAll || metadata !== undefined,
        ...(metadata ? { metadata } : {}),
      };
      this.scheduled.set(id, entry);
      return {
        ok: true,
        channel: c.id,
        scheduled_message_id: id,
        post_at: postAt,
        message: { type: 'message', text: entry.text, user: this.botUserId, bot_id: this.botId },
      };
    },

    // Refused once posted (or lost), and within 60 s of its time, like Slack.
    'chat.deleteScheduledMessage': (args) => {
      const c = this.resolveChannel(args.channel);
      if (!c) return fail('channel_not_found');
      const m = this.scheduled.get(str(args.scheduled_message_id) ?? '');
      if (!m || m.channel !== c.id) return fail('invalid_scheduled_message_id');
      if (m.post_at - this.now() / 1000 < 60) return fail('invalid_scheduled_message_id');
      this.scheduled.delete(m.id);
      return { ok: true };
    },

    'chat.scheduledMessages.list': (args) => {
      const channel = str(args.channel);
      if (channel && !this.resolveChannel(channel)) return fail('invalid_channel');
      const oldest = args.oldest === undefined ? -Infinity : Number(args.oldest);
      const latest = args.latest === undefined ? Infinity : Number(args.latest);
      const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
      const all = this.scheduledMessages(channel)
        .filter((m) => m.post_at >= oldest && m.post_at <= latest)
        .sort((a, b) => a.post_at - b.post_at || a.id.localeCompare(b.id));
      const start =
        args.cursor === undefined ? 0 : Number(Buffer.from(String(args.cursor), 'base64').toString());
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return {
        ok: true,
        scheduled_messages: page.map((m) => ({
          id: m.id,
          channel_id: m.channel,
          post_at: m.post_at,
          date_created: m.date_created,
          text: m.text,
        })),
        response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' },
      };
    },

    'users.info': (args) => {
      const u = this.users.get(str(args.user) ?? '');
      return u ? { ok: true, user: this.userJson(u) } : fail('user_not_found');
    },
  };
}
