import { describe, expect, it } from 'vitest';
import {
  compileWatchList,
  mergeWatchWords,
  parseWatchWords,
  plainText,
  WATCH_WORDS_MAX,
  type WatchEntry,
} from '../../../src/domain/disclosure/leaks.js';

const embargoed: WatchEntry = {
  incidentId: 'SRP-2026-007',
  cveIds: ['CVE-2026-1234'],
  words: ['kubelet logs', 'shadowfax'],
};
const other: WatchEntry = { incidentId: 'SRP-2026-011', cveIds: [], words: ['path traversal'] };
const matcher = compileWatchList([embargoed, other]);
const names = (text: string) => matcher.match(text).map((h) => h.incidentId);

describe('the leak watcher’s matching', () => {
  it('finds a CVE id anywhere a reader would see it, in any case', () => {
    expect(matcher.match('heads up: CVE-2026-1234 is bad')).toEqual([
      { incidentId: 'SRP-2026-007', via: 'cve' },
    ]);
    expect(names('cve-2026-1234 lands friday')).toEqual(['SRP-2026-007']);
    expect(names('*CVE-2026-1234*')).toEqual(['SRP-2026-007']);
    expect(names('_cve-2026-1234_')).toEqual(['SRP-2026-007']);
  });

  it('finds a CVE id in a link’s label and in its target', () => {
    expect(names('see <https://example.org/advisory|CVE-2026-1234>')).toEqual(['SRP-2026-007']);
    expect(names('see <https://nvd.nist.gov/vuln/detail/CVE-2026-1234|the NVD>')).toEqual(['SRP-2026-007']);
    expect(names('<https://example.org/?id=cve-2026-1234>')).toEqual(['SRP-2026-007']);
  });

  it('finds the srp id in lower case', () => {
    expect(matcher.match('what is srp-2026-007 about?')).toEqual([{ incidentId: 'SRP-2026-007', via: 'id' }]);
    expect(names('SRP-2026-011')).toEqual(['SRP-2026-011']);
  });

  it('matches whole words only: a longer id or a word inside another word is no match', () => {
    expect(names('CVE-2026-12345')).toEqual([]);
    expect(names('XCVE-2026-1234')).toEqual([]);
    expect(names('SRP-2026-0071')).toEqual([]);
    expect(names('shadowfaxes are horses')).toEqual([]);
    expect(names('preshadowfax')).toEqual([]);
    expect(names('kubelet logsearch')).toEqual([]);
    expect(names('ask Shadowfax.')).toEqual(['SRP-2026-007']);
  });

  it('matches a watch word of several words across any white space, in any case', () => {
    expect(matcher.match('a KUBELET   Logs bug')).toEqual([{ incidentId: 'SRP-2026-007', via: 'word' }]);
    expect(names('a path\ntraversal in the API')).toEqual(['SRP-2026-011']);
  });

  it('reads Slack’s formatting as a person would: mentions and broadcasts are not words, entities are characters', () => {
    expect(plainText('<@U123|shadowfax> said <!here>')).not.toContain('shadowfax');
    expect(names('<@U123|shadowfax> hi')).toEqual([]);
    expect(names('<#C123|shadowfax>')).toEqual(['SRP-2026-007']);
    expect(plainText('a &lt;b&gt; &amp; c')).toBe('a <b> & c');
    expect(names('&lt;CVE-2026-1234&gt;')).toEqual(['SRP-2026-007']);
  });

  it('names each incident once, whatever names it how often', () => {
    expect(matcher.match('CVE-2026-1234 aka SRP-2026-007, shadowfax, and a path traversal')).toEqual([
      { incidentId: 'SRP-2026-007', via: 'cve' },
      { incidentId: 'SRP-2026-011', via: 'word' },
    ]);
  });

  it('an empty watch list matches nothing; a term two incidents share names both', () => {
    expect(compileWatchList([]).match('CVE-2026-1234')).toEqual([]);
    const shared = compileWatchList([
      { incidentId: 'SRP-2026-001', cveIds: ['CVE-2026-9999'], words: [] },
      { incidentId: 'SRP-2026-002', cveIds: ['CVE-2026-9999'], words: [] },
    ]);
    expect(shared.match('CVE-2026-9999').map((h) => h.incidentId)).toEqual(['SRP-2026-001', 'SRP-2026-002']);
  });

  it('treats regular-expression characters in a watch word as text', () => {
    const m = compileWatchList([{ incidentId: 'SRP-2026-003', cveIds: [], words: ['node.js 1+1'] }]);
    expect(m.match('node.js 1+1').length).toBe(1);
    expect(m.match('nodexjs 111').length).toBe(0);
  });
});

describe('watch words as typed', () => {
  it('splits on commas, normalizes, and drops duplicates', () => {
    expect(parseWatchWords(' Kubelet  Logs, shadowfax ,kubelet logs,,')).toEqual({
      words: ['kubelet logs', 'shadowfax'],
      problems: [],
    });
  });

  it('refuses words too short, with formatting, or with no letter or digit at an end', () => {
    expect(parseWatchWords('ab').problems[0]).toMatch(/too short/);
    expect(parseWatchWords('&lt;@U1&gt;').problems[0]).toMatch(/formatting/);
    expect(parseWatchWords('-abc-').problems[0]).toMatch(/start and end/);
    expect(parseWatchWords('x'.repeat(61)).problems[0]).toMatch(/too long/);
    expect(parseWatchWords(' , ').problems).toEqual(['give at least one word']);
  });

  it('keeps at most the maximum number of words', () => {
    const many = Array.from({ length: WATCH_WORDS_MAX }, (_, i) => `word${i}`);
    expect(mergeWatchWords(many.slice(0, 5), many.slice(3)).words).toHaveLength(WATCH_WORDS_MAX);
    expect(mergeWatchWords(many, ['another']).problem).toMatch(/at most/);
  });
});
