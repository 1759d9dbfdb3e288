import { Duration } from 'luxon';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { RATINGS, type Rating } from '../severity.js';
import { deepFreeze, isProcessId, PROCESS_IDS, PROFILES } from './index.js';
import type { Due, ProcessProfile, StepRule } from './types.js';

/**
 * A team's own adjustments to its process (SRP_PROCESS_FILE), as YAML: it starts from a named profile and
 * changes deadlines, nudge lead times and staleness limits, nothing else.
 *
 * ```yaml
 * extends: src                       # required: src or pst2018
 * deadlines:                         # by step id of that profile
 *   fix_team_organized: 2d           # the deadline, from the step's origin (disclosure or release date)
 *   cvss_scored: { due: 10d, opens: 1d }
 *   distributors_advance: -10d       # negative only for steps counted from the release date
 * nudges:
 *   lead: 25%                        # a share of the step's window, or a duration such as 2h
 *   minimum: 1h                      # never less than this before the deadline (with a share only)
 *   steps: { announce: 2d }          # one step's own lead time
 * staleness:                         # by final rating: a duration, or none
 *   Critical: 2d
 *   Low: none
 * ```
 *
 * Pure: the caller reads the file. Every problem is collected, each prefixed by the file name and naming the
 * key and the fix, so one message tells the operator everything to change.
 */

export type ProcessFileResult = { ok: true; profile: ProcessProfile } | { ok: false; problems: string[] };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const UNIT_MS = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS } as const;

const TOP_KEYS = ['extends', 'deadlines', 'nudges', 'staleness'] as const;
const NUDGE_KEYS = ['lead', 'minimum', 'steps'] as const;
const DUE_KEYS = ['due', 'opens'] as const;

const EXTENDS_FIX = PROCESS_IDS.map((id) => `"extends: ${id}"`).join(' or ');

/** A length of time as written in the file, and in milliseconds (negative: before the origin). */
interface Length {
  ms: number;
  text: string;
}

/** `7d`, `36h`, `90m`, `2w`, optionally with a leading `-`; or ISO 8601 such as `P7D`, `PT4H`, `-P7D`. */
function parseLength(input: string | number, example = '7d'): Length | { error: string } {
  const [, n = '7', unit = 'd'] = /^-?(\d+)([mhdw])$/.exec(example) ?? [];
  const iso = `P${unit === 'h' || unit === 'm' ? 'T' : ''}${n}${unit.toUpperCase()}`;
  const fix = `write it like ${example}, 36h or ${iso}`;
  if (typeof input === 'number') {
    return Number.isInteger(input)
      ? { error: `${input} is not a duration; write it like ${input}d, 36h or P${Math.abs(input)}D` }
      : { error: `${input} is not a duration; ${fix}` };
  }
  const text = input.trim();
  const short = /^(-?)(\d+)([mhdw])$/.exec(text);
  if (short) {
    const [, sign, n, unit] = short;
    return { ms: (sign ? -1 : 1) * Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS], text };
  }
  const written = /^(-?)(P.+)$/.exec(text);
  if (written) {
    const [, sign, body = ''] = written;
    const duration = Duration.fromISO(body);
    if (duration.isValid) {
      if (duration.years || duration.quarters || duration.months) {
        return {
          error: `"${text}" counts months or years, whose length varies; write it in weeks, days, hours or minutes, e.g. P30D`,
        };
      }
      return { ms: (sign ? -1 : 1) * duration.toMillis(), text };
    }
  }
  return { error: `"${text}" is not a duration; ${fix}` };
}

function isLength(value: unknown): value is Length {
  return typeof value === 'object' && value !== null && 'ms' in value && 'text' in value;
}

