import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import type { Report } from '../../src/domain/report.js';
import { advisoryStore } from '../../src/store/advisory.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/db.js';
import { incidentStore } from '../../src/store/incidents.js';
import { tempDir } from '../support/tempDir.js';

const report: Report = {
  summary: 'Token leak in audit logs',
  description: 'Bearer tokens are written to the audit log.',
  components: 'kube-apiserver v1.31',
  arrival: 'security_email',
  arrivalRef: null,
  disclosure: 'private',
  reporterName: null,
  reporterContact: 'r@example.org',
  receivedAt: new Date('2026-11-22T10:00:00Z'),
  cveId: 'CVE-2026-1111',
};
const at = new Date('2026-11-23T12:00:00Z');

let tmp: ReturnType<typeof tempDir>;
let db: Db;

describe('the leak watcher’s watch list', () => {
  beforeEach(() => {
    tmp = tempDir();
    db = openDatabase(tmp.path('srp.db'));
  });
  afterEach(() => {
    closeDatabase(db);
    tmp.cleanup();
  });

  it('is every open, private, unpublished incident with its CVE ids and watch words, in one query; its version moves with each change', () => {
    const incidents = incidentStore(db);
    const advisory = advisoryStore(db);
    const ids = [1, 2, 3, 4].map(
      (n) => incidents.create(report, { reportedBy: 'U1', sourceKey: `v${n}`, at }).incident.id,
    );
    const [watched, published, closed, madePublic] = ids as [string, string, string, string];
    const v0 = advisory.watchVersion();

    advisory.save(watched, advisoryRecord.parse({ summary: 's', cveId: 'CVE-2026-1000' }), 'U1', at);
    advisory.save(watched, advisoryRecord.parse({ summary: 's', cveId: 'CVE-2026-2222' }), 'U1', at);
    const v1 = advisory.watchVersion();
    expect(v1).not.toBe(v0);
    advisory.setWatchWords(watched, ['zebra crossing'], 'U1', at);
    expect(advisory.watchWords(watched)).toEqual(['zebra crossing']);
    const v2 = advisory.watchVersion();
    expect(v2).not.toBe(v1);

    advisory.putDisclosure(published, { state: 'published' }, new Date(at.getTime() + 1));
    expect(advisory.watchVersion()).not.toBe(v2);
    incidents.setPhase(closed, 'triage', 'closed', {
      type: 'closed',
      actor: 'U1',
      at,
      reason: 'dup',
      resolution: 'duplicate',
    });
    incidents.markPublic(madePublic, { by: 'U1', at, where: 'a list', link: null });

    expect(advisory.watchList()).toEqual([
      {
        incidentId: watched,
        cveId: 'CVE-2026-1111',
        // The latest version's CVE id, not the first one's.
        advisoryCveId: 'CVE-2026-2222',
        watchWords: ['zebra crossing'],
      },
    ]);
    const version = advisory.watchVersion();
    expect(advisory.watchVersion()).toBe(version);

    advisory.setWatchWords(watched, [], 'U1', at);
    expect(advisory.watchList()[0]?.watchWords).toEqual([]);
    expect(advisory.watchVersion()).not.toBe(version);
  });
});
