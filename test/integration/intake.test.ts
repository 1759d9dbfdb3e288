import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORM_FIELDS } from '../../src/domain/report.js';
import {
  ADMIN,
  ANNOUNCE,
  fileReport,
  type Harness,
  idle,
  OUTSIDER,
  reportValues,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspace,
} from './harness.js';

/** A report makes three posts: its card, the reporter's receipt, and the Fix Lead's notice. */
const POSTS_PER_REPORT = 3;

/** Opens the report modal as `userId` and returns the view Slack now shows. */
async function openReportModal(h: Harness, userId: string) {
  const res = await h.driver.command('report', { userId });
  expect(res.status).toBe(200);
  const call = await h.fake.waitFor(() => h.fake.okCallsTo('views.open').at(-1));
  return (call.response as { view: { id: string } }).view;
}

/** Every channel any call tried to post into, update, or open a DM with. */
function channelsTouched(h: Harness): string[] {
  return h.fake.calls
    .filter((c) => c.method.startsWith('chat.'))
    .map((c) => String(c.args.channel))
    .filter(Boolean);
}

describe('intake over HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('/srp report opens a valid modal within the trigger window, for anyone', async () => {
    const res = await h.driver.command('report', { userId: OUTSIDER });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const open = await h.fake.waitFor(() => h.fake.callsTo('views.open').at(-1));
    expect(open.ok).toBe(true);
    expect(open.args.trigger_id).toBe(res.triggerId);
    const view = open.args.view as { title: { text: string }; blocks: Array<{ block_id?: string }> };
    expect(view.title.text).toBe('Report a vulnerability');
    // One input per field the reporter's form asks, each named after its field so errors map straight back.
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([...FORM_FIELDS.reporter]);
  });

  it('answers bad input inline, naming each field and the fix, and stores nothing', async () => {
    // A member fills in the committee's form, which asks when the report was received.
    const view = await openReportModal(h, ADMIN);
    const res = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: reportValues({
        summary: { type: 'plain_text_input', value: '' },
        cveId: { type: 'plain_text_input', value: 'CVE-26-1' },
        receivedAt: { type: 'datetimepicker', selected_date_time: Math.floor(Date.now() / 1000) + 86_400 },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: {
        summary: expect.stringMatching(/summary/),
        cveId: expect.stringMatching(/CVE-2026-12345/),
        receivedAt: expect.stringMatching(/future/),
      },
    });
    expect(h.srp.services.incidents.listOpen()).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('turns a good report into one incident, one card, one DM, and touches no other channel', async () => {
    const view = await openReportModal(h, OUTSIDER);
    const res = await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: reportValues() });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');

    const [incident, ...others] = h.srp.services.incidents.listOpen();
    expect(others).toEqual([]);
    expect(incident?.id).toMatch(/^SRP-\d{4}-001$/);
    const id = incident?.id as string;

    // The card, the reporter's receipt, and the Fix Lead's notice of their new role.
    await settled(h);
    expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(3);
    const card = h.fake.messages(SECURITY);
    expect(card).toHaveLength(1);
    expect(card[0]?.text).toBe(`New vulnerability report ${id}`);
    expect(JSON.stringify(card[0]?.blocks)).toContain('Path traversal in kubelet');

    const dmChannel = h.fake.dmChannelId(OUTSIDER);
    const dm = h.fake.messages(dmChannel);
    expect(dm).toHaveLength(1);
    expect(dm[0]?.text).toContain(id);
    expect(JSON.stringify(dm)).not.toContain('Path traversal');

    const leadDm = h.fake.messages(h.fake.dmChannelId(ADMIN));
    expect(leadDm.map((m) => m.text)).toEqual([`You are now the Fix Lead of ${id}.`]);
    expect(JSON.stringify(leadDm)).not.toContain('Path traversal');
    expect(new Set(channelsTouched(h))).toEqual(new Set([SECURITY, dmChannel, h.fake.dmChannelId(ADMIN)]));
    expect(channelsTouched(h)).not.toContain(ANNOUNCE);
    // Created by the reporter; the Fix Lead comes from the round-robin (no rotation, so no commander yet).
    expect(h.srp.services.incidents.timeline(id)).toEqual([
      expect.objectContaining({ type: 'created', actor: OUTSIDER }),
      expect.objectContaining({ type: 'role_changed', field: 'fix_lead', actor: 'srp', newValue: ADMIN }),
    ]);
    // Report details never reach a log line.
    expect(h.logs.text()).toContain(id);
    expect(h.logs.text()).not.toContain('Path traversal');
    expect(h.logs.text()).not.toContain('ada@example.org');
  });

  it('a replayed submission does not create a second incident or a second card', async () => {
    const view = await openReportModal(h, OUTSIDER);
    await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: reportValues() });
    await h.fake.waitFor(() => h.fake.okCallsTo('chat.postMessage').length === POSTS_PER_REPORT);
    const replay = await h.driver.viewSubmission({
      userId: OUTSIDER,
      viewId: view.id,
      values: reportValues(),
    });
    expect(replay.status).toBe(200);
    await h.srp.runJobs();
    expect(h.srp.services.incidents.listOpen()).toHaveLength(1);
    expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(POSTS_PER_REPORT);
  });

  it('edits the card in place when a member edits the report, recording old and new values', async () => {
    const view = await openReportModal(h, OUTSIDER);
    await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: reportValues() });
    await h.fake.waitFor(() => h.fake.messages(SECURITY).length === 1);
    const id = h.srp.services.incidents.listOpen()[0]?.id as string;

    await h.driver.blockAction({
      userId: ADMIN,
      actionId: 'srp_report_edit_open',
      channelId: SECURITY,
      value: id,
    });
    const editView = await h.fake.waitFor(() =>
      h.fake
        .okCallsTo('views.open')
        .find((c) => (c.args.view as { callback_id: string }).callback_id === 'srp_report_edit'),
    );
    const res = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: (editView.response as { view: { id: string } }).view.id,
      values: reportValues({ cveId: { type: 'plain_text_input', value: 'cve-2026-4242' } }),
    });
    expect(res.status).toBe(200);
    await settled(h);
    expect(h.fake.okCallsTo('chat.update')).toHaveLength(1);
    expect(h.fake.messages(SECURITY)).toHaveLength(1);
    expect(JSON.stringify(h.fake.messages(SECURITY)[0]?.blocks)).toContain('CVE-2026-4242');
    expect(h.srp.services.incidents.timeline(id).at(-1)).toMatchObject({
      type: 'field_changed',
      field: 'cveId',
      actor: ADMIN,
      oldValue: null,
      newValue: 'CVE-2026-4242',
    });
  });

  it('finishes the card and the receipt after Slack fails, without posting twice', async () => {
    await h.stop();
    const clock = new TestClock(new Date());
    h = await startHarness({ clock });
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    h.fake.failNext('conversations.open', { status: 500 });
    const view = await openReportModal(h, OUTSIDER);
    const res = await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: reportValues() });
    expect(res.status).toBe(200);
    // Both failed right after the answer; the report is stored and both steps wait in the queue.
    await h.fake.waitFor(() => h.fake.callsTo('conversations.open').some((c) => c.status === 500));
    await idle(h);
    const id = h.srp.services.incidents.listOpen()[0]?.id as string;
    expect(h.fake.messages(SECURITY)).toHaveLength(0);
    clock.advance(60_000);
    await h.srp.runJobs();
    await h.srp.runJobs();
    // What must hold: exactly one card and exactly one receipt, however many attempts it took.
    expect(h.fake.messages(SECURITY).map((m) => m.text)).toEqual([`New vulnerability report ${id}`]);
    expect(h.fake.messages(h.fake.dmChannelId(OUTSIDER))).toHaveLength(1);
  });
});

