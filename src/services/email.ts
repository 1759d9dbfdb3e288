import type { Clock } from '../clock.js';
import { type DistributorNoticeKind, dueEmails, EMAIL_TEXTS } from '../domain/disclosure/emails.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { afterEventKeys, type EmailPayload, Moot, NotYet, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../outbox/mail.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AdvisoryStore } from '../store/advisory.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { StepStore } from '../store/steps.js';
import { emailCheckReply, emailReminderReply } from '../views/emails.js';
import type { ApprovalService } from './approvals.js';
import { type Done, done, refused } from './result.js';

/** How long a reply waits for the card it goes under to be posted. */
const CARD_WAIT_MS = 30_000;

const splitAddresses = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The disclosure's emails: the distributors' notices when they are due and the announcement emails at the
 * target time, each the approved text, sent once (outbox/mail.ts records it before the send). Without SMTP
 * (no `mailer`), the Fix Lead is reminded under the card to send it and press "Sent". An email whose send
 * was cut short is never sent again on srp's own: the Fix Lead is asked whether it went out.
 */
export function emailService(deps: {
  advisory: AdvisoryStore;
  approvals: Pick<ApprovalService, 'approvedTexts' | 'noticeStep'>;
  steps: StepStore;
  dueWork: DueWorkStore;
  outbox: Outbox;
  mailer: Mailer | undefined;
  roles: { holders(incidentId: string): { fixLead: string | null } };
  members: { isMember(userId: string): boolean };
  profile: ProcessProfile;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
}) {
  const { advisory, clock } = deps;
  const cardKey = (incidentId: string) => work.card(incidentId, clock.now()).key;
  const fixLeadOf = (incidentId: string) => deps.roles.holders(incidentId).fixLead;

  /** Whether the process expects distributor notices for this incident (a CVE, under today's process). */
  function noticesExpected(cveId: string | null): boolean {
    return Boolean(cveId) && deps.approvals.noticeStep('advance') !== undefined;
  }

  return {
    /**
     * Plans the emails due for the incident's approved, scheduled texts (insert-if-absent: planning again
     * is harmless). Run with the incident's schedule, after every timeline event. Returns the keys due now.
     */
    plan(incidentId: string): string[] {
      const now = clock.now();
      // The disclosure row first: one indexed read, and only a scheduled announcement renders the texts.
      const disclosure = advisory.disclosure(incidentId);
      if (disclosure?.state !== 'scheduled' || !disclosure.targetAt) return [];
      const approved = deps.approvals.approvedTexts(incidentId);
      if (!approved) return [];
      const record = advisory.latest(incidentId)?.record;
      const planned = dueEmails({
        incidentId,
        hash: approved.hash,
        targetAt: disclosure.targetAt,
        noticesSent: new Set(advisory.notices(incidentId).map((n) => n.notice)),
        noticesExpected: noticesExpected(record?.cveId ?? null),
        textIds: approved.texts.map((t) => t.id),
        now,
      });
      deps.transact(() => {
        for (const e of planned) deps.dueWork.plan(work.email(e, incidentId), now);
      });
      return planned.filter((e) => e.dueAt <= now).map((e) => e.key);
    },

    async deliver(row: DueWorkRow): Promise<string[]> {
      const p = JSON.parse(row.payload ?? '{}') as EmailPayload;
      const incidentId = row.subject;
      const approved = deps.approvals.approvedTexts(incidentId);
      const disclosure = advisory.disclosure(incidentId);
      // An edit since (another hash), or another target (the advance notice alone outlives a reschedule).
      if (!approved || approved.hash !== p.hash) throw new Moot('the approved texts changed');
      if (!disclosure || disclosure.state === 'unscheduled')
        throw new Moot('the announcement is not scheduled');
      if (p.notice !== 'advance' && disclosure.targetAt?.getTime() !== p.targetMs) {
        throw new Moot('the target time changed');
      }
      if (p.notice && advisory.notices(incidentId).some((n) => n.notice === p.notice)) return [];
      const text = approved.texts.find((t) => t.id === p.textId);
      if (!text) throw new Moot(`no text ${p.textId}`);

      if (!deps.mailer) {
        const posted = await deps.outbox.reply(cardKey(incidentId), {
          key: row.key,
          kind: row.kind,
          sensitivity: 'embargoed',
          render: () => emailReminderReply(incidentId, text, p.notice, fixLeadOf(incidentId)),
        });
        if (!posted) throw new NotYet(new Date(clock.now().getTime() + CARD_WAIT_MS));
        return [];
      }
      const outcome = await deps.mailer.send({
        key: row.key,
        incidentId,
        textId: p.textId,
        to: splitAddresses(text.to),
        cc: splitAddresses(text.cc),
        subject: text.subject ?? text.title,
        body: text.body,
      });
      const now = clock.now();
      if (outcome === 'unknown') {
        const ask = work.emailCheck(incidentId, row.key, now);
        deps.dueWork.plan(ask, now);
        return [ask.key];
      }
      // A notice recorded is a timeline event: its card and schedule are redrawn right after.
      return p.notice ? recordNotice(incidentId, p.notice, now) : [];
    },

    /** Asks the Fix Lead under the card whether an email whose send was cut short went out. */
    async deliverCheck(row: DueWorkRow): Promise<void> {
      const { emailKey } = JSON.parse(row.payload ?? '{}') as { emailKey: string };
      const email = deps.mailer?.get(emailKey);
      if (email?.state !== 'unknown') return;
      const title = deps.approvals
        .approvedTexts(row.subject)
        ?.texts.find((t) => t.id === email.textId)?.title;
      const posted = await deps.outbox.reply(cardKey(row.subject), {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () =>
          emailCheckReply(
            row.subject,
            emailKey,
            title ?? email.textId,
            email.messageId,
            fixLeadOf(row.subject),
          ),
      });
      if (!posted) throw new NotYet(new Date(clock.now().getTime() + CARD_WAIT_MS));
    },

    /** The Fix Lead (or a member) checked: it went out, or it did not and srp sends it now. */
    settle(actor: string, emailKey: string, outcome: 'sent' | 'resend'): Done {
      const email = deps.mailer?.get(emailKey);
      if (!email) return refused('That email is not one srp knows.');
      const incidentId = email.incidentId;
      if (!deps.members.isMember(actor) && fixLeadOf(incidentId) !== actor) {
        return refused(
          `Only ${incidentId}'s Fix Lead or a member of the committee can say whether it went out.`,
        );
      }
      const mailer = deps.mailer as Mailer;
      if (outcome === 'sent') {
        if (!mailer.confirmSent(emailKey, actor)) return refused('That email was settled already.');
        const notice = emailNotice(emailKey);
        const due = notice ? recordNotice(incidentId, notice, clock.now()) : [];
        return done(`Recorded: the email went out (${email.messageId}); srp will not send it again.`, due);
      }
      if (!mailer.allowResend(emailKey, actor)) return refused('That email was settled already.');
      const now = clock.now();
      deps.dueWork.rearm({ ...rowItem(emailKey, incidentId), dueAt: now }, now);
      return done('srp sends it again now, once.', [emailKey]);
    },
  };

  function rowItem(key: string, incidentId: string) {
    const row = deps.dueWork.get(key);
    return {
      key,
      kind: 'email' as const,
      subject: incidentId,
      dueAt: clock.now(),
      payload: row?.payload ? JSON.parse(row.payload) : undefined,
    };
  }

  function emailNotice(emailKey: string): DistributorNoticeKind | null {
    const row = deps.dueWork.get(emailKey);
    return row?.payload ? ((JSON.parse(row.payload) as EmailPayload).notice ?? null) : null;
  }

  /** A notice srp sent: recorded (by srp, via SMTP) and its process step done, in one transaction. */
  function recordNotice(incidentId: string, notice: DistributorNoticeKind, at: Date): string[] {
    const stepId = deps.approvals.noticeStep(notice);
    const rule = stepId ? deps.profile.phases.steps.find((s) => s.id === stepId) : undefined;
    const recorded = deps.transact(() => {
      if (!advisory.noticeSent(incidentId, notice, 'srp', 'smtp', at)) return false;
      const open = rule && deps.steps.records(incidentId)[rule.id]?.outcome == null;
      if (rule && open) deps.steps.settle(incidentId, rule, 'done', 'srp', at, null);
      return true;
    });
    return recorded ? afterEventKeys(incidentId, at) : [];
  }
}
export type EmailService = ReturnType<typeof emailService>;
export { EMAIL_TEXTS };
