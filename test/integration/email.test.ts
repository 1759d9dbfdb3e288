import { afterEach, describe, expect, it } from 'vitest';
import { advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import { advisoryStore } from '../../src/store/advisory.js';
import { emailStore } from '../../src/store/emails.js';
import { severityStore } from '../../src/store/severity.js';
import { DISCLOSURE_ENV, READY_RECORD, READY_SEVERITY } from '../support/advisory.js';
import { startSmtpServer } from '../support/smtpServer.js';
import {
  ADMIN,
  fileReport,
  follow,
  type Harness,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/**
 * The disclosure's emails over real SMTP: the distributors' notices when due and the announcement emails
 * at the target, each once; a send cut short is never sent again blindly, the Fix Lead is asked.
 */

const B = 'UMEMBER002';
const C = 'UMEMBER003';
const CVE = 'CVE-2026-5151';

function people() {
  return workspaceWith([
    { id: B, name: 'bea' },
    { id: C, name: 'cem' },
  ]);
}

let h: Harness;
let clock: TestClock;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
afterEach(async () => {
  await h?.stop();
  await smtp?.close();
});

/** Tuesday 2026-12-01 09:00 UTC; srp with SMTP, or without it (`smtp: false`). */
async function start(opts: { smtp?: boolean } = {}) {
  smtp = await startSmtpServer();
  clock = new TestClock(new Date('2026-12-01T09:00:00Z'));
  h = await startHarness({
    fake: people(),
    clock,
    env: {
      SRP_ADMINS: [ADMIN, B, C].join(','),
      ...DISCLOSURE_ENV,
      ...(opts.smtp === false ? {} : { SRP_SMTP_URL: smtp.url }),
    },
  });
  await h.driver.command(`oncall setup <@${ADMIN}> <@${B}> <@${C}> monday 10:00 Europe/Berlin 2026-10-19`, {
    userId: ADMIN,
    channelId: SECURITY,
  });
  await h.srp.runJobs();
}

const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json as { text: string };
const cardTs = (id: string) => h.fake.messages(SECURITY).find((m) => m.text.endsWith(id))?.ts;
const thread = (id: string) =>
  h.fake.messages(SECURITY).filter((m) => m.thread_ts === cardTs(id) && m.ts !== cardTs(id));
const subjects = () => smtp.received.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1]);

/** An incident with a CVE, B its Fix Lead, the record saved by B, approved by C, scheduled for Wed 9 Dec. */
async function scheduledIncident(): Promise<string> {
  const id = await fileReport(h);
  expect((await say(ADMIN, `fixlead ${id} <@${B}> knows the component`)).text).toMatch(/Fix Lead/);
  const incident = h.srp.services.incidents.get(id);
  const edited = h.srp.services.incidents.edit(id, { ...incident, cveId: CVE } as never, ADMIN);
  await follow(h, edited as { due?: string[] });
  severityStore(h.srp.db).update(id, READY_SEVERITY, clock.now(), []);
  advisoryStore(h.srp.db).save(id, advisoryRecord.parse({ ...READY_RECORD, cveId: CVE }), B, clock.now());
  const approvals = h.srp.services.approvals;
  expect(approvals.approve(C, id, approvals.currentTexts(id)?.hash ?? '').outcome.ok).toBe(true);
  await h.srp.runJobs();
  await settled(h);
  expect((await say(B, `schedule ${id} 2026-12-09 16:00`)).text).toContain('is scheduled for');
  await h.srp.runJobs();
  await settled(h);
  return id;
}

async function at(iso: string) {
  clock.set(iso);
  await h.srp.runJobs();
  await settled(h);
}

describe('disclosure emails', () => {
  it('sends the advance notice at once, the release-day notice a day before, the announcements at the target: each once', async () => {
    await start();
    const id = await scheduledIncident();
    expect(subjects()).toEqual([
      expect.stringMatching(/^\[EMBARGOED\] CVE-2026-5151: Path traversal in kubelet/),
    ]);
    expect(smtp.received[0]?.to).toEqual(['distributors@example.org']);
    // Recorded as sent by srp, and its step done.
    expect(advisoryStore(h.srp.db).notices(id)).toEqual([
      expect.objectContaining({ notice: 'advance', via: 'smtp', sentBy: 'srp' }),
    ]);
    await at('2026-12-05T09:00:00Z');
    expect(smtp.received).toHaveLength(1);
    await at('2026-12-08T16:00:00Z');
    expect(smtp.received).toHaveLength(2);
    expect(subjects()[1]).toMatch(/^\[EMBARGOED\]/);
    await at('2026-12-09T16:00:00Z');
    await at('2026-12-09T16:05:00Z');
    expect(subjects().slice(2).sort()).toEqual([
      expect.stringMatching(/^\[Kubernetes\] CVE-2026-5151: /),
      expect.stringMatching(/^\[Security Advisory\] CVE-2026-5151: /),
    ]);
    // A restart and more ticks send nothing again.
    await h.srp.stop();
    await h.restart();
    await at('2026-12-09T17:00:00Z');
    expect(smtp.received).toHaveLength(4);
    // Every email is plain text; no HTML part made from user text.
    for (const m of smtp.received) expect(m.raw).not.toMatch(/text\/html/);
  });

  it('a send cut short asks the Fix Lead under the card instead of sending again; "send it" sends it once', async () => {
    await start();
    smtp.dropNext();
    const id = await scheduledIncident();
    expect(smtp.received).toHaveLength(0);
    const key = `email:${id}:advance:${h.srp.services.approvals.approvedTexts(id)?.hash}`;
    expect(emailStore(h.srp.db).get(key)?.state).toBe('unknown');
    const ask = thread(id).find((m) => JSON.stringify(m.blocks).includes('does not know whether'));
    expect(JSON.stringify(ask?.blocks)).toContain(`<@${B}>`);
    // Ticks and a restart do not send it.
    await h.srp.stop();
    await h.restart();
    await at('2026-12-01T12:00:00Z');
    expect(smtp.received).toHaveLength(0);
    expect(thread(id).filter((m) => JSON.stringify(m.blocks).includes('does not know whether'))).toHaveLength(
      1,
    );
    // Someone outside the incident cannot settle it.
    await h.driver.blockAction({
      userId: 'UOUTSIDE01',
      actionId: 'email_resend',
      value: key,
      blockId: `email-check:${id}`,
      channelId: SECURITY,
      messageTs: ask?.ts,
    });
    await settled(h);
    expect(smtp.received).toHaveLength(0);
    // The Fix Lead checked the archive: it did not go out.
    await h.driver.blockAction({
      userId: B,
      actionId: 'email_resend',
      value: key,
      blockId: `email-check:${id}`,
      channelId: SECURITY,
      messageTs: ask?.ts,
    });
    await h.srp.runJobs();
    await settled(h);
    expect(smtp.received).toHaveLength(1);
    await at('2026-12-01T13:00:00Z');
    expect(smtp.received).toHaveLength(1);
    expect(emailStore(h.srp.db).get(key)?.state).toBe('sent');
  });

  it('without SMTP, reminds the Fix Lead under the card to send each email, once', async () => {
    await start({ smtp: false });
    const id = await scheduledIncident();
    await at('2026-12-01T10:00:00Z');
    const reminders = () => thread(id).filter((m) => JSON.stringify(m.blocks).includes('time to send'));
    expect(reminders()).toHaveLength(1);
    expect(JSON.stringify(reminders()[0]?.blocks)).toContain("distributors' advance notice");
    await at('2026-12-09T16:01:00Z');
    expect(reminders()).toHaveLength(4);
    expect(smtp.received).toHaveLength(0);
  });
});
