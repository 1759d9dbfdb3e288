/**
 *   srp cvss "<vector or calculator link>"   → {"vector":…,"version":…,"score":…,"rating":…}, exit 0
 *                                              invalid: {"error":…,"metric":…}, exit 2
 *   srp cvss -                               → reads the vector from stdin
 */
import { parseCvss } from '../domain/cvss.js';
import type { CliCommand } from './command.js';

export const CVSS_USAGE = `Usage: srp cvss "<CVSS vector or calculator link>"
       srp cvss -        (read the vector from standard input)

Prints the normalized vector, version, base score and rating as one JSON line.
Accepts CVSS 3.0, 3.1 and 4.0 vectors, lowercase or not, and FIRST or NVD calculator links.
Exit status: 0 when the vector is valid, 2 when it is not or the command line is wrong.`;

export const cvssCommand: CliCommand = {
  name: 'cvss',
  summary: 'Score a CVSS vector or calculator link (one JSON line)',
  usage: CVSS_USAGE,
  async run(rest, io) {
    if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
      io.stdout(CVSS_USAGE);
      return 0;
    }
    if (rest.length === 0) {
      io.stderr(`srp cvss: give a vector or a calculator link\n\n${CVSS_USAGE}`);
      return 2;
    }
    // An unquoted vector with spaces arrives as several arguments; the parser copes with the joined text.
    const input = rest.length === 1 && rest[0] === '-' ? await io.readStdin() : rest.join(' ');
    const parsed = parseCvss(input);
    if (!parsed.ok) {
      io.stdout(
        JSON.stringify(
          parsed.metric === undefined
            ? { error: parsed.error }
            : { error: parsed.error, metric: parsed.metric },
        ),
      );
      io.stderr(`srp cvss: ${parsed.error}`);
      return 2;
    }
    const { vector, version, score, rating, baseScore, overallScore, notes } = parsed.result;
    for (const note of notes) io.stderr(`srp cvss: note: ${note}`);
    // `score` is what the version's publishers state (3.x: base; 4.0: the whole vector); the others are
    // there for whoever needs the base or the temporal/environmental number explicitly.
    io.stdout(JSON.stringify({ vector, version, score, rating, baseScore, overallScore }));
    return 0;
  },
};
