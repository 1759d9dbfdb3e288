import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { formatConfigProblems, parseCliConfig, parseConfig } from '../src/config.js';
import { tempDir } from './support/tempDir.js';

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

describe('SRP_PROCESS_FILE', () => {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });
  /** A process file on disk, as srp reads it at start-up. */
  function processFile(text: string): string {
    const dir = tempDir();
    dirs.push(dir);
    const path = dir.path('process.yml');
    writeFileSync(path, text);
    return path;
  }

  it('adjusts the process it extends: a step is due when the team says', () => {
    const path = processFile('extends: pst2018\ndeadlines:\n  cvss_scored: 3d\n');
    const r = parseConfig({ ...valid, SRP_PROCESS_FILE: path });
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config.process).toBe('pst2018');
    expect(r.config.processFile?.path).toBe(path);
    const step = r.config.processFile?.profile.phases.steps.find((s) => s.id === 'cvss_scored');
    expect(step).toMatchObject({ due: { from: 'disclosure', days: 3 }, adjusted: `changed by ${path}` });
  });

  it('without it, the process is the named one and unadjusted', () => {
    const r = parseConfig({ ...valid, SRP_PROCESS: 'pst2018' }, { readFile: () => expect.unreachable() });
    expect(r.ok && r.config).toMatchObject({ process: 'pst2018', processFile: undefined });
  });

  it('agrees with SRP_PROCESS when both name the same process', () => {
    const r = parseConfig(
      { ...valid, SRP_PROCESS: 'src', SRP_PROCESS_FILE: 'process.yml' },
      { readFile: () => 'extends: src\n' },
    );
    expect(r.ok && r.config.process).toBe('src');
  });

  it('a broken file: not ok, and the one message lists each of its problems beside the environment’s', () => {
    const path = processFile('extends: src\ndeadline:\n  cvss_scored: 7 days\nstaleness: { High: soon }\n');
    const r = parseConfig({ ...valid, SRP_ADMINS: 'alice', SRP_PROCESS_FILE: path });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      'SRP_ADMINS must list Slack user ids such as U012ABCDEF',
      `${path}: staleness.High: "soon" is not a duration; write it like 7d, 36h or P7D, or none for no limit`,
      `${path}: unknown key "deadline" at the top level; did you mean "deadlines"? (allowed: extends, deadlines, nudges, staleness)`,
    ]);
    const message = formatConfigProblems(r.problems);
    expect(message.match(/srp cannot start/g)).toHaveLength(1);
    for (const p of r.problems) expect(message).toContain(`  - ${p}`);
  });

  it.each([
    [
      'a file that is not there',
      { SRP_PROCESS_FILE: '/nonexistent/process.yml' },
      undefined,
      'SRP_PROCESS_FILE cannot be read: /nonexistent/process.yml: there is no such file',
    ],
    [
      'a file with no extends',
      { SRP_PROCESS_FILE: 'process.yml' },
      'deadlines: { cvss_scored: 3d }\n',
      'process.yml: extends is missing: start the file with "extends: src" or "extends: pst2018"',
    ],
    [
      'SRP_PROCESS naming another process',
      { SRP_PROCESS: 'src', SRP_PROCESS_FILE: 'process.yml' },
      'extends: pst2018\n',
      'SRP_PROCESS=src but process.yml extends pst2018: remove one',
    ],
    [
      'SRP_PROCESS_PROFILE naming another process',
      { SRP_PROCESS_PROFILE: 'pst2018', SRP_PROCESS_FILE: 'process.yml' },
      'extends: src\n',
      'SRP_PROCESS_PROFILE=pst2018 but process.yml extends src: remove one',
    ],
  ])('%s', (_name, patch, text, message) => {
    const readFile =
      text === undefined
        ? undefined
        : (path: string) => {
            expect(path).toBe('process.yml');
            return text;
          };
    const r = parseConfig({ ...valid, ...patch }, { readFile });
    expect(r).toEqual({ ok: false, problems: [message] });
  });
});

describe('the exports settings', () => {
  const ORG = 'a6081bf6-c852-4425-ad4f-a67919267565';

  it('reads the CVE assigner and the OSV ecosystem; without them, no assigner and Kubernetes', () => {
    const set = parseConfig({
      ...valid,
      SRP_CVE_ASSIGNER: 'kubernetes',
      SRP_CVE_ASSIGNER_ORG_ID: ORG.toUpperCase(),
      SRP_OSV_ECOSYSTEM: 'Go',
      SRP_OSV_ID_PREFIX: 'KUBE',
    });
    expect(set.ok && set.config.exports).toEqual({
      assigner: { shortName: 'kubernetes', orgId: ORG },
      osv: { ecosystem: 'Go', idPrefix: 'KUBE' },
    });
    const unset = parseConfig(valid);
    expect(unset.ok && unset.config.exports).toEqual({
      assigner: null,
      osv: { ecosystem: 'Kubernetes', idPrefix: null },
    });
  });

  it('lists every problem of the four at once', () => {
    const r = parseConfig({
      ...valid,
      SRP_CVE_ASSIGNER: 'kubernetes',
      SRP_OSV_ECOSYSTEM: 'kubernetes',
      SRP_OSV_ID_PREFIX: 'NOPE',
    });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SRP_OSV_ECOSYSTEM must be an OSV ecosystem/),
        expect.stringMatching(/^SRP_OSV_ID_PREFIX must be a home-database prefix/),
        expect.stringMatching(/^SRP_CVE_ASSIGNER and SRP_CVE_ASSIGNER_ORG_ID go together/),
      ]),
    );
    const badUuid = parseConfig({ ...valid, SRP_CVE_ASSIGNER: 'k8s', SRP_CVE_ASSIGNER_ORG_ID: 'not-a-uuid' });
    expect(badUuid.ok ? [] : badUuid.problems).toEqual([
      expect.stringMatching(/^SRP_CVE_ASSIGNER_ORG_ID must be the CNA's organisation UUID/),
    ]);
  });

  it('the command line needs no Slack variable, only the database and what it exports', () => {
    const r = parseCliConfig({ DATABASE_URL: 'file:/tmp/x.db', SRP_PROJECT_NAME: 'Example' });
    expect(r.ok && r.config).toMatchObject({
      databasePath: '/tmp/x.db',
      process: 'src',
      project: { name: 'Example', repo: 'kubernetes/kubernetes' },
      exports: { assigner: null },
    });
    const bad = parseCliConfig({
      SRP_GITHUB_REPO: 'nope',
      SRP_CVE_ASSIGNER_ORG_ID: ORG,
      SLACK_BOT_TOKEN: 'x',
    });
    expect(bad.ok ? [] : bad.problems).toEqual([
      expect.stringMatching(/^SRP_GITHUB_REPO must be a GitHub repository/),
      expect.stringMatching(/go together/),
    ]);
  });
});
