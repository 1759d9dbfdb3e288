/**
 * Which emails of a disclosure are due when: pure, from the approved texts' hash, the target time and the
 * distributor notices already recorded. The due-work runner sends each (or, without SMTP, reminds the Fix
 * Lead to send it and press "Sent"); keys name the hash and, where the time matters, the target, so an
 * edit (a new hash) or a new target makes new work and the old rows find themselves outdated and stop.
 */

export type DistributorNoticeKind = 'advance' | 'release_day';

/** The texts that are emails, by what they are for. */
export const EMAIL_TEXTS = {
  distributors: 'distributors-email',
  announcement: ['announcement-email', 'announcement-email-oss'],
} as const;

export interface EmailPlanInput {
  incidentId: string;
  /** The approved texts' hash; undefined while not approved (nothing is sent). */
  hash: string | undefined;
  /** The announcement's target time while scheduled; null otherwise (nothing is sent). */
  targetAt: Date | null;
  /** Distributor notices already recorded as sent (by hand or by srp). */
  noticesSent: ReadonlySet<DistributorNoticeKind>;
  /** Whether the process expects the notices of this incident at all (a CVE, under today's process). */
  noticesExpected: boolean;
  /** Which email texts the deployment's templates render (the 2018 process has its own). */
  textIds: readonly string[];
  now: Date;
}

export interface PlannedEmail {
  key: string;
  textId: string;
  /** The distributor notice this email is, if it is one. */
  notice: DistributorNoticeKind | null;
  hash: string;
  /** The target the email belongs to (ms): a row planned for another target is outdated. */
  targetMs: number;
  dueAt: Date;
}

const DAY_MS = 86_400_000;
/** "at least 24 hours in advance of a pending release": sent a day before the target. */
export const RELEASE_DAY_NOTICE_MS = DAY_MS;

export function emailKey(
  e: Pick<PlannedEmail, 'textId' | 'notice' | 'hash' | 'targetMs'>,
  incidentId: string,
) {
  // The advance notice is sent once per approved text, whatever later rescheduling does; the others are
  // tied to the target they announce.
  return e.notice === 'advance'
    ? `email:${incidentId}:advance:${e.hash}`
    : `email:${incidentId}:${e.notice ?? e.textId}:${e.hash}:${e.targetMs}`;
}

export function dueEmails(i: EmailPlanInput): PlannedEmail[] {
  if (!i.hash || !i.targetAt) return [];
  const hash = i.hash;
  const targetMs = i.targetAt.getTime();
  const out: PlannedEmail[] = [];
  const add = (textId: string, notice: DistributorNoticeKind | null, dueAt: Date) => {
    if (!i.textIds.includes(textId)) return;
    const e = { textId, notice, hash, targetMs, dueAt };
    out.push({ ...e, key: emailKey(e, i.incidentId) });
  };
  if (i.noticesExpected && !i.noticesSent.has('advance')) add(EMAIL_TEXTS.distributors, 'advance', i.now);
  if (i.noticesExpected && !i.noticesSent.has('release_day')) {
    const at = new Date(Math.max(i.now.getTime(), targetMs - RELEASE_DAY_NOTICE_MS));
    add(EMAIL_TEXTS.distributors, 'release_day', at);
  }
  for (const textId of EMAIL_TEXTS.announcement) add(textId, null, i.targetAt);
  return out;
}
