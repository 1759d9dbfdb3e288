import { statusMessage } from '../../views/status.js';
import type { CommandRoute } from '../routes.js';

export const statusRoute: CommandRoute = {
  name: 'status',
  usage: 'status',
  description: 'Open incidents: id, summary, age and disclosure type (only you see it).',
  role: 'committee',
  async run({ ack, command }, _rest, { incidents, roles, clock }) {
    // Each reader sees the incidents they may see: associates, the publicly disclosed ones.
    const visible = incidents.listOpen().filter((i) => roles.canSee(command.user_id, i.id));
    await ack({ response_type: 'ephemeral', ...statusMessage(visible, clock.now()) });
  },
};
