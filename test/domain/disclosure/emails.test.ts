import { describe, expect, it } from 'vitest';
import { dueEmails, type EmailPlanInput } from '../../../src/domain/disclosure/emails.js';

const now = new Date('2026-12-01T10:00:00Z');
const target = new Date('2026-12-10T16:00:00Z');
const base: EmailPlanInput = {
  incidentId: 'SRP-2026-001',
  hash: 'h1',
  targetAt: target,
  noticesSent: new Set(),
  noticesExpected: true,
  textIds: ['slack-line', 'announcement-email', 'announcement-email-oss', 'distributors-email'],
  now,
};

describe('dueEmails', () => {
  it('nothing before approval or without a target', () => {
    expect(dueEmails({ ...base, hash: undefined })).toEqual([]);
    expect(dueEmails({ ...base, targetAt: null })).toEqual([]);
  });

  it('the advance notice now, the release-day notice a day before, the announcements at the target', () => {
    const plan = dueEmails(base).map((e) => [e.key, e.dueAt.toISOString()]);
    expect(plan).toEqual([
      ['email:SRP-2026-001:advance:h1', now.toISOString()],
      [`email:SRP-2026-001:release_day:h1:${target.getTime()}`, '2026-12-09T16:00:00.000Z'],
      [`email:SRP-2026-001:announcement-email:h1:${target.getTime()}`, target.toISOString()],
      [`email:SRP-2026-001:announcement-email-oss:h1:${target.getTime()}`, target.toISOString()],
    ]);
  });

  it('a notice recorded as sent (by hand) is not sent again; no CVE, no notices', () => {
    const sent = dueEmails({ ...base, noticesSent: new Set(['advance', 'release_day']) });
    expect(sent.map((e) => e.textId)).toEqual(['announcement-email', 'announcement-email-oss']);
    expect(dueEmails({ ...base, noticesExpected: false }).some((e) => e.notice)).toBe(false);
  });

  it('a new target keeps the advance notice key (sent once) and makes the others new', () => {
    const a = dueEmails(base).map((e) => e.key);
    const b = dueEmails({ ...base, targetAt: new Date('2026-12-15T16:00:00Z') }).map((e) => e.key);
    expect(a[0]).toBe(b[0]);
    expect(a.slice(1).some((k) => b.includes(k))).toBe(false);
  });

  it('a new hash (an edit approved again) makes every email new', () => {
    const a = dueEmails(base).map((e) => e.key);
    const b = dueEmails({ ...base, hash: 'h2' }).map((e) => e.key);
    expect(a.some((k) => b.includes(k))).toBe(false);
  });
});