/** What a value that is not even text or a number is told: missing, or the wrong kind of value. */
const kindError = (missing: string, wrong: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is missing; ${missing}` : `must be ${wrong}`;

/** A duration leaf; `positive`: zero and negative lengths are problems here, not the caller's. */
function length(opts: { positive: boolean; example?: string; missing?: string }) {
  const example = opts.example ?? '7d';
  return z
    .union([z.string(), z.number()], {
      error: kindError(
        opts.missing ?? `write it like ${example}`,
        `a duration such as ${example}, 36h or P7D`,
      ),
    })
    .transform((value, ctx): Length => {
      const parsed = parseLength(value, opts.example);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      if (opts.positive && parsed.ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `${parsed.text} must be longer than zero` });
        return z.NEVER;
      }
      return parsed;
    });
}

/** `25%`: a share of the window; or a duration. */
const lead = z
  .union([z.string(), z.number()], {
    error: kindError(
      'write a share like 25%, or 2h',
      'a share of the window such as 25%, or a duration such as 2h',
    ),
  })
  .transform((value, ctx): { share: number } | Length => {
    const percent = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*%$/.exec(value.trim()) : null;
    if (percent) {
      const share = Number(percent[1]) / 100;
      if (share > 0 && share <= 1) return { share };
      ctx.addIssue({ code: 'custom', message: `${value} is not a share of the window; write 1% to 100%` });
      return z.NEVER;
    }
    const parsed = typeof value === 'string' ? parseLength(value, '2h') : undefined;
    if (parsed && !('error' in parsed) && parsed.ms > 0) return parsed;
    ctx.addIssue({
      code: 'custom',
      message: `${typeof value === 'string' ? `"${value}"` : value} is not a lead time; write a share of the window like 25%, or a duration like 2h, 1d or PT2H`,
    });
    return z.NEVER;
  });

const staleLimit = z
  .union([z.string(), z.number()], {
    error: kindError(
      'write a duration like 7d, or none',
      'a duration such as 7d, 36h or P7D, or none for no limit',
    ),
  })
  .transform((value, ctx): Length | null => {
    if (value === 'none') return null;
    const parsed = parseLength(value);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: `${parsed.error}, or none for no limit` });
      return z.NEVER;
    }
    if (parsed.ms <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${parsed.text} must be longer than zero, or none for no limit`,
      });
      return z.NEVER;
    }
    return parsed;
  });

const mapping = (example: string) => (issue: { code: string }) =>
  issue.code === 'invalid_type' ? `must be a mapping such as ${example}` : undefined;

type DeadlineEntry = Length | { due: Length; opens?: Length };

/** One step's deadline: `10d`, or `{ due: 10d, opens: 1d }`; checked against the step when it is known. */
function deadline(step: StepRule | undefined, releaseSteps: readonly string[], profileId: string) {
  const signed = length({ positive: false });
  const dueObject = z.strictObject(
    {
      due: length({ positive: false, missing: 'a deadline needs it, e.g. { due: 7d, opens: 1d }' }),
      opens: signed.optional(),
    },
    { error: mapping('{ due: 10d }') },
  );
  return z
    .union([signed, dueObject], {
      error: kindError(
        'write a duration like 7d',
        'a duration such as 7d, or a mapping such as { due: 7d, opens: 1d }',
      ),
    })
    .superRefine((entry, ctx) => {
      if (!step) return;
      const shorthand = isLength(entry);
      const due = shorthand ? entry : entry.due;
      const opens = shorthand ? undefined : entry.opens;
      // With a problem inside the entry, the value is not all parsed: that problem is reported already.
      if (!isLength(due) || (opens !== undefined && !isLength(opens))) return;
      const at = (key: 'due' | 'opens') => (shorthand ? [] : [key]);
      if (step.due.from === 'disclosure') {
        const fix = `a step counted from the disclosure needs a positive duration, such as 7d (only steps counted from the release date may be negative: ${releaseSteps.join(', ')})`;
        if (due.ms <= 0) {
          ctx.addIssue({
            code: 'custom',
            path: at('due'),
            message: `${due.text} is not after the disclosure; ${fix}`,
          });
        }
        if (opens && opens.ms < 0) {
          ctx.addIssue({
            code: 'custom',
            path: at('opens'),
            message: `${opens.text} is before the disclosure; ${fix}`,
          });
        }
      }
      const dueDays = due.ms / DAY_MS;
      const opensDays = opens ? opens.ms / DAY_MS : step.due.opensDays;
      if (opensDays !== undefined && opensDays >= dueDays) {
        const window = opens ? opens.text : `${step.due.opensDays}d, as in ${profileId}`;
        const earlier = step.due.from === 'disclosure' ? 0 : Math.ceil(dueDays) - 1;
        ctx.addIssue({
          code: 'custom',
          path: at(opens ? 'opens' : 'due'),
          message: `the window opens (${window}) at or after the deadline (${due.text}); open it before the deadline, e.g. { due: ${due.text}, opens: ${earlier}d }`,
        });
      }
    });
}

