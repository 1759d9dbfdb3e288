import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/domain/report.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/db.js';
import { deliveryStore } from '../../src/store/deliveries.js';
import { incidentStore } from '../../src/store/incidents.js';
import { memberStore } from '../../src/store/members.js';
import { explain, recordPrepared } from '../support/statements.js';
import { tempDir } from '../support/tempDir.js';

const report: Report = {
  summary: 'Token leak in audit logs',
  description: 'Bearer tokens are written to the audit log at Metadata level.',
  components: 'kube-apiserver v1.31',
  arrival: 'security_email',
  arrivalRef: null,
  disclosure: 'private',
  reporterName: null,
  reporterContact: 'r@example.org',
  receivedAt: new Date('2026-11-22T10:00:00Z'),
  cveId: null,
};
const at = new Date('2026-11-23T12:00:00Z');

let tmp: ReturnType<typeof tempDir>;
let dbs: Db[] = [];
function open(): Db {
  const db = openDatabase(tmp.path('srp.db'));
  dbs.push(db);
  return db;
}

describe('incident store on a real SQLite file', () => {
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => {
    for (const db of dbs) closeDatabase(db);
    dbs = [];
    tmp.cleanup();
  });

  it('numbers incidents per year and records a created event', () => {
    const store = incidentStore(open());
    const a = store.create(report, { reportedBy: 'U1', sourceKey: 'view:V1', at });
    const b = store.create(report, { reportedBy: 'U1', sourceKey: 'view:V2', at });
    const c = store.create(report, {
      reportedBy: 'U1',
      sourceKey: 'view:V3',
      at: new Date('2027-01-01T00:00:00Z'),
    });
    expect([a.incident.id, b.incident.id, c.incident.id]).toEqual([
      'SRP-2026-001',
      'SRP-2026-002',
      'SRP-2027-001',
    ]);
    expect(store.timeline('SRP-2026-001')).toEqual([
      expect.objectContaining({
        type: 'created',
        actor: 'U1',
        newValue: { arrival: 'security_email', disclosure: 'private' },
      }),
    ]);
  });

  it('returns the first incident for a replayed source instead of creating a second', () => {
    const store = incidentStore(open());
    const first = store.create(report, { reportedBy: 'U1', sourceKey: 'view:V1', at });
    const again = store.create(
      { ...report, summary: 'other' },
      { reportedBy: 'U1', sourceKey: 'view:V1', at },
    );
    expect(again).toEqual({ incident: first.incident, created: false });
    expect(store.listOpen()).toHaveLength(1);
  });

  it('records one event per changed field with old and new values', () => {
    const store = incidentStore(open());
    store.create(report, { reportedBy: 'U1', sourceKey: 'view:V1', at });
    const later = new Date(at.getTime() + 60_000);
    const r = store.updateReport(
      'SRP-2026-001',
      { ...report, summary: 'Token leak', cveId: 'CVE-2026-1111' },
      'U2',
      later,
    );
    expect(r?.changed).toEqual(['summary', 'cveId']);
    expect(r?.incident.updatedAt).toEqual(later);
    const events = store.timeline('SRP-2026-001').filter((e) => e.type === 'field_changed');
    expect(events.map((e) => [e.field, e.oldValue, e.newValue, e.actor])).toEqual([
      ['summary', 'Token leak in audit logs', 'Token leak', 'U2'],
      ['cveId', null, 'CVE-2026-1111', 'U2'],
    ]);
    expect(
      store.updateReport(
        'SRP-2026-001',
        { ...report, summary: 'Token leak', cveId: 'CVE-2026-1111' },
        'U2',
        later,
      )?.changed,
    ).toEqual([]);
    expect(store.updateReport('SRP-2026-999', report, 'U2', later)).toBeUndefined();
  });

  it('keeps everything across a reopen, and applying migrations again is harmless', () => {
    const db = open();
    incidentStore(db).create(report, { reportedBy: 'U1', sourceKey: 'view:V1', at });
    memberStore(db).addIfAbsent('U1', 'member', 'test', at);
    closeDatabase(db);
    const reopened = open();
    expect(incidentStore(reopened).get('SRP-2026-001')?.summary).toBe(report.summary);
    expect(memberStore(reopened).get('U1')?.membership).toBe('member');
    const journal = reopened.$client.prepare('select count(*) as n from __drizzle_migrations').get() as {
      n: number;
    };
    expect(journal.n).toBeGreaterThan(0);
    const db3 = open();
    expect(
      (db3.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n,
    ).toBe(journal.n);
  });

  it('runs in WAL mode with foreign keys on', () => {
    const db = open();
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('counts the open incidents from their partial indexes alone, never reading the incidents themselves', () => {
    const db = open();
    const store = incidentStore(db);
    for (let n = 0; n < 3; n++) store.create(report, { reportedBy: 'U1', sourceKey: `view:V${n}`, at });
    // Every statement the store prepares from here on, to read its program.
    const prepared = recordPrepared(db);
    expect(store.quietCommanders(at, 20).total).toBe(3);
    expect(store.untriaged(20).total).toBe(3);
    expect(store.openPage({ limit: 20 }).total).toBe(3);
    const counts = prepared.filter((s) => s.startsWith('select count(*)') && s.includes("!= 'closed'"));
    // quietCommanders' and openPage's: with 'closed' bound as a parameter, SQLite could not tell that the
    // partial index already holds only open incidents, and read every incident's row to check its phase.
    expect(counts.length).toBeGreaterThanOrEqual(2);
    const table = db.$client
      .prepare("select rootpage from sqlite_master where name = 'incidents'")
      .pluck()
      .get();
    for (const source of counts) {
      const program = explain<{ opcode: string; p1: number; p2: number }>(db, source, 'explain');
      const cursor = program.find((op) => op.opcode === 'OpenRead' && op.p2 === table)?.p1;
      const rowReads = program.filter((op) => op.opcode === 'Column' && op.p1 === cursor);
      expect(rowReads, source).toEqual([]);
    }
  });
});

describe('delivery store', () => {
  it('claims a key once and reports an existing claim afterwards', () => {
    const t = tempDir();
    const db = openDatabase(t.path('d.db'));
    try {
      const d = deliveryStore(db);
      expect(d.claim('card:X', 'card', 'G1', at).fresh).toBe(true);
      expect(d.claim('card:X', 'card', 'G1', at)).toMatchObject({
        fresh: false,
        delivery: { state: 'pending' },
      });
      d.markSent('card:X', '1.0001', 'G1', at);
      expect(d.get('card:X')).toMatchObject({ state: 'sent', ts: '1.0001' });
      expect(
        db.$client.prepare("select count(*) from deliveries where state = 'pending'").pluck().get(),
      ).toBe(0);
    } finally {
      closeDatabase(db);
      t.cleanup();
    }
  });
});
