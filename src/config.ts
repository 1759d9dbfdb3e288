import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseProcessFile } from './domain/profiles/file.js';
import { isProcessId, PROCESS_IDS, type ProcessId, type ProcessProfile } from './domain/profiles/index.js';

/**
 * The environment, validated once at start-up. Every problem is collected so the
 * operator fixes them all in one go instead of one restart per mistake.
 */

const channelId = z
  .string()
  .trim()
  .regex(/^[CG][A-Z0-9]{6,}$/, 'must be a Slack channel id (for example C012ABCDEF), not a #name');
const userId = /^[UW][A-Z0-9]{6,}$/;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const processId = z.enum(PROCESS_IDS, {
  error: `must name a process: ${PROCESS_IDS.join(' or ')} (src is today's SRC process, pst2018 the 2018 Product Security Team one)`,
});

const schema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string({ error: 'is required: the bot token (xoxb-...) from OAuth & Permissions' })
      .regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^xapp-/, 'must be an app-level token starting with xapp-')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: z.preprocess(emptyToUndefined, z.string().min(1).optional()),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(3000),
  ),
  SLACK_API_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
      .optional(),
  ),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.string().default('data/srp.db')),
  SRP_SECURITY_CHANNEL: z.preprocess(
    emptyToUndefined,
    z.string({ error: "is required: the id of the committee's private channel (C...)" }).pipe(channelId),
  ),
  SRP_ANNOUNCE_CHANNEL: z.preprocess(
    emptyToUndefined,
    z.string({ error: 'is required: the id of the public announcements channel (C...)' }).pipe(channelId),
  ),
  SRP_ADMINS: z.preprocess(
    emptyToUndefined,
    z
      .string({ error: 'is required: comma-separated Slack user ids of the first committee members' })
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().regex(userId, 'must list Slack user ids such as U012ABCDEF'))
          .min(1, 'must name at least one committee member'),
      ),
  ),
  SRP_PROCESS: z.preprocess(emptyToUndefined, processId.optional()),
  /** The variable's earlier name, still accepted. */
  SRP_PROCESS_PROFILE: z.preprocess(emptyToUndefined, processId.optional()),
  /** A team's own adjustments to its process, as YAML (domain/profiles/file.ts); read at start-up. */
  SRP_PROCESS_FILE: z.preprocess(emptyToUndefined, z.string().trim().optional()),
  SRP_MAX_COMPANY_SHARE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((s, ctx) => {
        const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s);
        const v = m ? Number(m[1]) / Number(m[2]) : Number(s);
        if (!Number.isFinite(v) || v <= 0 || v > 1) {
          ctx.addIssue({ code: 'custom', message: 'must be a fraction such as 1/2, 1/3 or 0.5' });
          return z.NEVER;
        }
        return v;
      })
      .optional(),
  ),
  SRP_PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^https?$/, error: 'must be the public http(s) URL where srp is reached' }).optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

/** Every variable srp reads, for the README's table (a test keeps the two the same). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Rules that span several variables; checked on the raw values so they are reported alongside the rest. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const set = (k: string) => (env[k] ?? '').trim() !== '';
  const problems: string[] = [];
  if (!set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET')) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)',
    );
  }
  if (
    set('SRP_PROCESS') &&
    set('SRP_PROCESS_PROFILE') &&
    env.SRP_PROCESS?.trim() !== env.SRP_PROCESS_PROFILE?.trim()
  ) {
    problems.push('SRP_PROCESS and SRP_PROCESS_PROFILE (its earlier name) disagree: set only SRP_PROCESS');
  }
  if (set('SRP_SECURITY_CHANNEL') && env.SRP_SECURITY_CHANNEL?.trim() === env.SRP_ANNOUNCE_CHANNEL?.trim()) {
    problems.push(
      'SRP_ANNOUNCE_CHANNEL must differ from SRP_SECURITY_CHANNEL: reports must never reach the public channel',
    );
  }
  return problems;
}

export interface Config {
  slack: {
    botToken: string;
    appToken: string | undefined;
    signingSecret: string | undefined;
    apiUrl: string | undefined;
    mode: 'http' | 'socket';
  };
  port: number;
  databasePath: string;
  securityChannel: string;
  announceChannel: string;
  admins: string[];
  logLevel: string;
  /** Which process document's rules apply (with SRP_PROCESS_FILE: the one the file extends). */
  process: ProcessId;
  /** The team's adjustments to that process (SRP_PROCESS_FILE): the file as named, and the profile it makes. */
  processFile: { path: string; profile: ProcessProfile } | undefined;
  maxCompanyShare: number | undefined;
  publicUrl: string | undefined;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export interface ConfigDeps {
  /** Reads SRP_PROCESS_FILE's file as text; the file system by default, tests may pass their own. */
  readFile?: (path: string) => string;
}

