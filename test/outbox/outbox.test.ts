import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import { errorCode, GuardRefusal, isPermanent, retryAfterMs } from '../../src/outbox/errors.js';
import type { Sensitivity } from '../../src/outbox/guard.js';
import { type Delivery, HistoryTooLong } from '../../src/outbox/outbox.js';
import { ANNOUNCE, ELSEWHERE, OUTSIDER, SECURITY } from '../integration/harness.js';
import { READY_RECORD, READY_SEVERITY } from '../support/advisory.js';
import { TestClock } from '../support/clock.js';
import { fileReport, slackClient, type UnitWorld, unitWorld } from '../support/unitServices.js';

const KEY = 'card:SRP-2026-001';

let world: UnitWorld;

beforeEach(async () => {
  // The outbox compares its own clock with the ts Slack gives a message (when it looks a lost post up in
  // the channel's history), and the fake stamps messages with real time: so this clock starts at now.
  world = await unitWorld(new TestClock(new Date()));
});
afterEach(() => world.stop());

const outbox = () => world.srp.outbox;
const deliveries = () => world.srp.store.deliveries;

function card(text: string, over: Partial<Delivery> = {}): Delivery {
  return {
    key: KEY,
    kind: 'card',
    channel: SECURITY,
    sensitivity: 'embargoed',
    render: () => ({ text }),
    ...over,
  };
}

const dm = (key: string, text: string) =>
  outbox().directMessage({ key, kind: 'note', userId: OUTSIDER, render: () => ({ text }) });

