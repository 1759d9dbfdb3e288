import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_CALLBACK } from '../../src/views/reportModal.js';
import { asPayload, contextIn, sendSigned, wellFormed, withField } from '../support/edgeRequests.js';
import { ADMIN, type Harness, OUTSIDER, reportValues, startHarness } from './harness.js';

describe('report submissions and their replay key', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  async function openReport(userId: string) {
    const opened = h.fake.okCallsTo('views.open').length;
    await h.driver.command('report', { userId });
    const call = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
    return h.fake.wireView((call.response as { view: { id: string } }).view.id) as Record<string, unknown> & {
      id: string;
    };
  }

  it('refuses a submission without a view id with 400 (Slack always sends one), and files nothing', async () => {
    const view = await openReport(OUTSIDER);
    const payload = withField(make(h).viewSubmission(REPORT_CALLBACK, reportValues()), ['view'], {
      ...view,
      id: undefined,
      state: { values: reportValues() },
    });
    const res = await sendSigned(h.driver, asPayload(payload));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/view\.id/);
    expect(h.srp.services.incidents.listOpen()).toEqual([]);
  });

  it('keeps two people’s submissions apart even when they carry the same view id', async () => {
    const view = await openReport(OUTSIDER);
    await h.driver.viewSubmission({ userId: OUTSIDER, view, values: reportValues() });
    await h.driver.viewSubmission({
      userId: ADMIN,
      view,
      values: reportValues({ summary: { type: 'plain_text_input', value: 'Another finding entirely' } }),
    });
    // The same person's replay still finds their own incident.
    await h.driver.viewSubmission({ userId: OUTSIDER, view, values: reportValues() });
    await h.srp.runJobs();
    const open = h.srp.services.incidents.listOpen();
    expect(open.map((i) => i.reportedBy).sort()).toEqual([ADMIN, OUTSIDER].sort());
    expect(open.map((i) => i.summary)).toContain('Another finding entirely');
  });

  const make = (harness: Harness) => wellFormed(contextIn(harness.fake, OUTSIDER));
});