/** The file's schema for one base profile (steps known), or for none (extends missing or wrong). */
function schemaFor(profile: ProcessProfile | undefined) {
  const steps = profile?.phases.steps ?? [];
  const releaseSteps = steps.filter((s) => s.due.from === 'release').map((s) => s.id);
  const byStep = <T extends z.ZodType>(entry: (step: StepRule | undefined) => T, example: string) =>
    profile
      ? z.strictObject(Object.fromEntries(steps.map((s) => [s.id, entry(s).optional()])), {
          error: mapping(example),
        })
      : z.record(z.string(), entry(undefined), { error: mapping(example) });
  return z.strictObject(
    {
      extends: z.enum(PROCESS_IDS, {
        error: (issue) =>
          issue.input === undefined
            ? `extends is missing: start the file with ${EXTENDS_FIX}`
            : `extends: ${JSON.stringify(issue.input)} is not a process; write ${EXTENDS_FIX}`,
      }),
      deadlines: byStep(
        (step) => deadline(step, releaseSteps, profile?.id ?? ''),
        '{ fix_team_organized: 2d }',
      ).nullish(),
      nudges: z
        .strictObject(
          {
            lead: lead.optional(),
            minimum: length({ positive: true, example: '1h' }).optional(),
            steps: byStep(() => length({ positive: true, example: '2d' }), '{ announce: 2d }').nullish(),
          },
          { error: mapping('{ lead: 25%, minimum: 1h }') },
        )
        .superRefine((nudges, ctx) => {
          if (isLength(nudges.lead) && nudges.minimum !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['minimum'],
              message: `only applies when lead is a share of the window (such as 25%); with lead: ${nudges.lead.text}, remove minimum`,
            });
          }
        })
        .nullish(),
      staleness: z
        .strictObject(Object.fromEntries(RATINGS.map((r) => [r, staleLimit.optional()])), {
          error: mapping('{ Critical: 2d, Low: none }'),
        })
        .nullish(),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? `the file must be a YAML mapping that starts with ${EXTENDS_FIX}`
          : undefined,
    },
  );
}

/** The keys an object at `path` may have, for an unknown key's message. */
function allowedAt(path: readonly PropertyKey[], profile: ProcessProfile | undefined) {
  const stepIds = profile?.phases.steps.map((s) => s.id) ?? [];
  const steps = { noun: 'step', keys: stepIds, list: `steps of ${profile?.id}` };
  const where = path.join('.');
  if (path.length === 0) return { noun: 'key', keys: [...TOP_KEYS], list: 'allowed' };
  if (where === 'nudges') return { noun: 'key', keys: [...NUDGE_KEYS], list: 'allowed' };
  if (where === 'staleness') return { noun: 'rating', keys: [...RATINGS], list: 'allowed' };
  if (where === 'deadlines' || where === 'nudges.steps') return steps;
  if (path[0] === 'deadlines' && path.length === 2)
    return { noun: 'key', keys: [...DUE_KEYS], list: 'allowed' };
  return { noun: 'key', keys: [] as string[], list: 'allowed' };
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The allowed key `key` was probably meant to be, if one is close enough. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = allowed.find((k) => k.toLowerCase() === lower);
  if (same) return same;
  let best: { key: string; distance: number } | undefined;
  for (const k of allowed) {
    const distance = editDistance(lower, k.toLowerCase());
    if (!best || distance < best.distance) best = { key: k, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
}

function unknownKey(path: readonly PropertyKey[], key: string, profile: ProcessProfile | undefined): string {
  const { noun, keys, list } = allowedAt(path, profile);
  const where = path.length === 0 ? 'at the top level' : `in ${path.join('.')}`;
  const guess = closest(key, keys);
  const elsewhere =
    noun === 'step' && profile
      ? PROCESS_IDS.find((id) => id !== profile.id && PROFILES[id].phases.steps.some((s) => s.id === key))
      : undefined;
  const hint = guess
    ? `; did you mean ${JSON.stringify(guess)}?`
    : elsewhere
      ? `; it is a step of ${elsewhere}, not ${profile?.id}`
      : '';
  return `unknown ${noun} ${JSON.stringify(key)} ${where}${hint} (${list}: ${keys.join(', ')})`;
}

/**
 * Zod's issues as sentences. A union (a deadline is a duration or a mapping) reports the one branch the value
 * was meant for, when only one got past the value's type; otherwise its own message.
 */
function describe(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PropertyKey[],
  profile: ProcessProfile | undefined,
): string[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union') {
      const meant = issue.errors.filter((branch) =>
        branch.some((i) => i.path.length > 0 || (i.code !== 'invalid_type' && i.code !== 'invalid_union')),
      );
      const [only] = meant;
      if (meant.length === 1 && only) return describe(only, path, profile);
    }
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKey(path, key, profile));
    const where = path.map(String).join('.');
    if (!where || issue.message.startsWith(`${where} `) || issue.message.startsWith(`${where}:`)) {
      return [issue.message];
    }
    return [`${where}: ${issue.message}`];
  });
}

