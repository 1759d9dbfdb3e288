// A fake Slack Web API (+ Socket Mode and response_url endpoints) over real HTTP on 127.0.0.1,
// so the app's real WebClient serialization, retries and error classes are exercised.
// Slack semantics: see /work/shared/reference/slack-platform.md.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessage } from './blockKit.js';
import { type Args, SlackState } from './fakeSlackApi.js';
import type {
  ApiReply,
  FailureSpec,
  FakeChannel,
  FakeEphemeral,
  FakeMessage,
  FakeScheduled,
  FakeSlackOptions,
  FakeUser,
  FakeView,
  RecordedCall,
} from './fakeSlackTypes.js';
import { ViewState } from './fakeSlackViews.js';
import { FakeSocketMode } from './fakeSocketMode.js';

export type * from './fakeSlackTypes.js';
export type { FakeSocketMode, SocketAck } from './fakeSocketMode.js';

/** Fields WebClient sends as JSON strings inside the form body. */
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** Where a response_url points, so replace_original / delete_original / in_channel can act on fake state. */
export interface ResponseTarget {
  channel?: string;
  messageTs?: string;
  userId?: string;
}

interface ResponseUrlState {
  createdAt: number;
  uses: number;
  target: ResponseTarget;
}

export class FakeSlack {
  readonly apiUrl: string;
  readonly calls: RecordedCall[] = [];
  readonly socket: FakeSocketMode;
  private readonly state: SlackState;
  private readonly viewState: ViewState;
  private readonly failures = new Map<string, FailureSpec[]>();
  private readonly delays = new Map<string, number[]>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly responseBodies: Array<{ url: string; body: unknown }> = [];