/**
 * As if the process died after Slack posted the card but before its ts was stored: the delivery is still
 * pending, and so is the due work that posted it (its lease long gone).
 */
function crashBeforeTheTsWasStored(h: Harness, id: string) {
  h.srp.db.$client
    .prepare("update deliveries set state = 'pending', ts = null where key = ?")
    .run(`card:${id}`);
  h.srp.db.$client
    .prepare("update due_work set state = 'pending', run_at = 0, lease_owner = 'dead' where key = ?")
    .run(`card:${id}`);
}

describe('crash between posting and recording', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('adopts a card Slack already has instead of posting it again', async () => {
    const view = await openReportModal(h, OUTSIDER);
    await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: reportValues() });
    await h.fake.waitFor(() => h.fake.okCallsTo('chat.postMessage').length === POSTS_PER_REPORT);
    const id = h.srp.services.incidents.listOpen()[0]?.id as string;
    const ts = h.fake.messages(SECURITY)[0]?.ts;
    crashBeforeTheTsWasStored(h, id);

    await h.srp.runJobs();
    expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(POSTS_PER_REPORT);
    expect(h.fake.okCallsTo('conversations.history').length).toBeGreaterThan(0);
    const row = h.srp.db.$client.prepare('select state, ts from deliveries where key = ?').get(`card:${id}`);
    expect(row).toEqual({ state: 'sent', ts });
  });

  it('250 messages after a crash mid-post: still one card, found by paging the history', async () => {
    const id = await fileReport(h);
    const isCard = (m: { metadata?: { event_payload: Record<string, unknown> } }) =>
      m.metadata?.event_payload.key === `card:${id}`;
    const card = h.fake.messages(SECURITY).find(isCard);
    // The committee and another bot keep talking in the channel while srp is down.
    for (let i = 0; i < 250; i++) {
      h.fake.addMessage({
        channel: SECURITY,
        text: `chatter ${i}`,
        user: 'UOTHERBOT1',
        bot_id: 'B0OTHER',
        app_id: 'A0OTHER',
      });
    }
    crashBeforeTheTsWasStored(h, id);
    const posts = h.fake.okCallsTo('chat.postMessage').length;
    h.fake.clearCalls();

    await h.srp.runJobs();

    expect(h.fake.messages(SECURITY).filter(isCard)).toEqual([card]);
    expect(h.fake.messages(SECURITY)).toHaveLength(251);
    expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(0);
    expect(posts).toBe(POSTS_PER_REPORT);
    // The card is older than the first page: it took the cursor to reach it.
    const pages = h.fake.okCallsTo('conversations.history');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[1]?.args.cursor).toEqual(expect.any(String));
    const row = h.srp.db.$client.prepare('select state, ts from deliveries where key = ?').get(`card:${id}`);
    expect(row).toEqual({ state: 'sent', ts: card?.ts });
    expect(h.srp.db.$client.prepare('select state from due_work where key = ?').get(`card:${id}`)).toEqual({
      state: 'done',
    });
  });
});

