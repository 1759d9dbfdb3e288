import { existsSync } from 'node:fs';
import type { WebClient } from '@slack/web-api';
import { systemClock } from '../clock.js';
import { type CliConfig, formatConfigProblems, parseCliConfig } from '../config.js';
import { resolveProfile } from '../domain/profiles/index.js';
import { createLogger } from '../logger.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { wireServices } from '../wiring.js';

/** Exit statuses of every command: success, a failure (the database, a record that cannot be made), bad input. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  readStdin: () => Promise<string>;
  /** The environment the command reads its configuration from. */
  env: Record<string, string | undefined>;
}

/** One subcommand of `srp`, in its own file; `src/cli/srp.ts` lists them in its table. */
export interface CliCommand {
  name: string;
  /** One line for `srp --help`. */
  summary: string;
  /** The command's own `--help`, starting with `Usage: srp <name> …`. */
  usage: string;
  /** Runs with the arguments after the command's name; returns the exit status. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Bad input: reported with the command's usage (unless `bare`), exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly bare = false,
  ) {
    super(message);
  }
}
/** A failure: reported as it is, exit 1. */
export class Failure extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * `--name value`, `--name=value` and `--switch`, checked against what the command takes (`value` flags
 * need one, `switch` flags take none); anything else is a UsageError naming it.
 */
export function parseArgs(args: string[], spec: Record<string, 'value' | 'switch'>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
    const kind = name === 'h' || name === 'help' ? 'switch' : spec[name];
    if (!kind) throw new UsageError(`unknown option "${arg.slice(0, eq >= 0 ? eq : undefined)}"`);
    if (kind === 'switch') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name === 'h' ? 'help' : name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

export const flag = (p: ParsedArgs, name: string): string | undefined => {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
};

const SLACK_USER = /^[UW][A-Z0-9]{6,}$/;

/** `--as U012ABCDEF`: the Slack user the command acts as. */
export function asUser(p: ParsedArgs): string | undefined {
  const who = flag(p, 'as');
  if (who !== undefined && !SLACK_USER.test(who)) {
    throw new UsageError(`--as needs a Slack user id such as U012ABCDEF, not "${who}"`);
  }
  return who;
}

/** The command line's configuration, or a UsageError listing every problem (exit 2). */
export function cliConfig(io: CliIo): CliConfig {
  const parsed = parseCliConfig(io.env);
  if (!parsed.ok) {
    throw new UsageError(formatConfigProblems(parsed.problems).replace('srp cannot start: the', 'the'), true);
  }
  return parsed.config;
}

/** Where DATABASE_URL points, refused when there is no file there (the CLI never creates a database). */
export function existingDatabase(config: CliConfig): string {
  const path = config.databasePath;
  if (path === ':memory:' || !existsSync(path)) {
    throw new Failure(`there is no database at ${path} (DATABASE_URL): is srp set up here?`);
  }
  return path;
}

/** A Slack client the command line never calls: srp's services are wired without Slack. */
export const offlineSlack = new Proxy(
  {},
  {
    get(_target, prop) {
      throw new Error(`the command line does not talk to Slack (${String(prop)})`);
    },
  },
) as WebClient;

/**
 * The database srp runs on, opened beside it (WAL: readers never block srp, srp never blocks them) and
 * srp's own services wired on it without Slack, the HTTP server or the scheduler; `fn` runs, then the
 * connection closes. A file that is not a database, or cannot be read, is a Failure.
 */
export async function withServices<T>(
  config: CliConfig,
  fn: (wired: ReturnType<typeof wireServices>) => T | Promise<T>,
): Promise<T> {
  const path = existingDatabase(config);
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase(path);
  } catch (err) {
    throw new Failure(
      `cannot read the database at ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  try {
    const wired = wireServices({
      db,
      client: offlineSlack,
      clock: systemClock,
      log: createLogger('silent'),
      profile: resolveProfile(config.processFile?.profile ?? config.process, {
        maxCompanyShare: config.maxCompanyShare,
      }),
      // Nothing is posted from here; the guard would refuse these anyway.
      securityChannel: 'C-none',
      announceChannel: 'C-none-announce',
      owner: `cli:${process.pid}`,
      exports: config.exports,
    });
    return await fn(wired);
  } catch (err) {
    if (err instanceof UsageError || err instanceof Failure) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE')) {
      throw new Failure(`cannot read the database at ${path}: ${(err as Error).message}`);
    }
    throw err;
  } finally {
    closeDatabase(db);
  }
}

/**
 * Runs a command's body, turning its errors into the exit statuses: a UsageError is printed with the
 * usage (2), a Failure as it is (1); `--help` prints the usage on stdout (0).
 */
export async function runCommand(
  command: Pick<CliCommand, 'name' | 'usage'>,
  args: string[],
  io: CliIo,
  body: () => Promise<number> | number,
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(command.usage);
    return EXIT.ok;
  }
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`srp ${command.name}: ${err.message}${err.bare ? '' : `\n\n${command.usage}`}`);
      return EXIT.usage;
    }
    if (err instanceof Failure) {
      io.stderr(`srp ${command.name}: ${err.message}`);
      return EXIT.failed;
    }
    io.stderr(`srp ${command.name}: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failed;
  }
}
