import { describe, expect, it } from 'vitest';
import { blockTextLength, checkMessage, validateMessageBlocks, validateView } from '../support/blockKit.js';

const pt = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string, extra: object = {}) => ({ type: 'section', text: md(text), ...extra });
const button = (actionId: string, extra: object = {}) => ({
  type: 'button',
  action_id: actionId,
  text: pt('Go'),
  ...extra,
});
const input = (blockId: string, element: object = { type: 'plain_text_input', action_id: 'v' }) => ({
  type: 'input',
  block_id: blockId,
  label: pt('Label'),
  element,
});
const modal = (extra: object = {}) => ({ type: 'modal', title: pt('Title'), blocks: [], ...extra });
const options = (n: number, len = 5) =>
  Array.from({ length: n }, (_, i) => ({ text: pt(`o${i}`), value: `${i}`.padStart(len, 'x') }));

// [description, blocks, expected pointer in the first error or null when valid]
const messageCases: Array<[string, unknown[], string | null]> = [
  ['plain section', [section('hi')], null],
  [
    'all known block types',
    [
      { type: 'header', text: pt('H') },
      { type: 'divider' },
      {
        type: 'context',
        elements: [md('a'), { type: 'image', image_url: 'https://x/y.png', alt_text: 'y' }],
      },
      { type: 'actions', elements: [button('a'), { type: 'overflow', action_id: 'o', options: options(5) }] },
      { type: 'image', image_url: 'https://x/y.png', alt_text: 'alt' },
      { type: 'rich_text', elements: [] },
      { type: 'markdown', text: '**x**' },
      section('s', { accessory: { type: 'static_select', action_id: 's', options: options(100) } }),
    ],
    null,
  ],
  ['50 blocks', Array.from({ length: 50 }, () => ({ type: 'divider' })), null],
  ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), '/blocks'],
  ['unknown block type', [{ type: 'table' }], '/blocks/0/type'],
  [
    'unknown element type',
    [{ type: 'actions', elements: [{ type: 'slider' }] }],
    '/blocks/0/elements/0/type',
  ],
  ['section of 3000 chars', [section('x'.repeat(3000))], null],
  ['section of 3001 chars', [section('x'.repeat(3001))], '/blocks/0/text/text'],
  ['empty section text', [section('')], '/blocks/0/text/text'],
  ['section without text or fields', [{ type: 'section' }], '/blocks/0'],
  ['11 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => md('f')) }], '/blocks/0/fields'],
  ['field of 2001 chars', [{ type: 'section', fields: [md('x'.repeat(2001))] }], '/blocks/0/fields/0/text'],
  ['mrkdwn header', [{ type: 'header', text: md('H') }], '/blocks/0/text/type'],
  ['header of 151 chars', [{ type: 'header', text: pt('x'.repeat(151)) }], '/blocks/0/text/text'],
  ['text without type', [{ type: 'section', text: { text: 'x' } }], '/blocks/0/text/type'],
  [
    'emoji on mrkdwn',
    [{ type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } }],
    '/blocks/0/text',
  ],
  ['unknown block property', [{ type: 'divider', color: 'red' }], '/blocks/0'],
  [
    'duplicate block_id',
    [section('a', { block_id: 'b' }), section('c', { block_id: 'b' })],
    '/blocks/1/block_id',
  ],
  ['block_id of 256 chars', [section('a', { block_id: 'b'.repeat(256) })], '/blocks/0/block_id'],
  [
    'same action_id in two blocks',
    [
      { type: 'actions', elements: [button('a')] },
      { type: 'actions', elements: [button('a')] },
    ],
    null,
  ],
  [
    'duplicate action_id in a block',
    [{ type: 'actions', elements: [button('a'), button('a')] }],
    '/blocks/0/elements/1/action_id',
  ],
  [
    'action_id of 256 chars',
    [{ type: 'actions', elements: [button('a'.repeat(256))] }],
    '/blocks/0/elements/0/action_id',
  ],
  [
    '11 context elements',
    [{ type: 'context', elements: Array.from({ length: 11 }, () => md('c')) }],
    '/blocks/0/elements',
  ],
  ['empty context', [{ type: 'context', elements: [] }], '/blocks/0/elements'],
  [
    '26 actions',
    [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`b${i}`)) }],
    '/blocks/0/elements',
  ],
  [
    'button text of 76 chars',
    [{ type: 'actions', elements: [button('a', { text: pt('x'.repeat(76)) })] }],
    '/blocks/0/elements/0/text/text',
  ],
  [
    'button value of 2001 chars',
    [{ type: 'actions', elements: [button('a', { value: 'x'.repeat(2001) })] }],
    '/blocks/0/elements/0/value',
  ],
  [
    'button url of 3001 chars',
    [{ type: 'actions', elements: [button('a', { url: 'x'.repeat(3001) })] }],
    '/blocks/0/elements/0/url',
  ],
  [
    'button style',
    [{ type: 'actions', elements: [button('a', { style: 'blue' })] }],
    '/blocks/0/elements/0/style',
  ],
  [
    '101 select options',
    [section('s', { accessory: { type: 'static_select', options: options(101) } })],
    '/blocks/0/accessory/options',
  ],
  [
    'option value of 76 chars',
    [section('s', { accessory: { type: 'static_select', options: options(1, 76) } })],
    '/blocks/0/accessory/options/0/value',
  ],
  [
    'option text of 76 chars',
    [
      section('s', {
        accessory: { type: 'static_select', options: [{ text: pt('x'.repeat(76)), value: 'v' }] },
      }),
    ],
    '/blocks/0/accessory/options/0/text/text',
  ],
  [
    'placeholder of 151 chars',
    [
      section('s', {
        accessory: { type: 'users_select', placeholder: pt('x'.repeat(151)) },
      }),
    ],
    '/blocks/0/accessory/placeholder/text',
  ],
  [
    '6 overflow options',
    [section('s', { accessory: { type: 'overflow', options: options(6) } })],
    '/blocks/0/accessory/options',
  ],
  [
    '11 checkboxes',
    [section('s', { accessory: { type: 'checkboxes', options: options(11) } })],
    '/blocks/0/accessory/options',
  ],
  [
    'datetimepicker as accessory',
    [section('s', { accessory: { type: 'datetimepicker' } })],
    '/blocks/0/accessory/type',
  ],
];

