import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger, faultOf, scrubSecrets } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

describe('logger redaction', () => {
  it('scrubs token-shaped strings', () => {
    expect(scrubSecrets('bad token xoxb-123-456-abcDEF and xapp-1-A2-3-zz')).toBe(
      'bad token xoxb-[REDACTED] and xapp-[REDACTED]',
    );
  });

  it('censors secrets and report details by key, and tokens inside messages and errors', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info(
      {
        token: 'xoxb-1-2-3',
        report: { summary: 'RCE in kubelet', description: 'exploit' },
        incident: 'SRP-2026-001',
      },
      'called with xoxb-999-888-secret',
    );
    log.error({ err: new Error('invalid_auth for xoxb-111-222-abc') }, 'failed');
    const out = lines.join('');
    expect(out).toContain('SRP-2026-001');
    expect(out).not.toMatch(/xoxb-\d/);
    expect(out).not.toContain('RCE in kubelet');
    expect(out).not.toContain('exploit');
    expect(out).toContain('[REDACTED]');
  });

  it("drops Bolt's debug output, which can include raw request bodies", () => {
    const { lines, stream } = capture();
    const bolt = boltLogger(createLogger('trace', stream));
    bolt.debug('payload={"summary":"secret bug"}');
    bolt.warn('token xoxb-1-2-3 expired');
    const out = lines.join('');
    expect(out).not.toContain('secret bug');
    expect(out).toContain('xoxb-[REDACTED]');
  });
});

describe('faultOf', () => {
  it('keeps class, message and frames, but not the input a SyntaxError quotes, nor a thrown non-Error', () => {
    let parseError: unknown;
    try {
      JSON.parse('{"summary":"Path traversal in kubelet"');
    } catch (err) {
      parseError = err;
    }
    const parse = faultOf(parseError);
    expect(parse).toMatchObject({ type: 'SyntaxError', frames: expect.any(Array) });
    expect(JSON.stringify(parse)).not.toContain('Path traversal');
    expect(faultOf(new TypeError('x.trim is not a function (token xoxb-1-2)'))).toMatchObject({
      type: 'TypeError',
      message: 'x.trim is not a function (token xoxb-[REDACTED])',
    });
    expect(faultOf('the report text itself')).toEqual({ type: 'string' });
  });
});