describe('a change stored just before a crash', () => {
  it('reaches the card when srp starts again, by an update in place', async () => {
    const h = await startHarness();
    try {
      const view = await openReportModal(h, OUTSIDER);
      await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: reportValues() });
      await h.fake.waitFor(() => h.fake.okCallsTo('chat.postMessage').length === POSTS_PER_REPORT);
      const id = h.srp.services.incidents.listOpen()[0]?.id as string;
      // Stored, but the process "died" before the card was redrawn.
      const edited = h.srp.services.incidents.edit(
        id,
        { ...h.srp.services.incidents.get(id), cveId: 'CVE-2026-7777' } as never,
        ADMIN,
      );
      expect(edited.ok).toBe(true);
      expect(JSON.stringify(h.fake.messages(SECURITY)[0]?.blocks)).not.toContain('CVE-2026-7777');
      await h.restart();
      await h.srp.runJobs();
      expect(JSON.stringify(h.fake.messages(SECURITY)[0]?.blocks)).toContain('CVE-2026-7777');
      expect(h.fake.messages(SECURITY)).toHaveLength(1);
      expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(POSTS_PER_REPORT);
    } finally {
      await h.stop();
    }
  });
});

describe('when Slack is slow or going away', () => {
  it('tells the user to try again when the trigger has already expired', async () => {
    const h = await startHarness({ fake: { ...workspace(), triggerTtlMs: 0 } });
    try {
      const res = await h.driver.command('report', { userId: OUTSIDER });
      expect(res.status).toBe(200);
      await h.fake.waitFor(() => h.fake.callsTo('views.open').length > 0);
      const reply = await h.fake.waitFor(() => h.fake.responses().at(-1));
      expect(JSON.stringify(reply.body)).toMatch(/run `\/srp report` again/);
    } finally {
      await h.stop();
    }
  });

  it('on stop, finishes the post already under way before closing the database', async () => {
    const h = await startHarness();
    try {
      h.fake.delayNext('chat.postMessage', 300);
      const view = await openReportModal(h, OUTSIDER);
      await h.driver.viewSubmission({ userId: OUTSIDER, viewId: view.id, values: reportValues() });
      // Stop while the card's post is in flight.
      await h.srp.stop();
      expect(h.fake.messages(SECURITY)).toHaveLength(1);
      expect(h.fake.messages(h.fake.dmChannelId(OUTSIDER))).toHaveLength(1);
      // Recorded as sent before the database closed: a restart posts nothing again.
      await h.restart();
      await h.srp.runJobs();
      expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(POSTS_PER_REPORT);
    } finally {
      await h.stop();
    }
  });
});
