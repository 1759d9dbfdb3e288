/**
 * What the two apps under test (srp, and a bare Bolt app for comparison) share when the bench runs them
 * as child processes: CPU accounting per Slack request, event-loop stall measurement, and a small IPC
 * loop through which the parent tells them what to do and reads their figures. A child's own CPU is
 * measured with process.cpuUsage(), so the parent's fake Slack and driver never count against it.
 */
import { writeFileSync } from 'node:fs';
import { Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** CPU (µs) each POST /slack/events took from its arrival to the moment the answer was written. */
const ackCpu: number[] = [];

/**
 * Wraps every HTTP server's request dispatch: the CPU from a Slack request's arrival until its response
 * is ended (the ack) is recorded. Requests are sent one at a time with the child otherwise idle, so the
 * CPU in that window is the request's own.
 */
export function measureAcks(): void {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [{ url?: string; method?: string }, { end: (...a: unknown[]) => unknown }];
      if (req.method === 'POST' && req.url?.startsWith('/slack/events')) {
        const start = process.cpuUsage();
        const end = res.end;
        res.end = function (this: unknown, ...a: unknown[]) {
          const used = process.cpuUsage(start);
          ackCpu.push(used.user + used.system);
          return end.apply(this, a as []);
        };
      }
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}

/** Runs `fn` and reports its wall time and the longest event-loop stall meanwhile (both in ms). */
export async function withStallMonitor<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; maxStallMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  // Let the monitor's timer fire once more, so a stall at the very end is seen.
  await new Promise((r) => setTimeout(r, 5));
  h.disable();
  return { value, ms, maxStallMs: Math.max(0, h.max / 1e6 - 1) };
}

type Handler = (msg: Record<string, unknown>) => Promise<unknown>;

/** Answers the parent's commands; `cpu` and `acks` are common to both children. */
export function serve(handlers: Record<string, Handler>): void {
  let profiler: Session | undefined;
  const common: Record<string, Handler> = {
    /** V8's CPU profiler over one phase only (the parent's `--profile DIR`). */
    profileStart: async () => {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.post('Profiler.start');
      return {};
    },
    profileStop: async (msg) => {
      const { profile } = (await profiler?.post('Profiler.stop')) ?? {};
      writeFileSync(String(msg.file), JSON.stringify(profile));
      profiler?.disconnect();
      return {};
    },
    cpu: async () => {
      const u = process.cpuUsage();
      return { cpuUs: u.user + u.system, userUs: u.user, systemUs: u.system };
    },
    acks: async () => ackCpu.splice(0),
  };
  process.on('message', (msg: Record<string, unknown>) => {
    const handler = handlers[String(msg.cmd)] ?? common[String(msg.cmd)];
    if (!handler) return void process.send?.({ id: msg.id, error: `unknown command ${String(msg.cmd)}` });
    handler(msg).then(
      (result) => process.send?.({ id: msg.id, result }),
      (err: Error) => process.send?.({ id: msg.id, error: err.stack ?? String(err) }),
    );
  });
  // A profile is written only on a normal exit: turn the parent's SIGTERM into one.
  process.on('SIGTERM', () => process.exit(0));
  process.send?.({ ready: true });
}
