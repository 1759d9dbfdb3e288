import { afterEach, describe, expect, it } from 'vitest';
import { advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import { advisoryStore } from '../../src/store/advisory.js';
import { severityStore } from '../../src/store/severity.js';
import {
  RETRO_CLOSE_ACTION,
  RETRO_DONE_ACTION,
  RETRO_FEEDBACK_CALLBACK,
  RETRO_FEEDBACK_OPEN_ACTION,
} from '../../src/views/retrospective.js';
import { DISCLOSURE_ENV, READY_RECORD, READY_SEVERITY } from '../support/advisory.js';
import { validateMessageBlocks } from '../support/blockKit.js';
import {
  ADMIN,
  ANNOUNCE,
  BEA as B,
  BEA_AND_CEM,
  CEM as C,
  fileReport,
  follow,
  type Harness,
  OUTSIDER,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/**
 * The retrospective through Slack, after a real publication (approved texts, Slack's schedule, confirmed at
 * the target): its draft once, a day after the announcement, also across a restart; feedback from someone
 * involved listed with its author, an outsider's refused; the Fix Lead marks it done, srp offers to close,
 * Close closes it, and the card shows the final summary.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CVE = 'CVE-2026-4242';

function people() {
  return workspaceWith(BEA_AND_CEM);
}

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h?.stop();
});

const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json as { text: string; blocks?: unknown[] };
const cardOf = (id: string) => h.fake.messages(SECURITY).find((m) => m.text.endsWith(id));
const thread = (id: string) => {
  const ts = cardOf(id)?.ts;
  return h.fake.messages(SECURITY).filter((m) => m.thread_ts === ts && m.ts !== ts);
};
const drafts = (id: string) => thread(id).filter((m) => m.text === `Retrospective draft for ${id}`);

async function runAt(at: string) {
  clock.set(at);
  await h.srp.runJobs();
  await h.srp.runJobs();
  await settled(h);
}

/** Filed, B its Fix Lead, a CVE, the texts saved by B and approved by C, the notices sent, published at 16:00 on 2 Dec. */
async function publishedIncident(): Promise<string> {
  clock = new TestClock(new Date('2026-12-01T09:00:00Z'));
  h = await startHarness({
    fake: people(),
    env: { SRP_ADMINS: [ADMIN, B, C].join(','), ...DISCLOSURE_ENV },
    clock,
  });
  await h.driver.command(`oncall setup <@${ADMIN}> <@${B}> <@${C}> monday 10:00 Europe/Berlin 2026-10-19`, {
    userId: ADMIN,
    channelId: SECURITY,
  });
  await h.srp.runJobs();
  const id = await fileReport(h);
  expect((await say(ADMIN, `fixlead ${id} <@${B}> knows the component`)).text).toMatch(/Fix Lead/);
  const incident = h.srp.services.incidents.get(id);
  const edited = h.srp.services.incidents.edit(id, { ...incident, cveId: CVE } as never, ADMIN);
  await follow(h, edited as { due?: string[] });
  const advisory = advisoryStore(h.srp.db);
  severityStore(h.srp.db).update(id, READY_SEVERITY, clock.now(), []);
  advisory.save(
    id,
    advisoryRecord.parse({
      ...READY_RECORD,
      cveId: CVE,
      introducedBy: 'https://github.com/kubernetes/kubernetes/pull/120000',
    }),
    B,
    clock.now(),
  );
  const approvals = h.srp.services.approvals;
  expect(approvals.approve(C, id, approvals.currentTexts(id)?.hash ?? '').outcome.ok).toBe(true);
  const noticeAt = new Date(clock.now().getTime() - 10 * DAY);
  advisory.noticeSent(id, 'advance', B, 'by_hand', noticeAt);
  advisory.noticeSent(id, 'release_day', B, 'by_hand', noticeAt);
  await h.srp.runJobs();
  await settled(h);
  expect((await say(B, `schedule ${id} 2026-12-02 16:00`)).text).toContain('scheduled');
  await settled(h);
  await runAt('2026-12-02T16:05:00Z');
  expect(advisory.disclosure(id)?.state).toBe('published');
  expect(h.fake.messages(ANNOUNCE)).toHaveLength(1);
  return id;
}

const feedbackValues = (text: string) => ({
  feedback: { value: { type: 'plain_text_input', value: text } },
});

describe('the retrospective, a day after publication', () => {
  it('is drafted once, takes feedback from those involved only, and leads to closing with a final summary', async () => {
    const id = await publishedIncident();

    // Not before the day is out.
    await runAt('2026-12-03T15:30:00Z');
    expect(drafts(id)).toEqual([]);

    // One day after the announcement: the draft, once, under the card, naming the Fix Lead and the deadline.
    await runAt('2026-12-03T16:01:00Z');
    expect(drafts(id)).toHaveLength(1);
    const draft = drafts(id)[0];
    expect(validateMessageBlocks(draft?.blocks, draft?.text)).toEqual([]);
    const body = JSON.stringify(draft?.blocks);
    expect(body).toContain(
      `<@${B}>, please finish it by <!date^${Date.parse('2026-12-05T16:00:00Z') / 1000}^`,
    );
    expect(body).toContain('Phases against the process windows');
    expect(body).toContain('Announcement published');
    expect(body).toContain('https://github.com/kubernetes/kubernetes/pull/120000');
    expect(body).toContain('Advance notice sent');
    expect(body).not.toMatch(/\blate\b/i);

    // Restarted a day later: still one draft.
    await h.restart();
    await runAt('2026-12-04T09:00:00Z');
    expect(drafts(id)).toHaveLength(1);

    // C (a member) adds feedback through the draft's button and the form.
    const opened = h.fake.okCallsTo('views.open').length;
    await h.driver.blockAction({
      userId: C,
      actionId: RETRO_FEEDBACK_OPEN_ACTION,
      value: id,
      channelId: SECURITY,
      messageTs: draft?.ts,
    });
    const open = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[opened]);
    const viewId = (open.response as { view: { id: string } }).view.id;
    const empty = await h.driver.viewSubmission({ userId: C, viewId, values: feedbackValues('  ') });
    expect(empty.json).toMatchObject({
      response_action: 'errors',
      errors: { feedback: 'Write your feedback first.' },
    });
    const added = await h.driver.viewSubmission({
      userId: C,
      viewId,
      values: feedbackValues('The distributors list moderation took <b>a day</b>; ask earlier.'),
    });
    expect(added.json).toMatchObject({ response_action: 'update' });
    await settled(h);
    // The same message, updated in place, lists it under Critiques with its author, escaped.
    expect(drafts(id)).toHaveLength(1);
    const updated = JSON.stringify(drafts(id)[0]?.blocks);
    expect(updated).toContain(`<@${C}>`);
    expect(updated).toContain('The distributors list moderation took &lt;b&gt;a day&lt;/b&gt;; ask earlier.');
    expect(h.fake.okCallsTo('chat.update').some((c) => c.args.ts === draft?.ts)).toBe(true);

    // An outsider (the reporter) is refused, by a forged submission too, and nothing is added.
    await h.driver.viewSubmission({
      userId: OUTSIDER,
      view: {
        id: 'VFORGED001',
        callback_id: RETRO_FEEDBACK_CALLBACK,
        private_metadata: JSON.stringify({ incidentId: id }),
      },
      values: feedbackValues('outsider feedback'),
    });
    expect(
      h.srp.services.retrospective.addFeedback(OUTSIDER, id, 'outsider feedback', 'x').outcome,
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining('Only those involved'),
    });
    await settled(h);
    expect(JSON.stringify(drafts(id)[0]?.blocks)).not.toContain('outsider feedback');
    // `/srp retro` shows the draft to a member, not to the outsider.
    expect(JSON.stringify((await say(C, `retro ${id}`)).blocks)).toContain(
      'The distributors list moderation',
    );
    expect(JSON.stringify(await say(OUTSIDER, `retro ${id}`))).not.toContain('moderation');

    // Not complete yet: the steps after the release are open, so no Close on the card.
    expect(JSON.stringify(cardOf(id)?.blocks)).not.toContain(RETRO_CLOSE_ACTION);
    for (const step of ['fix_team_removed', 'cve_published', 'tracking_issue_closed']) {
      expect((await say(B, `done ${id} ${step}`)).text).toContain('is done');
    }
    // C is no Fix Lead: refused. B (the Fix Lead) marks it done from the draft.
    expect((await say(C, `retro ${id} done`)).text).toContain('Fix Lead');
    await h.driver.blockAction({
      userId: B,
      actionId: RETRO_DONE_ACTION,
      value: id,
      channelId: SECURITY,
      messageTs: draft?.ts,
    });
    await settled(h);
    const offer = await h.fake.waitFor(() =>
      h.fake.responses().find((r) => JSON.stringify(r.body).includes(`${id}'s retrospective is done`)),
    );
    expect(JSON.stringify(offer.body)).toContain(RETRO_CLOSE_ACTION);
    expect(JSON.stringify(drafts(id)[0]?.blocks)).toContain(`Marked done by <@${B}>`);
    const step = h.srp.services.schedule
      .situation(id)
      ?.schedule.steps.find((s) => s.rule.id === 'retrospective');
    expect(step).toMatchObject({ state: 'done', outcome: { by: B } });
    // The card says it is complete and offers Close.
    const card = JSON.stringify(cardOf(id)?.blocks);
    expect(card).toContain('*Complete*');
    expect(card).toContain(RETRO_CLOSE_ACTION);

    // Close from the card: closed as fixed, by B, and the card shows the final summary.
    clock.set('2026-12-04T10:00:00Z');
    await h.driver.blockAction({
      userId: B,
      actionId: RETRO_CLOSE_ACTION,
      value: id,
      channelId: SECURITY,
      messageTs: cardOf(id)?.ts,
    });
    await settled(h);
    expect(h.srp.services.incidents.get(id)).toMatchObject({ phase: 'closed', resolution: 'fixed' });
    const closed = h.srp.services.incidents.timeline(id).filter((e) => e.type === 'closed');
    expect(closed).toMatchObject([{ actor: B, at: new Date('2026-12-04T10:00:00Z') }]);
    const summary = JSON.stringify(cardOf(id)?.blocks);
    expect(summary).toContain('Final summary');
    expect(summary).toContain(`closed <!date^${Date.parse('2026-12-04T10:00:00Z') / 1000}^`);
    expect(summary).toContain(`by <@${B}>`);
    expect(summary).toContain('Severity: High');
    expect(summary).toContain(advisoryStore(h.srp.db).disclosure(id)?.permalink as string);
    expect(summary).toContain('https://github.com/kubernetes/kubernetes/issues/128006');
    expect(summary).toContain(CVE);
    expect(summary).not.toContain(RETRO_CLOSE_ACTION);
    // Still one draft, and nothing from srp's retrospective went anywhere but the security channel.
    expect(drafts(id)).toHaveLength(1);
    expect(
      h.fake
        .okCallsTo('chat.postMessage')
        .filter((c) => String(c.args.text).startsWith('Retrospective') && c.args.channel !== SECURITY),
    ).toEqual([]);
  });
});
