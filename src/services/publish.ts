import type { Clock } from '../clock.js';
import {
  checkTarget,
  type NoticeFact,
  type NoticeId,
  noticeFacts,
  proposeTarget,
  type Refusal,
  type TargetFacts,
  timeLine,
} from '../domain/disclosure/targetTime.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { afterEventKeys, NotYet, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import { errorCode } from '../outbox/errors.js';
import type { ApprovedAnnouncement } from '../outbox/guard.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AdvisoryStore, DisclosureRow } from '../store/advisory.js';
import type { AnnouncementRow, AnnouncementStore } from '../store/announcements.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { IncidentStore } from '../store/incidents.js';
import type { StepStore } from '../store/steps.js';
import { noticeWarningReply, publicDm, withdrawnReply } from '../views/announce.js';
import { type Done, done, refused as refusedDone } from './result.js';
import type { ScheduleService, Situation } from './schedule.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Slack can no longer delete a scheduled message due within this long (chat.deleteScheduledMessage). */
export const LAST_MINUTE_MS = MINUTE_MS;
/** Closer to its time than this, srp does not hand a message to Slack's schedule: it posts it itself then. */
const SCHEDULE_MIN_LEAD_MS = 2 * MINUTE_MS;
/** Slack schedules at most 120 days ahead; a later target is handed over when it comes within reach. */
const SCHEDULE_MAX_AHEAD_MS = 119 * DAY_MS;
/** How long after its time srp gives Slack's schedule to show the message before deciding it was lost. */
const DELIVERY_GRACE_MS = 2 * MINUTE_MS;
/** While Slack still lists the scheduled message after its time, srp looks again this often. */
const RECHECK_MS = 30_000;
/** A later generation waits this long for the withdrawal of the earlier ones before handing itself over. */
const WITHDRAWAL_WAIT_MS = 15_000;
const CARD_WAIT_MS = MINUTE_MS;
const MAX_REASON = 1000;

/** The outbox key of srp's own post of an incident's announcement: one per incident, ever. */
export const announcementKey = (incidentId: string) => `announce:${incidentId}`;

export type ScheduleDone = Done & { field?: 'target' | 'override' };

const refused = (message: string, field?: ScheduleDone['field']): ScheduleDone => ({
  ...refusedDone(message),
  ...(field ? { field } : {}),
});

/** What `/srp schedule` and its form show before anyone confirms: srp's proposal and why. */
export interface SchedulePlan {
  incidentId: string;
  proposal: Date;
  public: boolean;
  notices: readonly NoticeFact[];
  /** The rules' sentences, for the form. */
  slotQuote: string;
  disclosure: DisclosureRow | undefined;
  /** The actor may override (the Fix Lead). */
  canOverride: boolean;
}

/** Slack sends `&`, `<`, `>` back escaped: compare lines as Slack would show them. */
const sameLine = (a: string, b: string) => {
  const plain = (s: string) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  return plain(a) === plain(b);
};

/**
 * The announcement at its target time, exactly once. Scheduling (by the commander or the Fix Lead, of an
 * approved text, at a time the target rules allow) stores a new generation: the target, the approved line
 * and its hash, the release step's deadline moved to the target, and its due work: hand it to Slack's
 * schedule now, warn if a distributor notice's time passes unsent, and confirm it after the target.
 *
 * Exactly once rests on records made before each Slack call and on asking Slack before acting again: the
 * generation's `intent` is stored before chat.scheduleMessage, and after a crash the scheduled messages
 * are listed before it is tried again; after the target the channel's history is read, and while Slack still
 * lists the scheduled message srp waits; only a message neither posted nor held is posted by srp, through
 * the outbox, which records its intent first and reconciles a pending one against the history.
 */
