import { createHash } from 'node:crypto';
import type { AdvisoryRecord } from '../domain/disclosure/advisory.js';
import type { ApprovedAnnouncement } from '../outbox/guard.js';
import type { AdvisoryStore } from '../store/advisory.js';
import { escapeMrkdwn } from '../views/format.js';

/*
 * TEMPORARY (branch i10-publish): a minimal stand-in for the approvals another helper builds in
 * `services/approvals.ts` (`approvedTexts(incidentId)` → `{ hash, slackLine, texts }`, rendered from the
 * team's templates, with SRP_APPROVALS). It exists so the publishing path can be wired and tested before
 * that lands. At the merge, wiring.ts passes `(id) => approvals.approvedTexts(id)` as
 * `approvedAnnouncement` instead and this file is deleted.
 */

/** A one-line Slack text from the record (escaped), as the SRC's template says it, roughly. */
export function interimSlackLine(incidentId: string, r: AdvisoryRecord): string {
  const e = escapeMrkdwn;
  const cve = r.cveId ?? incidentId;
  const see = r.trackingIssue ? ` See ${e(r.trackingIssue)}` : '';
  return `Security advisory ${e(cve)}: ${e(r.summary)}.${see}`;
}

export const interimHash = (slackLine: string) => createHash('sha256').update(slackLine).digest('hex');

/**
 * The incident's approved announcement: the latest record's line, if an approval of its hash stands for
 * that version.
 */
export function interimApprovedAnnouncement(
  advisory: Pick<AdvisoryStore, 'latest' | 'standing'>,
): (incidentId: string) => ApprovedAnnouncement | undefined {
  return (incidentId) => {
    const latest = advisory.latest(incidentId);
    if (!latest) return undefined;
    const slackLine = interimSlackLine(incidentId, latest.record);
    const hash = interimHash(slackLine);
    const approved = advisory
      .standing(incidentId)
      .some((a) => a.version === latest.version && a.hash === hash);
    return approved ? { hash, slackLine } : undefined;
  };
}
