import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { compileTemplates, TEMPLATE_FILES, type TemplateSet } from './domain/disclosure/templates.js';
import type { ProjectInfo } from './domain/disclosure/texts.js';
import { osvVocabulary } from './domain/exports/validate.js';
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

const email = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;
const emailList = (error: string) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(email, error)));
const oneEmail = (error: string) => z.string().trim().regex(email, error);

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
  /** The project's name in the disclosure texts ("[Kubernetes] CVE-…", "Hello Kubernetes Community"). */
  SRP_PROJECT_NAME: z.preprocess(emptyToUndefined, z.string().trim().max(100).default('Kubernetes')),
  /** The public GitHub repository (`owner/name`) of the tracking issue and its new-issue link. */
  SRP_GITHUB_REPO: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/, 'must be a GitHub repository as owner/name')
      .default('kubernetes/kubernetes'),
  ),
  /** Where the announcement email goes (the general lists), comma-separated. */
  SRP_ANNOUNCE_EMAIL_TO: z.preprocess(
    emptyToUndefined,
    emailList('must list email addresses separated by commas').optional(),
  ),
  SRP_OSS_SECURITY_TO: z.preprocess(
    emptyToUndefined,
    oneEmail('must be an email address').default('oss-security@lists.openwall.com'),
  ),
  /** The private distributors list (the embargoed notices). */
  SRP_DISTRIBUTORS_EMAIL: z.preprocess(emptyToUndefined, oneEmail('must be an email address').optional()),
  /** The committee's address: the emails' sender and the contact they name. */
  SRP_SECURITY_EMAIL: z.preprocess(emptyToUndefined, oneEmail('must be an email address').optional()),
  /** Who signs the emails ("… on behalf of the Security Response Committee"). */
  SRP_SIGNER: z.preprocess(emptyToUndefined, z.string().trim().max(200).optional()),
  /** A directory of the team's own templates, replacing srp's file by file (same names). */
  SRP_TEMPLATES_DIR: z.preprocess(emptyToUndefined, z.string().trim().optional()),
  /** Approvals of the disclosure texts needed, each by a member other than the record's last editor. */
  SRP_APPROVALS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be 1, 2 or 3' })
      .int('must be 1, 2 or 3')
      .min(1, 'must be 1, 2 or 3')
      .max(3, 'must be 1, 2 or 3')
      .default(1),
  ),
  /** The SMTP server srp sends the approved emails through (smtp:// or smtps://, credentials in the URL). */
  SRP_SMTP_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(
        /^smtps?:\/\/[^\s]+$/,
        'must be an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.org:465',
      )
      .optional(),
  ),
  /** The CNA's short name in the CVE program (the CVE record's assignerShortName), e.g. `kubernetes`. */
  SRP_CVE_ASSIGNER: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{2,32}$/, "must be the CNA's short name in the CVE program, such as kubernetes")
      .optional(),
  ),
  /** The CNA's organisation UUID in the CVE program (the CVE record's assignerOrgId). */
  SRP_CVE_ASSIGNER_ORG_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        "must be the CNA's organisation UUID (cve.org → the CNA's page), such as a6081bf6-c852-4425-ad4f-a67919267565",
      )
      .optional(),
  ),
  /** The OSV ecosystem of the project's packages (the OSV schema's list). */
  SRP_OSV_ECOSYSTEM: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => osvVocabulary().ecosystems.includes(v), {
        message: 'must be an OSV ecosystem from the OSV schema, such as Kubernetes or Go',
      })
      .default('Kubernetes'),
  ),
  /** A home-database prefix for the OSV id (`KUBE` → `KUBE-CVE-…`); unset: the OSV id is the CVE id. */
  SRP_OSV_ID_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => osvVocabulary().prefix.test(`${v}-`), {
        message: "must be a home-database prefix from the OSV schema's list, such as KUBE",
      })
      .optional(),
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
  problems.push(...exportProblems(env));
  if (set('SRP_SMTP_URL') && !set('SRP_SECURITY_EMAIL')) {
    problems.push('SRP_SECURITY_EMAIL is required with SRP_SMTP_URL: the emails are sent from it');
  }
  return problems;
}

