import { existsSync, writeFileSync } from 'node:fs';
import { EXPORT_FORMATS, FORMAT_NAMES, isExportFormat } from '../services/exports.js';
import {
  asUser,
  type CliCommand,
  cliConfig,
  EXIT,
  Failure,
  flag,
  parseArgs,
  runCommand,
  UsageError,
  withServices,
} from './command.js';
import { incidentArg } from './status.js';

const USAGE = `Usage: srp export <incident id> --format <format> [--out FILE] [--force] [--as <Slack user id>]

Writes one of an incident's records, made by srp's own exports from what was entered in Slack:
${EXPORT_FORMATS.map((f) => `  ${f.padEnd(12)} ${FORMAT_NAMES[f]}`).join('\n')}

  --out FILE   write it to FILE instead of standard output (an existing FILE only with --force)
  --as U…      the Slack user you are. An incident not yet published is embargoed: its records are
               given only to members of the committee and its Fix Lead, so say who you are. After
               publication anyone who may see the incident gets them, and --as may be left out.

CVE and OSV records are validated against their official schemas before they are written.
Exit status: 0 written; 1 the record cannot be made (a field missing, the export not available) or the
database cannot be read; 2 bad input (unknown incident or format, a missing argument, refused --as).`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "An incident's CVE or OSV record, the release team's CVE map, or its Markdown",
  usage: USAGE,
  run(args, io) {
    return runCommand(this, args, io, async () => {
      const p = parseArgs(args, { format: 'value', out: 'value', as: 'value', force: 'switch' });
      const id = incidentArg(p);
      const format = flag(p, 'format');
      if (format === undefined) throw new UsageError(`give the format: --format ${EXPORT_FORMATS.join('|')}`);
      if (!isExportFormat(format)) {
        throw new UsageError(`unknown format "${format}": use one of ${EXPORT_FORMATS.join(', ')}`);
      }
      const out = flag(p, 'out');
      if (out !== undefined && existsSync(out) && !p.flags.has('force')) {
        throw new UsageError(`${out} exists: give --force to replace it`);
      }
      const who = asUser(p);
      const config = cliConfig(io);
      const result = await withServices(config, (w) =>
        w.exports.exportIncident(id, format, who === undefined ? 'operator' : { userId: who }),
      );
      if (!result.ok) {
        if (result.reason === 'unknown' || result.reason === 'refused')
          throw new UsageError(result.message, true);
        throw new Failure(result.message);
      }
      if (out === undefined) {
        io.stdout(result.text.replace(/\n$/, ''));
      } else {
        try {
          writeFileSync(out, result.text);
        } catch (err) {
          throw new Failure(`cannot write ${out}: ${err instanceof Error ? err.message : String(err)}`);
        }
        io.stderr(`srp export: wrote ${result.format} of ${id} to ${out}`);
      }
      return EXIT.ok;
    });
  },
};
