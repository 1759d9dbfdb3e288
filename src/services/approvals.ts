import type { Clock } from '../clock.js';
import type { TemplateSet } from '../domain/disclosure/templates.js';
import {
  missingSentence,
  type ProjectInfo,
  type RenderedText,
  renderTexts,
  textsHash,
} from '../domain/disclosure/texts.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { type ApprovalNotice, afterEventKeys, NotYet, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type {
  AdvisoryStore,
  AdvisoryVersion,
  DistributorNotice,
  DistributorNoticeRow,
} from '../store/advisory.js';
import type { DueWorkRow } from '../store/dueWork.js';
import type { SeverityStore } from '../store/severity.js';
import { approvalNoticeReply } from '../views/drafts.js';
import { type Done, done, refused } from './result.js';
import type { ScheduleService } from './schedule.js';

/** The target time's own fields: set by scheduling, under its own rules, so not part of what is approved. */
const TARGET_LABEL = 'target time';
/** How long a reply waits for the card it goes under to be posted. */
const CARD_WAIT_MS = 30_000;

/** The incident's texts as they stand: the record's version they come from and the hash an approval is of. */
export interface CurrentTexts {
  version: AdvisoryVersion;
  /** Rendered with the target time, if one is chosen: what is shown and sent. */
  texts: RenderedText[];
  /** sha256 of the texts rendered without the target time (textsHash): what an approval locks. */
  hash: string;
  /** What keeps the texts from being approved: every missing field but the target time, per text. */
  blocking: string[];
}

export interface ApprovalState {
  needed: number;
  /** Members whose approval of the current hash stands. */
  approvers: string[];
  lastEditor: string;
  approved: boolean;
}

/**
 * The process's LGTM on the disclosure texts. An approval is of a hash of the exact texts the approver
 * saw (the hash rides in the Approve button), by a member other than whoever last edited the advisory
 * record; the texts are approved once SRP_APPROVALS such members approved the current hash. An edit of the
 * record voids every standing approval (store/advisory.ts, in the edit's transaction) and the card's
 * thread says so; each approval is said there too.
 *
 * The target time is not part of the hash: it is chosen by scheduling (with its own rules and reasons on
 * the timeline), so texts approved and then scheduled, or rescheduled, stay approved; the distributors'
 * email and the 2018 forthcoming-fix email show the date once it is set.
 */