export function publishService(deps: {
  incidents: IncidentStore;
  steps: StepStore;
  advisory: AdvisoryStore;
  announcements: AnnouncementStore;
  schedule: Pick<ScheduleService, 'situation'>;
  dueWork: DueWorkStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
  approvedAnnouncement: (incidentId: string) => ApprovedAnnouncement | undefined;
}) {
  const { clock, log, profile } = deps;
  const rules = profile.disclosure;
  const releaseStep = profile.phases.steps.find((s) => s.id === profile.phases.releaseStep);
  if (!releaseStep) throw new Error(`the release step ${profile.phases.releaseStep} is not in the profile`);
  const cardKey = (id: string) => work.card(id, clock.now()).key;

  /** When each notice was recorded as sent. */
  function sentNotices(incidentId: string): Partial<Record<NoticeId, Date>> {
    const out: Partial<Record<NoticeId, Date>> = {};
    for (const n of deps.advisory.notices(incidentId)) out[n.notice] = n.sentAt;
    return out;
  }

  function factsOf(s: Situation, now: Date): TargetFacts {
    return {
      now,
      public: s.incident.publicAt !== null,
      notices: noticeFacts(rules, s.schedule, sentNotices(s.incident.id)),
    };
  }

  /** The situation, if `actor` may schedule its announcement (its commander or Fix Lead). */
  function load(actor: string, id: string): Situation | ScheduleDone {
    const s = deps.schedule.situation(id);
    if (!s) return refused(`There is no incident ${id}.`);
    if (actor !== s.holders.commander && actor !== s.holders.fixLead) {
      return refused(`Only ${id}'s incident commander or Fix Lead can schedule its announcement.`);
    }
    if (s.incident.phase === 'closed') return refused(`${id} is closed; reopen it first.`);
    const d = deps.advisory.disclosure(id);
    if (d?.state === 'published') {
      return refused(`${id} was announced already${d.permalink ? `: ${d.permalink}` : ''}.`);
    }
    return s;
  }
  const isRefusal = (x: Situation | ScheduleDone): x is ScheduleDone => 'outcome' in x;

  /** Refused in the last minute before a scheduled target: Slack can no longer withdraw the message. */
  function lastMinute(d: DisclosureRow | undefined, now: Date): ScheduleDone | undefined {
    if (d?.state !== 'scheduled' || !d.targetAt) return undefined;
    if (now.getTime() < d.targetAt.getTime() - LAST_MINUTE_MS) return undefined;
    const passed = now >= d.targetAt;
    return refused(
      passed
        ? `${d.incidentId}'s announcement time (${timeLine(d.targetAt)}) has passed; srp is confirming it in the channel. It can no longer be moved or cancelled.`
        : `${d.incidentId}'s announcement goes out at ${timeLine(d.targetAt)}, within the minute: Slack can no longer withdraw a scheduled message that close to its time, so it can no longer be moved or cancelled.`,
    );
  }

  const refusalText = (r: Refusal) => `${r.message}${r.quote ? `\n> ${r.quote}` : ''}`;

  /** Every generation before `generation` still held by Slack (or not known), withdrawn; what the thread is told. */
  async function withdrawBefore(incidentId: string, generation: number): Promise<string[]> {
    const told: string[] = [];
    for (const r of deps.announcements.liveBefore(incidentId, generation)) {
      const now = clock.now();
      if (r.state === 'undeletable') continue;
      if (r.state === 'planned') {
        deps.announcements.move(incidentId, r.generation, ['planned'], 'deleted', now);
        continue;
      }
      // An intent: Slack may or may not have taken it (a crash, or a call under way elsewhere).
      let id = r.scheduledMessageId;
      if (r.state === 'intent') {
        const listed = (await deps.outbox.scheduledAnnouncements()).find((m) => matches(m, r));
        if (!listed) {
          // Not (yet) with Slack: the runner that holds the call withdraws it itself when it sees this.
          deps.announcements.move(incidentId, r.generation, ['intent'], 'deleted', now);
          continue;
        }
        id = listed.id;
      }
      if (!id) continue;
      const outcome = await deps.outbox.withdrawAnnouncement(id);
      if (outcome === 'deleted') {
        deps.announcements.move(
          incidentId,
          r.generation,
          ['intent', 'scheduled'],
          'deleted',
          clock.now(),
          id,
        );
        told.push(withdrawnReply.withdrawn(r.postAt));
        continue;
      }
      // Refused. Another runner may have withdrawn it a moment ago: then there is nothing to say.
      if (deps.announcements.get(incidentId, r.generation)?.state === 'deleted') continue;
      // Posted already, about to be, or gone.
      const ts = await deps.outbox.findAnnouncement({
        key: announcementKey(incidentId),
        text: r.text,
        from: r.postAt,
      });
      if (ts) {
        await publish(incidentId, r, ts);
        told.push(withdrawnReply.posted(r.postAt));
        continue;
      }
      const still = (await deps.outbox.scheduledAnnouncements()).some((m) => matches(m, r, id));
      if (!still && clock.now().getTime() < r.postAt.getTime() - LAST_MINUTE_MS) {
        deps.announcements.move(
          incidentId,
          r.generation,
          ['intent', 'scheduled'],
          'deleted',
          clock.now(),
          id,
        );
        continue;
      }
      // It goes out as it was (or went, unseen yet): its confirmation finds out and publishes it.
      const marked = deps.transact(() => {
        const ok = deps.announcements.move(
          incidentId,
          r.generation,
          ['intent', 'scheduled'],
          'undeletable',
          clock.now(),
          id,
        );
        if (ok) deps.dueWork.plan(work.announceConfirm(incidentId, r.generation, r.postAt), clock.now());
        return ok;
      });
      if (marked) told.push(withdrawnReply.undeletable(r.postAt));
    }
    return told;
  }

  /** Whether a message Slack lists is this generation's: by id, else by its line and time. */
  function matches(m: { id: string; text: string; postAt: number }, r: AnnouncementRow, id?: string | null) {
    if (id ?? r.scheduledMessageId) return m.id === (id ?? r.scheduledMessageId);
    return sameLine(m.text, r.text) && m.postAt === Math.ceil(r.postAt.getTime() / 1000);
  }

  /**
   * The announcement is out (`ts` in the announcements channel): the incident is published with its
   * permalink, the release date becomes the moment it appeared, and the reporter is told. Once.
   */
  async function publish(incidentId: string, r: AnnouncementRow, ts: string): Promise<string[]> {
    const permalink = await deps.outbox.announcementLink(ts);
    const now = clock.now();
    const at = new Date(Math.floor(Number(ts) * 1000));
    const incident = deps.incidents.get(incidentId);
    const reporter = incident?.arrival === 'slack' ? incident.reportedBy : undefined;
    const note = reporter
      ? work.note(`announce-public:${incidentId}`, reporter, publicDm(incidentId, permalink), now)
      : undefined;
    const first = deps.transact(() => {
      if (deps.advisory.disclosure(incidentId)?.state === 'published') return false;
      deps.advisory.putDisclosure(
        incidentId,
        { state: 'published', announceTs: ts, permalink, publishedAt: at, hash: r.hash },
        now,
      );
      deps.steps.released(incidentId, releaseStep?.id as string, at);
      deps.announcements.event({
        incidentId,
        at: now,
        actor: 'srp',
        type: 'published',
        field: 'announcement',
        newValue: { ts, permalink, generation: r.generation, at: at.getTime() },
      });
      if (note) deps.dueWork.enqueue(note, now);
      return true;
    });
    if (!first) return [];
    log.info({ incident: incidentId, generation: r.generation }, 'announcement published');
    return [...afterEventKeys(incidentId, now), ...(note ? [note.key] : [])];
  }

  return {
    /** srp's proposal for an incident's target time, with the facts behind it (for the command and the form). */
    plan(actor: string, id: string): SchedulePlan | ScheduleDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      const f = factsOf(s, clock.now());
      return {
        incidentId: id,
        proposal: proposeTarget(rules, f),
        public: f.public,
        notices: f.notices,
        slotQuote: rules.slot.quote,
        disclosure: deps.advisory.disclosure(id),
        canOverride: actor === s.holders.fixLead,
      };
    },

    /**
     * Schedules (or moves) the announcement: `at`, or srp's proposal when none is given. A time breaking a
     * rule is refused with the rule and its sentence, unless the incident is public or the Fix Lead
     * overrides it with a reason (recorded on the timeline).
     */
    schedule(actor: string, id: string, at?: Date, overrideReason?: string): ScheduleDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      const approved = deps.approvedAnnouncement(id);
      if (!approved) {
        return refused(
          `${id}'s announcement is not approved yet: prepare its texts (\`/srp disclose ${id}\`) and have them approved first.`,
        );
      }
      const now = clock.now();
      const before = deps.advisory.disclosure(id);
      const late = lastMinute(before, now);
      if (late) return { ...late, field: 'target' };
      const reason = overrideReason?.trim().slice(0, MAX_REASON) || undefined;
      if (reason && actor !== s.holders.fixLead) {
        return refused(`Only ${id}'s Fix Lead can override the target time's rules.`, 'override');
      }
      const f = factsOf(s, now);
      const target = at ?? proposeTarget(rules, f);
      const check = checkTarget(rules, f, target, reason ? { reason } : undefined);
      if (!check.ok) {
        const canOverride = actor === s.holders.fixLead && check.refusals.every((r) => r.rule !== 'past');
        const how = canOverride
          ? `\nAs the Fix Lead you may override this with a reason (\`/srp schedule ${id} ${isoMinute(target)} override <reason>\`).`
          : '';
        return refused(
          `That time is refused:\n${check.refusals.map(refusalText).join('\n')}${how}`,
          'target',
        );
      }
      const generation = (before?.generation ?? 0) + 1;
      const t = check.at;
      const withdraw = (before?.generation ?? 0) > 0;
      const items = [
        ...(withdraw ? [work.announceUnschedule(id, generation, now)] : []),
        work.announceSchedule(id, generation, now),
        work.announceConfirm(id, generation, t),
        ...f.notices
          .filter((n) => n.sentAt === null && n.minBeforeMs > 0)
          .map((n) =>
            work.noticeWarning(
              id,
              n.notice,
              t,
              new Date(Math.max(now.getTime(), t.getTime() - n.minBeforeMs)),
            ),
          ),
      ];
      const step = s.schedule.steps.find((x) => x.rule.id === releaseStep.id);
      deps.transact(() => {
        deps.advisory.putDisclosure(
          id,
          {
            state: 'scheduled',
            targetAt: t,
            targetBy: actor,
            overrideReason: reason && check.allowed.length > 0 ? reason : null,
            hash: approved.hash,
            generation,
            scheduledMessageId: null,
          },
          now,
        );
        deps.announcements.plan(
          { incidentId: id, generation, hash: approved.hash, text: approved.slackLine, postAt: t },
          now,
        );
        deps.steps.moveDue(id, releaseStep, step?.dueAt ?? t, t, actor, now, 'the announcement is scheduled');
        deps.announcements.event({
          incidentId: id,
          at: now,
          actor,
          type: 'disclosure_scheduled',
          field: 'target',
          oldValue: before?.targetAt?.getTime() ?? null,
          newValue: {
            at: t.getTime(),
            generation,
            hash: approved.hash,
            ...(check.allowed.length
              ? { allowed: check.allowed.map((r) => r.rule), ...(reason ? { override: reason } : {}) }
              : {}),
          },
        });
        for (const item of items) deps.dueWork.plan(item, now);
      });
      log.info({ incident: id, generation, overridden: check.allowed.length > 0 }, 'announcement scheduled');
      const allowed = check.allowed.length
        ? `\nAllowed ${f.public ? 'because it is public' : 'by your override'}: ${check.allowed.map((r) => r.message).join(' ')}`
        : '';
      const notes = check.notes.length ? `\n${check.notes.join(' ')}` : '';
      const owed = f.notices.filter((n) => n.sentAt === null && n.minBeforeMs > 0);
      const notices = owed.length
        ? `\nStill to send: ${owed.map((n) => `${n.name}, by ${timeLine(new Date(t.getTime() - n.minBeforeMs))}`).join('; ')}.`
        : '';
      return done(`${id}'s announcement is scheduled for ${timeLine(t)}.${allowed}${notes}${notices}`, [
        ...afterEventKeys(id, now),
        ...items.filter((i) => i.dueAt <= now).map((i) => i.key),
      ]);
    },

    /** Cancels a scheduled announcement (withdrawn from Slack); refused in its last minute. */
    cancel(actor: string, id: string): ScheduleDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      const now = clock.now();
      const before = deps.advisory.disclosure(id);
      if (before?.state !== 'scheduled') return refused(`${id}'s announcement is not scheduled.`);
      const late = lastMinute(before, now);
      if (late) return late;
      const generation = before.generation + 1;
      const item = work.announceUnschedule(id, generation, now);
      deps.transact(() => {
        deps.advisory.putDisclosure(id, { state: 'unscheduled', generation, scheduledMessageId: null }, now);
        deps.announcements.event({
          incidentId: id,
          at: now,
          actor,
          type: 'disclosure_cancelled',
          field: 'target',
          oldValue: before.targetAt?.getTime() ?? null,
          newValue: { generation },
        });
        deps.dueWork.plan(item, now);
      });
      return done(`${id}'s announcement is cancelled; it is being withdrawn from Slack.`, [
        ...afterEventKeys(id, now),
        item.key,
      ]);
    },

    /** Due work: hands a generation's approved line to Slack's schedule, once. */
    async handOver(row: DueWorkRow): Promise<void> {
      const id = row.subject;
      const { generation } = JSON.parse(row.payload ?? '{}') as { generation: number };
      const d = deps.advisory.disclosure(id);
      const r = deps.announcements.get(id, generation);
      // Moved, cancelled or edited since: the withdrawal of this generation is the unschedule work's.
      if (!d || !r || d.generation !== generation || d.state !== 'scheduled') return;
      if (r.state !== 'planned' && r.state !== 'intent') return;
      if (deps.announcements.liveBefore(id, generation).length > 0) {
        throw new NotYet(new Date(clock.now().getTime() + WITHDRAWAL_WAIT_MS));
      }
      const now = clock.now();
      if (r.postAt.getTime() - now.getTime() < SCHEDULE_MIN_LEAD_MS) {
        // Too close for Slack's schedule: the confirmation at the target posts it. An intent stays one, so
        // the confirmation asks Slack about it first.
        deps.announcements.move(id, generation, ['planned'], 'not_scheduled', now);
        return;
      }
      if (r.postAt.getTime() - now.getTime() > SCHEDULE_MAX_AHEAD_MS) {
        throw new NotYet(new Date(r.postAt.getTime() - SCHEDULE_MAX_AHEAD_MS));
      }
      if (r.state === 'intent') {
        // A call that may have reached Slack before srp stopped: Slack's list says.
        const listed = (await deps.outbox.scheduledAnnouncements()).find((m) => matches(m, r));
        if (listed) return void adopt(r, listed.id);
      }
      if (!deps.announcements.move(id, generation, ['planned', 'intent'], 'intent', clock.now())) return;
      let scheduledId: string;
      try {
        scheduledId = await deps.outbox.scheduleAnnouncement({
          incidentId: id,
          hash: r.hash,
          text: r.text,
          targetAt: r.postAt,
        });
      } catch (err) {
        if (errorCode(err) === 'time_in_past') {
          deps.announcements.move(id, generation, ['intent'], 'not_scheduled', clock.now());
          return;
        }
        throw err;
      }
      await adopt(r, scheduledId);
    },

    /**
     * Due work at (and after) a generation's target: the announcement found in the channel (Slack's
     * scheduled delivery, or srp's own earlier post), or, when Slack neither posted nor holds it, posted now by
     * srp; then the incident is published.
     */
    async confirm(row: DueWorkRow): Promise<string[]> {
      const id = row.subject;
      const { generation } = JSON.parse(row.payload ?? '{}') as { generation: number };
      const d = deps.advisory.disclosure(id);
      const r = deps.announcements.get(id, generation);
      if (!d || !r || d.state === 'published') return [];
      const current = d.generation === generation && d.state === 'scheduled';
      if (!current && r.state !== 'undeletable') return [];
      const now = clock.now();
      if (now < r.postAt) throw new NotYet(r.postAt);
      // An earlier generation Slack may still post: its fate first, or there could be two announcements.
      if (current && deps.announcements.liveBefore(id, generation).length > 0) {
        throw new NotYet(new Date(now.getTime() + WITHDRAWAL_WAIT_MS));
      }
      const key = announcementKey(id);
      const ts = await deps.outbox.findAnnouncement({ key, text: r.text, from: r.postAt });
      if (ts) return publish(id, r, ts);
      if (r.state === 'intent' || r.state === 'scheduled' || r.state === 'undeletable') {
        const held = (await deps.outbox.scheduledAnnouncements()).some((m) => matches(m, r));
        if (held) throw new NotYet(new Date(clock.now().getTime() + RECHECK_MS));
        if (clock.now().getTime() < r.postAt.getTime() + DELIVERY_GRACE_MS) {
          throw new NotYet(new Date(r.postAt.getTime() + DELIVERY_GRACE_MS));
        }
      }
      if (!current) {
        // An earlier generation Slack would not withdraw, and did not post after all: nothing went out.
        deps.announcements.move(id, generation, ['undeletable'], 'deleted', clock.now());
        return [];
      }
      if (
        r.state === 'planned' &&
        !deps.announcements.move(id, generation, ['planned'], 'not_scheduled', now)
      ) {
        // Its hand-over to Slack started meanwhile: look again once that call is settled.
        throw new NotYet(new Date(clock.now().getTime() + RECHECK_MS));
      }
      if (r.state !== 'not_scheduled' && r.state !== 'planned') {
        log.warn(
          { incident: id, generation, state: r.state },
          'the scheduled announcement did not appear; posting it',
        );
      }
      const posted = await deps.outbox.postAnnouncement({
        key,
        incidentId: id,
        hash: r.hash,
        text: r.text,
        targetAt: r.postAt,
      });
      return publish(id, r, posted.ts);
    },

    /** Due work: the generations before `generation` withdrawn from Slack; the thread told what happened. */
    async unschedule(row: DueWorkRow): Promise<string[]> {
      const id = row.subject;
      const { generation } = JSON.parse(row.payload ?? '{}') as { generation: number };
      const told = await withdrawBefore(id, generation);
      if (told.length === 0) return [];
      const posted = await deps.outbox.reply(cardKey(id), {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => withdrawnReply.message(id, told),
      });
      if (!posted) throw new NotYet(new Date(clock.now().getTime() + CARD_WAIT_MS));
      return [];
    },

    /** Due work: a distributor notice's time passed and it is not recorded as sent: a warning under the card. */
    async warnNotice(row: DueWorkRow): Promise<void> {
      const id = row.subject;
      const p = JSON.parse(row.payload ?? '{}') as { notice: NoticeId; target: number };
      const d = deps.advisory.disclosure(id);
      if (d?.state !== 'scheduled' || d.targetAt?.getTime() !== p.target) return;
      const s = deps.schedule.situation(id);
      if (!s) return;
      const n = noticeFacts(rules, s.schedule, sentNotices(id)).find((x) => x.notice === p.notice);
      if (!n || n.sentAt) return;
      const posted = await deps.outbox.reply(cardKey(id), {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => noticeWarningReply(id, n, new Date(p.target), s.holders.fixLead ?? s.holders.commander),
      });
      if (!posted) throw new NotYet(new Date(clock.now().getTime() + CARD_WAIT_MS));
    },
  };

  /**
   * Slack holds generation `r` under `scheduledId`. If the schedule moved on meanwhile (an edit, a
   * reschedule, a cancel while the call was under way), the message is withdrawn again at once.
   */
  async function adopt(r: AnnouncementRow, scheduledId: string): Promise<void> {
    const now = clock.now();
    const kept = deps.transact(() => {
      const moved = deps.announcements.move(
        r.incidentId,
        r.generation,
        ['intent'],
        'scheduled',
        now,
        scheduledId,
      );
      const d = deps.advisory.disclosure(r.incidentId);
      const current = moved && d?.generation === r.generation && d.state === 'scheduled';
      if (current) deps.advisory.putDisclosure(r.incidentId, { scheduledMessageId: scheduledId }, now);
      return current;
    });
    if (kept) return;
    log.info(
      { incident: r.incidentId, generation: r.generation },
      'withdrawing a schedule that moved on meanwhile',
    );
    const outcome = await deps.outbox.withdrawAnnouncement(scheduledId);
    deps.transact(() => {
      const to = outcome === 'deleted' ? 'deleted' : 'undeletable';
      deps.announcements.move(
        r.incidentId,
        r.generation,
        ['intent', 'scheduled', 'deleted'],
        to,
        clock.now(),
        scheduledId,
      );
      // Slack kept it after all: its confirmation publishes it if it appears.
      if (to === 'undeletable') {
        deps.dueWork.plan(work.announceConfirm(r.incidentId, r.generation, r.postAt), clock.now());
      }
    });
  }
}
export type PublishService = ReturnType<typeof publishService>;

const isoMinute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
