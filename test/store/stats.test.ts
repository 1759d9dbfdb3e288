import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/domain/report.js';
import { advisoryStore } from '../../src/store/advisory.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/db.js';
import { incidentStore } from '../../src/store/incidents.js';
import { statsStore } from '../../src/store/stats.js';
import { explain, recordPrepared } from '../support/statements.js';
import { tempDir } from '../support/tempDir.js';

const DAY = 86_400_000;
const report = (receivedAt: string): Report => ({
  summary: 'Token leak in audit logs',
  description: 'Bearer tokens are written to the audit log.',
  components: 'kube-apiserver v1.31',
  arrival: 'security_email',
  arrivalRef: null,
  disclosure: 'private',
  reporterName: null,
  reporterContact: 'r@example.org',
  receivedAt: new Date(receivedAt),
  cveId: null,
});

let tmp: ReturnType<typeof tempDir>;
let db: Db;

describe('the facts srp stats reads', () => {
  beforeEach(() => {
    tmp = tempDir();
    db = openDatabase(tmp.path('srp.db'));
  });
  afterEach(() => {
    closeDatabase(db);
    tmp.cleanup();
  });

  it('are those of the incidents received in the period, one query per table, each a seek on the received index', () => {
    const incidents = incidentStore(db);
    const advisory = advisoryStore(db);
    const at = new Date('2026-06-01T00:00:00Z');
    const ids = ['2025-12-31T23:00:00Z', '2026-01-01T00:00:00Z', '2026-05-31T00:00:00Z'].map(
      (r, n) => incidents.create(report(r), { reportedBy: 'U1', sourceKey: `s${n}`, at }).incident.id,
    );
    for (const id of ids) {
      advisory.putDisclosure(id, { state: 'published', publishedAt: at }, at);
      advisory.noticeSent(id, 'advance', 'U1', 'by_hand', new Date(at.getTime() - 7 * DAY));
    }

    // Every statement the store prepares, to read its plan.
    const prepared = recordPrepared(db);

    const facts = statsStore(db).period(new Date('2026-01-01T00:00:00Z'), new Date('2026-05-31T00:00:00Z'));
    // The first incident was received before the period, the third at its (exclusive) end.
    expect(facts.incidents.map((i) => i.id)).toEqual([ids[1]]);
    expect(facts.disclosures).toEqual([{ incidentId: ids[1], state: 'published', publishedAt: at }]);
    expect(facts.notices).toHaveLength(1);
    // The `created` event is not one stats read.
    expect(facts.events).toEqual([]);

    const reads = prepared.filter((s) => s.startsWith('select'));
    expect(reads).toHaveLength(6);
    for (const source of reads) {
      const plan = explain<{ detail: string }>(db, source, 'explain query plan').map((r) => r.detail);
      expect(
        plan.some((d) => d.includes('incidents_received')),
        `${source}\n${plan.join('\n')}`,
      ).toBe(true);
      // No table read whole: every other table is reached by its incident key.
      expect(
        plan.filter((d) => d.startsWith('SCAN')),
        `${source}\n${plan.join('\n')}`,
      ).toEqual([]);
    }
  });
});
