import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/store/db.js';
import { tempDir } from '../support/tempDir.js';

// `npx srp stats` as a person or a script runs it: `node bin/srp.js stats …` from the repository root, with
// nothing in the environment but DATABASE_URL (no Slack token). The figures themselves are compared with
// `/srp stats` in test/integration/stats.test.ts.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function srp(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/srp.js', 'stats', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const empty = tmp.path('empty.db');
closeDatabase(openDatabase(empty));

describe('srp stats', () => {
  it('prints the figures of an empty database as text, and as one JSON object with --json', () => {
    const text = srp(['--since', '2026-01-01'], { DATABASE_URL: empty });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^0 incidents received from 2026-01-01 to \d{4}-\d{2}-\d{2} \(UTC\)\n/);
    expect(text.stdout).toContain('Deadlines met, per phase');
    const json = srp(['--json'], { DATABASE_URL: `file:${empty}` });
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      incidents: 0,
      durations: { reportToTriage: { count: 0, median: '–' } },
      deadlines: { all: { met: 0, missed: 0, share: '–' } },
    });
  }, 60_000);

  it('prints its usage on stdout and exits 0 for --help', () => {
    const r = srp(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: srp stats [--since YYYY-MM-DD] [--json]');
  });

  it('exits 2 with the problem and the usage on a bad date or an unknown option', () => {
    for (const [args, problem] of [
      [['--since', '2026-13-01'], '"2026-13-01" is not a date. Dates are YYYY-MM-DD'],
      [['--since'], '--since needs a date'],
      [['--frobnicate'], 'Unknown option "--frobnicate"'],
    ] as const) {
      const r = srp([...args], { DATABASE_URL: empty });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(problem);
      expect(r.stderr).toContain('Usage: srp stats');
    }
  }, 60_000);

  it('exits 2 when the environment names no process', () => {
    const r = srp([], { DATABASE_URL: empty, SRP_PROCESS: 'nonsense' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SRP_PROCESS names no process');
  });

  it('exits 1 when there is no database, or the file is not one', () => {
    const missing = srp([], { DATABASE_URL: tmp.path('nowhere.db') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no database at');
    const garbage = tmp.path('garbage.db');
    writeFileSync(garbage, 'this is not a database, just some text long enough to be read as a header');
    const broken = srp([], { DATABASE_URL: garbage });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`cannot read the database at ${garbage}`);
    expect(broken.stdout).toBe('');
  }, 60_000);
});
