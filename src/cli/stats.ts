/**
 * `npx srp stats [--since YYYY-MM-DD] [--json]`: the figures `/srp stats` shows, for the same period, from
 * the same database through the same service and the same formatter. Reads DATABASE_URL (and the process
 * profile: SRP_PROCESS, SRP_PROCESS_FILE); needs no Slack token.
 *
 * Exit status: 0 with the figures on stdout; 2 on a wrong command line or environment (the problem and the
 * usage on stderr); 1 when the database cannot be read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseProcessFile } from '../domain/profiles/file.js';
import { isProcessId, type ProcessProfile, resolveProfile } from '../domain/profiles/index.js';
import { parsePeriodArgs, periodFrom, statsFigures, statsText } from '../domain/stats.js';
import { statsService } from '../services/stats.js';
import { closeDatabase, type Db, openDatabase } from '../store/db.js';
import { statsStore } from '../store/stats.js';
import type { CliCommand } from './command.js';

export const STATS_USAGE = `Usage: srp stats [--since YYYY-MM-DD] [--json]

For the incidents received since the date (default: the last 365 days) until now: how many by severity and
by how they arrived; the median and 90th percentile of the time from the report to triage, to the fix and
to publication; the share of deadlines met per phase; the distributors' notice lead times. The same figures
as /srp stats in Slack.

  --since YYYY-MM-DD   start of the period (00:00 UTC that day)
  --json               one JSON object on stdout, for scripts
  --help               this text

Reads the database at DATABASE_URL (default data/srp.db) and the process profile (SRP_PROCESS,
SRP_PROCESS_FILE); needs no Slack token.
Exit status: 0 on success, 2 on a wrong command line, 1 when the database cannot be read.`;

export interface StatsOut {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

type Env = Record<string, string | undefined>;

/** The process profile the deployment runs, from the same variables srp reads at start-up. */
function profileFromEnv(env: Env): { profile: ProcessProfile } | { problem: string } {
  const named = (env.SRP_PROCESS ?? env.SRP_PROCESS_PROFILE)?.trim() || undefined;
  if (named !== undefined && !isProcessId(named))
    return { problem: `SRP_PROCESS names no process: "${named}"` };
  const path = env.SRP_PROCESS_FILE?.trim();
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      return { problem: `SRP_PROCESS_FILE cannot be read: ${path}: ${(err as Error).message}` };
    }
    const parsed = parseProcessFile(text, path);
    if (!parsed.ok) return { problem: parsed.problems.join('; ') };
    return { profile: resolveProfile(parsed.profile, {}) };
  }
  return { profile: resolveProfile(named ?? 'src', {}) };
}

/** Runs `srp stats` with the words after `stats`; returns the exit status. */
export async function statsCommand(
  argv: string[],
  env: Env,
  out: StatsOut,
  now = new Date(),
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.stdout(STATS_USAGE);
    return 0;
  }
  const json = argv.includes('--json');
  const args = parsePeriodArgs(
    argv.filter((a) => a !== '--json'),
    now,
  );
  if (!args.ok) {
    out.stderr(`srp stats: ${args.problem}\n\n${STATS_USAGE}`);
    return 2;
  }
  const profile = profileFromEnv(env);
  if ('problem' in profile) {
    out.stderr(`srp stats: ${profile.problem}`);
    return 2;
  }
  const path = (env.DATABASE_URL?.trim() || 'data/srp.db').replace(/^file:/, '');
  if (path !== ':memory:' && !existsSync(path)) {
    out.stderr(`srp stats: there is no database at ${path} (set DATABASE_URL to srp's database file)`);
    return 1;
  }
  let db: Db | undefined;
  try {
    db = openDatabase(path);
    const { since, until } = periodFrom(args.since, now);
    const figures = statsFigures(
      statsService({ stats: statsStore(db), profile: profile.profile }).compute(since, until),
    );
    out.stdout(json ? JSON.stringify(figures) : statsText(figures));
    return 0;
  } catch (err) {
    out.stderr(`srp stats: cannot read the database at ${path}: ${(err as Error).message}`);
    return 1;
  } finally {
    if (db) closeDatabase(db);
  }
}

/** `srp stats` in the command table (src/cli/srp.ts). */
export const statsCli: CliCommand = {
  name: 'stats',
  summary: 'How the committee did over a period: the same figures as /srp stats.',
  usage: STATS_USAGE,
  run: (args, io) => statsCommand(args, io.env, io),
};
