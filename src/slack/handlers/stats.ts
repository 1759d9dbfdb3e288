import { parsePeriodArgs, periodFrom, statsFigures } from '../../domain/stats.js';
import { statsMessage } from '../../views/stats.js';
import type { CommandRoute } from '../routes.js';

export const statsRoute: CommandRoute = {
  name: 'stats',
  usage: 'stats [--since YYYY-MM-DD]',
  description:
    'How the committee did over a period (default: the last 365 days): incidents by severity and arrival, time to triage, fix and publication, deadlines met, distributor notice (only you see it).',
  // Aggregate figures, but still the committee's own.
  access: 'member',
  async run({ ack }, rest, { stats, clock }) {
    const now = clock.now();
    const args = parsePeriodArgs(rest.split(/\s+/).filter(Boolean), now);
    if (!args.ok) {
      await ack({
        response_type: 'ephemeral',
        text: `${args.problem} Usage: \`/srp stats [--since YYYY-MM-DD]\``,
      });
      return;
    }
    const { since, until } = periodFrom(args.since, now);
    await ack({ response_type: 'ephemeral', ...statsMessage(statsFigures(stats.compute(since, until))) });
  },
};
