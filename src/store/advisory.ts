import { and, desc, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { type AdvisoryRecord, advisoryRecord } from '../domain/disclosure/advisory.js';
import { work } from '../domain/work.js';
import { type Db, lazy, transact } from './db.js';
import { dueWorkWriter } from './dueWork.js';
import {
  advisoryApprovals,
  advisoryVersions,
  disclosures,
  distributorNotices,
  incidents,
  OPEN_INCIDENT,
} from './schema.js';
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

/** An incident the leak watcher watches, with the terms it must not be named by. */
export interface WatchedIncident {
  incidentId: string;
  /** The incident's own CVE id, and the latest advisory record's (either may be null). */
  cveId: string | null;
  advisoryCveId: string | null;
  watchWords: string[];
}

function parseWords(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((w): w is string => typeof w === 'string') : [];
  } catch {
    return [];
  }
}

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
  const dueWork = dueWorkWriter(db);

  // Read on every card redraw and every replan: prepared once, as the other hot reads are.
  const latestVersion = lazy(() =>
    db
      .select()
      .from(advisoryVersions)
      .where(eq(advisoryVersions.incidentId, sql.placeholder('incidentId')))
      .orderBy(desc(advisoryVersions.version))
      .limit(1)
      .prepare(),
  );
  const disclosureOf = lazy(() =>
    db
      .select()
      .from(disclosures)
      .where(eq(disclosures.incidentId, sql.placeholder('incidentId')))
      .prepare(),
  );
  const latest = (incidentId: string): AdvisoryVersion | undefined => {
    const row = latestVersion().get({ incidentId });
    return row ? toVersion(row) : undefined;
  };

  const standing = (incidentId: string): ApprovalRow[] =>
    db
      .select()
      .from(advisoryApprovals)
      .where(and(eq(advisoryApprovals.incidentId, incidentId), isNull(advisoryApprovals.voidedAt)))
      .all();

  const watchList = lazy(() =>
    db
      .select({
        incidentId: incidents.id,
        cveId: incidents.cveId,
        watchWords: disclosures.watchWords,
        advisoryCveId: sql<unknown>`(select json_extract(${advisoryVersions.record}, '$.cveId') from ${advisoryVersions} where ${advisoryVersions.incidentId} = ${incidents.id} order by ${advisoryVersions.version} desc limit 1)`,
      })
      .from(incidents)
      .leftJoin(disclosures, eq(disclosures.incidentId, incidents.id))
      .where(
        and(
          OPEN_INCIDENT,
          isNull(incidents.publicAt),
          or(isNull(disclosures.state), ne(disclosures.state, 'published')),
        ),
      )
      .prepare(),
  );
  // Two seeks to an index's last entry (the events' rowid), and a pass over the disclosure rows (one per
  // incident that reached disclosure planning: small, and only read, never joined).
  const watchVersion = lazy(() =>
    db.$client.prepare(
      'select (select max(id) from incident_events) as lastEvent, (select max(updated_at) from disclosures) as lastDisclosure',
    ),
  );

  const watchWordsOf = (incidentId: string): string[] => {
    const row = db
      .select({ watchWords: disclosures.watchWords })
      .from(disclosures)
      .where(eq(disclosures.incidentId, incidentId))
      .get();
    return parseWords(row?.watchWords);
  };

  const putDisclosure = (
    incidentId: string,
    patch: Partial<Omit<DisclosureRow, 'incidentId' | 'updatedAt'>>,
    at: Date,
  ) =>
    db
      .insert(disclosures)
      .values({ incidentId, state: 'unscheduled', ...patch, updatedAt: at })
      .onConflictDoUpdate({ target: disclosures.incidentId, set: { ...patch, updatedAt: at } })
      .returning()
      .get();

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
          // The card's thread says so, whoever saved the record (the reply is due work of this change).
          dueWork.enqueue(
            work.approvalsVoided(incidentId, version, by, [...new Set(voided.map((a) => a.approvedBy))], at),
            at,
          );
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
        const approvals = standing(incidentId).filter((a) => a.hash === hash).length;
        dueWork.enqueue(work.approvalRecorded(incidentId, hash, by, approvals, at), at);
        return true;
      });
    },

    /** Every approval of the incident's texts, standing or voided, oldest first (the retrospective lists them). */
    approvals(incidentId: string): ApprovalRow[] {
      return db
        .select()
        .from(advisoryApprovals)
        .where(eq(advisoryApprovals.incidentId, incidentId))
        .orderBy(advisoryApprovals.approvedAt)
        .all();
    },

    disclosure(incidentId: string): DisclosureRow | undefined {
      return disclosureOf().get({ incidentId });
    },

    /** Creates or changes the disclosure row (call inside the change's transaction with its events). */
    putDisclosure,

    /**
     * Every incident the leak watcher watches: open, never marked public, and not published. One query
     * (the open incidents by their partial index, each one's disclosure by its key and its latest advisory
     * version by the versions' key), not one per incident.
     */
    watchList(): WatchedIncident[] {
      return watchList()
        .all()
        .map((r) => ({
          incidentId: r.incidentId,
          cveId: r.cveId,
          advisoryCveId: typeof r.advisoryCveId === 'string' ? r.advisoryCveId : null,
          watchWords: parseWords(r.watchWords),
        }));
    },

    /**
     * Changes when the watch list may have: every change to an incident (a new one, its CVE id, its phase,
     * public, published, its watch words, its advisory record) writes a timeline event, and every change to
     * a disclosure row moves its `updated_at`. Two lookups of an index's last entry, so the watcher can ask
     * it for every message and load the list only when it changed.
     */
    watchVersion(): string {
      const r = watchVersion().get() as { lastEvent: number | null; lastDisclosure: number | null };
      return `${r.lastEvent ?? 0}:${r.lastDisclosure ?? 0}`;
    },

    watchWords: watchWordsOf,

    /** Replaces the incident's watch words (an empty list clears them), with its timeline event. */
    setWatchWords(incidentId: string, words: readonly string[], by: string, at: Date): void {
      transact(db, () => {
        const before = watchWordsOf(incidentId);
        putDisclosure(incidentId, { watchWords: words.length ? JSON.stringify(words) : null }, at);
        timeline.append({
          incidentId,
          at,
          actor: by,
          type: 'watch_words',
          oldValue: before,
          newValue: [...words],
        });
      });
    },

    /**
     * Takes the disclosure back to `unscheduled` under a new generation, so work planned for the old one
     * (a scheduling, a publication) finds itself stale; call inside the change's transaction. A cancelled
     * schedule is a timeline event (`announcement_cancelled`, why). Nothing to do (no row, or published
     * already): undefined.
     */
    unschedule(
      incidentId: string,
      by: string,
      at: Date,
      why: string,
    ): { before: DisclosureRow; after: DisclosureRow } | undefined {
      return transact(db, () => {
        const before = db.select().from(disclosures).where(eq(disclosures.incidentId, incidentId)).get();
        if (!before || before.state === 'published') return undefined;
        const after = db
          .update(disclosures)
          .set({
            state: 'unscheduled',
            generation: before.generation + 1,
            scheduledMessageId: null,
            updatedAt: at,
          })
          .where(eq(disclosures.incidentId, incidentId))
          .returning()
          .get() as DisclosureRow;
        if (before.state === 'scheduled') {
          timeline.append({
            incidentId,
            at,
            actor: by,
            type: 'announcement_cancelled',
            oldValue: { targetAt: before.targetAt?.toISOString() ?? null, generation: before.generation },
            newValue: { generation: after.generation, why },
          });
        }
        return { before, after };
      });
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