type Parsed = z.infer<ReturnType<typeof schemaFor>>;

/** The base profile with the file's changes, each marked as the team's. */
function apply(base: ProcessProfile, file: Parsed, fileName: string): ProcessProfile {
  const adjusted = `changed by ${fileName}`;
  const profile = structuredClone(base);
  const deadlines = (file.deadlines ?? {}) as Record<string, DeadlineEntry | undefined>;
  const leads = (file.nudges?.steps ?? {}) as Record<string, Length | undefined>;
  const everyLead = isLength(file.nudges?.lead) ? file.nudges.lead : undefined;
  profile.phases.steps = profile.phases.steps.map((step) => {
    const entry = deadlines[step.id];
    const leadMs = leads[step.id]?.ms ?? everyLead?.ms;
    if (!entry && leadMs === undefined) return step;
    const changed: StepRule = { ...step, adjusted };
    if (entry) {
      const due: Due = { ...step.due };
      const { due: dueLength, opens } = isLength(entry) ? { due: entry, opens: undefined } : entry;
      due.days = dueLength.ms / DAY_MS;
      if (opens) due.opensDays = opens.ms / DAY_MS;
      changed.due = due;
    }
    if (leadMs !== undefined) changed.leadMs = leadMs;
    return changed;
  });
  const nudges = file.nudges;
  if (nudges && (nudges.lead !== undefined || nudges.minimum !== undefined)) {
    if (nudges.lead && 'share' in nudges.lead) profile.phases.nudges.leadShare = nudges.lead.share;
    if (nudges.minimum) profile.phases.nudges.minLeadMs = nudges.minimum.ms;
    if (!everyLead) profile.phases.nudges.adjusted = adjusted;
  }
  const staleness = (file.staleness ?? {}) as Partial<Record<Rating, Length | null>>;
  const ratings = RATINGS.filter((r) => staleness[r] !== undefined);
  if (ratings.length > 0) {
    const limits = { ...profile.phases.staleness.limits };
    for (const r of ratings) limits[r] = staleness[r]?.ms ?? null;
    profile.phases.staleness = { ...profile.phases.staleness, limits, adjusted };
  }
  return profile;
}

/**
 * Reads a team's process file: the profile it extends with its changes, deep-frozen like PROFILES, or every
 * problem with it, each starting with `fileName`.
 */
export function parseProcessFile(text: string, fileName: string): ProcessFileResult {
  const fail = (problems: string[]): ProcessFileResult => ({
    ok: false,
    problems: [...new Set(problems)].map((p) => `${fileName}: ${p}`),
  });
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((e) => {
        const [first = e.message] = e.message.split('\n');
        const message = first.replace(/ at line \d+, column \d+:?$/, '');
        const at = e.linePos?.[0];
        return at ? `line ${at.line}, column ${at.col}: ${message}` : message;
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (err) {
    // Too many aliases (a "billion laughs" file), or an alias to nothing.
    return fail([err instanceof Error ? err.message : String(err)]);
  }
  if (raw === null || raw === undefined) {
    return fail([`the file is empty; start it with ${EXTENDS_FIX}`]);
  }
  const named = typeof raw === 'object' && 'extends' in raw ? raw.extends : undefined;
  const base = isProcessId(named) ? PROFILES[named] : undefined;
  const result = schemaFor(base).safeParse(raw);
  if (!result.success) return fail(describe(result.error.issues, [], base));
  if (!base) return fail([`extends is missing: start the file with ${EXTENDS_FIX}`]);
  return { ok: true, profile: deepFreeze(apply(base, result.data, fileName)) };
}
