import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { type Srp, startSrp } from '../../src/srp.js';
import { SlackDriver } from '../support/slackDriver.js';
import {
  ADMIN,
  configFrom,
  fileReport,
  type Harness,
  idle,
  logCapture,
  OUTSIDER,
  SECURITY,
  SIGNING_SECRET,
  startHarness,
  TestClock,
  testEnv,
} from './harness.js';

const MINUTE = 60_000;
const FIXER = 'UFIXTEAM01';
let h: Harness;
const others: Srp[] = [];
afterEach(async () => {
  for (const s of others.splice(0)) await s.stop();
  await h?.stop();
});

const cardOf = (id: string) => h.fake.messages(SECURITY).find((m) => m.text.endsWith(id));

describe('due work: what a Slack outage or a second replica cannot break', () => {
  it('a card change made while Slack fails reaches the card once Slack answers again', async () => {
    const clock = new TestClock(new Date('2026-11-30T12:00:00Z'));
    h = await startHarness({ clock });
    const id = await fileReport(h);
    h.fake.failNext('chat.update', { status: 500 }, 3);
    const res = await h.driver.command(`fixteam ${id} add <@${FIXER}>`, { userId: ADMIN });
    // The change is stored and answered at once, although the card could not be updated.
    expect(res.json.text).toMatch(/Added <@UFIXTEAM01>/);
    await h.fake.waitFor(() => h.fake.callsTo('chat.update').some((c) => c.status === 500));
    await idle(h);
    expect(JSON.stringify(cardOf(id)?.blocks)).not.toContain(`<@${FIXER}>`);
    // The outage lasts two more minutely runs; within two minutes after it, the card shows the change.
    for (let minute = 0; minute < 4; minute++) {
      clock.advance(MINUTE);
      await h.srp.runJobs();
    }
    expect(h.fake.callsTo('chat.update').filter((c) => c.status === 500)).toHaveLength(3);
    expect(JSON.stringify(cardOf(id)?.blocks)).toContain(`<@${FIXER}>`);
    expect(h.fake.messages(SECURITY).filter((m) => m.text.endsWith(id))).toHaveLength(1);
  });

  it('two replicas on one database send each message exactly once', async () => {
    const clock = new TestClock(new Date('2026-11-30T12:00:00Z'));
    h = await startHarness({ clock });
    const config: Config = configFrom(testEnv(h.fake, h.dbPath));
    const second = await startSrp(config, {
      clock,
      scheduler: 'manual',
      logDestination: logCapture().stream,
    });
    others.push(second);
    // Twenty reports stored on the first replica while Slack was away: nothing was posted (twenty cards;
    // the receipts and the Fix Lead's notices are DMs whose channels could not even be opened).
    h.fake.failNext('chat.postMessage', { status: 500 }, 20);
    h.fake.failNext('conversations.open', { status: 500 }, 40);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = h.srp.services.incidents.submit(
        {
          summary: `Report ${i}`,
          description: 'A description.',
          components: 'kubelet',
          arrival: 'security_email',
          disclosure: 'private',
          receivedAt: clock.now(),
        },
        { userId: OUTSIDER, sourceKey: `replicas:${i}` },
      );
      if (!r.ok) throw new Error('invalid report');
      ids.push(r.incident.id);
      await h.srp.services.dueWork.run(r.due);
    }
    expect(h.fake.messages(SECURITY)).toHaveLength(0);
    // Both replicas' schedulers run at the same moment, over and over.
    clock.advance(5 * MINUTE);
    for (let round = 0; round < 3; round++) await Promise.all([h.srp.runJobs(), second.runJobs()]);
    for (const id of ids)
      expect(h.fake.messages(SECURITY).filter((m) => m.text.endsWith(id))).toHaveLength(1);
    expect(h.fake.messages(h.fake.dmChannelId(OUTSIDER))).toHaveLength(20);
    expect(h.fake.messages(h.fake.dmChannelId(ADMIN))).toHaveLength(20);
  });

  it('two replicas planning the same oncall handoff announce it once', async () => {
    const clock = new TestClock(new Date('2026-10-21T12:00:00Z'));
    h = await startHarness({ clock });
    await h.driver.command(`oncall setup <@${ADMIN}> monday 10:00 Europe/Berlin 2026-10-19`, {
      userId: ADMIN,
      channelId: SECURITY,
    });
    const second = await startSrp(configFrom(testEnv(h.fake, h.dbPath)), {
      clock,
      scheduler: 'manual',
      logDestination: logCapture().stream,
    });
    others.push(second);
    await Promise.all([h.srp.runJobs(), second.runJobs(), h.srp.runJobs(), second.runJobs()]);
    const posts = h.fake.messages(SECURITY).filter((m) => m.text.startsWith('Oncall handoff'));
    expect(posts).toHaveLength(1);
    // A signed request to the second replica is served from the same database.
    const driver = new SlackDriver({
      baseUrl: `http://127.0.0.1:${second.port}`,
      signingSecret: SIGNING_SECRET,
      fake: h.fake,
    });
    const status = await driver.command('oncall', { userId: ADMIN, channelId: SECURITY });
    expect(status.json.text).toBe(`Oncall: primary <@${ADMIN}>, secondary _nobody_`);
  });
});
