/**
 * `srp` on the command line (`npx srp <command>`), for scripts and for the operator at the machine srp
 * runs on. A table of subcommands, each in its own file under `src/cli/`; adding one is one line below.
 * Anything meant for a person that is not the command's answer (usage, a readable error) goes to stderr.
 * Exit status for every command: 0 success, 1 failure, 2 bad input.
 */
import { backupCommand } from './backup.js';
import type { CliCommand, CliIo } from './command.js';
import { cvssCommand } from './cvss.js';
import { exportCommand } from './export.js';
import { statsCli } from './stats.js';
import { showCommand, statusCommand } from './status.js';

export type { CliIo } from './command.js';

/** Every subcommand, in the order `srp --help` lists them. */
export const COMMANDS: CliCommand[] = [
  cvssCommand,
  exportCommand,
  statusCommand,
  showCommand,
  backupCommand,
  statsCli,
];

export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: srp <command> [arguments] [--help]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "srp <command> --help" for what a command takes. Configuration comes from the environment',
    '(DATABASE_URL and the SRP_* variables, as srp itself reads them; no Slack token is needed).',
    'Exit status: 0 success, 1 failure (e.g. the database cannot be read), 2 bad input.',
  ].join('\n');
}

/** Runs one command line (without `node` and the script) and returns the exit status. */
export async function main(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout(usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(name === undefined ? usage() : `srp: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}

/** The process-facing side, used by bin/srp.js. */
export async function run(): Promise<void> {
  // As srp itself does: .env in the working directory, if there is one, under the environment's own values.
  try {
    process.loadEnvFile('.env');
  } catch {
    // No .env file: the environment alone is fine.
  }
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
  });
}
