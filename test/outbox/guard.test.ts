import { describe, expect, it } from 'vitest';
import { mayPost } from '../../src/outbox/guard.js';

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
});
