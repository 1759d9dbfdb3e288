/**
 * CVSS vectors as people paste them: parse, validate, normalize and score CVSS 3.0, 3.1 and 4.0.
 * Pure: no I/O. The scoring equations (and 4.0's MacroVector lookup table) come from a library;
 * this module only reads what real advisories contain and explains, in plain sentences, what is wrong.
 *
 * Library choice (November 2026, candidates installed in a scratch directory and run on the same sets):
 * - ae-cvss-calculator 1.0.13 (metaeffekt, Apache-2.0, no dependencies, own types; 2.0/3.0/3.1/4.0).
 *   Matched every score: FIRST's examples (the v3.0, v3.1 and v4.0 tables in test/domain/cvss.test.ts),
 *   the 2,592 base vectors RedHatProductSecurity/cvss scored with FIRST's 3.1 calculator, its 3.0 set,
 *   and its 1,058 + 636 CVSS 4.0 vectors (base, security requirements, threat, supplemental) scored by
 *   the reference 4.0 calculator.
 * - @turingpointde/cvss.js 2.1.0: 3.x all right; 4.0 off by 0.1 on 14 of the 1,058 (rounding).
 * - cvss4 1.0.7: 3.x all right; 4.0 off by 0.1 on 6 of the 1,058.
 * - @pandatix/js-cvss 0.4.4: returns unrounded scores (7.46) for 3 of 2,592 3.1 vectors, 4.0 off on 5,
 *   and its ESM build has extensionless imports that Node cannot load.
 * - vuln-vects 1.1.0 and cvss 1.0.5: no CVSS 4.0.
 * So ae-cvss-calculator scores; validation, error messages and normalization stay here, because the
 * library answers a bad vector with terse exceptions and accepts values the specifications do not.
 */
import ae from 'ae-cvss-calculator';

export type CvssVersion = '3.0' | '3.1' | '4.0';
export type CvssRating = 'None' | 'Low' | 'Medium' | 'High' | 'Critical';

export interface CvssResult {
  version: CvssVersion;
  /** Canonical prefix and metric order, canonical case; base metrics plus any defined (non-X) others. */
  vector: string;
  /** The base metrics alone. */
  baseVector: string;
  /**
   * The score the vector stands for, as its version's publishers state it: for 3.x the base score (NVD
   * and advisories publish it, with temporal and environmental scores apart); for 4.0 the score of the
   * whole vector (CVSS-B, -BT, -BE or -BTE), since 4.0 has one score per vector and FIRST's calculator,
   * GitHub and CNAs publish that.
   */
  score: number;
  rating: CvssRating;
  /** The base metrics' score alone (CVSS-B for 4.0). */
  baseScore: number;
  /**
   * Score with the temporal/threat and environmental metrics applied (the 3.x environmental or temporal
   * score, 4.0's CVSS-BT/BE/BTE); equals the base score when the vector has none.
   */
  overallScore: number;
  /** What srp assumed or noticed while reading the input, as sentences (e.g. a missing prefix). */
  notes: string[];
}

export type CvssParse = { ok: true; result: CvssResult } | { ok: false; error: string; metric?: string };

type Group = 'base' | 'temporal' | 'threat' | 'environmental' | 'supplemental';

interface MetricDef {
  key: string;
  name: string;
  group: Group;
  values: Array<{ value: string; name: string }>;
}

/** `values` as `N=None|L=Low`; every metric outside the base group may also be X (Not Defined). */
function metric(group: Group, key: string, name: string, values: string): MetricDef {
  const parsed = values.split('|').map((pair) => {
    const [value = '', valueName = ''] = pair.split('=');
    return { value, name: valueName };
  });
  return {
    key,
    name,
    group,
    values: group === 'base' ? parsed : [{ value: 'X', name: 'Not Defined' }, ...parsed],
  };
}

const NLH = 'N=None|L=Low|H=High';
const LMH = 'L=Low|M=Medium|H=High';