/** The CVE assigner's two variables go together: a record names both or cannot be made. */
function exportProblems(env: Record<string, string | undefined>): string[] {
  const set = (k: string) => (env[k] ?? '').trim() !== '';
  if (set('SRP_CVE_ASSIGNER') !== set('SRP_CVE_ASSIGNER_ORG_ID')) {
    return [
      'SRP_CVE_ASSIGNER and SRP_CVE_ASSIGNER_ORG_ID go together: set both (or neither, and no CVE records)',
    ];
  }
  return [];
}

/** What the exports read from configuration (services/exports.ts). */
export interface ExportSettings {
  /** The CNA (SRP_CVE_ASSIGNER, SRP_CVE_ASSIGNER_ORG_ID); null: CVE records cannot be made. */
  assigner: { shortName: string; orgId: string } | null;
  osv: { ecosystem: string; idPrefix: string | null };
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
  /** The project's names and addresses in the disclosure texts. */
  project: ProjectInfo;
  /** The disclosure texts' templates, parsed and checked at start-up (srp's own, or the team's). */
  templates: TemplateSet;
  /** How many members (other than the record's last editor) approve the texts (SRP_APPROVALS). */
  approvals: number;
  /** Where the approved emails are sent through (SRP_SMTP_URL); unset: the Fix Lead sends them by hand. */
  smtpUrl: string | undefined;
  /** The CVE assigner and the OSV ecosystem of the exports. */
  exports: ExportSettings;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export interface ConfigDeps {
  /** Reads SRP_PROCESS_FILE's file as text; the file system by default, tests may pass their own. */
  readFile?: (path: string) => string;
  /** Lists a directory's file names (SRP_TEMPLATES_DIR); the file system by default. */
  readDir?: (path: string) => string[];
}

/** What the disclosure texts are made with: the project's names, the templates, the approvals needed. */
export type DisclosureConfig = Pick<Config, 'project' | 'templates' | 'approvals'>;

/** The defaults of an empty environment (unit tests wire services without a Config). */
export const DEFAULT_DISCLOSURE = (): DisclosureConfig => {
  const loaded = loadTemplates(
    {},
    () => '',
    () => [],
  );
  if ('problems' in loaded) throw new Error(loaded.problems.join('\n'));
  return {
    project: {
      name: 'Kubernetes',
      repo: 'kubernetes/kubernetes',
      securityEmail: undefined,
      signer: undefined,
      announceTo: [],
      ossSecurityTo: 'oss-security@lists.openwall.com',
      distributorsEmail: undefined,
    },
    templates: loaded.set,
    approvals: 1,
  };
};

/** srp's own templates, beside `src/` (and `dist/`) in the package. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/**
 * The templates: srp's own, each replaced by the team's file of the same name in SRP_TEMPLATES_DIR; then
 * parsed and checked (templates.ts). A file there that names no template is a problem too (a typo would
 * otherwise leave srp's own text in place unnoticed).
 */
function loadTemplates(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string,
  readDir: (path: string) => string[],
): { set: TemplateSet } | { problems: string[] } {
  const files: Record<string, { source: string; from: string }> = {};
  const problems: string[] = [];
  for (const name of TEMPLATE_FILES) {
    const path = join(DEFAULT_TEMPLATES_DIR, name);
    files[name] = { source: readFileSync(path, 'utf8'), from: `templates/${name}` };
  }
  const dir = env.SRP_TEMPLATES_DIR?.trim();
  if (dir) {
    let names: string[] = [];
    try {
      names = readDir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
      const why = readErrors[code] ?? (err instanceof Error ? err.message : String(err));
      problems.push(`SRP_TEMPLATES_DIR cannot be read: ${dir}: ${why}`);
    }
    for (const name of names.filter((n) => !n.startsWith('.'))) {
      if (!TEMPLATE_FILES.includes(name)) {
        problems.push(
          `${join(dir, name)}: no template has this name; the templates are ${TEMPLATE_FILES.join(', ')}`,
        );
        continue;
      }
      const path = join(dir, name);
      try {
        files[name] = { source: readFile(path), from: path };
      } catch (err) {
        problems.push(`${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  const compiled = compileTemplates(files);
  if (!compiled.ok) problems.push(...compiled.problems);
  if (problems.length > 0 || !compiled.ok) return { problems };
  return { set: compiled.set };
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
  const readFile = deps.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const file = processFile(env, readFile);
  const templates = loadTemplates(env, readFile, deps.readDir ?? ((path) => readdirSync(path)));
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`)),
    ...crossFieldProblems(env),
    ...(file && 'problems' in file ? file.problems : []),
    ...('problems' in templates ? templates.problems : []),
  ];
  if (!result.success || problems.length > 0 || 'problems' in templates)
    return { ok: false, problems: [...new Set(problems)] };
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
      project: {
        name: e.SRP_PROJECT_NAME,
        repo: e.SRP_GITHUB_REPO,
        securityEmail: e.SRP_SECURITY_EMAIL,
        signer: e.SRP_SIGNER,
        announceTo: e.SRP_ANNOUNCE_EMAIL_TO ?? [],
        ossSecurityTo: e.SRP_OSS_SECURITY_TO,
        distributorsEmail: e.SRP_DISTRIBUTORS_EMAIL,
      },
      templates: templates.set,
      approvals: e.SRP_APPROVALS,
      smtpUrl: e.SRP_SMTP_URL,
      exports: exportSettings(e),
    },
  };
}

