import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type Db, openDatabase } from '../../src/store/db.js';
import { memberStore } from '../../src/store/members.js';
import { tempDir } from '../support/tempDir.js';

const t = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('member store', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    tmp = tempDir();
    db = openDatabase(tmp.path('m.db'));
  });
  afterEach(() => {
    closeDatabase(db);
    tmp.cleanup();
  });

  it('adds a member once and records each roster change, replayable in order', () => {
    const m = memberStore(db);
    expect(m.addIfAbsent('U1', 'member', 'config:SRP_ADMINS', t('2026-01-01'), { company: 'Acme' })).toBe(
      true,
    );
    expect(m.addIfAbsent('U1', 'associate', 'someone', t('2026-01-02'))).toBe(false);
    expect(m.setMembership('U1', 'associate', 'U9', t('2026-02-01'))).toBe(true);
    expect(m.setMembership('U1', 'associate', 'U9', t('2026-02-02'))).toBe(false);
    expect(m.setCompany('U1', 'Globex', 'U9', t('2026-03-01'))).toBe(true);
    expect(m.remove('U1', 'U9', t('2026-04-01'))).toBe(true);
    expect(m.remove('U1', 'U9', t('2026-04-02'))).toBe(false);
    expect(m.get('U1')).toBeUndefined();
    expect(m.rosterChanges().map((c) => [c.type, c.userId, c.membership, c.company, c.actor])).toEqual([
      ['added', 'U1', 'member', 'Acme', 'config:SRP_ADMINS'],
      ['role_changed', 'U1', 'associate', null, 'U9'],
      ['company_changed', 'U1', null, 'Globex', 'U9'],
      ['removed', 'U1', null, null, 'U9'],
    ]);
  });

  it("keeps a time zone set by hand over Slack's", () => {
    const m = memberStore(db);
    m.addIfAbsent('U1', 'member', 'test', t('2026-01-01'));
    m.setTimeZone('U1', 'Europe/Berlin', false);
    expect(m.get('U1')?.tz).toBe('Europe/Berlin');
    m.setTimeZone('U1', 'Asia/Tokyo', true);
    m.setTimeZone('U1', 'Europe/Berlin', false);
    expect(m.get('U1')).toMatchObject({ tz: 'Asia/Tokyo', tzManual: true });
  });

  it('records and cancels leave', () => {
    const m = memberStore(db);
    const leave = m.addLeave({
      userId: 'U1',
      start: t('2026-12-01'),
      end: t('2027-01-15'),
      replacement: 'U2',
      createdBy: 'U1',
      createdAt: t('2026-11-01'),
    });
    expect(m.leaves()).toHaveLength(1);
    expect(m.cancelLeave(leave.id, t('2026-11-02'))).toBe(true);
    expect(m.cancelLeave(leave.id, t('2026-11-03'))).toBe(false);
    expect(m.leaves()).toEqual([]);
  });
});
