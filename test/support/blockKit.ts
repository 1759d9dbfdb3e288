// Block Kit validator for the fake Slack API. Limits follow /work/shared/reference/slack-platform.md §1.
// Error strings copy Slack's style: "<problem> [json-pointer:/blocks/0/text/text]".

type Obj = Record<string, unknown>;

export const MESSAGE_MAX_BLOCKS = 50;
export const VIEW_MAX_BLOCKS = 100;
// Undocumented; Slack maintainers quote "12,000 text characters with a buffer" (bolt-js #2509, #2867).
export const MESSAGE_MAX_BLOCK_TEXT = 12_000;
export const MESSAGE_TEXT_TRUNCATE = 40_000;
export const TOO_LONG_PREFIX = 'msg_blocks_too_long';
export const NO_TEXT_PREFIX = 'no_text';

const BLOCK_KEYS: Record<string, string[]> = {
  section: ['text', 'fields', 'accessory', 'expand'],
  header: ['text'],
  divider: [],
  context: ['elements'],
  actions: ['elements'],
  input: ['label', 'element', 'dispatch_action', 'hint', 'optional'],
  image: ['image_url', 'slack_file', 'alt_text', 'title'],
  rich_text: ['elements'],
  markdown: ['text'],
};
const MESSAGE_ONLY_BLOCKS = new Set(['markdown']);

