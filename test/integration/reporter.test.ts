import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORM_FIELDS, REPORT_FIELDS } from '../../src/domain/report.js';
import {
  ADMIN,
  ANNOUNCE,
  ELSEWHERE,
  fileReport,
  type Harness,
  idle,
  OUTSIDER,
  reportValues,
  SECURITY,
  settled,
  startHarness,
  TestClock,
} from './harness.js';

const OTHER = 'UOTHER0001';
const DAY = 86_400_000;
/** What a reporter adds, with a broadcast mention and an ampersand that must arrive escaped. */
const ADDED = 'Also affects kubelet 1.29 <!channel> & later';

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

const addition = (value: string) => ({ addition: { value: { type: 'plain_text_input', value } } });

/** Every channel a chat.* call went to, of those whose text or blocks hold `needle` (all, without one). */
const channelsTouched = (h: Harness, needle = '') =>
  new Set(
    h.fake.calls
      .filter((c) => c.method.startsWith('chat.') && JSON.stringify(c.args).includes(needle))
      .map((c) => String(c.args.channel)),
  );

let h: Harness;
let clock: TestClock;

beforeEach(async () => {
  // srp's clock is days behind the wall clock, so "received now" can only be srp's own now.
  clock = new TestClock(new Date(Date.now() - 3 * DAY));
  h = await startHarness({ clock });
  h.fake.addUser({ id: OTHER, name: 'other' });
});
afterEach(async () => {
  await h.stop();
});

