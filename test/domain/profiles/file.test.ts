import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcessFile } from '../../../src/domain/profiles/file.js';
import { PROFILES, type ProcessProfile, resolveProfile } from '../../../src/domain/profiles/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FILE = '/etc/srp/process.yml';
const CHANGED = `changed by ${FILE}`;

function parsed(text: string): ProcessProfile {
  const r = parseProcessFile(text, FILE);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.profile;
}

function problems(text: string): string[] {
  const r = parseProcessFile(text, FILE);
  if (r.ok) throw new Error('expected the file to be refused');
  return r.problems;
}

const step = (profile: ProcessProfile, id: string) => profile.phases.steps.find((s) => s.id === id);

function objectsIn(value: unknown): object[] {
  if (typeof value !== 'object' || value === null) return [];
  return [value, ...Object.values(value).flatMap(objectsIn)];
}

/** Every citation, as profiles.test.ts finds them: under `source`, `quote` or a key ending in `Quote`. */
function citationsIn(value: unknown, key = '', citing = false): unknown[] {
  if (value === null || typeof value !== 'object') {
    return citing || /^quote$|Quote$/.test(key) || key === 'source' ? [value] : [];
  }
  return Object.entries(value).flatMap(([k, v]) => citationsIn(v, k, citing || key === 'source'));
}

describe('a team’s process file', () => {
  it('adjusts src: deadlines (both forms, negative from the release date), nudges and staleness', () => {
    const profile = parsed(`
extends: src
deadlines:
  fix_team_organized: 2d
  cvss_scored: { due: 10d, opens: 1d }
  distributors_advance: -10d
nudges:
  lead: 30%
  minimum: 2h
  steps: { announce: 2d }
staleness:
  Critical: 1d
  Low: none
`);
    expect(profile.id).toBe('src');
    expect(step(profile, 'fix_team_organized')).toMatchObject({
      due: { from: 'disclosure', days: 2 },
      adjusted: CHANGED,
    });
    expect(step(profile, 'fix_team_organized')?.due.opensDays).toBeUndefined();
    expect(step(profile, 'cvss_scored')?.due).toEqual({ from: 'disclosure', days: 10, opensDays: 1 });
    // Only the deadline changes; the window still opens where src opens it.
    expect(step(profile, 'distributors_advance')?.due).toEqual({
      from: 'release',
      days: -10,
      opensDays: -14,
    });
    expect(step(profile, 'announce')).toMatchObject({ leadMs: 2 * DAY, adjusted: CHANGED });
    expect(profile.phases.nudges).toEqual({
      leadShare: 0.3,
      minLeadMs: 2 * HOUR,
      source: null,
      adjusted: CHANGED,
    });
    expect(profile.phases.staleness).toEqual({
      limits: { Critical: DAY, High: 7 * DAY, Medium: 30 * DAY, Low: null },
      source: null,
      adjusted: CHANGED,
    });
    // What the team did not touch is src's, unmarked.
    expect(step(profile, 'final_rating')).toEqual(step(PROFILES.src, 'final_rating'));
    expect(profile.phases.steps.filter((s) => s.adjusted).map((s) => s.id)).toEqual([
      'fix_team_organized',
      'cvss_scored',
      'distributors_advance',
      'announce',
    ]);
    expect(profile.committee).toEqual(PROFILES.src.committee);
  });

  it('adjusts pst2018, with ISO 8601 durations and a release-day step moved a day earlier', () => {
    const profile = parsed(`
extends: pst2018
deadlines:
  forthcoming_fix: { due: P10D, opens: PT12H }
  release_branch: -1d
staleness: { Medium: 2w }
`);
    expect(profile.id).toBe('pst2018');
    expect(step(profile, 'forthcoming_fix')?.due).toEqual({ from: 'disclosure', days: 10, opensDays: 0.5 });
    expect(step(profile, 'release_branch')?.due).toEqual({ from: 'release', days: -1, opensDays: -2 });
    expect(profile.phases.staleness.limits.Medium).toBe(14 * DAY);
    expect(profile.phases.nudges).toEqual(PROFILES.pst2018.phases.nudges);
  });

  it('keeps a deadline that is not whole days as a fraction of a day', () => {
    const profile = parsed(
      'extends: src\ndeadlines:\n  fix_team_organized: 36h\n  fix_lgtm: { due: 90m, opens: 0d }\n',
    );
    expect(step(profile, 'fix_team_organized')?.due.days).toBe(1.5);
    expect(step(profile, 'fix_lgtm')?.due.days).toBeCloseTo(90 / 1440);
  });

  it('with a lead time as a duration, gives every step that lead, and leaves the share alone', () => {
    const profile = parsed('extends: pst2018\nnudges:\n  lead: PT2H\n  steps: { announce: 1d }\n');
    expect(profile.phases.steps.every((s) => s.adjusted === CHANGED)).toBe(true);
    expect(step(profile, 'announce')?.leadMs).toBe(DAY);
    expect(step(profile, 'cvss_scored')?.leadMs).toBe(2 * HOUR);
    expect(profile.phases.nudges).toEqual(PROFILES.pst2018.phases.nudges);
  });

  it.each(['src', 'pst2018'] as const)('extends %s and changes nothing: the same rules, unmarked', (id) => {
    expect(parsed(`extends: ${id}\n`)).toEqual(PROFILES[id]);
    expect(parsed(`# our process\nextends: ${id}\ndeadlines:\nnudges:\n`)).toEqual(PROFILES[id]);
  });

  it('is frozen all the way down, keeps every quote of the profile it extends, and changes no profile', () => {
    const profile = parsed(
      'extends: src\ndeadlines: { cvss_scored: 3d }\nnudges: { lead: 10% }\nstaleness: { High: 3d }\n',
    );
    expect(objectsIn(profile).filter((o) => !Object.isFrozen(o))).toEqual([]);
    expect(citationsIn(profile)).toEqual(citationsIn(PROFILES.src));
    expect(step(PROFILES.src, 'cvss_scored')?.due.days).toBe(7);
    expect(PROFILES.src.phases.nudges.leadShare).toBe(0.25);
  });

  it('reads the README’s example', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const example = readme.split('### Adjusting the process')[1]?.split('```yaml\n')[1]?.split('```')[0];
    expect(example).toContain('extends: src');
    const profile = parsed(example ?? '');
    expect(step(profile, 'distributors_advance')?.due.days).toBe(-10);
  });

  it('reaches the deployment with its company share through resolveProfile', () => {
    const profile = parsed('extends: pst2018\ndeadlines: { cvss_scored: 3d }\n');
    const resolved = resolveProfile(profile, { maxCompanyShare: 1 / 4 });
    expect(resolved.committee.maxCompanyShare).toBe(1 / 4);
    expect(step(resolved, 'cvss_scored')?.due.days).toBe(3);
    expect(resolveProfile(profile, {}).committee.maxCompanyShare).toBe(1 / 3);
  });
});