const SELECTS = ['static_select', 'users_select', 'conversations_select', 'channels_select'];
const MULTI_SELECTS = SELECTS.map((s) => `multi_${s}`);
const PICKERS = ['datepicker', 'timepicker', 'datetimepicker'];
const TEXT_INPUTS = [
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
];
const ALL_ELEMENTS = new Set([
  'file_input',
  'button',
  'overflow',
  'image',
  'checkboxes',
  'radio_buttons',
  ...SELECTS,
  ...MULTI_SELECTS,
  ...PICKERS,
  ...TEXT_INPUTS,
]);
const ACCESSORY_ELEMENTS = new Set([
  'button',
  'overflow',
  'image',
  'checkboxes',
  'radio_buttons',
  ...SELECTS,
  ...MULTI_SELECTS,
  ...PICKERS.filter((p) => p !== 'datetimepicker'),
]);
const ACTIONS_ELEMENTS = new Set([
  'button',
  'overflow',
  'checkboxes',
  'radio_buttons',
  ...SELECTS,
  ...MULTI_SELECTS,
  ...PICKERS,
  'rich_text_input',
]);
const INPUT_ELEMENTS = new Set([
  'file_input',
  'checkboxes',
  'radio_buttons',
  ...SELECTS,
  ...MULTI_SELECTS,
  ...PICKERS,
  ...TEXT_INPUTS,
]);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly errors: string[] = [];
  readonly blockIds = new Set<string>();

  fail(msg: string, path: string): void {
    this.errors.push(`${msg} [json-pointer:${path}]`);
  }

  str(v: unknown, path: string, max: number, opts: { min?: number; required?: boolean } = {}): v is string {
    if (v === undefined) {
      if (opts.required) this.fail('missing required field', path);
      return false;
    }
    if (typeof v !== 'string') {
      this.fail('must provide a string', path);
      return false;
    }
    if (v.length > max) this.fail(`must be less than ${max + 1} characters`, path);
    if (v.length < (opts.min ?? 0)) this.fail(`must be more than ${(opts.min ?? 1) - 1} characters`, path);
    return true;
  }

  list(v: unknown, path: string, max: number, opts: { min?: number; required?: boolean } = {}): unknown[] {
    if (v === undefined) {
      if (opts.required) this.fail('missing required field', path);
      return [];
    }
    if (!Array.isArray(v)) {
      this.fail('must provide an array', path);
      return [];
    }
    if (v.length > max) this.fail(`no more than ${max} items allowed`, path);
    if (v.length < (opts.min ?? 0)) this.fail(`must provide at least ${opts.min} items`, path);
    return v;
  }

  /** A composition text object; `plainOnly` where Slack demands plain_text (headers, labels, buttons…). */
  text(v: unknown, path: string, max: number, opts: { plainOnly?: boolean; required?: boolean } = {}): void {
    if (v === undefined) {
      if (opts.required) this.fail('missing required field', path);
      return;
    }
    if (!isObj(v)) {
      this.fail('must provide an object', path);
      return;
    }
    const allowed = opts.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof v.type !== 'string' || !allowed.includes(v.type)) {
      this.fail(`must be one of ${allowed.join(', ')}`, `${path}/type`);
    }
    this.str(v.text, `${path}/text`, max, { min: 1, required: true });
    for (const key of Object.keys(v)) {
      const ok =
        ['type', 'text'].includes(key) || (key === 'emoji' && v.type === 'plain_text') || key === 'verbatim';
      if (!ok || (key === 'verbatim' && v.type !== 'mrkdwn'))
        this.fail(`invalid additional property: ${key}`, path);
    }
  }

  blocks(blocks: unknown, path: string, max: number, surface: 'message' | 'view'): void {
    const list = this.list(blocks, path, max, { required: surface === 'view' });
    list.forEach((b, i) => {
      this.block(b, `${path}/${i}`, surface);
    });
  }

  block(b: unknown, path: string, surface: 'message' | 'view'): void {
    if (!isObj(b)) {
      this.fail('must provide an object', path);
      return;
    }
    const type = b.type;
    if (typeof type !== 'string' || !(type in BLOCK_KEYS)) {
      this.fail(`unsupported block type: ${String(type)}`, `${path}/type`);
      return;
    }
    if (surface === 'view' && MESSAGE_ONLY_BLOCKS.has(type)) {
      this.fail(`block type ${type} is only allowed in messages`, `${path}/type`);
      return;
    }
    const allowed = new Set(['type', 'block_id', ...(BLOCK_KEYS[type] ?? [])]);
    for (const key of Object.keys(b)) {
      if (!allowed.has(key)) this.fail(`invalid additional property: ${key}`, path);
    }
    if (this.str(b.block_id, `${path}/block_id`, 255, { min: 1 })) {
      if (this.blockIds.has(b.block_id)) this.fail(`duplicate block_id: ${b.block_id}`, `${path}/block_id`);
      this.blockIds.add(b.block_id);
    }
    const actionIds = new Set<string>();
    switch (type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) this.fail('must provide text or fields', path);
        this.text(b.text, `${path}/text`, 3000);
        this.list(b.fields, `${path}/fields`, 10, { min: 1 }).forEach((f, i) => {
          this.text(f, `${path}/fields/${i}`, 2000);
        });
        if (b.accessory !== undefined)
          this.element(b.accessory, `${path}/accessory`, ACCESSORY_ELEMENTS, actionIds);
        break;
      case 'header':
        this.text(b.text, `${path}/text`, 150, { plainOnly: true, required: true });
        break;
      case 'context':
        this.list(b.elements, `${path}/elements`, 10, { min: 1, required: true }).forEach((e, i) => {
          const p = `${path}/elements/${i}`;
          if (isObj(e) && e.type === 'image') this.element(e, p, new Set(['image']), actionIds);
          else this.text(e, p, 3000);
        });
        break;
      case 'actions':
        this.list(b.elements, `${path}/elements`, 25, { min: 1, required: true }).forEach((e, i) => {
          this.element(e, `${path}/elements/${i}`, ACTIONS_ELEMENTS, actionIds);
        });
        break;
      case 'input':
        this.text(b.label, `${path}/label`, 2000, { plainOnly: true, required: true });
        this.text(b.hint, `${path}/hint`, 2000, { plainOnly: true });
        if (b.element === undefined) this.fail('missing required field', `${path}/element`);
        else this.element(b.element, `${path}/element`, INPUT_ELEMENTS, actionIds);
        break;
      case 'image':
        this.image(b, path);
        this.text(b.title, `${path}/title`, 2000, { plainOnly: true });
        break;
      case 'rich_text':
        this.list(b.elements, `${path}/elements`, Number.POSITIVE_INFINITY, { required: true });
        break;
      case 'markdown':
        this.str(b.text, `${path}/text`, MESSAGE_MAX_BLOCK_TEXT, { min: 1, required: true });
        break;
    }
  }

  image(e: Obj, path: string): void {
    if (e.image_url === undefined && e.slack_file === undefined)
      this.fail('must provide image_url or slack_file', path);
    this.str(e.image_url, `${path}/image_url`, 3000, { min: 1 });
    this.str(e.alt_text, `${path}/alt_text`, 2000, { min: 1, required: true });
  }

  element(e: unknown, path: string, allowed: Set<string>, actionIds: Set<string>): void {
    if (!isObj(e)) {
      this.fail('must provide an object', path);
      return;
    }
    const type = e.type;
    if (typeof type !== 'string' || !ALL_ELEMENTS.has(type)) {
      this.fail(`unsupported element type: ${String(type)}`, `${path}/type`);
      return;
    }
    if (!allowed.has(type)) {
      this.fail(`element type ${type} is not allowed here`, `${path}/type`);
      return;
    }
    if (this.str(e.action_id, `${path}/action_id`, 255, { min: 1 })) {
      if (actionIds.has(e.action_id)) this.fail(`duplicate action_id: ${e.action_id}`, `${path}/action_id`);
      actionIds.add(e.action_id);
    }
    this.text(e.placeholder, `${path}/placeholder`, 150, { plainOnly: true });
    switch (type) {
      case 'button':
        this.text(e.text, `${path}/text`, 75, { plainOnly: true, required: true });
        this.str(e.value, `${path}/value`, 2000);
        this.str(e.url, `${path}/url`, 3000);
        this.str(e.accessibility_label, `${path}/accessibility_label`, 75);
        if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
          this.fail('must be one of primary, danger', `${path}/style`);
        }
        break;
      case 'static_select':
      case 'multi_static_select':
        if ((e.options === undefined) === (e.option_groups === undefined)) {
          this.fail('must provide exactly one of options or option_groups', path);
        }
        this.options(e.options, `${path}/options`, 100, 1, { plainOnly: true });
        for (const [i, g] of this.list(e.option_groups, `${path}/option_groups`, 100, { min: 1 }).entries()) {
          const gp = `${path}/option_groups/${i}`;
          if (!isObj(g)) {
            this.fail('must provide an object', gp);
            continue;
          }
          this.text(g.label, `${gp}/label`, 75, { plainOnly: true, required: true });
          this.options(g.options, `${gp}/options`, 100, 1, { plainOnly: true, required: true });
        }
        break;
      case 'overflow':
        this.options(e.options, `${path}/options`, 5, 1, { plainOnly: true, allowUrl: true, required: true });
        break;
      case 'checkboxes':
      case 'radio_buttons':
        this.options(e.options, `${path}/options`, 10, 1, { required: true });
        break;
      case 'plain_text_input':
        this.int(e.max_length, `${path}/max_length`, 1, 3000);
        this.int(e.min_length, `${path}/min_length`, 0, 3000);
        if (
          typeof e.min_length === 'number' &&
          typeof e.max_length === 'number' &&
          e.min_length > e.max_length
        ) {
          this.fail('min_length must not exceed max_length', `${path}/min_length`);
        }
        this.str(e.initial_value, `${path}/initial_value`, 3000);
        break;
      case 'number_input':
        if (typeof e.is_decimal_allowed !== 'boolean')
          this.fail('missing required field', `${path}/is_decimal_allowed`);
        break;
      case 'datepicker':
        if (e.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(e.initial_date))) {
          this.fail('must be a date in YYYY-MM-DD format', `${path}/initial_date`);
        }
        break;
      case 'timepicker':
        if (e.initial_time !== undefined && !/^\d{2}:\d{2}$/.test(String(e.initial_time))) {
          this.fail('must be a time in HH:mm format', `${path}/initial_time`);
        }
        break;
      case 'image':
        this.image(e, path);
        break;
    }
  }

  options(
    v: unknown,
    path: string,
    max: number,
    min: number,
    opts: { plainOnly?: boolean; allowUrl?: boolean; required?: boolean },
  ): void {
    for (const [i, o] of this.list(v, path, max, { min, required: opts.required }).entries()) {
      const p = `${path}/${i}`;
      if (!isObj(o)) {
        this.fail('must provide an object', p);
        continue;
      }
      this.text(o.text, `${p}/text`, 75, { plainOnly: opts.plainOnly, required: true });
      // docs.slack.dev now says 150, older docs and @slack/types say 75; the stricter one keeps us safe on both.
      this.str(o.value, `${p}/value`, 75, { min: 1, required: true });
      this.text(o.description, `${p}/description`, 75, { plainOnly: true });
      if (o.url !== undefined) {
        if (opts.allowUrl) this.str(o.url, `${p}/url`, 3000);
        else this.fail('url is only allowed in overflow menu options', `${p}/url`);
      }
    }
  }

  int(v: unknown, path: string, min: number, max: number): void {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail('must provide an integer', path);
    else if (v < min || v > max) this.fail(`must be between ${min} and ${max}`, path);
  }
}