/** CVSS 3.0 and 3.1 share metrics; 3.1 renamed Adjacent Network to Adjacent. Order is the specs' order. */
function v3Metrics(adjacent: string): MetricDef[] {
  const av = `N=Network|A=${adjacent}|L=Local|P=Physical`;
  return [
    metric('base', 'AV', 'Attack Vector', av),
    metric('base', 'AC', 'Attack Complexity', 'L=Low|H=High'),
    metric('base', 'PR', 'Privileges Required', NLH),
    metric('base', 'UI', 'User Interaction', 'N=None|R=Required'),
    metric('base', 'S', 'Scope', 'U=Unchanged|C=Changed'),
    metric('base', 'C', 'Confidentiality', NLH),
    metric('base', 'I', 'Integrity', NLH),
    metric('base', 'A', 'Availability', NLH),
    metric('temporal', 'E', 'Exploit Code Maturity', 'U=Unproven|P=Proof-of-Concept|F=Functional|H=High'),
    metric(
      'temporal',
      'RL',
      'Remediation Level',
      'O=Official Fix|T=Temporary Fix|W=Workaround|U=Unavailable',
    ),
    metric('temporal', 'RC', 'Report Confidence', 'U=Unknown|R=Reasonable|C=Confirmed'),
    metric('environmental', 'CR', 'Confidentiality Requirement', LMH),
    metric('environmental', 'IR', 'Integrity Requirement', LMH),
    metric('environmental', 'AR', 'Availability Requirement', LMH),
    metric('environmental', 'MAV', 'Modified Attack Vector', av),
    metric('environmental', 'MAC', 'Modified Attack Complexity', 'L=Low|H=High'),
    metric('environmental', 'MPR', 'Modified Privileges Required', NLH),
    metric('environmental', 'MUI', 'Modified User Interaction', 'N=None|R=Required'),
    metric('environmental', 'MS', 'Modified Scope', 'U=Unchanged|C=Changed'),
    metric('environmental', 'MC', 'Modified Confidentiality', NLH),
    metric('environmental', 'MI', 'Modified Integrity', NLH),
    metric('environmental', 'MA', 'Modified Availability', NLH),
  ];
}

const V4_AV = 'N=Network|A=Adjacent|L=Local|P=Physical';
const V4_UI = 'N=None|P=Passive|A=Active';
const NEGLIGIBLE = 'N=Negligible|L=Low|H=High';

/** CVSS 4.0 in the specification's vector order. Only MSI and MSA take S (Safety). */
const V4_METRICS: MetricDef[] = [
  metric('base', 'AV', 'Attack Vector', V4_AV),
  metric('base', 'AC', 'Attack Complexity', 'L=Low|H=High'),
  metric('base', 'AT', 'Attack Requirements', 'N=None|P=Present'),
  metric('base', 'PR', 'Privileges Required', NLH),
  metric('base', 'UI', 'User Interaction', V4_UI),
  metric('base', 'VC', 'Vulnerable System Confidentiality', NLH),
  metric('base', 'VI', 'Vulnerable System Integrity', NLH),
  metric('base', 'VA', 'Vulnerable System Availability', NLH),
  metric('base', 'SC', 'Subsequent System Confidentiality', NLH),
  metric('base', 'SI', 'Subsequent System Integrity', NLH),
  metric('base', 'SA', 'Subsequent System Availability', NLH),
  metric('threat', 'E', 'Exploit Maturity', 'A=Attacked|P=POC|U=Unreported'),
  metric('environmental', 'CR', 'Confidentiality Requirement', LMH),
  metric('environmental', 'IR', 'Integrity Requirement', LMH),
  metric('environmental', 'AR', 'Availability Requirement', LMH),
  metric('environmental', 'MAV', 'Modified Attack Vector', V4_AV),
  metric('environmental', 'MAC', 'Modified Attack Complexity', 'L=Low|H=High'),
  metric('environmental', 'MAT', 'Modified Attack Requirements', 'N=None|P=Present'),
  metric('environmental', 'MPR', 'Modified Privileges Required', NLH),
  metric('environmental', 'MUI', 'Modified User Interaction', V4_UI),
  metric('environmental', 'MVC', 'Modified Vulnerable System Confidentiality', NLH),
  metric('environmental', 'MVI', 'Modified Vulnerable System Integrity', NLH),
  metric('environmental', 'MVA', 'Modified Vulnerable System Availability', NLH),
  metric('environmental', 'MSC', 'Modified Subsequent System Confidentiality', NEGLIGIBLE),
  metric('environmental', 'MSI', 'Modified Subsequent System Integrity', `${NEGLIGIBLE}|S=Safety`),
  metric('environmental', 'MSA', 'Modified Subsequent System Availability', `${NEGLIGIBLE}|S=Safety`),
  metric('supplemental', 'S', 'Safety', 'N=Negligible|P=Present'),
  metric('supplemental', 'AU', 'Automatable', 'N=No|Y=Yes'),
  metric('supplemental', 'R', 'Recovery', 'A=Automatic|U=User|I=Irrecoverable'),
  metric('supplemental', 'V', 'Value Density', 'D=Diffuse|C=Concentrated'),
  metric('supplemental', 'RE', 'Vulnerability Response Effort', 'L=Low|M=Moderate|H=High'),
  metric('supplemental', 'U', 'Provider Urgency', 'Clear=Clear|Green=Green|Amber=Amber|Red=Red'),
];

