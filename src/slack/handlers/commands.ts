import { statusMessage } from '../../views/status.js';
import type { CommandRoute } from '../routes.js';

export const statusRoute: CommandRoute = {
  name: 'status',
  usage: 'status',
  description: 'Open incidents: id, summary, age and disclosure type (only you see it).',
  role: 'committee',
  async run({ ack }, _rest, { incidents, clock }) {
    await ack({ response_type: 'ephemeral', ...statusMessage(incidents.listOpen(), clock.now()) });
  },
};
