import { describe, expect, it } from 'vitest';
import { codeChunks, githubIssueLink } from '../../src/views/drafts.js';

describe('codeChunks', () => {
  it('splits a long body at line boundaries into code blocks of at most 3000 characters, losing nothing', () => {
    const body = Array.from({ length: 300 }, (_, i) => `line ${i} <b> & ${'x'.repeat(40)}`).join('\n');
    const chunks = codeChunks(body);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(3000);
      expect(c.startsWith('```\n') && c.endsWith('\n```')).toBe(true);
    }
    const shown = chunks.map((c) => c.slice(4, -4)).join('\n');
    // What Slack shows (entities decoded) is the body, exactly.
    expect(shown.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')).toBe(body);
  });

  it('cuts a single line longer than a block without splitting an entity', () => {
    const chunks = codeChunks(`${'a'.repeat(2990)}&${'b'.repeat(100)}`);
    expect(chunks).toHaveLength(2);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(3000);
    expect(chunks[1]).toContain('&amp;');
  });
});

describe('githubIssueLink', () => {
  it('prefills the new-issue form while the link fits a Slack button (3000) and GitHub (8000)', () => {
    const t = {
      id: 'tracking-issue' as const,
      title: 'Tracking issue',
      subject: 'CVE-1: x & y',
      body: 'a b',
      missing: [],
    };
    expect(githubIssueLink('o/r', t)).toBe(
      'https://github.com/o/r/issues/new?title=CVE-1%3A%20x%20%26%20y&body=a%20b',
    );
    expect(githubIssueLink('o/r', { ...t, body: 'z'.repeat(3000) })).toBeUndefined();
  });
});
