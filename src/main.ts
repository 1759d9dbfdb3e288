import { formatConfigProblems, parseConfig } from './config.js';
import { StartupError } from './slack/preflight.js';
import { startSrp } from './srp.js';

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
