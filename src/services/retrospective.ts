import type { Clock } from '../clock.js';
import type { StepStatus } from '../domain/deadlines.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import {
  buildRetrospective,
  type MarkdownOptions,
  openAfterRelease,
  type Retrospective,
  retrospectiveMarkdown,
} from '../domain/retrospective.js';
import { afterEventKeys, Moot, NotYet, type WorkItem, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AdvisoryStore } from '../store/advisory.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import type { RetrospectiveStore } from '../store/retrospectives.js';
import type { StepStore } from '../store/steps.js';
import { MAX_FEEDBACK, retrospectiveMessage } from '../views/retrospective.js';
import type { PhaseService } from './phases.js';
import { type Done, done, refused } from './result.js';
import type { ScheduleService, Situation } from './schedule.js';

const DAY_MS = 86_400_000;
const CARD_WAIT_MS = 60_000;
/** The step a retrospective marked done settles. */
export const RETRO_STEP = 'retrospective';

export type RetroDone = Done & { field?: 'feedback'; offerClose?: boolean };

const refuse = (message: string, field?: RetroDone['field']): RetroDone => ({
  ...refused(message),
  ...(field ? { field } : {}),
});

/**
 * The retrospective and closing. A day after publication the draft (built from the records, never retyped)
 * is posted once under the card and names the Fix Lead and its deadline (the profile's `retrospective`
 * step, whose own nudges go to the Fix Lead); anyone involved adds feedback, which redraws the draft in
 * place; the Fix Lead or the commander marks it done, which settles the step; once every step after the
 * release is done the card offers to close the incident, and closing uses the phases' own close.
 */