const readErrors: Record<string, string> = {
  ENOENT: 'there is no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

/**
 * SRP_PROCESS_FILE read and checked: the profile it makes, or its problems, which join the environment's
 * in the one message. Also a problem: SRP_PROCESS naming another process than the file extends.
 */
function processFile(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string,
): { path: string; profile: ProcessProfile } | { problems: string[] } | undefined {
  const path = env.SRP_PROCESS_FILE?.trim();
  if (!path) return undefined;
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
    const why = readErrors[code] ?? (err instanceof Error ? err.message : String(err));
    return { problems: [`SRP_PROCESS_FILE cannot be read: ${path}: ${why}`] };
  }
  const parsed = parseProcessFile(text, path);
  if (!parsed.ok) return { problems: parsed.problems };
  for (const variable of ['SRP_PROCESS', 'SRP_PROCESS_PROFILE']) {
    const named = env[variable]?.trim();
    // A value that names no process is reported on its own; only a real disagreement is reported here.
    if (isProcessId(named) && named !== parsed.profile.id) {
      return { problems: [`${variable}=${named} but ${path} extends ${parsed.profile.id}: remove one`] };
    }
  }
  return { path, profile: parsed.profile };
}

/**
 * Parses an environment into a Config, or into the list of everything wrong with it. The one file it reads,
 * SRP_PROCESS_FILE's, goes through `deps.readFile`.
 */
export function parseConfig(env: Record<string, string | undefined>, deps: ConfigDeps = {}): ConfigResult {
  const result = schema.safeParse(env);
  const file = processFile(env, deps.readFile ?? ((path) => readFileSync(path, 'utf8')));
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`)),
    ...crossFieldProblems(env),
    ...(file && 'problems' in file ? file.problems : []),
  ];
  if (!result.success || problems.length > 0) return { ok: false, problems: [...new Set(problems)] };
  const e = result.data;
  const adjusted = file && 'profile' in file ? file : undefined;
  return {
    ok: true,
    config: {
      slack: {
        botToken: e.SLACK_BOT_TOKEN,
        appToken: e.SLACK_APP_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        apiUrl: e.SLACK_API_URL,
        mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
      },
      port: e.PORT,
      databasePath: e.DATABASE_URL.replace(/^file:/, ''),
      securityChannel: e.SRP_SECURITY_CHANNEL,
      announceChannel: e.SRP_ANNOUNCE_CHANNEL,
      admins: e.SRP_ADMINS,
      logLevel: e.LOG_LEVEL,
      process: adjusted?.profile.id ?? e.SRP_PROCESS ?? e.SRP_PROCESS_PROFILE ?? 'src',
      processFile: adjusted,
      maxCompanyShare: e.SRP_MAX_COMPANY_SHARE,
      publicUrl: e.SRP_PUBLIC_URL?.replace(/\/$/, ''),
    },
  };
}

/** The one message an operator sees when the configuration is wrong. */
export function formatConfigProblems(problems: string[]): string {
  return [
    'srp cannot start: the configuration is not valid.',
    ...problems.map((p) => `  - ${p}`),
    'Set these in the environment or in .env (see .env.example).',
  ].join('\n');
}