/** Sum of every string under a `text` key, which is how Slack's undocumented message budget behaves. */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + blockTextLength(v), 0);
  if (!isObj(value)) return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    n += k === 'text' && typeof v === 'string' ? v.length : blockTextLength(v);
  }
  return n;
}

export interface MessageCheck {
  /** The Slack error code the API would answer with, if any. */
  error?: 'invalid_blocks' | 'invalid_blocks_format' | 'msg_blocks_too_long' | 'no_text';
  errors: string[];
  warnings: string[];
}

export function checkMessage(args: { text?: unknown; blocks?: unknown }): MessageCheck {
  const { text, blocks } = args;
  const warnings: string[] = [];
  const hasText = typeof text === 'string' && text.length > 0;
  if (blocks === undefined || (Array.isArray(blocks) && blocks.length === 0)) {
    if (!hasText)
      return { error: 'no_text', errors: [`${NO_TEXT_PREFIX}: provide text or blocks`], warnings };
  } else if (!Array.isArray(blocks)) {
    return {
      error: 'invalid_blocks_format',
      errors: ['blocks must be a JSON array [json-pointer:/blocks]'],
      warnings,
    };
  }
  if (typeof text === 'string' && text.length > MESSAGE_TEXT_TRUNCATE) warnings.push('message_truncated');
  if (Array.isArray(blocks) && blocks.length > 0 && !hasText) warnings.push('missing_text_in_blocks');

  const c = new Checker();
  c.blocks(blocks, '/blocks', MESSAGE_MAX_BLOCKS, 'message');
  if (c.errors.length > 0) return { error: 'invalid_blocks', errors: c.errors, warnings };
  const total = blockTextLength(blocks);
  if (total > MESSAGE_MAX_BLOCK_TEXT) {
    const msg = `${TOO_LONG_PREFIX}: ${total} text characters exceed ${MESSAGE_MAX_BLOCK_TEXT} [json-pointer:/blocks]`;
    return { error: 'msg_blocks_too_long', errors: [msg], warnings };
  }
  return { errors: [], warnings };
}

/** Errors for a message's blocks (empty = valid). Includes the no_text and total-length checks. */
export function validateMessageBlocks(blocks: unknown, text?: string): string[] {
  return checkMessage({ blocks, text }).errors;
}

/** Errors for a modal or Home tab view (empty = valid). Pointers are rooted at /view like Slack's. */
export function validateView(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) {
    c.fail('must provide an object', '/view');
    return c.errors;
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    c.fail('must be one of modal, home', '/view/type');
    return c.errors;
  }
  if (view.type === 'modal') {
    c.text(view.title, '/view/title', 24, { plainOnly: true, required: true });
    c.text(view.close, '/view/close', 24, { plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    c.text(view.submit, '/view/submit', 24, { plainOnly: true, required: hasInput });
  }
  c.str(view.private_metadata, '/view/private_metadata', 3000);
  c.str(view.callback_id, '/view/callback_id', 255);
  c.str(view.external_id, '/view/external_id', 255);
  c.blocks(view.blocks, '/view/blocks', VIEW_MAX_BLOCKS, 'view');
  if (JSON.stringify(view).length > 250_000) c.fail('view_too_large', '/view');
  return c.errors;
}
