import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORM_FIELDS, REPORT_FIELDS } from '../../src/domain/report.js';
import { ADMIN, type Harness, OUTSIDER, reportValues, SECURITY, startHarness, TestClock } from './harness.js';

const DAY = 86_400_000;

type ShownView = {
  id: string;
  callback_id: string;
  private_metadata: string;
  blocks: Array<{ block_id?: string }>;
};

/** Runs `/srp report…` as `userId` and returns the modal Slack now shows. */
async function openForm(h: Harness, userId: string, text = 'report'): Promise<ShownView> {
  const opened = h.fake.okCallsTo('views.open').length;
  const res = await h.driver.command(text, { userId });
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  const call = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
  return { ...(call.args.view as ShownView), id: (call.response as { view: { id: string } }).view.id };
}

const inputs = (view: ShownView) => view.blocks.map((b) => b.block_id).filter(Boolean);

/** The values Slack sends for the reporter's form: its blocks only. */
function reporterValues(patch: Record<string, object> = {}) {
  const all = reportValues(patch);
  return Object.fromEntries(FORM_FIELDS.reporter.map((f) => [f, all[f] as Record<string, object>]));
}

let h: Harness;
let clock: TestClock;

beforeEach(async () => {
  // srp's clock is days behind the wall clock, so "received now" can only be srp's own now.
  clock = new TestClock(new Date(Date.now() - 3 * DAY));
  h = await startHarness({ clock });
});
afterEach(async () => {
  await h.stop();
});

describe('a reporter filing their own finding with /srp report', () => {
  it("gets only a reporter's questions, and the report arrives in Slack, from them, received now", async () => {
    const view = await openForm(h, OUTSIDER);
    expect(inputs(view)).toEqual([
      'summary',
      'description',
      'components',
      'disclosure',
      'reporterContact',
      'cveId',
    ]);
    for (const asked of ['arrival', 'arrivalRef', 'reporterName', 'receivedAt']) {
      expect(inputs(view)).not.toContain(asked);
    }
    expect(JSON.parse(view.private_metadata)).toEqual({ form: 'reporter' });

    const res = await h.driver.viewSubmission({
      userId: OUTSIDER,
      viewId: view.id,
      values: reporterValues(),
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');

    const [incident, ...others] = h.srp.services.incidents.listOpen();
    expect(others).toEqual([]);
    expect(incident).toMatchObject({
      arrival: 'slack',
      arrivalRef: null,
      receivedAt: clock.now(),
      reportedBy: OUTSIDER,
      reporterName: null,
      reporterContact: 'ada@example.org',
      summary: 'Path traversal in kubelet /logs endpoint',
    });
    const id = incident?.id as string;
    await h.fake.waitFor(() => h.fake.messages(SECURITY).length === 1);
    const card = JSON.stringify(h.fake.messages(SECURITY)[0]?.blocks);
    expect(card).toContain(`*Reported by*\\n<@${OUTSIDER}>`);
    expect(card).toContain('Reported in Slack');
    expect(card).toContain(`*Reporter*\\n<@${OUTSIDER}> · ada@example.org`);
    expect(card).not.toContain('Taken in by');
    await h.fake.waitFor(() => h.fake.messages(h.fake.dmChannelId(OUTSIDER)).length === 1);
    expect(h.fake.messages(h.fake.dmChannelId(OUTSIDER))[0]?.text).toContain(id);
  });

  it("gives a member the committee's form with every field, as before", async () => {
    const view = await openForm(h, ADMIN);
    expect(inputs(view)).toEqual([...REPORT_FIELDS]);
    expect(JSON.parse(view.private_metadata)).toEqual({ form: 'committee' });

    const received = Math.floor((clock.now().getTime() - DAY) / 1000);
    await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: reportValues({ receivedAt: { type: 'datetimepicker', selected_date_time: received } }),
    });
    expect(h.srp.services.incidents.listOpen()).toEqual([
      expect.objectContaining({
        arrival: 'hackerone',
        reporterName: 'Ada Lovelace',
        receivedAt: new Date(received * 1000),
        reportedBy: ADMIN,
      }),
    ]);
    await h.fake.waitFor(() => h.fake.messages(SECURITY).length === 1);
    const card = JSON.stringify(h.fake.messages(SECURITY)[0]?.blocks);
    expect(card).toContain(`*Reported by*\\n<@${ADMIN}>`);
    expect(card).toContain('*Reporter*\\nAda Lovelace · ada@example.org');
  });

  it("reads an outsider's submission as the reporter's form, whatever its metadata claims", async () => {
    const view = await openForm(h, OUTSIDER);
    const weekAgo = Math.floor((clock.now().getTime() - 7 * DAY) / 1000);
    const res = await h.driver.viewSubmission({
      userId: OUTSIDER,
      // Forged: the committee's form and its fields, from someone not on the committee.
      view: { id: view.id, private_metadata: JSON.stringify({ form: 'committee' }) },
      values: reportValues({
        arrival: { type: 'static_select', selected_option: { value: 'distributor' } },
        arrivalRef: { type: 'plain_text_input', value: 'https://evil.example/ticket' },
        reporterName: { type: 'plain_text_input', value: 'Mallory' },
        receivedAt: { type: 'datetimepicker', selected_date_time: weekAgo },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(h.srp.services.incidents.listOpen()).toEqual([
      expect.objectContaining({
        arrival: 'slack',
        arrivalRef: null,
        reporterName: null,
        receivedAt: clock.now(),
        reportedBy: OUTSIDER,
      }),
    ]);
  });

  it("answers bad input on the reporter's form inline, keyed by its own blocks, and stores nothing", async () => {
    const view = await openForm(h, OUTSIDER);
    const res = await h.driver.viewSubmission({
      userId: OUTSIDER,
      viewId: view.id,
      values: reporterValues({
        summary: { type: 'plain_text_input', value: '' },
        cveId: { type: 'plain_text_input', value: 'CVE-26-1' },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { summary: expect.stringMatching(/summary/), cveId: expect.stringMatching(/CVE-2026-12345/) },
    });
    expect(Object.keys((res.json as { errors: object }).errors).every((b) => inputs(view).includes(b))).toBe(
      true,
    );
    expect(h.srp.services.incidents.listOpen()).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
