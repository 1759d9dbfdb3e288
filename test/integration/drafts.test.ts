import { afterEach, describe, expect, it } from 'vitest';
import { type AdvisoryRecord, advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import { advisoryStore } from '../../src/store/advisory.js';
import { severityStore } from '../../src/store/severity.js';
import { READY_SEVERITY } from '../support/advisory.js';
import {
  ADMIN,
  fileReport,
  type Harness,
  OUTSIDER,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/**
 * The disclosure texts as a committee meets them: `/srp drafts` shows every text; the record's last
 * editor cannot approve; two other members can (SRP_APPROVALS=2); an edit voids the approvals and says so
 * under the card; texts too long for a message go to the security channel as a file.
 */

const B = 'UMEMBER002';
const C = 'UMEMBER003';

function people() {
  return workspaceWith([
    { id: B, name: 'bea', tz: 'Europe/Berlin' },
    { id: C, name: 'cem', tz: 'UTC' },
  ]);
}

const record: AdvisoryRecord = advisoryRecord.parse({
  summary: 'Node log query allows reading arbitrary files <!channel>',
  actor: 'an attacker with access to the kubelet API',
  doSomething: 'read any file on the node',
  vulnerable: 'Clusters with the NodeLogQuery feature gate enabled.',
  affected: [{ component: 'kubelet', introduced: '1.30.0', fixed: '1.30.5', pr: '#127001' }],
  detection: 'Requests to /logs/query with a path outside /var/log.',
  reporterCredit: 'Grace Hopper',
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/128006',
  cveId: 'CVE-2026-2270',
});

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h?.stop();
});

async function start() {
  clock = new TestClock(new Date('2026-11-03T09:00:00Z'));
  h = await startHarness({
    fake: people(),
    clock,
    env: {
      SRP_ADMINS: [ADMIN, B, C].join(','),
      SRP_APPROVALS: '2',
      SRP_ANNOUNCE_EMAIL_TO: 'announce@example.org',
      SRP_DISTRIBUTORS_EMAIL: 'distributors@example.org',
      SRP_SECURITY_EMAIL: 'security@example.org',
    },
  });
  await h.srp.runJobs();
}

/** An incident with its severity assessed and its advisory record written by `editor`. */
async function prepared(editor = ADMIN, patch: Partial<AdvisoryRecord> = {}) {
  const id = await fileReport(h);
  const now = clock.now();
  severityStore(h.srp.db).update(id, READY_SEVERITY, now, []);
  advisoryStore(h.srp.db).save(id, { ...record, ...patch }, editor, now);
  await h.srp.runJobs();
  await settled(h);
  return id;
}

type Block = {
  type: string;
  text?: { text: string };
  elements?: Array<Record<string, unknown>>;
  block_id?: string;
};

const drafts = async (id: string, userId = ADMIN) => {
  const r = await h.driver.command(`drafts ${id}`, { userId });
  return r.json as { text: string; blocks?: Block[]; response_type?: string };
};
const buttons = (blocks: Block[] | undefined) => (blocks ?? []).flatMap((b) => b.elements ?? []);
const cardTs = (id: string) => h.fake.messages(SECURITY).find((m) => m.text.endsWith(id))?.ts;
const thread = (id: string) => {
  const ts = cardTs(id);
  return h.fake.messages(SECURITY).filter((m) => m.thread_ts === ts && m.ts !== ts);
};
/** Presses a button of the (ephemeral) drafts; the answer comes back through its response_url. */
async function press(id: string, userId: string, actionId: string, value: string): Promise<string> {
  const before = h.fake.responses().length;
  await h.driver.blockAction({
    userId,
    actionId,
    value,
    blockId: `drafts:${id}`,
    channelId: SECURITY,
    messageTs: cardTs(id),
  });
  const body = await h.fake.waitFor(() => h.fake.responses()[before]?.body as { text: string } | undefined);
  await settled(h);
  return body.text;
}