describe('a reporter filing their own finding with /srp report', () => {
  it("gets only a reporter's questions, answered inline when wrong; the report arrives in Slack, from them, now", async () => {
    const view = await openForm(h, OUTSIDER);
    expect(inputs(view)).toEqual([...FORM_FIELDS.reporter]);
    for (const asked of ['arrival', 'arrivalRef', 'reporterName', 'receivedAt']) {
      expect(inputs(view)).not.toContain(asked);
    }
    expect(JSON.parse(view.private_metadata)).toEqual({ form: 'reporter' });

    // Bad input first: each error on a block of this form, and nothing stored or posted.
    const wrong = await h.driver.viewSubmission({
      userId: OUTSIDER,
      viewId: view.id,
      values: reporterValues({
        summary: { type: 'plain_text_input', value: '' },
        cveId: { type: 'plain_text_input', value: 'CVE-26-1' },
      }),
    });
    expect(wrong.json).toEqual({
      response_action: 'errors',
      errors: { summary: expect.stringMatching(/summary/), cveId: expect.stringMatching(/CVE-2026-12345/) },
    });
    expect(h.srp.services.incidents.listOpen()).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);

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
});

describe('/srp report add', () => {
  it('posts what the reporter adds under the card, escaped, and DMs them the id only, each once', async () => {
    const id = await fileReport(h);
    const card = h.fake.messages(SECURITY)[0];
    const dmChannel = h.fake.dmChannelId(OUTSIDER);

    const view = await openForm(h, OUTSIDER, `report add ${id.toLowerCase()}`);
    expect(view.callback_id).toBe('srp_report_add');
    expect(inputs(view)).toEqual(['addition']);
    const res = await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: addition(ADDED) });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');

    await h.fake.waitFor(
      () => h.fake.messages(SECURITY).length === 2 && h.fake.messages(dmChannel).length === 2,
    );
    const reply = h.fake.messages(SECURITY)[1];
    expect(reply?.thread_ts).toBe(card?.ts);
    const shown = JSON.stringify(reply?.blocks);
    expect(shown).toContain('Also affects kubelet 1.29 &lt;!channel&gt; &amp; later');
    expect(shown).not.toContain('<!channel>');
    // The notification text is a stock phrase with the id.
    expect(reply?.text).toBe(`The reporter added information to ${id}`);

    const dm = h.fake.messages(dmChannel)[1];
    expect(dm?.text).toContain(id);
    expect(JSON.stringify(dm)).not.toContain('kubelet');
    expect(h.srp.services.incidents.timeline(id)).toContainEqual(
      expect.objectContaining({ type: 'reporter_added', actor: OUTSIDER, newValue: ADDED }),
    );

    await settled(h);
    const posts = h.fake.okCallsTo('chat.postMessage').length;
    clock.advance(5 * 60_000);
    await h.srp.runJobs();
    await h.srp.runJobs();
    expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(posts);
    expect(h.fake.messages(SECURITY)).toHaveLength(2);
    expect(h.fake.messages(dmChannel)).toHaveLength(2);
    // The addition reached the security channel and nowhere else; srp posted nowhere but there and in DMs
    // (the reporter's receipts, and the Fix Lead's notice of their role in the new incident).
    expect(channelsTouched(h, 'kubelet 1.29')).toEqual(new Set([SECURITY]));
    expect([...channelsTouched(h)].every((c) => c === SECURITY || c.startsWith('D'))).toBe(true);
    expect(channelsTouched(h)).not.toContain(ANNOUNCE);
    expect(channelsTouched(h)).not.toContain(ELSEWHERE);
  });

  it("gives someone else's report and a report that does not exist the same refusal, and no form", async () => {
    const id = await fileReport(h);
    const unknown = 'SRP-2099-999';
    const refusal = async (userId: string, incidentId: string) => {
      const res = await h.driver.command(`report add ${incidentId}`, { userId });
      expect(res.status).toBe(200);
      return (res.json as { text: string }).text.replace(incidentId, '<id>');
    };

    const answers = [
      await refusal(OTHER, id),
      await refusal(OTHER, unknown),
      // Being on the committee makes it no one's own report either.
      await refusal(ADMIN, id),
    ];
    expect(new Set(answers)).toEqual(new Set(['You have no report <id>.']));
    expect(h.fake.callsTo('views.open')).toHaveLength(1);
  });

  it("refuses a forged addition to someone else's report inline and stores nothing", async () => {
    const id = await fileReport(h);
    const events = h.srp.services.incidents.timeline(id).length;
    const posts = h.fake.callsTo('chat.postMessage').length;
    const res = await h.driver.viewSubmission({
      userId: OTHER,
      view: {
        id: 'VFORGED002',
        type: 'modal',
        callback_id: 'srp_report_add',
        private_metadata: JSON.stringify({ incidentId: id }),
        blocks: [
          {
            type: 'input',
            block_id: 'addition',
            label: { type: 'plain_text', text: 'x' },
            element: { type: 'plain_text_input', action_id: 'value', multiline: true },
          },
        ],
      },
      values: addition('not mine'),
    });
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { addition: `You have no report ${id}.` },
    });
    expect(h.srp.services.incidents.timeline(id)).toHaveLength(events);
    await h.srp.runJobs();
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(posts);
  });

  it('waits for a card Slack has not taken yet, then replies under it', async () => {
    // The card's post fails; the receipt gets through.
    h.fake.failNext('chat.postMessage', { status: 500 });
    const view = await openForm(h, OUTSIDER);
    await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: reporterValues() });
    const dmChannel = h.fake.dmChannelId(OUTSIDER);
    await h.fake.waitFor(() => h.fake.messages(dmChannel).length === 1);
    const id = h.srp.services.incidents.listOpen()[0]?.id as string;
    await idle(h);
    expect(h.fake.messages(SECURITY)).toEqual([]);

    const add = await openForm(h, OUTSIDER, `report add ${id}`);
    // The addition makes the card due again at once: Slack fails it again, so the reply has no card yet.
    h.fake.failNext('chat.postMessage', { status: 500 });
    await h.driver.viewSubmission({ userId: OUTSIDER, viewId: add.id, values: addition(ADDED) });
    await h.fake.waitFor(() => h.fake.messages(dmChannel).length === 2);
    await idle(h);
    expect(h.fake.messages(SECURITY)).toEqual([]);

    clock.advance(2 * 60_000);
    await h.srp.runJobs();
    const [card, reply, ...more] = h.fake.messages(SECURITY);
    expect(more).toEqual([]);
    expect(card?.text).toBe(`New vulnerability report ${id}`);
    expect(reply?.thread_ts).toBe(card?.ts);
  });

  it('is listed in /srp help for anyone', async () => {
    const res = await h.driver.command('help', { userId: OUTSIDER });
    expect(JSON.stringify(res.json)).toContain('/srp report add <incident id>');
  });
});
