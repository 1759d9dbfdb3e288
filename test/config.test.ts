import { describe, expect, it } from 'vitest';
import { formatConfigProblems, parseConfig } from '../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret',
  SRP_SECURITY_CHANNEL: 'G0123456',
  SRP_ANNOUNCE_CHANNEL: 'C0999999',
  SRP_ADMINS: 'U0123456, W0222222',
};

describe('parseConfig', () => {
  it('reads a valid HTTP-mode environment with defaults', () => {
    const r = parseConfig(valid);
    expect(r).toEqual({
      ok: true,
      config: expect.objectContaining({
        port: 3000,
        databasePath: 'data/srp.db',
        admins: ['U0123456', 'W0222222'],
        slack: expect.objectContaining({ mode: 'http', apiUrl: undefined }),
      }),
    });
  });

  it('switches to Socket Mode when an app token is set, and then needs no signing secret', () => {
    const r = parseConfig({ ...valid, SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' });
    expect(r.ok && r.config.slack.mode).toBe('socket');
  });

  it('lists every problem of an empty environment in one go', () => {
    const r = parseConfig({});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    for (const key of [
      'SLACK_BOT_TOKEN',
      'SRP_SECURITY_CHANNEL',
      'SRP_ANNOUNCE_CHANNEL',
      'SRP_ADMINS',
      'SLACK_SIGNING_SECRET',
    ]) {
      expect(r.problems.some((p) => p.startsWith(key))).toBe(true);
    }
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, /SLACK_BOT_TOKEN must be a bot token/],
    [{ PORT: 'eighty' }, /PORT must be a port number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ SRP_SECURITY_CHANNEL: '#security' }, /SRP_SECURITY_CHANNEL must be a Slack channel id/],
    [{ SRP_ADMINS: 'alice,bob' }, /SRP_ADMINS must list Slack user ids/],
    [{ SLACK_API_URL: 'ftp://x' }, /SLACK_API_URL must be an http/],
    [{ SRP_ANNOUNCE_CHANNEL: 'G0123456' }, /must differ from SRP_SECURITY_CHANNEL/],
    [{ SLACK_APP_TOKEN: 'xoxb-nope' }, /SLACK_APP_TOKEN must be an app-level token/],
  ])('explains %j', (patch, message) => {
    const r = parseConfig({ ...valid, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(message);
  });

  it('formats problems as one message that points at .env.example', () => {
    const text = formatConfigProblems(['A is required', 'B is wrong']);
    expect(text).toBe(
      'srp cannot start: the configuration is not valid.\n  - A is required\n  - B is wrong\nSet these in the environment or in .env (see .env.example).',
    );
  });
});
