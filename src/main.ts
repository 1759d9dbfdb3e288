import { formatConfigProblems, parseConfig } from './config.js';
import { faultOf, type Logger } from './logger.js';
import { StartupError } from './slack/preflight.js';
import { startSrp } from './srp.js';

/**
 * The last line of defence once srp runs: nothing a request carries may end the process (issue 8).
 * Requests are checked at the edge (slack/payloads.ts) and every request path answers its own faults;
 * these catch a fault raised where no request can catch it, such as a library callback (the Socket Mode
 * client reads an envelope's payload in an event handler, before any receiver sees it). The fault is
 * logged by class, message and stack (faultOf: never a request body or a report), and srp keeps running.
 *
 * An uncaught exception is handled the same way, on purpose. Node warns that the process may be left in
 * an undefined state, and in general exiting is the safe answer; here it is not:
 * - srp's state of record is SQLite: every change is one transaction, rolled back if it throws, and due
 *   work is leased in the database, so a throw leaves nothing half-written. What lives in memory is
 *   caches and the list of work in flight, which a lost entry does not corrupt.
 * - Exiting would make every such bug a remote off switch: one request, and srp is down for the restart
 *   (preflight included) or for good without a supervisor, and Slack's retries repeat the request.
 * - What does make the process unfit to run shows elsewhere: the database unreachable turns /healthz
 *   503 (the supervisor's signal); running out of memory is not catchable and ends the process anyway.
 * Before start-up completes there are no guards: a failure to start still exits non-zero.
 */
function keepRunningOnFaults(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    log.error({ fault: faultOf(reason) }, 'unhandled promise rejection; srp keeps running');
  });
  process.on('uncaughtException', (err, origin) => {
    log.error({ fault: faultOf(err), origin }, 'uncaught exception; srp keeps running');
  });
}

/**
 * The process entry point: reads .env if present, validates the configuration,
 * starts srp, and stops it cleanly on SIGTERM or SIGINT. Any reason not to
 * start is printed as one message, without a stack trace, and exits non-zero.
 */
async function main(): Promise<number> {
  try {
    process.loadEnvFile('.env');
  } catch {
    // No .env file: the environment alone is fine.
  }
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(`${formatConfigProblems(parsed.problems)}\n`);
    return 1;
  }
  let srp: Awaited<ReturnType<typeof startSrp>>;
  try {
    srp = await startSrp(parsed.config);
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`srp cannot start: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  keepRunningOnFaults(srp.log);
  const shutdown = (signal: string) => {
    srp.log.info({ signal }, 'shutdown requested');
    srp.stop().then(
      () => process.exit(0),
      (err) => {
        srp.log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`srp failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