const METRICS: Record<CvssVersion, MetricDef[]> = {
  '3.0': v3Metrics('Adjacent Network'),
  '3.1': v3Metrics('Adjacent'),
  '4.0': V4_METRICS,
};
const VERSIONS = Object.keys(METRICS) as CvssVersion[];

/** For a picker UI: each base metric, in vector order, with its allowed values and their names. */
export const BASE_METRICS: Record<
  CvssVersion,
  Array<{ key: string; name: string; values: Array<{ value: string; name: string }> }>
> = {
  '3.0': baseMetrics('3.0'),
  '3.1': baseMetrics('3.1'),
  '4.0': baseMetrics('4.0'),
};

function baseMetrics(version: CvssVersion) {
  return METRICS[version]
    .filter((m) => m.group === 'base')
    .map((m) => ({ key: m.key, name: m.name, values: m.values.map((v) => ({ ...v })) }));
}

/** FIRST's qualitative severity scale, the same for 3.x and 4.0. */
export function ratingFor(score: number): CvssRating {
  if (!Number.isFinite(score) || score < 0 || score > 10) {
    throw new RangeError(`A CVSS score is between 0.0 and 10.0, not ${score}.`);
  }
  if (score === 0) return 'None';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}

/** Builds and scores a vector from a picker's selections (metric key to value, any case). */
export function vectorFromPicks(version: CvssVersion, picks: Record<string, string>): CvssParse {
  if (!VERSIONS.includes(version)) return fail(`CVSS ${version} is not supported; use 3.0, 3.1 or 4.0.`);
  const byKey = new Map<string, string>();
  for (const [key, value] of Object.entries(picks)) {
    const v = (value ?? '').trim();
    // An unselected picker field is simply missing, which the parser names.
    if (v === '') continue;
    const k = key.trim().toUpperCase();
    // A value with a separator in it would smuggle extra metrics into the vector string.
    if (!/^[A-Za-z]+$/.test(v)) return invalidValue(version, k, v);
    byKey.set(k, v);
  }
  const known = METRICS[version].map((m) => m.key).filter((k) => byKey.has(k));
  const unknown = [...byKey.keys()].filter((k) => !known.includes(k));
  const parts = [...known, ...unknown].map((k) => `${k}:${byKey.get(k)}`);
  return parseVectorText([`CVSS:${version}`, ...parts].join('/'), undefined);
}

/**
 * Reads a vector string or a calculator link: FIRST's calculators (`calculator/3.0#`, `3.1#`, `3-1#`,
 * `4.0#`), NVD's (`?vector=AV:N/…&version=3.1`), Red Hat's 4.0 calculator, a Markdown link as GitHub
 * issues write it, or a Slack-formatted `<url|label>`. Tolerates lowercase, surrounding quotes and
 * whitespace, any metric order, temporal/threat, environmental and supplemental metrics after the base
 * ones, a Red Hat style `score/` in front, and a missing `CVSS:x.y/` prefix: then the version comes from
 * the link, or from the metrics (4.0-only ones such as AT mean 4.0), or else 3.1, the version advisories
 * use most, and the result says so in `notes`. Rejects, naming the metric: duplicates, unknown metrics,
 * invalid values, missing base metrics.
 */
export function parseCvss(input: string): CvssParse {
  const text = String(input ?? '').trim();
  if (unwrap(text) === '') {
    return fail('Paste a CVSS vector such as CVSS:3.1/AV:N/AC:L/… or a calculator link.');
  }

  // Advisories put a vector in a Markdown link, sometimes twice (text and URL): look at each word.
  const spread = text
    .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, ' $1 $2 ')
    .replace(/<([^>|\s]+)(?:\|[^>]*)?>/g, ' $1 ')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\b(cvss:\d[.-]\d)\s+(?=[a-z]{1,3}:)/gi, '$1/')
    .trim();
  const words = spread.split(/\s+/).map(unwrap).filter(Boolean);
  if (words.length === 1) return parseWord(words[0] ?? '');

  const candidates = words.filter(looksLikeVectorOrLink);
  if (candidates.length === 0) {
    return fail('No CVSS vector found; paste one such as CVSS:3.1/AV:N/AC:L/… or a calculator link.');
  }
  const parsed = candidates.map(parseWord);
  const failed = parsed.find((p) => !p.ok);
  if (failed) return failed;
  const vectors = [...new Set(parsed.map((p) => (p.ok ? p.result.vector : '')))];
  if (vectors.length > 1) {
    return fail(
      `The text holds ${vectors.length} different vectors (${vectors.join(', ')}); paste just one.`,
    );
  }
  return parsed[0] as CvssParse;
}