describe('validateMessageBlocks', () => {
  it.each(messageCases)('%s', (_name, blocks, pointer) => {
    const errors = validateMessageBlocks(blocks, 'fallback');
    if (pointer === null) {
      expect(errors).toEqual([]);
    } else {
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toContain(`[json-pointer:${pointer}]`);
    }
  });

  it('rejects more than 12000 block text characters as msg_blocks_too_long', () => {
    const blocks = Array.from({ length: 5 }, () => section('x'.repeat(2500)));
    expect(blockTextLength(blocks)).toBe(12_500);
    expect(checkMessage({ text: 't', blocks }).error).toBe('msg_blocks_too_long');
    expect(validateMessageBlocks(blocks, 't')[0]).toMatch(/^msg_blocks_too_long/);
  });

  it('needs text or blocks, and warns about missing fallback text and truncation', () => {
    expect(checkMessage({}).error).toBe('no_text');
    expect(checkMessage({ blocks: [section('a')] })).toEqual({
      errors: [],
      warnings: ['missing_text_in_blocks'],
    });
    expect(checkMessage({ text: 'x'.repeat(40_001) }).warnings).toEqual(['message_truncated']);
    expect(checkMessage({ blocks: '{"not":"an array"}' }).error).toBe('invalid_blocks_format');
  });
});

