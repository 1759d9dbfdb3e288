import { STATUS_LISTED, statusMessage } from '../../views/status.js';
import type { CommandRoute } from '../routes.js';

export const statusRoute: CommandRoute = {
  name: 'status',
  usage: 'status',
  description: 'Open incidents you may see: id, summary, age and disclosure type (only you see it).',
  access: 'involved',
  async run({ ack, command }, _rest, { access, clock }) {
    // Each reader sees the incidents they may see (associates, the publicly disclosed ones): one query
    // for a page and the total, however many are open.
    const visible = access.visibleOpen(command.user_id, STATUS_LISTED);
    await ack({ response_type: 'ephemeral', ...statusMessage(visible, clock.now()) });
  },
};
