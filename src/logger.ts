import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Two kinds of thing never reach a log line: credentials
 * (Slack tokens, signing secrets) and embargoed report details. Keys that carry
 * them are censored wherever they appear, and token-shaped strings are scrubbed
 * from every message, since error messages from libraries can quote them.
 */

const SECRET_KEYS = ['token', 'botToken', 'appToken', 'signingSecret', 'authorization', 'Authorization'];
/** Anything a reporter wrote, and anything Slack echoes back of it. */
const REPORT_KEYS = [
  'summary',
  'description',
  'components',
  'arrivalRef',
  'reporterName',
  'reporterContact',
  'cveId',
  'text',
  'blocks',
  'view',
  'values',
];

const redactPaths = [...SECRET_KEYS, ...REPORT_KEYS].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

const TOKEN_PATTERN = /\b(xox[abposr]|xapp)-[A-Za-z0-9-]+/g;

export function scrubSecrets(s: string): string {
  return s.replace(TOKEN_PATTERN, '$1-[REDACTED]');
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'srp' },
      redact: { paths: redactPaths, censor: '[REDACTED]' },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      serializers: {
        err: (e: unknown) => {
          const err = pino.stdSerializers.err(e as Error);
          return { ...err, message: scrubSecrets(err.message ?? ''), stack: scrubSecrets(err.stack ?? '') };
        },
      },
    },
    destination,
  );
}

/**
 * Bolt's own logger, routed into ours. Bolt's debug output includes raw request
 * bodies (which hold report details), so it is never passed on, whatever LOG_LEVEL says.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const line = (msgs: unknown[]) =>
    scrubSecrets(msgs.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  return {
    debug: () => {},
    info: (...msgs) => child.info(line(msgs)),
    warn: (...msgs) => child.warn(line(msgs)),
    error: (...msgs) => child.error(line(msgs)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/**
 * An error as a log line may show it: its class, code and stack frames, and its message unless it
 * quotes input (a JSON SyntaxError repeats the text it failed on, which may be a request's body). A
 * thrown value that is not an Error is described by its type only.
 */
export function faultOf(thrown: unknown): Record<string, unknown> {
  if (!(thrown instanceof Error)) return { type: typeof thrown };
  const frames = (thrown.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12)
    .map((line) => scrubSecrets(line.trim()));
  const code = (thrown as { code?: unknown }).code;
  return {
    type: thrown.name,
    ...(typeof code === 'string' ? { code } : {}),
    ...(thrown instanceof SyntaxError ? {} : { message: scrubSecrets(thrown.message).slice(0, 300) }),
    frames,
  };
}
