import { afterEach, describe, expect, it } from 'vitest';
import { type AdvisoryRecord, advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import { schemaProblems } from '../../src/domain/exports/index.js';
import { advisoryStore } from '../../src/store/advisory.js';
import { severityStore } from '../../src/store/severity.js';
import { READY_SEVERITY } from '../support/advisory.js';
import {
  ADMIN,
  ELSEWHERE,
  fileReport,
  type Harness,
  OUTSIDER,
  SECURITY,
  settled,
  startHarness,
  TestClock,
} from './harness.js';

/**
 * `/srp export <id> <format>` as a member meets it: short records shown only to them, long ones shared as
 * a file in the security channel (asked there) or in their own DM with srp (asked in a DM); an embargoed
 * incident's exports refused in any other channel and to anyone not a member or its Fix Lead.
 */

const record: AdvisoryRecord = advisoryRecord.parse({
  summary: 'Node log query allows reading arbitrary files <!channel>',
  actor: 'an attacker with access to the kubelet API',
  doSomething: 'read any file on the node',
  affected: [{ component: 'kubelet', introduced: '1.30.0', fixed: '1.30.5', pr: '#127001' }],
  reporterCredit: 'Grace Hopper',
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/128006',
  cveId: 'CVE-2026-2270',
});

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h?.stop();
});

async function start(patch: Partial<AdvisoryRecord> = {}) {
  clock = new TestClock(new Date('2026-11-03T09:00:00Z'));
  h = await startHarness({
    clock,
    env: { SRP_CVE_ASSIGNER: 'kubernetes', SRP_CVE_ASSIGNER_ORG_ID: 'a6081bf6-c852-4425-ad4f-a67919267565' },
  });
  await h.srp.runJobs();
  const id = await fileReport(h);
  const now = clock.now();
  severityStore(h.srp.db).update(id, READY_SEVERITY, now, []);
  advisoryStore(h.srp.db).save(id, { ...record, ...patch }, ADMIN, now);
  await h.srp.runJobs();
  await settled(h);
  return id;
}

/** Every supported minor line affected: a CVE record too long for a message. */
const manyLines: Partial<AdvisoryRecord> = {
  affected: Array.from({ length: 8 }, (_, i) => ({
    component: 'kubelet',
    introduced: `1.${24 + i}.0`,
    fixed: `1.${24 + i}.9`,
    pr: `#12700${i}`,
  })),
};

const exportOf = async (text: string, userId = ADMIN, channelId?: string) => {
  const r = await h.driver.command(`export ${text}`, { userId, ...(channelId ? { channelId } : {}) });
  return r.json as { text: string; response_type?: string };
};

/** The JSON inside an upload's multipart body. */
const jsonOf = (content: string) =>
  JSON.parse(content.slice(content.indexOf('{'), content.lastIndexOf('}') + 1));

describe('/srp export', () => {
  it('a long record is shared as a file in the security channel when asked there; valid against the schema', async () => {
    const id = await start(manyLines);
    const answer = await exportOf(`${id} cve`, ADMIN, SECURITY);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe('Uploading CVE-2026-2270.cve.json to the security channel…');
    const upload = await h.fake.waitFor(() => h.fake.uploads[0]);
    expect(upload.channel).toBe(SECURITY);
    const cve = jsonOf(upload.content);
    expect(schemaProblems('cve', cve)).toEqual([]);
    expect(cve.cveMetadata.cveId).toBe('CVE-2026-2270');
    await h.fake.waitFor(() =>
      h.fake.responses().find((r) => JSON.stringify(r.body).includes('open the file')),
    );
  });

  it('asked in a DM, the file goes to the asker’s own DM with srp, never a channel', async () => {
    const id = await start(manyLines);
    const answer = await exportOf(`${id} cve`, ADMIN);
    expect(answer.text).toContain('to your DM with srp');
    const upload = await h.fake.waitFor(() => h.fake.uploads[0]);
    expect(upload.channel).toBe(h.fake.dmChannelId(ADMIN));
    expect(h.fake.uploads).toHaveLength(1);
  });

  it('a short record is shown only to the asker, escaped, in a code block', async () => {
    const id = await start();
    const answer = await exportOf(`${id} cve-map`, ADMIN, SECURITY);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^CVE-2026-2270\.cve-map\.yaml\n```\n---\n# release-1\.30\n/);
    expect(answer.text).toContain('&lt;!channel&gt;');
    expect(answer.text).not.toContain('<!channel>');
    expect(h.fake.uploads).toEqual([]);
  });

  it('an embargoed incident: refused in another channel and to an outsider; after publication, anywhere', async () => {
    const id = await start();
    const elsewhere = await exportOf(`${id} osv`, ADMIN, ELSEWHERE);
    expect(elsewhere.text).toContain('embargoed until it is published');
    const outsider = await exportOf(`${id} osv`, OUTSIDER);
    expect(outsider.text).not.toContain('CVE-2026-2270');
    expect(outsider.text).toContain('This is for members');
    expect(h.fake.uploads).toEqual([]);

    advisoryStore(h.srp.db).putDisclosure(
      id,
      { state: 'published', publishedAt: clock.now(), permalink: 'https://example.org/announce/1' },
      clock.now(),
    );
    const published = await exportOf(`${id} cve-map`, ADMIN, ELSEWHERE);
    expect(published.text).toContain('# release-1.30');
  });

  it('a wrong format or a missing one is answered with the usage', async () => {
    const id = await start();
    const wrong = await exportOf(`${id} pdf`, ADMIN, SECURITY);
    expect(wrong.text).toContain('`pdf` is not a format');
    expect(wrong.text).toContain('Usage: `/srp export <incident id> cve|osv|cve-map|advisory-md|retro-md`');
    const missing = await exportOf(`${id}`, ADMIN, SECURITY);
    expect(missing.text).toContain('Usage:');
    // The retrospective as Markdown, for a member in the security channel.
    const retro = await exportOf(`${id} retro-md`, ADMIN, SECURITY);
    expect(retro.text).toContain(`# Retrospective: ${id}`);
  });
});
