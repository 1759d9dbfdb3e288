import { nextDeadline, overdueSteps } from '../../domain/deadlines.js';
import type { Incident } from '../../domain/incident.js';
import { STATUS_LISTED, statusMessage } from '../../views/status.js';
import type { CommandRoute } from '../routes.js';

export const statusRoute: CommandRoute = {
  name: 'status',
  usage: 'status',
  description:
    'Open incidents you may see: id, summary, phase, next deadline, age and disclosure (only you see it).',
  access: 'involved',
  async run({ ack, command }, _rest, { access, clock, schedule }) {
    // Each reader sees the incidents they may see (associates, the publicly disclosed ones): one query
    // for a page and the total, however many are open; deadlines for the page only.
    const visible = access.visibleOpen(command.user_id, STATUS_LISTED);
    const now = clock.now();
    const deadlines = (i: Incident) => {
      const s = schedule.situation(i.id, now, i);
      return s && { next: nextDeadline(s.schedule), overdue: overdueSteps(s.schedule).length };
    };
    await ack({ response_type: 'ephemeral', ...statusMessage(visible, now, deadlines) });
  },
};
