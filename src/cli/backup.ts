import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  type CliCommand,
  cliConfig,
  EXIT,
  existingDatabase,
  Failure,
  parseArgs,
  runCommand,
  UsageError,
} from './command.js';

const USAGE = `Usage: srp backup FILE [--force]

A consistent copy of the database in DATABASE_URL, made with SQLite's online backup while srp keeps
running (its writes go on; the copy is the database at one moment). The copy is checked
(PRAGMA integrity_check) before it is put at FILE. See "Backup and restore" in README.md to restore it.

  --force      replace FILE if it exists (without it, an existing FILE is refused)

Exit status: 0 copied; 1 the database cannot be read or FILE cannot be written; 2 bad input.`;

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'A consistent copy of the live database (SQLite online backup)',
  usage: USAGE,
  run(args, io) {
    return runCommand(this, args, io, async () => {
      const p = parseArgs(args, { force: 'switch' });
      const [file, extra] = p.positional;
      if (file === undefined) throw new UsageError('give the file to write the copy to');
      if (extra !== undefined) throw new UsageError(`unexpected "${extra}"`);
      if (existsSync(file) && !p.flags.has('force')) {
        throw new UsageError(`${file} exists: give --force to replace it`);
      }
      const source = existingDatabase(cliConfig(io));
      // Written beside FILE under another name, checked, then renamed: FILE is never half a copy.
      const partial = `${file}.partial-${process.pid}`;
      let db: Database.Database | undefined;
      try {
        try {
          db = new Database(source, { fileMustExist: true });
          db.pragma('busy_timeout = 5000');
          await db.backup(partial);
        } catch (err) {
          throw new Failure(
            `cannot copy the database at ${source}: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        const copy = new Database(partial, { fileMustExist: true });
        let verdict: string;
        let incidents: number;
        try {
          verdict = String(copy.pragma('integrity_check', { simple: true }));
          incidents = (copy.prepare('select count(*) as n from incidents').get() as { n: number }).n;
        } finally {
          copy.close();
        }
        if (verdict !== 'ok') throw new Failure(`the copy failed its integrity check: ${verdict}`);
        try {
          renameSync(partial, file);
        } catch (err) {
          throw new Failure(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
        }
        io.stderr(`srp backup: copied ${source} to ${file} (${incidents} incidents, integrity ok)`);
        return EXIT.ok;
      } finally {
        db?.close();
        rmSync(partial, { force: true });
      }
    });
  },
};
