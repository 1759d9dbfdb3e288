/** srp as the bench's child process: started, ticked and measured on the parent's command. */
import { parseConfig } from '../src/config.js';
import { type Srp, startSrp } from '../src/srp.js';
import { measureAcks, serve, withStallMonitor } from './child.js';

measureAcks();
let srp: Srp | undefined;
const running = () => {
  if (!srp) throw new Error('srp is not started');
  return srp;
};

serve({
  /** Starts srp on the seeded database; healthy once this answers (it listens before resolving). */
  async start(msg) {
    const parsed = parseConfig(msg.env as Record<string, string>);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const config = parsed.config;
    const started = await withStallMonitor(async () => {
      srp = await startSrp(config, { scheduler: msg.scheduler as 'cron' | 'manual' });
      return srp.port;
    });
    return { port: started.value, ms: started.ms, maxStallMs: started.maxStallMs };
  },
  /** Waits for the start-up catch-up (and anything it queued) and reports the stall meanwhile. */
  async tick() {
    const t = await withStallMonitor(() => running().runJobs());
    return { ms: t.ms, maxStallMs: t.maxStallMs, drained: t.value };
  },
  /** As after an upgrade that changed the card layout: every open card is stale; mark them, then one tick. */
  async redraw() {
    const s = running();
    s.db.$client.prepare("update meta set value = '0' where key = 'card_layout'").run();
    const mark = await withStallMonitor(() => s.services.cards.refreshLayout());
    const tick = await withStallMonitor(() => s.runJobs());
    return {
      marked: mark.value,
      markMs: mark.ms,
      markStallMs: mark.maxStallMs,
      tickMs: tick.ms,
      tickStallMs: tick.maxStallMs,
      drained: tick.value,
    };
  },
  async stop() {
    const t = await withStallMonitor(async () => running().stop());
    setImmediate(() => process.exit(0));
    return { ms: t.ms };
  },
});