const viewCases: Array<[string, unknown, string | null]> = [
  ['minimal modal', modal(), null],
  ['home tab without title', { type: 'home', blocks: [section('hi')] }, null],
  ['modal with input and submit', modal({ submit: pt('Save'), blocks: [input('a')] }), null],
  ['unknown view type', { type: 'workflow_step', blocks: [] }, '/view/type'],
  ['title of 24 chars', modal({ title: pt('x'.repeat(24)) }), null],
  ['title of 25 chars', modal({ title: pt('x'.repeat(25)) }), '/view/title/text'],
  ['missing title', { type: 'modal', blocks: [] }, '/view/title'],
  ['mrkdwn title', modal({ title: md('T') }), '/view/title/type'],
  ['submit of 25 chars', modal({ submit: pt('x'.repeat(25)) }), '/view/submit/text'],
  ['close of 25 chars', modal({ close: pt('x'.repeat(25)) }), '/view/close/text'],
  ['input without submit', modal({ blocks: [input('a')] }), '/view/submit'],
  ['private_metadata of 3001 chars', modal({ private_metadata: 'x'.repeat(3001) }), '/view/private_metadata'],
  ['callback_id of 256 chars', modal({ callback_id: 'x'.repeat(256) }), '/view/callback_id'],
  ['100 blocks', modal({ blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) }), null],
  ['101 blocks', modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), '/view/blocks'],
  [
    'duplicate input block_id',
    modal({ submit: pt('S'), blocks: [input('a'), input('a')] }),
    '/view/blocks/1/block_id',
  ],
  [
    'input without element',
    modal({
      submit: pt('S'),
      blocks: [{ type: 'input', label: pt('L') }],
    }),
    '/view/blocks/0/element',
  ],
  [
    'input label of 2001 chars',
    modal({
      submit: pt('S'),
      blocks: [{ ...input('a'), label: pt('x'.repeat(2001)) }],
    }),
    '/view/blocks/0/label/text',
  ],
  [
    'input hint of 2001 chars',
    modal({
      submit: pt('S'),
      blocks: [{ ...input('a'), hint: pt('x'.repeat(2001)) }],
    }),
    '/view/blocks/0/hint/text',
  ],
  [
    'button inside input',
    modal({ submit: pt('S'), blocks: [input('a', button('b'))] }),
    '/view/blocks/0/element/type',
  ],
  [
    'max_length 0',
    modal({
      submit: pt('S'),
      blocks: [input('a', { type: 'plain_text_input', max_length: 0 })],
    }),
    '/view/blocks/0/element/max_length',
  ],
  [
    'max_length 3001',
    modal({
      submit: pt('S'),
      blocks: [input('a', { type: 'plain_text_input', max_length: 3001 })],
    }),
    '/view/blocks/0/element/max_length',
  ],
  [
    'min_length 3001',
    modal({
      submit: pt('S'),
      blocks: [input('a', { type: 'plain_text_input', min_length: 3001 })],
    }),
    '/view/blocks/0/element/min_length',
  ],
  [
    'number_input without is_decimal_allowed',
    modal({
      submit: pt('S'),
      blocks: [input('a', { type: 'number_input' })],
    }),
    '/view/blocks/0/element/is_decimal_allowed',
  ],
  [
    'every input element kind',
    modal({
      submit: pt('S'),
      blocks: [
        'plain_text_input',
        'email_text_input',
        'url_text_input',
        'rich_text_input',
        'users_select',
        'multi_users_select',
        'conversations_select',
        'channels_select',
        'datepicker',
        'timepicker',
        'datetimepicker',
      ].map((type, i) => input(`b${i}`, { type, action_id: 'v' })),
    }),
    null,
  ],
  ['markdown block in a modal', modal({ blocks: [{ type: 'markdown', text: 'x' }] }), '/view/blocks/0/type'],
];

describe('validateView', () => {
  it.each(viewCases)('%s', (_name, view, pointer) => {
    const errors = validateView(view);
    if (pointer === null) {
      expect(errors).toEqual([]);
    } else {
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toContain(`[json-pointer:${pointer}]`);
    }
  });

  it('reports every problem, not just the first', () => {
    const errors = validateView(
      modal({ title: pt('x'.repeat(30)), blocks: [input('a')], callback_id: 'c'.repeat(300) }),
    );
    expect(errors.map((e) => /\[json-pointer:(.*)\]/.exec(e)?.[1])).toEqual([
      '/view/title/text',
      '/view/submit',
      '/view/callback_id',
    ]);
    expect(errors[0]).toBe('must be less than 25 characters [json-pointer:/view/title/text]');
  });
});
