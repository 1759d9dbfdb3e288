import { describe, expect, it } from 'vitest';
import { type AnnouncementCall, mayAnnounce, mayPost } from '../../src/outbox/guard.js';

const policy = { securityChannel: 'GSEC0001', announceChannel: 'CANN0001' };

describe('mayPost', () => {
  it('lets anything go to the private security channel', () => {
    expect(mayPost(policy, 'GSEC0001', 'embargoed')).toEqual({ ok: true });
  });
  it('refuses everything to the announcements channel before disclosure', () => {
    expect(mayPost(policy, 'CANN0001', 'embargoed').ok).toBe(false);
    expect(mayPost(policy, 'CANN0001', 'generic').ok).toBe(false);
  });
  it('lets only generic text go to a direct message', () => {
    expect(mayPost(policy, 'D0REPORTER', 'generic')).toEqual({ ok: true });
    expect(mayPost(policy, 'D0REPORTER', 'embargoed')).toMatchObject({
      ok: false,
      reason: /private security channel/,
    });
  });
  it('refuses any other channel', () => {
    expect(mayPost(policy, 'CRANDOM01', 'generic').ok).toBe(false);
    expect(mayPost(policy, 'GOTHER001', 'embargoed').ok).toBe(false);
  });
  it('lets requested content (what one person asked for) go to a DM or the security channel, nowhere else', () => {
    // Only Outbox.uploadToPerson sends it, to the asker's own DM with the app (test/outbox/outbox.test.ts).
    expect(mayPost(policy, 'D0ASKER01', 'requested')).toEqual({ ok: true });
    expect(mayPost(policy, 'GSEC0001', 'requested')).toEqual({ ok: true });
    expect(mayPost(policy, 'CANN0001', 'requested').ok).toBe(false);
    expect(mayPost(policy, 'CRANDOM01', 'requested').ok).toBe(false);
    expect(mayPost(policy, 'GOTHER001', 'requested').ok).toBe(false);
  });
});

describe('mayAnnounce: the announcements channel takes one kind of message', () => {
  const approved = { hash: 'h1', slackLine: 'Security advisory CVE-2026-1: a bug.' };
  const withApproval = {
    ...policy,
    approvedAnnouncement: (id: string) => (id === 'SRP-2026-001' ? approved : undefined),
  };
  const target = new Date('2026-12-02T16:00:00Z');
  const call = (over: Partial<AnnouncementCall> = {}): AnnouncementCall => ({
    method: 'chat.scheduleMessage',
    channel: 'CANN0001',
    incidentId: 'SRP-2026-001',
    hash: 'h1',
    text: approved.slackLine,
    targetAt: target,
    at: target,
    ...over,
  });

  it('lets the approved line with its hash be scheduled for its target, or posted at or after it', () => {
    expect(mayAnnounce(withApproval, call())).toEqual({ ok: true });
    expect(mayAnnounce(withApproval, call({ method: 'chat.postMessage' }))).toEqual({ ok: true });
    expect(
      mayAnnounce(
        withApproval,
        call({ method: 'chat.postMessage', at: new Date(target.getTime() + 3_600_000) }),
      ),
    ).toEqual({ ok: true });
  });

  it.each([
    ['another channel', { channel: 'GSEC0001' }, /announcements channel only/],
    ['an incident with no approval', { incidentId: 'SRP-2026-002' }, /no approved announcement/],
    ['another hash', { hash: 'h0' }, /hash is not the approved one/],
    [
      'another text',
      { text: `${approved.slackLine} <!channel>` },
      /not SRP-2026-001's approved announcement/,
    ],
    ['blocks beside the text', { extra: { blocks: [] } }, /nothing but the approved text/],
    [
      'a schedule before the target',
      { at: new Date(target.getTime() - 1000) },
      /before SRP-2026-001's target/,
    ],
    [
      'a post before the target',
      { method: 'chat.postMessage' as const, at: new Date(target.getTime() - 1) },
      /before SRP-2026-001's target/,
    ],
  ] as const)('refuses %s', (_what, over, reason) => {
    const verdict = mayAnnounce(withApproval, call(over));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it('refuses everything without an approvals source', () => {
    expect(mayAnnounce(policy, call()).ok).toBe(false);
  });

  it('still refuses every ordinary message to the announcements channel, whatever it is', () => {
    expect(mayPost(withApproval, 'CANN0001', 'generic')).toMatchObject({
      ok: false,
      reason: /approved announcement/,
    });
  });
});