function fail(error: string, metric?: string): CvssParse {
  return metric === undefined ? { ok: false, error } : { ok: false, error, metric };
}

/** Strips what surrounds a pasted value: whitespace, quotes, backticks, brackets, trailing punctuation. */
function unwrap(s: string): string {
  let out = s.trim();
  for (;;) {
    const next = out
      .replace(/^["'`‘’“”<([{]+/, '')
      .replace(/["'`‘’“”>)\]},;.]+$/, '')
      .trim();
    if (next === out) return out;
    out = next;
  }
}

const PAIR_RUN = /[a-z]{1,3}:[a-z]+\/[a-z]{1,3}:[a-z]+/i;

function looksLikeVectorOrLink(word: string): boolean {
  return /^cvss:/i.test(word) || PAIR_RUN.test(safeDecode(word));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** One word: a link (the vector is in its fragment or `vector` parameter) or a vector string. */
function parseWord(word: string): CvssParse {
  const isLink = /^[a-z][a-z0-9+.-]*:\/\//i.test(word) || /^([a-z0-9-]+\.)+[a-z]{2,}\//i.test(word);
  if (!isLink) return parseVectorText(safeDecode(word.replace(/^#/, '')), undefined);

  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(word) ? word : `https://${word}`);
  } catch {
    return fail('That link could not be read; paste the vector itself, such as CVSS:3.1/AV:N/AC:L/….');
  }
  const fragment = safeDecode(url.hash.slice(1));
  const vector = fragment.includes(':') ? fragment : (url.searchParams.get('vector') ?? '');
  if (vector === '') {
    return fail('The link has no CVSS vector in it; paste the vector itself, such as CVSS:3.1/AV:N/AC:L/….');
  }
  const path = /calculator\/(\d)[.-](\d)/i.exec(url.pathname);
  const version = path
    ? `${path[1]}.${path[2]}`
    : (url.searchParams.get('version') ?? (/v4-calculator/i.test(url.pathname) ? '4.0' : undefined));
  return parseVectorText(vector, version);
}

const V4_ONLY = new Set([
  'AT',
  'VC',
  'VI',
  'VA',
  'SC',
  'SI',
  'SA',
  'MAT',
  'MVC',
  'MVI',
  'MVA',
  'MSC',
  'MSI',
  'MSA',
]);

/** A vector string, with an optional version hint from the link it came in. */
function parseVectorText(raw: string, linkVersion: string | undefined): CvssParse {
  const tokens = raw
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .split('/')
    .map((t) => t.trim())
    .filter(Boolean);
  const notes: string[] = [];

  // Red Hat writes "score/vector"; the score is theirs, so srp checks it rather than trusts it.
  let statedScore: number | undefined;
  if (tokens[0] !== undefined && /^\d+(\.\d+)?$/.test(tokens[0])) statedScore = Number(tokens.shift());

  let version: CvssVersion | undefined;
  const first = tokens[0];
  if (first !== undefined && /^cvss:/i.test(first)) {
    tokens.shift();
    const stated = first.slice(5).replace('-', '.');
    if (!isVersion(stated)) {
      return /^\d+(\.\d+)?$/.test(stated)
        ? fail(`CVSS ${stated} is not supported; srp scores CVSS 3.0, 3.1 and 4.0.`, 'CVSS')
        : fail(`"${first}" is not a CVSS version prefix; use CVSS:3.0, CVSS:3.1 or CVSS:4.0.`, 'CVSS');
    }
    version = stated;
    if (linkVersion !== undefined && linkVersion !== stated) {
      notes.push(
        `The link is for CVSS ${linkVersion} but the vector says CVSS:${stated}; scored as ${stated}.`,
      );
    }
  }
  if (tokens.length === 0) {
    return fail('The vector has no metrics; expected something like CVSS:3.1/AV:N/AC:L/….', 'AV');
  }

  const pairs: Array<{ key: string; raw: string; value: string }> = [];
  for (const token of tokens) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(token);
    if (!m) {
      const key = /^[A-Za-z]+/.exec(token)?.[0].toUpperCase();
      return fail(`"${token}" is not a metric:value pair such as AV:N.`, key);
    }
    pairs.push({ key: (m[1] ?? '').toUpperCase(), raw: m[1] ?? '', value: m[2] ?? '' });
  }

  if (version === undefined) {
    if (pairs.some((p) => p.raw === 'Au')) {
      return fail('This looks like a CVSS 2.0 vector (it has Au); srp scores CVSS 3.0, 3.1 and 4.0.', 'Au');
    }
    if (linkVersion !== undefined && isVersion(linkVersion)) {
      version = linkVersion;
    } else if (pairs.some((p) => V4_ONLY.has(p.key))) {
      version = '4.0';
      notes.push('The vector has no CVSS:4.0/ prefix; read as CVSS 4.0 from its metrics.');
    } else {
      version = '3.1';
      notes.push('The vector has no CVSS version prefix; read as CVSS 3.1.');
    }
  }

  const defs = METRICS[version];
  const chosen = new Map<string, string>();
  for (const { key, value } of pairs) {
    const def = defs.find((d) => d.key === key);
    if (!def) {
      const other = VERSIONS.find((v) => v !== version && METRICS[v].some((d) => d.key === key));
      return fail(
        other === undefined
          ? `Unknown metric ${key} in the vector.`
          : `Unknown metric ${key} in a CVSS ${version} vector; ${key} is a CVSS ${other === '4.0' ? '4.0' : '3.x'} metric.`,
        key,
      );
    }
    if (chosen.has(key)) return fail(`${def.name} (${key}) appears more than once in the vector.`, key);
    const allowed = def.values.find((v) => v.value.toUpperCase() === value.toUpperCase());
    if (!allowed) return invalidValue(version, key, value);
    chosen.set(key, allowed.value);
  }

  const missing = defs.filter((d) => d.group === 'base' && !chosen.has(d.key));
  if (missing.length > 0) {
    return fail(
      `The vector is missing ${list(
        missing.map((d) => `${d.name} (${d.key})`),
        'and',
      )}.`,
      missing[0]?.key,
    );
  }

  // X means Not Defined, the same as leaving the metric out; FIRST's calculators leave it out too.
  const kept = defs.filter((d) => chosen.has(d.key) && chosen.get(d.key) !== 'X');
  const render = (ds: MetricDef[]) =>
    [`CVSS:${version}`, ...ds.map((d) => `${d.key}:${chosen.get(d.key)}`)].join('/');
  const vector = render(kept);
  const baseVector = render(kept.filter((d) => d.group === 'base'));

  let scores: { base: number; overall: number };
  try {
    scores = score(version, vector);
  } catch (e) {
    return fail(`The vector could not be scored: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (statedScore !== undefined && statedScore !== scores.base && statedScore !== scores.overall) {
    notes.push(`The text gives a score of ${statedScore}; the vector scores ${scores.base}.`);
  }
  return {
    ok: true,
    result: {
      version,
      vector,
      baseVector,
      score: version === '4.0' ? scores.overall : scores.base,
      rating: ratingFor(version === '4.0' ? scores.overall : scores.base),
      baseScore: scores.base,
      overallScore: scores.overall,
      notes,
    },
  };
}

function isVersion(v: string): v is CvssVersion {
  return (VERSIONS as string[]).includes(v);
}

function invalidValue(version: CvssVersion, key: string, value: string): CvssParse {
  const def = METRICS[version].find((d) => d.key === key);
  if (!def) return fail(`Unknown metric ${key} in the vector.`, key);
  return fail(
    `${key}:${value} is not a valid ${def.name} value; use ${list(
      def.values.map((v) => v.value),
      'or',
    )}.`,
    key,
  );
}

/** "A", "A or B", "A, B or C". */
function list(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** The library scores; a vector reaching here is already valid and canonical. */
function score(version: CvssVersion, vector: string): { base: number; overall: number } {
  if (version === '4.0') {
    const s = new ae.Cvss4P0(vector).calculateScores();
    return { base: checked(s.baseMetricsOnly), overall: checked(s.overall) };
  }
  const s = (version === '3.0' ? new ae.Cvss3P0(vector) : new ae.Cvss3P1(vector)).calculateScores();
  return { base: checked(s.base), overall: checked(s.overall) };
}

function checked(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n) || n < 0 || n > 10)
    throw new Error(`the calculator returned ${n}`);
  return n;
}
