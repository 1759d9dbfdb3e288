import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tempDir.js';
import { type Harness, startHarness } from './harness.js';

const harnesses: Harness[] = [];
const dirs: Array<ReturnType<typeof tempDir>> = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('SRP_PROCESS_FILE in a running srp', () => {
  it('runs the team’s adjusted process, with the deployment’s company share still applied', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = dir.path('process.yml');
    writeFileSync(file, 'extends: pst2018\ndeadlines:\n  cvss_scored: 3d\nstaleness:\n  Low: 60d\n');
    const h = await startHarness({ env: { SRP_PROCESS_FILE: file, SRP_MAX_COMPANY_SHARE: '1/4' } });
    harnesses.push(h);
    const profile = h.srp.services.profile;
    expect(profile.id).toBe('pst2018');
    expect(profile.phases.steps.find((s) => s.id === 'cvss_scored')).toMatchObject({
      due: { from: 'disclosure', days: 3, opensDays: 1 },
      adjusted: `changed by ${file}`,
    });
    expect(profile.phases.staleness.limits.Low).toBe(60 * 24 * 3_600_000);
    expect(profile.committee.maxCompanyShare).toBe(1 / 4);
  });
});