describe('a broken process file: one sentence per problem, naming the key and the fix', () => {
  const SRC_STEPS =
    'fix_team_organized, cvss_scored, final_rating, cve_requested, fix_lgtm, distributors_advance, cherry_picks, prs_merged, binaries_built, distributors_release_day, announce, fix_team_removed, retrospective, cve_published, tracking_issue_closed';
  const RELEASE_STEPS =
    'distributors_advance, cherry_picks, prs_merged, binaries_built, distributors_release_day, fix_team_removed, retrospective, cve_published, tracking_issue_closed';

  it.each([
    // extends
    [
      'no extends',
      'deadlines: { cvss_scored: 3d }',
      'extends is missing: start the file with "extends: src" or "extends: pst2018"',
    ],
    [
      'a wrong extends',
      'extends: SRC',
      'extends: "SRC" is not a process; write "extends: src" or "extends: pst2018"',
    ],
    ['an empty file', '', 'the file is empty; start it with "extends: src" or "extends: pst2018"'],
    [
      'a list',
      '- extends: src',
      'the file must be a YAML mapping that starts with "extends: src" or "extends: pst2018"',
    ],
    // unknown keys
    [
      'a misspelt group',
      'extends: src\ndeadline: { cvss_scored: 3d }',
      'unknown key "deadline" at the top level; did you mean "deadlines"? (allowed: extends, deadlines, nudges, staleness)',
    ],
    [
      'a group srp does not read',
      'extends: src\nrelease_day_hour: 9',
      'unknown key "release_day_hour" at the top level (allowed: extends, deadlines, nudges, staleness)',
    ],
    [
      'a misspelt nudge key',
      'extends: src\nnudges: { leed: 25% }',
      'unknown key "leed" in nudges; did you mean "lead"? (allowed: lead, minimum, steps)',
    ],
    [
      'a rating in lower case',
      'extends: src\nstaleness: { critical: 2d }',
      'unknown rating "critical" in staleness; did you mean "Critical"? (allowed: Critical, High, Medium, Low)',
    ],
    [
      'a misspelt deadline key',
      'extends: src\ndeadlines: { announce: { due: 10d, opns: 2d } }',
      'unknown key "opns" in deadlines.announce; did you mean "opens"? (allowed: due, opens)',
    ],
    [
      'an unknown step',
      'extends: src\ndeadlines: { cvss_score: 3d }',
      `unknown step "cvss_score" in deadlines; did you mean "cvss_scored"? (steps of src: ${SRC_STEPS})`,
    ],
    [
      'a step of the other process',
      'extends: src\nnudges: { steps: { forthcoming_fix: 1d } }',
      `unknown step "forthcoming_fix" in nudges.steps; it is a step of pst2018, not src (steps of src: ${SRC_STEPS})`,
    ],
    // durations
    [
      'words for a duration',
      'extends: src\ndeadlines: { cvss_scored: 7 days }',
      'deadlines.cvss_scored: "7 days" is not a duration; write it like 7d, 36h or P7D',
    ],
    [
      'a bare number',
      'extends: src\ndeadlines: { cvss_scored: 7 }',
      'deadlines.cvss_scored: 7 is not a duration; write it like 7d, 36h or P7D',
    ],
    [
      'months',
      'extends: src\ndeadlines: { announce: { due: P1M } }',
      'deadlines.announce.due: "P1M" counts months or years, whose length varies; write it in weeks, days, hours or minutes, e.g. P30D',
    ],
    [
      'a deadline with no due',
      'extends: src\ndeadlines: { announce: { opens: 2d } }',
      'deadlines.announce.due: is missing; a deadline needs it, e.g. { due: 7d, opens: 1d }',
    ],
    [
      'an empty deadline',
      'extends: src\ndeadlines:\n  announce:',
      'deadlines.announce: must be a duration such as 7d, or a mapping such as { due: 7d, opens: 1d }',
    ],
    [
      'a group that is not a mapping',
      'extends: src\nnudges: 25%',
      'nudges: must be a mapping such as { lead: 25%, minimum: 1h }',
    ],
    [
      'a minimum in words',
      'extends: src\nnudges: { minimum: 1 hour }',
      'nudges.minimum: "1 hour" is not a duration; write it like 1h, 36h or PT1H',
    ],
    [
      'a zero minimum',
      'extends: src\nnudges: { minimum: 0h }',
      'nudges.minimum: 0h must be longer than zero',
    ],
    [
      'a share as a fraction',
      'extends: src\nnudges: { lead: 0.25 }',
      'nudges.lead: 0.25 is not a lead time; write a share of the window like 25%, or a duration like 2h, 1d or PT2H',
    ],
    [
      'a share over 100%',
      'extends: src\nnudges: { lead: 150% }',
      'nudges.lead: 150% is not a share of the window; write 1% to 100%',
    ],
    [
      'a minimum beside a fixed lead',
      'extends: src\nnudges: { lead: 2h, minimum: 1h }',
      'nudges.minimum: only applies when lead is a share of the window (such as 25%); with lead: 2h, remove minimum',
    ],
    [
      'a negative step lead',
      'extends: src\nnudges: { steps: { announce: -1d } }',
      'nudges.steps.announce: -1d must be longer than zero',
    ],
    [
      'a staleness limit in words',
      'extends: src\nstaleness: { High: 7 days }',
      'staleness.High: "7 days" is not a duration; write it like 7d, 36h or P7D, or none for no limit',
    ],
    [
      'an empty staleness limit',
      'extends: src\nstaleness:\n  Low:',
      'staleness.Low: must be a duration such as 7d, 36h or P7D, or none for no limit',
    ],
    // deadlines against their step
    [
      'a negative deadline from the disclosure',
      'extends: src\ndeadlines: { fix_team_organized: -1d }',
      `deadlines.fix_team_organized: -1d is not after the disclosure; a step counted from the disclosure needs a positive duration, such as 7d (only steps counted from the release date may be negative: ${RELEASE_STEPS})`,
    ],
    [
      'a zero deadline from the disclosure',
      'extends: src\ndeadlines: { fix_team_organized: 0d }',
      `deadlines.fix_team_organized: 0d is not after the disclosure; a step counted from the disclosure needs a positive duration, such as 7d (only steps counted from the release date may be negative: ${RELEASE_STEPS})`,
    ],
    [
      'a window opening before the disclosure',
      'extends: src\ndeadlines: { cvss_scored: { due: 5d, opens: -1d } }',
      `deadlines.cvss_scored.opens: -1d is before the disclosure; a step counted from the disclosure needs a positive duration, such as 7d (only steps counted from the release date may be negative: ${RELEASE_STEPS})`,
    ],
    [
      'a deadline at the opening the process gives',
      'extends: src\ndeadlines: { retrospective: 1d }',
      'deadlines.retrospective: the window opens (1d, as in src) at or after the deadline (1d); open it before the deadline, e.g. { due: 1d, opens: 0d }',
    ],
    [
      'an opening after the deadline, from the release date',
      'extends: src\ndeadlines: { distributors_advance: { due: -7d, opens: -3d } }',
      'deadlines.distributors_advance.opens: the window opens (-3d) at or after the deadline (-7d); open it before the deadline, e.g. { due: -7d, opens: -8d }',
    ],
  ])('%s', (_name, text, message) => {
    expect(problems(text)).toEqual([`${FILE}: ${message}`]);
  });

  it.each([
    [
      'a flow mapping left open',
      'extends: src\ndeadlines: { cvss_scored: 3d\nnudges: {}\n',
      /^line 3, column \d+: /,
    ],
    ['a key given twice', 'extends: src\nextends: pst2018\n', /^line 2, column 1: Map keys must be unique$/],
    ['a tab for indentation', 'extends: src\ndeadlines:\n\tcvss_scored: 3d\n', /^line 3, column 1: /],
  ])('YAML that does not parse, %s: the line and column', (_name, text, message) => {
    const [first, ...rest] = problems(text);
    expect(first?.slice(`${FILE}: `.length)).toMatch(message);
    expect(first?.startsWith(`${FILE}: `)).toBe(true);
    for (const p of rest) expect(p.startsWith(`${FILE}: line `)).toBe(true);
  });

  it('lists every problem at once, each starting with the file name', () => {
    const found = problems(`
extends: src
deadline: {}
deadlines:
  cvss_scored: 7 days
  cvss_score: 3d
  fix_team_organized: -7d
nudges:
  minimum: 0h
staleness:
  critical: 2d
  High: 7 days
`);
    expect(found).toHaveLength(7);
    for (const p of found) expect(p.startsWith(`${FILE}: `)).toBe(true);
    expect(found.map((p) => p.slice(FILE.length + 2).split(/[: ]/)[0])).toEqual(
      expect.arrayContaining([
        'deadlines.cvss_scored',
        'deadlines.fix_team_organized',
        'nudges.minimum',
        'staleness.High',
        'unknown',
      ]),
    );
    expect(found.filter((p) => p.includes('unknown'))).toHaveLength(3);
  });

  it('with extends wrong, still checks every duration', () => {
    expect(problems('extends: nope\ndeadlines: { cvss_scored: soon }\nstaleness: { High: 0d }\n')).toEqual([
      `${FILE}: extends: "nope" is not a process; write "extends: src" or "extends: pst2018"`,
      `${FILE}: deadlines.cvss_scored: "soon" is not a duration; write it like 7d, 36h or P7D`,
      `${FILE}: staleness.High: 0d must be longer than zero, or none for no limit`,
    ]);
  });
});

describe('a negative deadline counts back from the release date, so only steps counted from it take one', () => {
  it.each([
    ['src', 'distributors_advance', true],
    ['src', 'distributors_release_day', true],
    ['src', 'fix_team_removed', true],
    ['src', 'fix_team_organized', false],
    ['src', 'announce', false],
    ['pst2018', 'release_branch', true],
    ['pst2018', 'cve_requested', true],
    ['pst2018', 'distributors_optional', false],
    ['pst2018', 'announce', false],
  ] as const)('%s %s: -3d accepted: %s', (id, stepId, accepted) => {
    const r = parseProcessFile(`extends: ${id}\ndeadlines:\n  ${stepId}: { due: -3d, opens: -4d }\n`, FILE);
    expect(r.ok).toBe(accepted);
    if (r.ok)
      expect(step(r.profile, stepId)?.due).toMatchObject({ from: 'release', days: -3, opensDays: -4 });
    else expect(r.problems[0]).toContain(`deadlines.${stepId}.due: -3d is not after the disclosure`);
  });
});