export function approvalService(deps: {
  advisory: AdvisoryStore;
  severity: SeverityStore;
  schedule: Pick<ScheduleService, 'situation'>;
  members: { isMember(userId: string): boolean };
  phases: { markDone(actor: string, id: string, stepId: string): Done };
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
  project: ProjectInfo;
  templates: TemplateSet;
  /** SRP_APPROVALS. */
  needed: number;
  securityChannel: string;
}) {
  const { advisory, clock } = deps;

  function render(incidentId: string, v: AdvisoryVersion, targetAt: Date | null): RenderedText[] {
    return renderTexts(deps.templates, {
      incidentId,
      profileId: deps.profile.id,
      record: v.record,
      severity: deps.severity.get(incidentId),
      targetAt,
      project: deps.project,
    });
  }

  function currentTexts(incidentId: string): CurrentTexts | undefined {
    const version = advisory.latest(incidentId);
    if (!version) return undefined;
    const targetAt = advisory.disclosure(incidentId)?.targetAt ?? null;
    const texts = render(incidentId, version, targetAt);
    const locked = targetAt ? render(incidentId, version, null) : texts;
    const blocking = texts.flatMap((t) => {
      const rest = { ...t, missing: t.missing.filter((m) => m !== TARGET_LABEL) };
      return missingSentence(rest) ?? [];
    });
    return { version, texts, hash: textsHash(locked), blocking };
  }

  function state(incidentId: string, current = currentTexts(incidentId)): ApprovalState | undefined {
    if (!current) return undefined;
    const approvers = [
      ...new Set(
        advisory
          .standing(incidentId)
          .filter((a) => a.hash === current.hash && a.version === current.version.version)
          .map((a) => a.approvedBy)
          .filter((u) => u !== current.version.editedBy),
      ),
    ];
    return {
      needed: deps.needed,
      approvers,
      lastEditor: current.version.editedBy,
      approved: approvers.length >= deps.needed && current.blocking.length === 0,
    };
  }

  function approved(incidentId: string) {
    const current = currentTexts(incidentId);
    if (!current || !state(incidentId, current)?.approved) return undefined;
    return { hash: current.hash, version: current.version.version, texts: current.texts };
  }

  /** Which step a distributor notice settles under the incident's process, if any. */
  function noticeStep(notice: DistributorNotice): string | undefined {
    const ids = new Set(deps.profile.phases.steps.map((s) => s.id));
    const candidates =
      notice === 'advance' ? ['distributors_advance', 'distributors_optional'] : ['distributors_release_day'];
    return candidates.find((id) => ids.has(id));
  }

  return {
    currentTexts,
    state,
    approved,

    /** For the publish step: the approved texts, their hash and the Slack line, once approved. */
    approvedTexts(
      incidentId: string,
    ): { hash: string; slackLine: string; texts: RenderedText[] } | undefined {
      const a = approved(incidentId);
      const line = a?.texts.find((t) => t.id === 'slack-line');
      if (!a || !line) return undefined;
      return { hash: a.hash, slackLine: line.body, texts: a.texts };
    },

    targetAt(incidentId: string): Date | null {
      return advisory.disclosure(incidentId)?.targetAt ?? null;
    },

    notices(incidentId: string): DistributorNoticeRow[] {
      return advisory.notices(incidentId);
    },

    noticeStep,

    /** May `actor` read the drafts (embargoed text): a member, or the incident's commander or Fix Lead. */
    mayRead(actor: string, incidentId: string): boolean {
      if (deps.members.isMember(actor)) return true;
      const s = deps.schedule.situation(incidentId);
      return Boolean(s && (actor === s.holders.commander || actor === s.holders.fixLead));
    },

    /**
     * `actor` approves the texts whose hash they saw. Refused: someone not a member, the record's last
     * editor, texts changed since (another hash), texts with missing fields, a second approval.
     */
    approve(actor: string, incidentId: string, seenHash: string): Done {
      if (!deps.members.isMember(actor)) return refused('Only members of the committee approve the texts.');
      const current = currentTexts(incidentId);
      if (!current)
        return refused(`${incidentId} has no advisory record yet: \`/srp disclose ${incidentId}\`.`);
      if (current.version.editedBy === actor) {
        return refused(
          `You made the last change to ${incidentId}'s advisory record; another member approves its texts.`,
        );
      }
      if (current.hash !== seenHash) {
        return refused(
          `The texts of ${incidentId} changed since you read them; read them again with \`/srp drafts ${incidentId}\` before approving.`,
        );
      }
      if (current.blocking.length > 0) {
        return refused(`The texts cannot be approved yet: ${current.blocking.join('; ')}.`);
      }
      if (advisory.disclosure(incidentId)?.state === 'published') {
        return refused(`${incidentId} is published already.`);
      }
      const now = clock.now();
      const recorded = advisory.approve(incidentId, current.version.version, current.hash, actor, now);
      if (!recorded) return refused(`You approved these texts of ${incidentId} already.`);
      const s = state(incidentId, current) as ApprovalState;
      const keys = [
        ...afterEventKeys(incidentId, now),
        work.approvalRecorded(incidentId, current.hash, actor, 0, now).key,
      ];
      return done(
        s.approved
          ? `You approved the texts of ${incidentId}: ${s.approvers.length} of ${s.needed}, they are approved and locked.`
          : `You approved the texts of ${incidentId}: ${s.approvers.length} of ${s.needed} approvals.`,
        keys,
      );
    },

    /**
     * A member records a distributor notice as sent (by hand), which also marks the process's step for it
     * done (today's process: `distributors_advance`, `distributors_release_day`; 2018: the advance notice is
     * `distributors_optional`, and it has no release-day step).
     */
    noticeSent(actor: string, incidentId: string, notice: DistributorNotice): Done {
      if (!deps.members.isMember(actor))
        return refused('Only members of the committee record a notice as sent.');
      if (!advisory.latest(incidentId)) {
        return refused(`${incidentId} has no advisory record yet: \`/srp disclose ${incidentId}\`.`);
      }
      const name = notice === 'advance' ? 'advance notice' : 'release-day notice';
      const now = clock.now();
      if (!advisory.noticeSent(incidentId, notice, actor, 'by_hand', now)) {
        const first = advisory.notices(incidentId).find((n) => n.notice === notice);
        return refused(
          `The distributors' ${name} of ${incidentId} was recorded as sent already${first ? ` (by <@${first.sentBy}>, ${first.sentAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : ''}.`,
        );
      }
      const step = noticeStep(notice);
      const marked = step ? deps.phases.markDone(actor, incidentId, step) : undefined;
      const also = marked?.outcome.ok ? ` ${marked.outcome.message}` : '';
      return done(`Recorded: the distributors' ${name} of ${incidentId} was sent.${also}`, [
        ...afterEventKeys(incidentId, now),
        ...(marked?.due ?? []),
      ]);
    },

    /**
     * Every text in one file shared into the security channel, for texts too long for one message. The
     * file's permalink, or undefined if Slack gave none.
     */
    async uploadDrafts(incidentId: string, content: string): Promise<string | undefined> {
      return deps.outbox.upload({
        channel: deps.securityChannel,
        sensitivity: 'embargoed',
        filename: `${incidentId}-disclosure-texts.md`,
        title: `Disclosure texts of ${incidentId}`,
        content,
      });
    },

    /** An `approval-notice` row: the reply under the card (waits until the card is posted). */
    async deliverNotice(row: DueWorkRow): Promise<void> {
      const notice = JSON.parse(row.payload ?? '{}') as ApprovalNotice;
      const now = clock.now();
      const s = state(row.subject);
      const posted = await deps.outbox.reply(work.card(row.subject, now).key, {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => approvalNoticeReply(row.subject, notice, s),
      });
      if (!posted) throw new NotYet(new Date(now.getTime() + CARD_WAIT_MS));
    },
  };
}
export type ApprovalService = ReturnType<typeof approvalService>;
