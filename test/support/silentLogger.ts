import { type Logger, LogLevel } from '@slack/web-api';

export interface CapturedLogger extends Logger {
  readonly lines: Array<{ level: 'debug' | 'info' | 'warn' | 'error'; message: string }>;
}

/**
 * A Logger for WebClient / SocketModeClient / Bolt that keeps output out of the test report
 * (the fake's `[ERROR] …` response messages are otherwise logged by WebClient) but lets tests assert on it.
 */
export function silentLogger(): CapturedLogger {
  const lines: CapturedLogger['lines'] = [];
  let level = LogLevel.INFO;
  const log =
    (l: CapturedLogger['lines'][number]['level']) =>
    (...msg: unknown[]) => {
      if (l === 'debug' && level !== LogLevel.DEBUG) return;
      lines.push({ level: l, message: msg.map((m) => (typeof m === 'string' ? m : String(m))).join(' ') });
    };
  return {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