describe('/srp drafts', () => {
  it('shows every text in full, to the member who asked only, with Approve carrying the texts’ hash', async () => {
    await start();
    const id = await prepared();
    const answer = await drafts(id);
    expect(answer.response_type).toBe('ephemeral');
    const all = JSON.stringify(answer.blocks);
    for (const title of [
      'Slack line',
      'Announcement email',
      'oss-security',
      'Tracking issue',
      'Placeholder issue',
      'Distributors email',
    ]) {
      expect(all).toContain(title);
    }
    expect(all).toContain('[Security Advisory] CVE-2026-2270');
    expect(all).toContain('[EMBARGOED] CVE-2026-2270');
    // The hostile summary is inert in the Slack line, and shown literally in the code blocks.
    expect(all).not.toContain('<!channel>');
    expect(answer.blocks?.length).toBeLessThanOrEqual(50);
    for (const b of answer.blocks ?? []) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    const approve = buttons(answer.blocks).find((e) => e.action_id === 'disclosure_approve');
    const current = h.srp.services.approvals.currentTexts(id);
    expect(approve?.value).toBe(`${id}:${current?.hash}`);
    expect(buttons(answer.blocks).find((e) => e.action_id === 'disclosure_schedule')?.value).toBe(id);
    const github = buttons(answer.blocks).find((e) => e.action_id === 'disclosure_open_github');
    if (github)
      expect(String(github.url)).toMatch(
        /^https:\/\/github\.com\/kubernetes\/kubernetes\/issues\/new\?title=CVE-2026-2270/,
      );

    // Embargoed: someone outside the committee is refused, and nothing was posted anywhere.
    const outsider = await drafts(id, OUTSIDER);
    expect(outsider.text).not.toContain('CVE-2026-2270');
    expect(JSON.stringify(h.fake.messages(h.fake.dmChannelId(OUTSIDER)))).not.toContain('CVE-2026-2270');
  });

  it('the last editor cannot approve; two other members can; an edit voids the approvals and says so', async () => {
    await start();
    const id = await prepared(ADMIN);
    const hash = h.srp.services.approvals.currentTexts(id)?.hash as string;
    const approve = (userId: string, seen = hash) => press(id, userId, 'disclosure_approve', `${id}:${seen}`);

    expect(await approve(ADMIN)).toMatch(/You made the last change/);
    expect(await approve(B)).toMatch(/1 of 2 approvals/);
    expect(h.srp.services.approvals.approved(id)).toBeUndefined();
    expect(await approve(B)).toMatch(/approved these texts .* already/);
    expect(await approve(C)).toMatch(/2 of 2, they are approved and locked/);

    const approved = h.srp.services.approvals.approvedTexts(id);
    expect(approved?.hash).toBe(hash);
    expect(approved?.slackLine).toContain('CVE-2026-2270');
    expect(approved?.slackLine).not.toContain('<!channel>');
    const replies = thread(id).map((m) => JSON.stringify(m.blocks));
    expect(replies.filter((r) => r.includes('approved the disclosure texts'))).toHaveLength(2);
    expect(replies.at(-1)).toContain('2 of 2');
    // The timeline records who approved which hash.
    const events = h.srp.services.incidents.timeline(id).filter((e) => e.type === 'approved');
    expect(events.map((e) => e.actor).sort()).toEqual([B, C].sort());

    // The drafts now say approved, with no Approve button.
    const after = await drafts(id, B);
    expect(JSON.stringify(after.blocks)).toContain('*Approved*');
    expect(buttons(after.blocks).some((e) => e.action_id === 'disclosure_approve')).toBe(false);

    // An edit by anyone voids the approvals, and the card's thread says so.
    clock.advance(60_000);
    advisoryStore(h.srp.db).save(
      id,
      { ...record, detection: 'Audit logs show /logs/query requests.' },
      B,
      clock.now(),
    );
    await h.srp.runJobs();
    await settled(h);
    expect(h.srp.services.approvals.approved(id)).toBeUndefined();
    const voided = thread(id).at(-1);
    expect(JSON.stringify(voided?.blocks)).toContain('changed the advisory record (version 2)');
    expect(JSON.stringify(voided?.blocks)).toMatch(
      new RegExp(`approvals of the texts by (<@${B}>|<@${C}>), (<@${C}>|<@${B}>) no longer stand`),
    );

    // The old hash is refused; the new texts need two members other than B, the last editor now.
    expect(await approve(C)).toMatch(/changed since you read them/);
    const next = h.srp.services.approvals.currentTexts(id)?.hash as string;
    expect(next).not.toBe(hash);
    expect(await approve(B, next)).toMatch(/You made the last change/);
    expect(await approve(C, next)).toMatch(/1 of 2/);
    expect(await approve(ADMIN, next)).toMatch(/2 of 2/);
    expect(h.srp.services.approvals.approved(id)?.hash).toBe(next);
  });

  it('texts with missing fields cannot be approved, and say what they need', async () => {
    await start();
    const id = await prepared(ADMIN, { cveId: null });
    const answer = await drafts(id, B);
    expect(JSON.stringify(answer.blocks)).toContain('The Slack line (#announcements) needs: CVE');
    const hash = h.srp.services.approvals.currentTexts(id)?.hash as string;
    expect(await press(id, B, 'disclosure_approve', `${id}:${hash}`)).toMatch(
      /cannot be approved yet: .*needs: CVE/,
    );
  });

  it('"Sent" records a distributor notice once, and its button goes', async () => {
    await start();
    const id = await prepared();
    expect(await press(id, B, 'disclosure_notice_sent_advance', `${id}:advance`)).toMatch(
      /Recorded: the distributors' advance notice/,
    );
    expect(await press(id, C, 'disclosure_notice_sent_advance', `${id}:advance`)).toMatch(
      /recorded as sent already/,
    );
    const answer = await drafts(id);
    const ids = buttons(answer.blocks).map((e) => e.action_id);
    expect(ids).not.toContain('disclosure_notice_sent_advance');
    expect(ids).toContain('disclosure_notice_sent_release_day');
    expect(JSON.stringify(answer.blocks)).toContain(
      `Advance notice to distributors: sent, recorded by <@${B}>`,
    );
  });

  it('texts too long for one message are uploaded as one file into the security channel', async () => {
    await start();
    const long = Array.from(
      { length: 400 },
      (_, i) => `Line ${i}: ${'background and reproduction steps '.repeat(4)}`,
    ).join('\n');
    const id = await prepared(ADMIN, { additionalDetails: long });
    const answer = await drafts(id, B);
    expect(answer.text).toMatch(/Uploading the texts/);
    const upload = await h.fake.waitFor(() => h.fake.uploads[0]);
    expect(upload.channel).toBe(SECURITY);
    expect(upload.content).toContain('[Security Advisory] CVE-2026-2270');
    expect(upload.content).toContain('Line 399:');
    const followUp = await h.fake.waitFor(() =>
      h.fake.responses().find((r) => JSON.stringify(r.body).includes('read and copy them in the file')),
    );
    expect(JSON.stringify(followUp.body)).toContain('disclosure_approve');
  });
});