  private constructor(
    private readonly server: Server,
    private readonly opts: FakeSlackOptions,
    readonly baseUrl: string,
  ) {
    this.apiUrl = `${baseUrl}/api/`;
    this.state = new SlackState(opts);
    this.viewState = new ViewState(this.state, opts);
    this.socket = new FakeSocketMode(server, () => baseUrl.replace(/^http/, 'ws'), this.state.appId);
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      // Requests can't arrive before listen() resolves, so `fake` is always set here.
      fake?.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, opts, `http://127.0.0.1:${port}`);
    return fake;
  }

  get teamId(): string {
    return this.state.teamId;
  }
  get botUserId(): string {
    return this.state.botUserId;
  }
  get botId(): string {
    return this.state.botId;
  }
  get appId(): string {
    return this.state.appId;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  okCallsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** A trigger_id valid for `triggerTtlMs` and one views.open/views.push; `userId` ties the modal stack. */
  issueTriggerId(userId?: string): string {
    return this.viewState.issueTriggerId(userId);
  }

  /** Calls that have arrived, answered or not (a delayed call is here before it is in `calls`). */
  readonly arrived: string[] = [];

  /** Holds the next call to `method` for `ms` before answering it, so a test can act while it is in flight. */
  delayNext(method: string, ms: number): void {
    this.delays.set(method, [...(this.delays.get(method) ?? []), ms]);
  }

  /** Makes the next `times` calls to `method` fail before any other processing. */
  failNext(method: string, failure: FailureSpec, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Drops every failure `failNext` queued that no call has met yet. */
  clearFailures(): void {
    this.failures.clear();
  }

  addChannel(c: FakeChannel): void {
    this.state.addChannel(c);
  }

  addUser(u: FakeUser): void {
    this.state.addUser(u);
  }

  /**
   * A message put straight into a channel: one the app posted before this fake existed (e.g. a seeded
   * database's cards, with their ts), or one another bot posted (`user`/`bot_id`/`app_id`). Without a
   * `ts` it gets the next one, as if posted now. Returns the ts.
   */
  addMessage(m: {
    channel: string;
    ts?: string;
    text: string;
    blocks?: unknown[];
    metadata?: FakeMessage['metadata'];
    user?: string;
    bot_id?: string;
    app_id?: string;
  }): string {
    const ts = m.ts ?? this.state.nextTs();
    this.state.noteTs(ts);
    const list = this.state.messagesByChannel.get(m.channel) ?? [];
    list.push({
      type: 'message',
      user: this.state.botUserId,
      bot_id: this.state.botId,
      app_id: this.state.appId,
      team: this.state.teamId,
      ...m,
      ts,
    });
    this.state.messagesByChannel.set(m.channel, list);
    return ts;
  }

  /** The DM channel conversations.open returns (or will return) for this user. */
  dmChannelId(userId: string): string {
    return this.state.dmChannelId(userId);
  }

  /** Messages in a channel, oldest first, reflecting chat.update and response_url edits. */
  messages(channel: string): FakeMessage[] {
    this.state.deliverScheduled();
    // By ts (a scheduled message lands at its post_at, which may be before messages posted since).
    return [...this.state.messages(channel)].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }

  /** Messages waiting in Slack's schedule (delivered ones are gone from it). */
  scheduled(channel?: string): FakeScheduled[] {
    this.state.deliverScheduled();
    return this.state.scheduledMessages(channel);
  }

  /** Slack will drop this scheduled message (or every one scheduled from now on) instead of posting it. */
  loseScheduled(id?: string): void {
    this.state.loseScheduled(id);
  }

  ephemerals(channel?: string): FakeEphemeral[] {
    return this.state.ephemerals.filter((e) => channel === undefined || e.channel === channel);
  }

  view(id: string): FakeView | undefined {
    return this.viewState.views.get(id);
  }

  views(): FakeView[] {
    return [...this.viewState.views.values()];
  }

  homeView(userId: string): FakeView | undefined {
    const id = this.viewState.homeViewId(userId);
    return id ? this.viewState.views.get(id) : undefined;
  }

  /** Modal stack of a user (view ids, bottom first). Only triggers issued with a userId are tracked per user. */
  modalStack(userId: string): string[] {
    return this.viewState.stackOf(userId);
  }

  /** The view as Slack would embed it in a block_actions / view_submission payload. */
  wireView(id: string): Record<string, unknown> | undefined {
    const v = this.viewState.views.get(id);
    return v ? this.viewState.wireView(v) : undefined;
  }

  async waitFor<T>(fn: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const v = fn();
        if (v !== undefined && v !== false) return v;
        lastError = undefined;
      } catch (err) {
        // Lets callers poll with expect(); the last failure explains the timeout.
        lastError = err;
      }
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const recent = this.calls
      .slice(-10)
      .map((c) => `${c.method}${c.ok ? '' : `(${c.error ?? c.status})`}`)
      .join(', ');
    const cause = lastError instanceof Error ? ` Last error: ${lastError.message}.` : '';
    throw new Error(
      `waitFor(${what}) timed out after ${timeoutMs}ms.${cause} Recent calls: [${recent || 'none'}]`,
    );
  }

  responses(): Array<{ url: string; body: unknown }> {
    return [...this.responseBodies];
  }

  /** A fresh response_url: 5 POSTs within 30 minutes, like Slack's. */
  responseUrl(target: ResponseTarget = {}): string {
    const id = randomBytes(9).toString('hex');
    this.responseUrls.set(id, { createdAt: Date.now(), uses: 0, target });
    return `${this.baseUrl}/respond/${id}`;
  }

  async stop(): Promise<void> {
    await this.socket.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (api?.[1]) {
      this.arrived.push(api[1]);
      const delay = this.delays.get(api[1])?.shift();
      if (delay) await new Promise((r) => setTimeout(r, delay));
      return this.handleApi(api[1], req, raw, url.searchParams, res);
    }
    const respond = /^\/respond\/(\w+)$/.exec(url.pathname);
    if (respond?.[1] && req.method === 'POST') return this.handleResponseUrl(respond[1], url.href, raw, res);
    const upload = /^\/upload\/(\w+)$/.exec(url.pathname);
    if (upload?.[1] && req.method === 'POST') {
      const pending = this.pendingUploads.get(upload[1]);
      if (!pending) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such upload');
      pending.content = raw;
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
    }
    const file = /^\/files\/(\w+)\/download$/.exec(url.pathname);
    if (file?.[1] && req.method === 'GET') return this.handleFileDownload(file[1], req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  /**
   * Files a user uploaded (e.g. through a modal's file_input). Like Slack, the content is served at
   * url_private_download only with a token in the Authorization header.
   */
  addFile(f: { name: string; content: string; filetype?: string }): {
    id: string;
    url_private_download: string;
  } {
    const id = `F${String(this.files.size + 1).padStart(8, '0')}`;
    const url = `${this.baseUrl}/files/${id}/download`;
    this.files.set(id, { id, name: f.name, filetype: f.filetype ?? 'text', content: f.content, url });
    return { id, url_private_download: url };
  }

  /**
   * Files srp shared (files.uploadV2: getUploadURLExternal, the upload, completeUploadExternal): where,
   * with what title and content. A share into a channel the bot is not in fails like Slack's.
   */
  readonly uploads: Array<{
    id: string;
    channel: string | undefined;
    title: string;
    filename: string;
    content: string;
  }> = [];
  private readonly pendingUploads = new Map<string, { filename: string; length: number; content?: string }>();

  private getUploadUrl(a: Args): ApiReply {
    const filename = String(a.filename ?? '');
    const length = Number(a.length);
    if (!filename || !Number.isInteger(length) || length < 1)
      return { ok: false, error: 'invalid_arguments' };
    const id = `F${String(this.files.size + this.pendingUploads.size + 1).padStart(8, '0')}U`;
    this.pendingUploads.set(id, { filename, length });
    return { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
  }

  private completeUpload(a: Args): ApiReply {
    let files: Array<{ id: string; title?: string }>;
    try {
      files = typeof a.files === 'string' ? JSON.parse(a.files) : (a.files as typeof files);
    } catch {
      return { ok: false, error: 'invalid_arguments' };
    }
    const channel = a.channel_id === undefined ? undefined : String(a.channel_id);
    if (channel) {
      const known = this.state.channels.get(channel);
      if (!known) return { ok: false, error: 'channel_not_found' };
      if (!known.members?.includes(this.state.botUserId)) return { ok: false, error: 'not_in_channel' };
    }
    const done = [];
    for (const f of files) {
      const pending = this.pendingUploads.get(f.id);
      if (pending?.content === undefined) return { ok: false, error: 'file_not_found' };
      this.pendingUploads.delete(f.id);
      const title = f.title ?? pending.filename;
      this.uploads.push({ id: f.id, channel, title, filename: pending.filename, content: pending.content });
      done.push({
        id: f.id,
        title,
        permalink: `https://fake-workspace.slack.com/files/${this.state.botUserId}/${f.id}`,
      });
    }
    return { ok: true, files: done };
  }

  private readonly files = new Map<
    string,
    { id: string; name: string; filetype: string; content: string; url: string }
  >();

  private handleFileDownload(id: string, req: IncomingMessage, res: ServerResponse) {
    const f = this.files.get(id);
    const bearer = /^Bearer\s+(xox[bp]-.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    this.calls.push({
      method: 'files.download',
      args: { id },
      token: bearer,
      ok: Boolean(f && bearer),
      status: 200,
      at: Date.now(),
    });
    // Without a token Slack answers with its login page, not the file.
    if (!f || !bearer)
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
    res.writeHead(200, { 'content-type': 'text/calendar' }).end(f.content);
  }

  private handleApi(
    method: string,
    req: IncomingMessage,
    raw: string,
    query: URLSearchParams,
    res: ServerResponse,
  ) {
    const ctype = req.headers['content-type'] ?? '';
    let args: Args = Object.fromEntries(query);
    let parseError: string | undefined;
    if (ctype.startsWith('application/json')) {
      try {
        args = { ...args, ...(raw ? (JSON.parse(raw) as Args) : {}) };
      } catch {
        parseError = 'invalid_json';
      }
    } else {
      args = { ...args, ...Object.fromEntries(new URLSearchParams(raw)) };
    }
    for (const field of JSON_FIELDS) {
      const v = args[field];
      if (typeof v !== 'string') continue;
      try {
        args[field] = JSON.parse(v);
      } catch {
        parseError ??= field === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments';
      }
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;

    const record = (
      status: number,
      body: ApiReply | undefined,
      extraHeaders: Record<string, string> = {},
    ) => {
      this.calls.push({
        method,
        args,
        token,
        ok: body?.ok === true,
        ...(body?.error ? { error: body.error } : status !== 200 ? { error: `http_${status}` } : {}),
        ...(body?.warning ? { warning: body.warning } : {}),
        status,
        at: Date.now(),
        response: body,
      });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extraHeaders });
      res.end(body ? JSON.stringify(body) : '');
    };

    // Slack posts what was scheduled when its time comes; the fake, when anyone next asks it anything.
    this.state.deliverScheduled();
    const injected = this.failures.get(method)?.shift();
    if (injected && 'status' in injected && injected.status === 500 && injected.after) {
      const handler = this.state.handlers[method] ?? this.viewState.handlers[method];
      if (handler && !parseError && !this.authProblem(method, token)) handler(args);
      return record(500, undefined);
    }
    if (injected) {
      if ('error' in injected) return record(200, { ok: false, error: injected.error });
      if (injected.status === 429) {
        return record(
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(injected.retryAfter) },
        );
      }
      return record(500, undefined);
    }
    if (parseError) return record(200, { ok: false, error: parseError });
    const handler =
      method === 'apps.connections.open'
        ? () => ({ ok: true, url: this.socket.issueUrl() })
        : method === 'files.getUploadURLExternal'
          ? (a: Args) => this.getUploadUrl(a)
          : method === 'files.completeUploadExternal'
            ? (a: Args) => this.completeUpload(a)
            : method === 'files.info'
              ? (a: Args) => {
                  const f = this.files.get(String(a.file ?? ''));
                  return f
                    ? {
                        ok: true,
                        file: {
                          id: f.id,
                          name: f.name,
                          filetype: f.filetype,
                          size: f.content.length,
                          url_private: f.url,
                          url_private_download: f.url,
                        },
                      }
                    : { ok: false, error: 'file_not_found' };
                }
              : (this.state.handlers[method] ?? this.viewState.handlers[method]);
    if (!handler) return record(200, { ok: false, error: 'unknown_method', req_method: method });
    const authError = this.authProblem(method, token);
    if (authError) return record(200, { ok: false, error: authError });
    let reply: ApiReply;
    try {
      reply = handler(args);
    } catch (err) {
      // A bug in the fake must not look like a Slack answer; surface it loudly.
      return record(500, { ok: false, error: `fake_internal_error: ${(err as Error).stack ?? String(err)}` });
    }
    record(200, reply);
  }

  private authProblem(method: string, token: string | undefined): string | undefined {
    if (!token) return 'not_authed';
    const isAppToken = token.startsWith('xapp-');
    if (method === 'apps.connections.open') {
      if (!isAppToken) return 'not_allowed_token_type';
      if (this.opts.appToken && token !== this.opts.appToken) return 'invalid_auth';
      return undefined;
    }
    if (isAppToken) return 'not_allowed_token_type';
    if (!token.startsWith('xox')) return 'invalid_auth';
    if (this.opts.botToken && token !== this.opts.botToken) return 'invalid_auth';
    return undefined;
  }

  private handleResponseUrl(id: string, href: string, raw: string, res: ServerResponse): void {
    const entry = this.responseUrls.get(id);
    const reject = (msg: string) => res.writeHead(404, { 'content-type': 'text/plain' }).end(msg);
    if (!entry) return void reject('no_service');
    if (Date.now() - entry.createdAt > RESPONSE_URL_TTL_MS) return void reject('expired_url');
    if (entry.uses >= RESPONSE_URL_USES) return void reject('used_url');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
    }
    if (!body.delete_original) {
      const check = checkMessage({ text: body.text, blocks: body.blocks });
      if (check.error) return void res.writeHead(400, { 'content-type': 'text/plain' }).end(check.error);
    }
    entry.uses += 1;
    this.responseBodies.push({ url: href, body });
    this.applyResponse(entry.target, body);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }

  private applyResponse(target: ResponseTarget, body: Record<string, unknown>): void {
    const { channel, messageTs, userId } = target;
    if (!channel) return;
    const list = this.state.messagesByChannel.get(channel) ?? [];
    const index = list.findIndex((m) => m.ts === messageTs);
    const content = {
      text: typeof body.text === 'string' ? body.text : '',
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    };
    if (body.delete_original && index >= 0) {
      list.splice(index, 1);
    } else if (body.replace_original && index >= 0) {
      const old = list[index] as FakeMessage;
      const { blocks: _drop, ...rest } = old;
      list[index] = { ...rest, ...content, edited: { user: this.state.botUserId, ts: this.state.nextTs() } };
    } else if (body.response_type === 'in_channel') {
      const msg: FakeMessage = {
        type: 'message',
        ts: this.state.nextTs(),
        channel,
        user: this.state.botUserId,
        bot_id: this.state.botId,
        app_id: this.state.appId,
        team: this.state.teamId,
        ...content,
      };
      this.state.messagesByChannel.set(channel, [...list, msg]);
    } else if (userId) {
      this.state.ephemerals.push({ channel, user: userId, message_ts: this.state.nextTs(), ...content });
    }
  }
}
