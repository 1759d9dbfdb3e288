import { HOME_REPORT_ACTION } from '../../views/home.js';
import type { ActionRoute, Services } from '../routes.js';
import { openReportForm } from './report.js';

/** What srp reads of an `app_home_opened` event (the edge checked its shape). */
export interface HomeOpened {
  user: string;
  tab?: string;
}

/**
 * The Home tab was opened: its viewer is remembered (their tab is kept current from now on) and it is
 * drawn at once, as due work, so a 429 is retried with the runner's backoff. The event also fires for the
 * Messages tab, which srp leaves alone.
 */
export async function homeOpened(event: HomeOpened, services: Pick<Services, 'home' | 'dueWork'>) {
  if (event.tab !== 'home') return;
  await services.dueWork.run(services.home.opened(event.user));
}

/** The Home tab's "Report a vulnerability": the same form `/srp report` opens for that person. */
export const homeReportAction: ActionRoute = {
  actionId: HOME_REPORT_ACTION,
  access: 'anyone',
  async run({ ack, body, client, respond }, services) {
    await ack();
    await openReportForm({ client, respond }, body.trigger_id, body.user.id, services);
  },
};
