// views.* methods and trigger_id bookkeeping for FakeSlack.
import { randomBytes } from 'node:crypto';
import { validateView } from './blockKit.js';
import { type Args, fail, type Handler, type SlackState } from './fakeSlackApi.js';
import type { ApiReply, FakeSlackOptions, FakeView } from './fakeSlackTypes.js';

interface Trigger {
  issuedAt: number;
  used: boolean;
  userId: string | undefined;
}

const MAX_STACK = 3;

const newHash = (): string => `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;

export class ViewState {
  readonly views = new Map<string, FakeView>();
  private readonly triggers = new Map<string, Trigger>();
  /** Open modal stack per user; views.open replaces it, views.push grows it up to 3. */
  private readonly stacks = new Map<string, string[]>();
  private readonly homeViews = new Map<string, string>();
  private viewCounter = 0;
  private triggerCounter = 0;
  private readonly ttlMs: number;
  private readonly errorStyle: NonNullable<FakeSlackOptions['triggerErrorStyle']>;

  constructor(
    private readonly slack: SlackState,
    opts: FakeSlackOptions,
  ) {
    this.ttlMs = opts.triggerTtlMs ?? 3000;
    this.errorStyle = opts.triggerErrorStyle ?? 'invalid_arguments';
  }

  issueTriggerId(userId?: string): string {
    this.triggerCounter += 1;
    const id = `${1_000_000_000_000 + this.triggerCounter}.${Date.now()}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { issuedAt: Date.now(), used: false, userId });
    return id;
  }

  homeViewId(userId: string): string | undefined {
    return this.homeViews.get(userId);
  }

  /** Modal stack of a user, bottom first; helps assert that pushes landed on the right modal. */
  stackOf(userId: string): string[] {
    return [...(this.stacks.get(userId) ?? [])];
  }

  private nextViewId(): string {
    this.viewCounter += 1;
    return `V${this.viewCounter.toString(36).toUpperCase().padStart(10, '0')}`;
  }

  private triggerProblem(id: unknown): ApiReply | undefined {
    const t = typeof id === 'string' ? this.triggers.get(id) : undefined;
    const invalid = fail('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] invalid `trigger_id`'] },
    });
    if (!t) return invalid;
    if (t.used) return this.errorStyle === 'specific' ? fail('exchanged_trigger_id') : invalid;
    if (Date.now() - t.issuedAt > this.ttlMs)
      return this.errorStyle === 'specific' ? fail('expired_trigger_id') : invalid;
    return undefined;
  }

  private viewProblem(view: unknown): ApiReply | undefined {
    if (typeof view !== 'object' || view === null) {
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: view'] },
      });
    }
    const errors = validateView(view);
    if (errors.length === 0) return undefined;
    return fail('invalid_arguments', {
      errors,
      response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
    });
  }

  private externalIdTaken(view: Args, exceptId?: string): boolean {
    const ext = view.external_id;
    if (typeof ext !== 'string' || ext === '') return false;
    return [...this.views.values()].some((v) => v.externalId === ext && v.id !== exceptId);
  }

  /** The view object as Slack returns it from views.* and embeds in interaction payloads. */
  wireView(v: FakeView): Record<string, unknown> {
    const s = v.view;
    return {
      id: v.id,
      team_id: this.slack.teamId,
      type: s.type,
      blocks: s.blocks ?? [],
      private_metadata: s.private_metadata ?? '',
      callback_id: s.callback_id ?? '',
      state: { values: {} },
      hash: v.hash,
      title: s.title ?? { type: 'plain_text', text: 'View Title' },
      clear_on_close: s.clear_on_close ?? false,
      notify_on_close: s.notify_on_close ?? false,
      close: s.close ?? null,
      submit: s.submit ?? null,
      previous_view_id: v.previousViewId,
      root_view_id: v.rootViewId,
      app_id: this.slack.appId,
      external_id: s.external_id ?? '',
      app_installed_team_id: this.slack.teamId,
      bot_id: this.slack.botId,
    };
  }

  private openOrPush(args: Args, push: boolean): ApiReply {
    if (typeof args.trigger_id !== 'string') {
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
      });
    }
    const problem = this.viewProblem(args.view) ?? this.triggerProblem(args.trigger_id);
    if (problem) return problem;
    const sent = args.view as FakeView['view'];
    if (sent.type !== 'modal') {
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] view type must be modal'] },
      });
    }
    if (this.externalIdTaken(sent)) return fail('duplicate_external_id');
    const trigger = this.triggers.get(args.trigger_id) as Trigger;
    const stackKey = trigger.userId ?? `anonymous:${args.trigger_id}`;
    const stack = push ? (this.stacks.get(stackKey) ?? []) : [];
    if (stack.length >= MAX_STACK) return fail('push_limit_reached');
    trigger.used = true;
    const id = this.nextViewId();
    const view: FakeView = {
      id,
      hash: newHash(),
      view: sent,
      user: trigger.userId,
      rootViewId: stack[0] ?? id,
      previousViewId: stack.at(-1) ?? null,
      ...(typeof sent.external_id === 'string' && sent.external_id ? { externalId: sent.external_id } : {}),
    };
    this.views.set(id, view);
    this.stacks.set(stackKey, [...stack, id]);
    return { ok: true, view: this.wireView(view) };
  }

  readonly handlers: Record<string, Handler> = {
    'views.open': (args) => this.openOrPush(args, false),
    'views.push': (args) => this.openOrPush(args, true),

    'views.update': (args) => {
      const byExternal = typeof args.external_id === 'string' && args.external_id !== '';
      if (typeof args.view_id !== 'string' && !byExternal) {
        return fail('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] view_id or external_id required'] },
        });
      }
      const current = byExternal
        ? [...this.views.values()].find((v) => v.externalId === args.external_id)
        : this.views.get(args.view_id as string);
      if (!current) return fail('not_found');
      const problem = this.viewProblem(args.view);
      if (problem) return problem;
      if (typeof args.hash === 'string' && args.hash !== current.hash) return fail('hash_conflict');
      const sent = args.view as FakeView['view'];
      if (this.externalIdTaken(sent, current.id)) return fail('duplicate_external_id');
      current.view = sent;
      current.hash = newHash();
      if (typeof sent.external_id === 'string' && sent.external_id) current.externalId = sent.external_id;
      return { ok: true, view: this.wireView(current) };
    },

    'views.publish': (args) => {
      const userId = args.user_id;
      if (typeof userId !== 'string' || userId === '') {
        return fail('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] missing required field: user_id'] },
        });
      }
      const problem = this.viewProblem(args.view);
      if (problem) return problem;
      const sent = args.view as FakeView['view'];
      if (sent.type !== 'home') {
        return fail('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] view type must be home'] },
        });
      }
      const existing = this.views.get(this.homeViews.get(userId) ?? '');
      if (existing && typeof args.hash === 'string' && args.hash !== existing.hash)
        return fail('hash_conflict');
      const id = existing?.id ?? this.nextViewId();
      const view: FakeView = {
        id,
        hash: newHash(),
        view: sent,
        user: userId,
        rootViewId: id,
        previousViewId: null,
      };
      this.views.set(id, view);
      this.homeViews.set(userId, id);
      return { ok: true, view: this.wireView(view) };
    },
  };
}