export function retrospectiveService(deps: {
  incidents: IncidentStore;
  roles: IncidentRoleStore;
  advisory: AdvisoryStore;
  retro: RetrospectiveStore;
  steps: StepStore;
  schedule: Pick<ScheduleService, 'situation'>;
  members: { isMember(userId: string): boolean };
  phases: Pick<PhaseService, 'close'>;
  dueWork: DueWorkStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
}) {
  const { clock, log, profile } = deps;
  const rules = profile.phases;
  const retroRule = rules.steps.find((s) => s.id === RETRO_STEP);

  const publishedAt = (id: string) => {
    const d = deps.advisory.disclosure(id);
    return d?.state === 'published' ? (d.publishedAt ?? d.updatedAt) : undefined;
  };

  /** The draft as the records stand now. */
  function draft(id: string, s = deps.schedule.situation(id)): Retrospective | undefined {
    if (!s) return undefined;
    const d = deps.advisory.disclosure(id);
    return buildRetrospective({
      incident: s.incident,
      rules,
      schedule: s.schedule,
      timeline: deps.incidents.timeline(id),
      tenures: deps.roles.tenures(id),
      approvals: deps.advisory.approvals(id),
      advisory: deps.advisory.latest(id)?.record,
      disclosure: d ? { publishedAt: d.publishedAt, permalink: d.permalink } : undefined,
      notices: deps.advisory.notices(id),
      feedback: deps.retro.feedback(id),
      noticeSteps: profile.disclosure.notices,
    });
  }

  const retroStep = (s: Situation): StepStatus | undefined =>
    s.schedule.steps.find((x) => x.rule.id === RETRO_STEP);

  /** Done by the step (however it was marked), with who and when as recorded. */
  function doneState(s: Situation) {
    const step = retroStep(s);
    if (step?.state !== 'done' && step?.state !== 'skipped') return null;
    const row = deps.retro.get(s.incident.id);
    return {
      by: row?.doneBy ?? step.outcome?.by ?? 'srp',
      at: row?.doneAt ?? step.outcome?.at ?? null,
    };
  }

  /** Published, and every step after the release done (or skipped, or not applying). */
  function completion(s: Situation): { complete: boolean; open: StepStatus[] } {
    const open = openAfterRelease(s.schedule);
    return { complete: publishedAt(s.incident.id) !== undefined && open.length === 0, open };
  }

  /** Everyone the retrospective is about: members, and whoever held a role on the incident or sat on its Fix Team. */
  function involved(actor: string, s: Situation): boolean {
    if (deps.members.isMember(actor)) return true;
    const h = s.holders;
    if (actor === h.commander || actor === h.fixLead || h.fixTeam.includes(actor)) return true;
    if (h.releaseManagers.includes(actor)) return true;
    if (deps.roles.tenures(s.incident.id).some((t) => t.userId === actor)) return true;
    return deps.incidents
      .timeline(s.incident.id)
      .some((e) => e.type === 'fix_team_added' && e.newValue === actor);
  }

  const notInvolved = (id: string) =>
    refuse(
      `Only those involved in ${id} (members of the committee, its Fix Team, its commander and Fix Lead) can see or add to its retrospective.`,
    );

  return {
    draft: (id: string) => draft(id),

    /** The draft as Markdown (the mailing list's text; the export's `retro-md`). */
    markdown(id: string, o: MarkdownOptions = {}): string | undefined {
      const r = draft(id);
      return r ? retrospectiveMarkdown(r, o) : undefined;
    },

    /** Whether the incident is complete and may be closed as fixed, and the steps still open. */
    completion(id: string) {
      const s = deps.schedule.situation(id);
      return s ? completion(s) : undefined;
    },

    /**
     * The draft's due work, planned once the incident is published: a day after publication. Planned from
     * the incident's schedule row (re-armed by every event), so it survives restarts and is one row ever.
     */
    plan(id: string): string[] {
      const at = publishedAt(id);
      if (!at) return [];
      const now = clock.now();
      deps.dueWork.enqueue(work.retrospective(id, new Date(at.getTime() + DAY_MS)), now);
      // The step marked done another way (`/srp done <id> retrospective`): the posted draft says so too.
      const row = deps.retro.get(id);
      const s = row?.postedTs && !row.doneAt ? deps.schedule.situation(id) : undefined;
      const step = s ? retroStep(s) : undefined;
      if (step?.state === 'done' && step.outcome) {
        const item = work.retrospective(id, now);
        deps.transact(() => {
          deps.retro.markDone(id, step.outcome?.by ?? 'srp', step.outcome?.at ?? now);
          deps.dueWork.rearm(item, now);
        });
        return [item.key];
      }
      return [];
    },

    /** `/srp retro <id>`: the draft for someone involved, or why not. */
    show(
      actor: string,
      id: string,
    ): { ok: true; retro: Retrospective; state: Parameters<typeof retrospectiveMessage>[1] } | RetroDone {
      const s = deps.schedule.situation(id);
      if (!s) return refuse(`There is no incident ${id}.`);
      if (!involved(actor, s)) return notInvolved(id);
      const r = draft(id, s);
      if (!r) return refuse(`There is no incident ${id}.`);
      return {
        ok: true,
        retro: r,
        state: { fixLead: s.holders.fixLead, dueAt: retroStep(s)?.dueAt ?? null, done: doneState(s) },
      };
    },

    /** Due work: posts the draft under the card the first time, and redraws it in place after that. */
    async deliver(row: DueWorkRow): Promise<void> {
      const id = row.subject;
      const s = deps.schedule.situation(id);
      if (!s || !publishedAt(id)) throw new Moot(`${id} is not published`);
      const now = clock.now();
      const posted = await deps.outbox.upsertReply(work.card(id, now).key, {
        key: row.key,
        kind: row.kind,
        sensitivity: 'embargoed',
        render: () => {
          const fresh = deps.schedule.situation(id) ?? s;
          const r = draft(id, fresh) as Retrospective;
          return retrospectiveMessage(r, {
            fixLead: fresh.holders.fixLead,
            dueAt: retroStep(fresh)?.dueAt ?? null,
            done: doneState(fresh),
          });
        },
      });
      if (!posted) throw new NotYet(new Date(now.getTime() + CARD_WAIT_MS));
      if (!deps.retro.get(id)?.postedTs) {
        deps.retro.drafted(id, now, posted.ts);
        log.info({ incident: id }, 'retrospective draft posted');
      }
    },

    /**
     * Feedback from someone involved, once per submission (`source`): stored with its author, and the posted
     * draft redrawn with it under Critiques.
     */
    addFeedback(actor: string, id: string, text: string | undefined, source: string): RetroDone {
      const s = deps.schedule.situation(id);
      if (!s) return refuse(`There is no incident ${id}.`);
      if (!involved(actor, s)) return notInvolved(id);
      if (!deps.retro.get(id)) {
        return refuse(
          `${id}'s retrospective is not drafted yet: srp posts it under the card a day after the announcement.`,
          'feedback',
        );
      }
      const t = text?.trim();
      if (!t) return refuse('Write your feedback first.', 'feedback');
      if (t.length > MAX_FEEDBACK) return refuse(`Keep it under ${MAX_FEEDBACK} characters.`, 'feedback');
      const now = clock.now();
      const item = work.retrospective(id, now);
      const added = deps.transact(() => {
        const ok = deps.retro.addFeedback({ incidentId: id, author: actor, text: t, at: now, source });
        if (ok) deps.dueWork.rearm(item, now);
        return ok;
      });
      if (added) log.info({ incident: id }, 'retrospective feedback added');
      return done(`Your feedback is in ${id}'s retrospective, under Critiques.`, [item.key]);
    },

    /**
     * The Fix Lead (or the commander) marks the retrospective done: the `retrospective` step is done, the
     * draft says so, and srp offers to close the incident once every step after the release is done.
     */
    markDone(actor: string, id: string): RetroDone {
      const s = deps.schedule.situation(id);
      if (!s) return refuse(`There is no incident ${id}.`);
      if (actor !== s.holders.fixLead && actor !== s.holders.commander) {
        return refuse(`Only ${id}'s Fix Lead (or its incident commander) marks its retrospective done.`);
      }
      if (!publishedAt(id))
        return refuse(`${id} is not published yet; its retrospective comes after the release.`);
      if (s.incident.phase === 'closed') return refuse(`${id} is closed already.`);
      const step = retroStep(s);
      if (!retroRule || !step) return refuse(`The process followed here has no retrospective step.`);
      if (step.state === 'done') return refuse(`${id}'s retrospective is done already.`);
      const now = clock.now();
      const item = work.retrospective(id, now);
      deps.transact(() => {
        deps.retro.markDone(id, actor, now);
        deps.steps.settle(id, retroRule, 'done', actor, now, null);
        if (deps.retro.get(id)?.postedTs) deps.dueWork.rearm(item, now);
      });
      log.info({ incident: id }, 'retrospective done');
      const after = deps.schedule.situation(id);
      const c = after ? completion(after) : { complete: false, open: [] };
      const next = c.complete
        ? ` Every step after the release is done: close ${id} now?`
        : ` Before ${id} can close: ${c.open.map((x) => x.rule.name).join(', ')}.`;
      return {
        ...done(`${id}'s retrospective is done.${next}`, [...afterEventKeys(id, now), item.key]),
        offerClose: c.complete,
      };
    },

    /** Closes a complete incident as fixed (who and when go on its timeline); refused while steps are open. */
    close(actor: string, id: string): RetroDone {
      const s = deps.schedule.situation(id);
      if (!s) return refuse(`There is no incident ${id}.`);
      if (s.incident.phase === 'closed') return refuse(`${id} is closed already.`);
      const c = completion(s);
      if (!c.complete) {
        const why = publishedAt(id)
          ? `still open: ${c.open.map((x) => x.rule.name).join(', ')}`
          : 'it is not published yet';
        return refuse(`${id} is not complete: ${why}.`);
      }
      // From its retrospective a fixed incident closes without a reason; from elsewhere the reason says why.
      const reason =
        s.incident.phase === 'retrospective'
          ? undefined
          : 'Published, and every step after the release is done.';
      const d = deps.phases.close(actor, id, 'fixed', reason);
      return { outcome: d.outcome, ...(d.due ? { due: d.due } : {}) };
    },
  };
}
export type RetrospectiveService = ReturnType<typeof retrospectiveService>;

/** The due work a published incident's retrospective makes (for a test's or a planner's eye). */
export const retrospectiveItem = (id: string, publishedAt: Date): WorkItem =>
  work.retrospective(id, new Date(publishedAt.getTime() + DAY_MS));
