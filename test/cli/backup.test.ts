import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { offlineSlack } from '../../src/cli/command.js';
import { systemClock } from '../../src/clock.js';
import { resolveProfile } from '../../src/domain/profiles/index.js';
import { createLogger } from '../../src/logger.js';
import { closeDatabase, openDatabase } from '../../src/store/db.js';
import { wireServices } from '../../src/wiring.js';
import { tempDir } from '../support/tempDir.js';
import { OUTSIDER, seed, srp, srpHere } from './seed.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir('srp-backup-');
afterAll(() => tmp.cleanup());

/** `node bin/srp.js …` without blocking this process, so its own connection keeps writing meanwhile. */
function srpAsync(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/srp.js', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The restore steps as README.md gives them (its `restore` block), run by sh. */
function restoreAsTheReadmeSays(env: { BACKUP: string; DATABASE_URL: string }) {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.split('<!-- restore:start')[1]?.split('<!-- restore:end -->')[0] ?? '';
  const lines = block
    .split('\n')
    .filter((l) => /^(cp|rm|mv) /.test(l))
    .join('\n');
  expect(lines).toContain('cp "$BACKUP" "$DATABASE_URL"');
  const r = spawnSync('sh', ['-e', '-c', lines], { env: { PATH: process.env.PATH ?? '', ...env } });
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
}

const SPAWNS = 180_000;

describe('srp backup, and the README restore steps', () => {
  it(
    'backs up a live database while another connection writes; restored, every incident and its timeline is intact',
    async () => {
      const DB = tmp.path('live/srp.db');
      const BACKUP = tmp.path('srp-backup.db');
      const env = { DATABASE_URL: DB };
      seed(DB);

      // srp running: its own connection filing a report every few milliseconds.
      const db = openDatabase(DB);
      const w = wireServices({
        db,
        client: offlineSlack,
        clock: systemClock,
        log: createLogger('silent'),
        profile: resolveProfile('src', {}),
        securityChannel: 'GSECURITY1',
        announceChannel: 'C0ANNOUNCE',
        owner: 'live',
      });
      let filed = 0;
      const file = () => {
        const r = w.incidents.submit(
          {
            summary: `Report ${filed} filed during the backup`,
            description: 'details',
            components: 'kubelet',
            arrival: 'hackerone',
            arrivalRef: 'https://hackerone.com/reports/2345678',
            disclosure: 'private',
            reporterName: null,
            reporterContact: null,
            receivedAt: new Date(Date.now() - 60_000),
            cveId: null,
          },
          { userId: OUTSIDER, sourceKey: `view:LIVE${filed}` },
        );
        if (!r.ok) throw new Error(`invalid report: ${JSON.stringify(r.errors)}`);
        filed++;
      };
      for (let i = 0; i < 20; i++) file();
      const timelineOf = (id: string) =>
        w.store.incidents.timeline(id).map((e) => ({
          at: e.at.toISOString(),
          actor: e.actor,
          type: e.type,
          field: e.field,
          oldValue: e.oldValue ?? null,
          newValue: e.newValue ?? null,
        }));
      const before = new Map(w.store.incidents.listOpen().map((i) => [i.id, timelineOf(i.id)]));
      expect(before.size).toBe(23);

      const writer = setInterval(file, 5);
      const filedBefore = filed;
      let backup: Awaited<ReturnType<typeof srpAsync>>;
      try {
        backup = await srpAsync(['backup', BACKUP], env);
      } finally {
        clearInterval(writer);
      }
      expect(backup.stderr).toMatch(/srp backup: copied .* \(\d+ incidents, integrity ok\)/);
      expect(backup.code).toBe(0);
      expect(filed).toBeGreaterThan(filedBefore);
      // srp is stopped (its connection closed) before the restore, as the README says.
      const after = w.store.incidents.listOpen().length;
      closeDatabase(db);
      expect(after).toBe(23 + filed - 20);

      // The original breaks: its pages overwritten with garbage.
      writeFileSync(DB, Buffer.alloc(64 * 1024, 0x5a));
      if (existsSync(`${DB}-wal`)) writeFileSync(`${DB}-wal`, Buffer.alloc(4096, 0x33));
      const broken = await srpHere(['status'], env);
      expect(broken.code).toBe(1);

      restoreAsTheReadmeSays({ BACKUP, DATABASE_URL: DB });

      const status = srp(['status', '--json'], env);
      expect(status.code).toBe(0);
      const listed = (JSON.parse(status.stdout) as { incidents: Array<{ id: string }> }).incidents.map(
        (i) => i.id,
      );
      for (const id of before.keys()) expect(listed).toContain(id);
      for (const [id, timeline] of before) {
        const shown = await srpHere(['show', id, '--json'], env);
        expect(shown.code, id).toBe(0);
        expect((JSON.parse(shown.stdout) as { timeline: unknown }).timeline, id).toEqual(timeline);
      }
      // Every incident the copy holds is whole: a report filed during the backup is there with its events or not at all.
      for (const id of listed.filter((i) => !before.has(i))) {
        const shown = JSON.parse((await srpHere(['show', id, '--json'], env)).stdout) as {
          timeline: Array<{ type: string }>;
        };
        expect(shown.timeline.map((e) => e.type)).toContain('created');
      }
    },
    SPAWNS,
  );

  it(
    'refuses to replace an existing file without --force (exit 2), replaces it with --force',
    async () => {
      const DB = tmp.path('other/srp.db');
      seed(DB);
      const target = tmp.path('existing.db');
      writeFileSync(target, 'keep me');
      const refused = await srpHere(['backup', target], { DATABASE_URL: DB });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('give --force');
      expect(readFileSync(target, 'utf8')).toBe('keep me');

      const forced = await srpHere(['backup', target, '--force'], { DATABASE_URL: DB });
      expect(forced.code).toBe(0);
      const listed = await srpHere(['status', '--json'], { DATABASE_URL: target });
      expect((JSON.parse(listed.stdout) as { total: number }).total).toBe(3);

      expect((await srpHere(['backup'], { DATABASE_URL: DB })).code).toBe(2);
      const missing = await srpHere(['backup', tmp.path('x.db')], { DATABASE_URL: tmp.path('none.db') });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('there is no database at');
    },
    SPAWNS,
  );
});
