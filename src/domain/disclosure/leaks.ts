/**
 * The leak watcher's rules, pure: what a message in a public channel must not name while an incident is
 * under embargo (its CVE id, its srp id, the watch words its Fix Lead set), and whether a message names it.
 *
 * Matching is case-insensitive and whole-word: a term counts only where neither the character before it
 * nor the one after it is a letter or a digit, so `kubelet` does not match `kubelets` and `CVE-2026-1234`
 * does not match `CVE-2026-12345`. Slack's formatting is stripped first: a link `<url|label>` reads as its
 * URL and its label (a CVE id in either is a leak), a mention or a broadcast (`<@U…>`, `<!here>`) as
 * nothing, a channel `<#C…|name>` as its name, and `&amp;`, `&lt;`, `&gt;` as the characters they stand for.
 */

/** What one incident under embargo must not be named by. */
export interface WatchEntry {
  incidentId: string;
  /** Its CVE ids: the incident's and the advisory record's, if they differ. */
  cveIds: readonly string[];
  /** The Fix Lead's watch words. */
  words: readonly string[];
}

/** Why a message matched an incident: which kind of term it named (never the message itself). */
export type LeakTerm = 'cve' | 'id' | 'word';

export interface LeakHit {
  incidentId: string;
  via: LeakTerm;
}

/** Slack's mrkdwn as a person would read it, with link targets kept. */
export function plainText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_all, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      // Mentions of people and groups, and broadcasts: nothing a reader would take for a word of the text.
      if (/^[@!]/.test(target)) return ' ';
      if (target.startsWith('#')) return ` ${label ?? ''} `;
      return ` ${target} ${label ?? ''} `;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const CVE_IN_TEXT = /(?<![\p{L}\p{N}])cve-\d{4}-\d{4,}(?![\p{L}\p{N}])/giu;
const ID_IN_TEXT = /(?<![\p{L}\p{N}])srp-\d{4}-\d{3,}(?![\p{L}\p{N}])/giu;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A watch word as compared: trimmed, lower case, inner runs of white space as one space. */
export const normalWord = (w: string) => w.trim().replace(/\s+/g, ' ').toLowerCase();

/** The watch list, compiled once per version of it, then asked about every message. */
export interface LeakMatcher {
  /** Every incident the text names, once each (the first kind of term that named it). */
  match(text: string): LeakHit[];
  readonly size: number;
}

/**
 * Compiles the watch list. Ids are found by their shape and looked up, so a message costs one pass
 * whatever the number of incidents; watch words are one alternation, longest first.
 */
export function compileWatchList(entries: readonly WatchEntry[]): LeakMatcher {
  const byTerm = new Map<string, Set<string>>();
  const add = (term: string, incidentId: string) => {
    const key = normalWord(term);
    if (!key) return;
    const set = byTerm.get(key) ?? new Set<string>();
    set.add(incidentId);
    byTerm.set(key, set);
  };
  const words = new Set<string>();
  for (const e of entries) {
    add(e.incidentId, e.incidentId);
    for (const c of e.cveIds) add(c, e.incidentId);
    for (const w of e.words) {
      add(w, e.incidentId);
      words.add(normalWord(w));
    }
  }
  const wordList = [...words].filter(Boolean).sort((a, b) => b.length - a.length);
  const wordPattern = wordList.length
    ? new RegExp(
        `(?<![\\p{L}\\p{N}])(?:${wordList.map((w) => escapeRegExp(w).replace(/ /g, '\\s+')).join('|')})(?![\\p{L}\\p{N}])`,
        'giu',
      )
    : undefined;

  return {
    size: entries.length,
    match(text: string): LeakHit[] {
      if (entries.length === 0 || !text) return [];
      const plain = plainText(text);
      const hits = new Map<string, LeakTerm>();
      const note = (found: string, via: LeakTerm) => {
        for (const id of byTerm.get(normalWord(found)) ?? []) if (!hits.has(id)) hits.set(id, via);
      };
      for (const m of plain.matchAll(CVE_IN_TEXT)) note(m[0], 'cve');
      for (const m of plain.matchAll(ID_IN_TEXT)) note(m[0], 'id');
      if (wordPattern) for (const m of plain.matchAll(wordPattern)) note(m[0], 'word');
      return [...hits].map(([incidentId, via]) => ({ incidentId, via }));
    },
  };
}

export const WATCH_WORD_MIN = 3;
export const WATCH_WORD_MAX = 60;
export const WATCH_WORDS_MAX = 20;

/**
 * Watch words as typed after `/srp watch <id>`: separated by commas, each at least three characters with a
 * letter or a digit at both ends (so whole-word matching means what it says), without Slack's formatting
 * characters. Returns them in their normal form, or the problems, one line each.
 */
export function parseWatchWords(input: string): { words: string[]; problems: string[] } {
  const words: string[] = [];
  const problems: string[] = [];
  // Slack escapes &, < and > in a command's text.
  const text = input.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const raw of text.split(',')) {
    const w = normalWord(raw);
    if (!w) continue;
    const shown = `"${w.slice(0, 30)}${w.length > 30 ? '…' : ''}"`;
    if (/[<>|*`~]/.test(w)) problems.push(`${shown}: leave out Slack's formatting (< > | * \` ~)`);
    else if (w.length < WATCH_WORD_MIN)
      problems.push(`${shown} is too short: at least ${WATCH_WORD_MIN} characters`);
    else if (w.length > WATCH_WORD_MAX)
      problems.push(`${shown} is too long: at most ${WATCH_WORD_MAX} characters`);
    else if (!/^[\p{L}\p{N}]/u.test(w) || !/[\p{L}\p{N}]$/u.test(w))
      problems.push(`${shown}: start and end it with a letter or a digit`);
    else if (!words.includes(w)) words.push(w);
  }
  if (words.length === 0 && problems.length === 0) problems.push('give at least one word');
  return { words, problems };
}

/** The words kept after adding `more` to `current`: no duplicates, at most WATCH_WORDS_MAX. */
export function mergeWatchWords(
  current: readonly string[],
  more: readonly string[],
): { words: string[]; problem?: string } {
  const words = [...current];
  for (const w of more) if (!words.includes(w)) words.push(w);
  if (words.length > WATCH_WORDS_MAX) {
    return {
      words: [...current],
      problem: `an incident keeps at most ${WATCH_WORDS_MAX} watch words (it has ${current.length}); clear some first`,
    };
  }
  return { words };
}
