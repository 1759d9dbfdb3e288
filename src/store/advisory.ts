import { and, desc, eq, isNull } from 'drizzle-orm';
import { type AdvisoryRecord, advisoryRecord } from '../domain/disclosure/advisory.js';
import { type Db, transact } from './db.js';
import { advisoryApprovals, advisoryVersions, disclosures, distributorNotices } from './schema.js';
import { timelineWriter } from './timeline.js';

export interface AdvisoryVersion {
  incidentId: string;
  version: number;
  record: AdvisoryRecord;
  editedBy: string;
  editedAt: Date;
}

export type ApprovalRow = typeof advisoryApprovals.$inferSelect;
export type DisclosureRow = typeof disclosures.$inferSelect;
export type DistributorNoticeRow = typeof distributorNotices.$inferSelect;
export type DistributorNotice = DistributorNoticeRow['notice'];

function toVersion(row: typeof advisoryVersions.$inferSelect): AdvisoryVersion {
  // Parsed through the schema so a record saved by an older srp reads with today's defaults.
  return { ...row, record: advisoryRecord.parse(JSON.parse(row.record)) };
}

/**
 * The advisory record's versions, the approvals of its texts, the disclosure's state and the distributor
 * notices: the only SQL of the disclosure. Every change writes its timeline event in its transaction.
 */
export function advisoryStore(db: Db) {
  const timeline = timelineWriter(db);

  const latest = (incidentId: string): AdvisoryVersion | undefined => {
    const row = db
      .select()
      .from(advisoryVersions)
      .where(eq(advisoryVersions.incidentId, incidentId))
      .orderBy(desc(advisoryVersions.version))
      .limit(1)
      .get();
    return row ? toVersion(row) : undefined;
  };

  const standing = (incidentId: string): ApprovalRow[] =>
    db
      .select()
      .from(advisoryApprovals)
      .where(and(eq(advisoryApprovals.incidentId, incidentId), isNull(advisoryApprovals.voidedAt)))
      .all();

  return {
    latest,

    version(incidentId: string, version: number): AdvisoryVersion | undefined {
      const row = db
        .select()
        .from(advisoryVersions)
        .where(and(eq(advisoryVersions.incidentId, incidentId), eq(advisoryVersions.version, version)))
        .get();
      return row ? toVersion(row) : undefined;
    },

    /**
     * Saves the record as the next version, voiding every approval still standing, with one timeline
     * event per changed field (old and new values). Returns the version and the approvals it voided.
     * `onSaved` runs inside the same transaction (e.g. to cancel a scheduled announcement).
     */
    save(
      incidentId: string,
      record: AdvisoryRecord,
      by: string,
      at: Date,
      onSaved?: (v: AdvisoryVersion, voided: ApprovalRow[]) => void,
    ): { version: AdvisoryVersion; voided: ApprovalRow[]; changed: string[] } {
      return transact(db, () => {
        const before = latest(incidentId);
        const version = (before?.version ?? 0) + 1;
        db.insert(advisoryVersions)
          .values({ incidentId, version, record: JSON.stringify(record), editedBy: by, editedAt: at })
          .run();
        const changed: string[] = [];
        for (const key of Object.keys(record) as Array<keyof AdvisoryRecord>) {
          const old = before?.record[key] ?? null;
          const now = record[key] ?? null;
          if (JSON.stringify(old) === JSON.stringify(now)) continue;
          changed.push(key);
          timeline.append({
            incidentId,
            at,
            actor: by,
            type: 'advisory_edited',
            field: key,
            oldValue: old,
            newValue: now,
          });
        }
        if (!before)
          timeline.append({ incidentId, at, actor: by, type: 'advisory_created', newValue: version });
        const voided = standing(incidentId);
        if (voided.length > 0) {
          db.update(advisoryApprovals)
            .set({ voidedAt: at })
            .where(and(eq(advisoryApprovals.incidentId, incidentId), isNull(advisoryApprovals.voidedAt)))
            .run();
          timeline.append({
            incidentId,
            at,
            actor: by,
            type: 'approvals_voided',
            oldValue: voided.map((a) => ({ by: a.approvedBy, hash: a.hash })),
            newValue: version,
          });
        }
        const saved: AdvisoryVersion = { incidentId, version, record, editedBy: by, editedAt: at };
        onSaved?.(saved, voided);
        return { version: saved, voided, changed };
      });
    },

    /** Approvals standing now (not voided by an edit). */
    standing,

    /** Records an approval of `hash` (the texts of `version`); false if this person already approved it. */
    approve(incidentId: string, version: number, hash: string, by: string, at: Date): boolean {
      return transact(db, () => {
        const inserted = db
          .insert(advisoryApprovals)
          .values({ incidentId, version, hash, approvedBy: by, approvedAt: at })
          .onConflictDoNothing()
          .run();
        if (inserted.changes === 0) return false;
        timeline.append({
          incidentId,
          at,
          actor: by,
          type: 'approved',
          field: 'texts',
          newValue: { version, hash },
        });
        return true;
      });
    },

    disclosure(incidentId: string): DisclosureRow | undefined {
      return db.select().from(disclosures).where(eq(disclosures.incidentId, incidentId)).get();
    },

    /** Creates or changes the disclosure row (call inside the change's transaction with its events). */
    putDisclosure(
      incidentId: string,
      patch: Partial<Omit<DisclosureRow, 'incidentId' | 'updatedAt'>>,
      at: Date,
    ) {
      return db
        .insert(disclosures)
        .values({ incidentId, state: 'unscheduled', ...patch, updatedAt: at })
        .onConflictDoUpdate({ target: disclosures.incidentId, set: { ...patch, updatedAt: at } })
        .returning()
        .get();
    },

    notices(incidentId: string): DistributorNoticeRow[] {
      return db.select().from(distributorNotices).where(eq(distributorNotices.incidentId, incidentId)).all();
    },

    /** Records a distributor notice as sent; false if it was already recorded (the first record stands). */
    noticeSent(
      incidentId: string,
      notice: DistributorNotice,
      by: string,
      via: 'by_hand' | 'smtp',
      at: Date,
    ): boolean {
      return transact(db, () => {
        const r = db
          .insert(distributorNotices)
          .values({ incidentId, notice, sentAt: at, sentBy: by, via })
          .onConflictDoNothing()
          .run();
        if (r.changes === 0) return false;
        timeline.append({
          incidentId,
          at,
          actor: by,
          type: 'distributor_notice_sent',
          field: notice,
          newValue: via,
        });
        return true;
      });
    },
  };
}
export type AdvisoryStore = ReturnType<typeof advisoryStore>;