function exportSettings(e: {
  SRP_CVE_ASSIGNER?: string | undefined;
  SRP_CVE_ASSIGNER_ORG_ID?: string | undefined;
  SRP_OSV_ECOSYSTEM: string;
  SRP_OSV_ID_PREFIX?: string | undefined;
}): ExportSettings {
  return {
    assigner:
      e.SRP_CVE_ASSIGNER && e.SRP_CVE_ASSIGNER_ORG_ID
        ? { shortName: e.SRP_CVE_ASSIGNER, orgId: e.SRP_CVE_ASSIGNER_ORG_ID.toLowerCase() }
        : null,
    osv: { ecosystem: e.SRP_OSV_ECOSYSTEM, idPrefix: e.SRP_OSV_ID_PREFIX ?? null },
  };
}

/** The exports' settings of an empty environment (unit tests wire services without a Config). */
export const DEFAULT_EXPORTS: ExportSettings = {
  assigner: null,
  osv: { ecosystem: 'Kubernetes', idPrefix: null },
};

/**
 * What `npx srp` reads: the database, the process (for deadlines), the project's names and the exports'
 * settings; never Slack's tokens or channels (a backup or an export does not talk to Slack).
 */
const CLI_VARIABLES = [
  'DATABASE_URL',
  'SRP_PROCESS',
  'SRP_PROCESS_PROFILE',
  'SRP_PROCESS_FILE',
  'SRP_MAX_COMPANY_SHARE',
  'SRP_PROJECT_NAME',
  'SRP_GITHUB_REPO',
  'SRP_CVE_ASSIGNER',
  'SRP_CVE_ASSIGNER_ORG_ID',
  'SRP_OSV_ECOSYSTEM',
  'SRP_OSV_ID_PREFIX',
] as const;

export interface CliConfig {
  databasePath: string;
  process: ProcessId;
  processFile: { path: string; profile: ProcessProfile } | undefined;
  maxCompanyShare: number | undefined;
  project: { name: string; repo: string };
  exports: ExportSettings;
}

export type CliConfigResult = { ok: true; config: CliConfig } | { ok: false; problems: string[] };

/** The command line's configuration, every problem in one list (as `parseConfig`). */
export function parseCliConfig(
  env: Record<string, string | undefined>,
  deps: ConfigDeps = {},
): CliConfigResult {
  const picked = Object.fromEntries(CLI_VARIABLES.map((k) => [k, env[k]]));
  const result = schema
    .pick(Object.fromEntries(CLI_VARIABLES.map((k) => [k, true])) as never)
    .safeParse(picked);
  const readFile = deps.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const file = processFile(picked, readFile);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`)),
    ...exportProblems(picked),
    ...(file && 'problems' in file ? file.problems : []),
  ];
  if (!result.success || problems.length > 0) return { ok: false, problems: [...new Set(problems)] };
  const e = result.data as z.infer<typeof schema>;
  const adjusted = file && 'profile' in file ? file : undefined;
  return {
    ok: true,
    config: {
      databasePath: e.DATABASE_URL.replace(/^file:/, ''),
      process: adjusted?.profile.id ?? e.SRP_PROCESS ?? e.SRP_PROCESS_PROFILE ?? 'src',
      processFile: adjusted,
      maxCompanyShare: e.SRP_MAX_COMPANY_SHARE,
      project: { name: e.SRP_PROJECT_NAME, repo: e.SRP_GITHUB_REPO },
      exports: exportSettings(e),
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