describe('the outbox', () => {
  it('posts a key once: a second post returns the first ts without calling Slack', async () => {
    const first = await outbox().post(card('first'));
    const again = await outbox().post(card('second'));

    expect(again).toEqual(first);
    expect(world.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(world.fake.messages(SECURITY)).toEqual([
      expect.objectContaining({
        ts: first.ts,
        text: 'first',
        // The stamp that lets a post whose reply was lost be found again.
        metadata: { event_type: 'srp_delivery', event_payload: { key: KEY } },
      }),
    ]);
    expect(deliveries().get(KEY)).toMatchObject({
      state: 'sent',
      ts: first.ts,
      channel: SECURITY,
      kind: 'card',
      attempts: 1,
    });
  });

  it('adopts a post that reached Slack before a crash from the channel history instead of posting again', async () => {
    // The crash: the intent was recorded and the post landed, but srp died before it stored the ts.
    deliveries().claim(KEY, 'card', SECURITY, world.clock.now());
    const landed = await slackClient(world.fake).chat.postMessage({
      channel: SECURITY,
      text: 'posted before the crash',
      metadata: { event_type: 'srp_delivery', event_payload: { key: KEY } },
    });
    world.fake.clearCalls();

    const posted = await outbox().post(card('after the restart'));

    expect(posted).toEqual({ channel: SECURITY, ts: landed.ts });
    expect(world.fake.okCallsTo('conversations.history')).toHaveLength(1);
    expect(world.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(world.fake.messages(SECURITY).map((m) => m.text)).toEqual(['posted before the crash']);
    expect(deliveries().get(KEY)).toMatchObject({ state: 'sent', ts: landed.ts });
  });

  it('posts a pending delivery whose post never landed, once, when the history holds only other keys', async () => {
    deliveries().claim(KEY, 'card', SECURITY, world.clock.now());
    await slackClient(world.fake).chat.postMessage({
      channel: SECURITY,
      text: 'another card',
      metadata: { event_type: 'srp_delivery', event_payload: { key: 'card:SRP-2026-002' } },
    });

    const posted = await outbox().post(card('the lost one'));
    await outbox().post(card('the lost one'));

    expect(world.fake.messages(SECURITY).map((m) => m.text)).toEqual(['another card', 'the lost one']);
    expect(deliveries().get(KEY)).toMatchObject({ state: 'sent', ts: posted.ts });
  });

  /** `n` messages another bot posts into the security channel, some stamped like srp's other deliveries. */
  function chatter(n: number) {
    for (let i = 0; i < n; i++) {
      world.fake.addMessage({
        channel: SECURITY,
        text: `chatter ${i}`,
        user: 'UOTHERBOT1',
        bot_id: 'B0OTHER',
        app_id: 'A0OTHER',
        ...(i % 50 === 0
          ? { metadata: { event_type: 'srp_delivery', event_payload: { key: `card:other-${i}` } } }
          : {}),
      });
    }
  }

  it("pages the history of the attempt's window to find a post that 250 messages followed", async () => {
    const recorded = world.clock.now();
    deliveries().claim(KEY, 'card', SECURITY, recorded);
    const landed = await slackClient(world.fake).chat.postMessage({
      channel: SECURITY,
      text: 'posted before the crash',
      metadata: { event_type: 'srp_delivery', event_payload: { key: KEY } },
    });
    chatter(250);
    world.fake.clearCalls();

    const posted = await outbox().post(card('after the restart'));

    expect(posted).toEqual({ channel: SECURITY, ts: landed.ts });
    expect(world.fake.callsTo('chat.postMessage')).toEqual([]);
    const pages = world.fake.okCallsTo('conversations.history');
    const first = pages[0]?.response as { response_metadata?: { next_cursor?: string } } | undefined;
    // The window where a lost post can be: from the intent, less the clocks' skew, to the attempt's
    // timeout plus that skew.
    const oldest = String(Math.floor(recorded.getTime() / 1000) - 60);
    const latest = String(Math.ceil(recorded.getTime() / 1000) + 10 + 60);
    const args = {
      channel: SECURITY,
      oldest,
      latest,
      inclusive: 'true',
      limit: '200',
      include_all_metadata: 'true',
    };
    expect(pages.map((c) => c.args)).toEqual([
      args,
      { ...args, cursor: first?.response_metadata?.next_cursor },
    ]);
    expect(deliveries().get(KEY)).toMatchObject({ state: 'sent', ts: landed.ts });
  });

  it('reads only the window where the lost post can be: a thousand messages after it change nothing', async () => {
    const recorded = world.clock.now();
    deliveries().claim(KEY, 'card', SECURITY, recorded);
    // srp was down for an hour; the channel went on without it.
    const later = Math.floor(recorded.getTime() / 1000) + 3600;
    for (let i = 0; i < 1000; i++) {
      world.fake.addMessage({
        channel: SECURITY,
        ts: `${later + i}.000100`,
        text: `chatter ${i}`,
        user: 'UOTHERBOT1',
      });
    }
    world.clock.advance(3_600_000);
    world.fake.clearCalls();

    await outbox().post(card('the lost one'));

    // One page (the window is empty), then the post: not five pages and a refusal.
    expect(world.fake.okCallsTo('conversations.history')).toHaveLength(1);
    expect(world.fake.okCallsTo('chat.postMessage')).toHaveLength(1);
    expect(deliveries().get(KEY)).toMatchObject({ state: 'sent' });
  });

  it('posts a pending delivery only after reading every page of the history without finding it', async () => {
    deliveries().claim(KEY, 'card', SECURITY, world.clock.now());
    chatter(450);
    world.fake.clearCalls();

    const posted = await outbox().post(card('the lost one'));

    expect(world.fake.okCallsTo('conversations.history')).toHaveLength(3);
    expect(world.fake.okCallsTo('chat.postMessage')).toHaveLength(1);
    expect(world.fake.messages(SECURITY).at(-1)).toMatchObject({ ts: posted.ts, text: 'the lost one' });
  });

  it('reads at most 4 pages: past them it fails the attempt with a retryable error instead of posting again', async () => {
    deliveries().claim(KEY, 'card', SECURITY, world.clock.now());
    // Ours is there, but 800 messages follow it: it would be on the fifth page.
    await slackClient(world.fake).chat.postMessage({
      channel: SECURITY,
      text: 'posted before the crash',
      metadata: { event_type: 'srp_delivery', event_payload: { key: KEY } },
    });
    chatter(800);
    world.fake.clearCalls();

    const err = await outbox()
      .post(card('after the restart'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(err).toBeInstanceOf(HistoryTooLong);
    expect(errorCode(err)).toBe('srp_history_too_long');
    // The due-work runner retries it (and logs it), as it would a Slack outage.
    expect(isPermanent(err)).toBe(false);
    expect(world.fake.okCallsTo('conversations.history')).toHaveLength(4);
    expect(world.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(world.fake.messages(SECURITY).filter((m) => m.metadata?.event_payload.key === KEY)).toHaveLength(
      1,
    );
    expect(deliveries().get(KEY)).toMatchObject({
      state: 'pending',
      ts: null,
      attempts: 1,
      lastError: 'srp_history_too_long',
    });
  });

  it('upsert posts the first time, then edits that same message in place', async () => {
    const first = await outbox().upsert(card('version 1'));
    const second = await outbox().upsert(card('version 2'));

    expect(second).toEqual(first);
    expect(world.fake.okCallsTo('chat.postMessage')).toHaveLength(1);
    expect(world.fake.okCallsTo('chat.update').map((c) => c.args)).toEqual([
      expect.objectContaining({ channel: SECURITY, ts: first.ts, text: 'version 2' }),
    ]);
    expect(world.fake.messages(SECURITY)).toEqual([
      expect.objectContaining({ ts: first.ts, text: 'version 2', edited: expect.anything() }),
    ]);
  });

  it('uploads requested content only into the asker’s own DM with the app; never by a plain upload, a post or an update', async () => {
    const file = { filename: 'CVE-2026-1234.cve.json', title: 'CVE record', content: '{"embargoed":true}' };
    const theirDm = world.fake.dmChannelId(OUTSIDER);
    for (const channel of [theirDm, ELSEWHERE, ANNOUNCE]) {
      await expect(outbox().upload({ ...file, channel, sensitivity: 'requested' })).rejects.toBeInstanceOf(
        GuardRefusal,
      );
      await expect(outbox().upload({ ...file, channel, sensitivity: 'embargoed' })).rejects.toBeInstanceOf(
        GuardRefusal,
      );
      await expect(
        outbox().post(card('details', { channel, sensitivity: 'requested' })),
      ).rejects.toBeInstanceOf(GuardRefusal);
    }
    await expect(
      outbox().post(card('details', { channel: SECURITY, sensitivity: 'requested' })),
    ).rejects.toBeInstanceOf(GuardRefusal);
    expect(world.fake.calls).toEqual([]);

    await outbox().uploadToPerson({ ...file, userId: OUTSIDER });
    expect(world.fake.uploads).toEqual([
      expect.objectContaining({ channel: theirDm, filename: file.filename }),
    ]);
    expect(world.fake.uploads[0]?.content).toContain(file.content);
  });

  it('refuses the announcements channel, and any channel but the security one for embargoed text, without calling Slack', async () => {
    const refused: Array<[string, Sensitivity]> = [
      [ANNOUNCE, 'generic'],
      [ANNOUNCE, 'embargoed'],
      [ELSEWHERE, 'embargoed'],
      [ELSEWHERE, 'generic'],
      [world.fake.dmChannelId(OUTSIDER), 'embargoed'],
    ];
    for (const [channel, sensitivity] of refused) {
      await expect(outbox().post(card('details', { channel, sensitivity }))).rejects.toBeInstanceOf(
        GuardRefusal,
      );
      await expect(outbox().upsert(card('details', { channel, sensitivity }))).rejects.toBeInstanceOf(
        GuardRefusal,
      );
    }
    expect(world.fake.calls).toEqual([]);
    // Refused before the intent is recorded, so nothing is left pending to reconcile.
    expect(deliveries().get(KEY)).toBeUndefined();

    // Generic text in a person's DM with the app is allowed.
    await dm('note:hello', 'SRP-2026-001 needs you');
    expect(world.fake.messages(world.fake.dmChannelId(OUTSIDER)).map((m) => m.text)).toEqual([
      'SRP-2026-001 needs you',
    ]);
  });

  it('opens a DM channel once per person and remembers it', async () => {
    await dm('note:1', 'one');
    await dm('note:2', 'two');
    await dm('note:1', 'one again');

    const channel = world.fake.dmChannelId(OUTSIDER);
    expect(world.fake.okCallsTo('conversations.open')).toHaveLength(1);
    expect(world.srp.store.dmChannels.get(OUTSIDER)).toBe(channel);
    expect(world.fake.messages(channel).map((m) => m.text)).toEqual(['one', 'two']);
  });

  it('forgets a DM channel Slack answers channel_not_found for, and opens it afresh for the next DM', async () => {
    await dm('note:1', 'one');
    world.fake.failNext('chat.postMessage', { error: 'channel_not_found' });

    await expect(dm('note:2', 'two')).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect(world.srp.store.dmChannels.get(OUTSIDER)).toBeUndefined();

    await dm('note:3', 'three');
    expect(world.fake.okCallsTo('conversations.open')).toHaveLength(2);
    expect(world.srp.store.dmChannels.get(OUTSIDER)).toBe(world.fake.dmChannelId(OUTSIDER));
    expect(world.fake.messages(world.fake.dmChannelId(OUTSIDER)).map((m) => m.text)).toEqual([
      'one',
      'three',
    ]);
  });

  it('throws a 429 at once with its Retry-After, records the attempt, and posts once on the next try', async () => {
    world.fake.failNext('chat.postMessage', { status: 429, retryAfter: 120 });

    const err = await outbox()
      .post(card('rate limited'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(retryAfterMs(err)).toBe(120_000);
    // No retry inside the call: waiting is the due-work runner's decision.
    expect(world.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(world.fake.messages(SECURITY)).toEqual([]);
    expect(deliveries().get(KEY)).toMatchObject({
      state: 'pending',
      ts: null,
      attempts: 1,
      lastError: 'slack_webapi_rate_limited_error',
    });

    const posted = await outbox().post(card('rate limited'));
    expect(world.fake.messages(SECURITY).map((m) => m.ts)).toEqual([posted.ts]);
    expect(deliveries().get(KEY)).toMatchObject({
      state: 'sent',
      ts: posted.ts,
      attempts: 2,
      lastError: null,
    });
  });

  it('replies in the thread of a message it posted, in that channel, once; and waits while that message is not posted', async () => {
    const reply = (text: string) =>
      outbox().reply(KEY, {
        key: 'reply:1',
        kind: 'reporter-addition',
        sensitivity: 'embargoed',
        render: () => ({ text }),
      });

    expect(await reply('too early')).toBeUndefined();
    expect(world.fake.calls).toEqual([]);
    expect(deliveries().get('reply:1')).toBeUndefined();

    const parent = await outbox().post(card('the card'));
    const first = await reply('the reply');
    const again = await reply('the reply, again');

    expect(again).toEqual(first);
    expect(world.fake.okCallsTo('chat.postMessage').map((c) => c.args.thread_ts)).toEqual([
      undefined,
      parent.ts,
    ]);
    expect(world.fake.messages(SECURITY)).toEqual([
      expect.objectContaining({ ts: parent.ts, text: 'the card' }),
      expect.objectContaining({ ts: first?.ts, text: 'the reply', thread_ts: parent.ts }),
    ]);
  });

  it('adopts a reply that reached Slack before a crash from its thread, which the channel history leaves out', async () => {
    const parent = await outbox().post(card('the card'));
    deliveries().claim('reply:1', 'reporter-addition', SECURITY, world.clock.now());
    const landed = await slackClient(world.fake).chat.postMessage({
      channel: SECURITY,
      thread_ts: parent.ts,
      text: 'posted before the crash',
      metadata: { event_type: 'srp_delivery', event_payload: { key: 'reply:1' } },
    });
    world.fake.clearCalls();

    const posted = await outbox().reply(KEY, {
      key: 'reply:1',
      kind: 'reporter-addition',
      sensitivity: 'embargoed',
      render: () => ({ text: 'after the restart' }),
    });

    expect(posted).toEqual({ channel: SECURITY, ts: landed.ts });
    expect(world.fake.okCallsTo('conversations.replies').map((c) => c.args.ts)).toEqual([parent.ts]);
    expect(world.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(deliveries().get('reply:1')).toMatchObject({ state: 'sent', ts: landed.ts });
  });
});

describe('the announcements channel', () => {
  async function approved() {
    const id = fileReport(world.srp, world.clock);
    const record = advisoryRecord.parse({
      ...READY_RECORD,
      summary: 'A bug <!channel>',
      cveId: 'CVE-2026-1234',
    });
    const advisory = world.srp.store.advisory;
    world.srp.store.severity.update(id, READY_SEVERITY, world.clock.now(), []);
    const saved = advisory.save(id, record, 'U1', world.clock.now());
    const current = world.srp.approvals.currentTexts(id);
    advisory.approve(id, saved.version.version, current?.hash ?? '', 'U2', world.clock.now());
    const approved = world.srp.approvals.approvedTexts(id);
    if (!approved) throw new Error(`not approved: ${current?.blocking.join('; ')}`);
    return { id, text: approved.slackLine, hash: approved.hash, record };
  }
  const HOUR = 3_600_000;

  it('takes the approved line scheduled for its target (no metadata: Slack would never post it), and nothing else', async () => {
    const { id, text, hash } = await approved();
    const targetAt = new Date(world.clock.now().getTime() + HOUR);
    await expect(
      outbox().scheduleAnnouncement({ incidentId: id, hash, text: `${text} (edited)`, targetAt }),
    ).rejects.toBeInstanceOf(GuardRefusal);
    await expect(
      outbox().scheduleAnnouncement({ incidentId: id, hash: 'other', text, targetAt }),
    ).rejects.toBeInstanceOf(GuardRefusal);
    expect(world.fake.calls).toEqual([]);

    const scheduled = await outbox().scheduleAnnouncement({ incidentId: id, hash, text, targetAt });
    const call = world.fake.okCallsTo('chat.scheduleMessage')[0];
    expect(call?.args).toMatchObject({
      channel: ANNOUNCE,
      text,
      post_at: String(Math.ceil(targetAt.getTime() / 1000)),
    });
    expect(call?.args.metadata).toBeUndefined();
    expect(call?.args.blocks).toBeUndefined();
    expect(await outbox().scheduledAnnouncements()).toEqual([
      { id: scheduled, text, postAt: Math.ceil(targetAt.getTime() / 1000) },
    ]);
    expect(await outbox().withdrawAnnouncement(scheduled)).toBe('deleted');
    expect(await outbox().withdrawAnnouncement(scheduled)).toBe('refused');
  });

  it('posts it itself only at or after its target, once under its key, stamped with the incident and the hash', async () => {
    const { id, text, hash } = await approved();
    const key = `announce:${id}`;
    const future = new Date(world.clock.now().getTime() + HOUR);
    await expect(
      outbox().postAnnouncement({ key, incidentId: id, hash, text, targetAt: future }),
    ).rejects.toBeInstanceOf(GuardRefusal);
    expect(world.fake.calls).toEqual([]);
    expect(deliveries().get(key)).toBeUndefined();

    const past = new Date(world.clock.now().getTime() - 1000);
    const first = await outbox().postAnnouncement({ key, incidentId: id, hash, text, targetAt: past });
    const again = await outbox().postAnnouncement({ key, incidentId: id, hash, text, targetAt: past });
    expect(again).toEqual(first);
    expect(world.fake.messages(ANNOUNCE)).toEqual([
      expect.objectContaining({
        text,
        metadata: { event_type: 'srp_delivery', event_payload: { key, incident: id, hash } },
      }),
    ]);
    expect(await outbox().findAnnouncement({ key, text, from: past })).toBe(first.ts);
  });

  it('refuses every other route to it: a post, an update in place, a reply, whatever the text, and an edited record voids the approval at once', async () => {
    const { id, text, hash, record } = await approved();
    const as = {
      key: `announce:${id}`,
      kind: 'announce-confirm',
      channel: ANNOUNCE,
      render: () => ({ text }),
    };
    await expect(outbox().post({ ...as, sensitivity: 'generic' })).rejects.toBeInstanceOf(GuardRefusal);
    await expect(outbox().upsert({ ...as, sensitivity: 'generic' })).rejects.toBeInstanceOf(GuardRefusal);
    expect(world.fake.calls).toEqual([]);

    world.srp.store.advisory.save(id, { ...record, summary: 'Another summary' }, 'U1', world.clock.now());
    const past = new Date(world.clock.now().getTime() - 1000);
    await expect(
      outbox().postAnnouncement({ key: `announce:${id}`, incidentId: id, hash, text, targetAt: past }),
    ).rejects.toThrow(/no approved announcement/);
    expect(world.fake.calls).toEqual([]);
  });
});
