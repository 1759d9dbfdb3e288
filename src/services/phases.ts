import type { Clock } from '../clock.js';
import { isOpenStep, type StepStatus, stepsLeftBehind } from '../domain/deadlines.js';
import {
  CANNED_REPLIES,
  type CannedReply,
  checkMove,
  type Move,
  nextPhase,
  PHASE_NAME,
  type Phase,
  RESOLUTIONS,
  type Resolution,
} from '../domain/phases.js';
import type { ProcessProfile } from '../domain/profiles/index.js';
import { afterEventKeys, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { DueWorkStore } from '../store/dueWork.js';
import type { IncidentStore } from '../store/incidents.js';
import type { StepStore } from '../store/steps.js';
import { reviewedNotice } from '../views/receipt.js';
import { type Done, done, refused } from './result.js';
import type { ScheduleService, Situation } from './schedule.js';

/** Which field of a form a refusal belongs to, so a modal shows it inline where it can be fixed. */
export type PhaseDone = Done & {
  field?: 'reason' | 'to' | 'step' | 'due' | 'where' | 'link';
  draft?: string;
};

const MAX_REASON = 1000;
const MAX_WHERE = 300;

const refuse = (message: string, field?: PhaseDone['field']): PhaseDone => ({
  ...refused(message),
  ...(field ? { field } : {}),
});

/**
 * An incident's life as people drive it: moving it through its phases, closing and reopening it, marking
 * it public, marking steps done and moving deadlines. Each is checked here against who asks and the
 * incident as it is now (the Slack layer checked only that they may see it), stored with its timeline
 * event in one transaction, and answered in a sentence; the card and the nudges follow from the event.
 */
export function phaseService(deps: {
  incidents: IncidentStore;
  steps: StepStore;
  schedule: Pick<ScheduleService, 'situation'>;
  members: { isMember(userId: string): boolean; isCommittee(userId: string): boolean };
  dueWork: DueWorkStore;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
  profile: ProcessProfile;
}) {
  const { clock, log } = deps;
  const rules = deps.profile.phases;
  const due = (id: string, ...more: string[]) => [...afterEventKeys(id, clock.now()), ...more];

  /** The incident, if it exists and `actor` may change its state (a member, or its commander or Fix Lead). */
  function load(actor: string, id: string): Situation | PhaseDone {
    const s = deps.schedule.situation(id);
    if (!s) return refuse(`There is no incident ${id}.`);
    const leads = actor === s.holders.commander || actor === s.holders.fixLead;
    if (!leads && !deps.members.isMember(actor)) {
      return refuse(`Only members of the committee, or ${id}'s commander or Fix Lead, can change its state.`);
    }
    return s;
  }
  const isRefusal = (x: Situation | PhaseDone): x is PhaseDone => 'outcome' in x;

  function cleanReason(reason: string | undefined): string | undefined {
    const r = reason?.trim();
    return r ? r.slice(0, MAX_REASON) : undefined;
  }

  const stepList = (steps: readonly StepStatus[]) => steps.map((s) => s.rule.name).join(', ');

  function findStep(stepId: string): { id: string; name: string } | undefined {
    const key = stepId.toLowerCase().replaceAll('-', '_');
    return rules.steps.find((s) => s.id === key);
  }

  return {
    /**
     * Moves an open incident to another phase. The next phase needs no reason, unless the move leaves
     * steps of the phases it passes open; those are skipped with the reason, which the timeline keeps.
     */
    move(actor: string, id: string, to: Phase, reason?: string): PhaseDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      const from = s.incident.phase;
      const check = checkMove(from, { kind: 'advance', to });
      if (!check.ok) return refuse(`${id}: ${check.problem}`, 'to');
      const behind = stepsLeftBehind(s.schedule, from, to);
      const why = cleanReason(reason);
      if ((check.needsReason || behind.length > 0) && !why) {
        const skipping = behind.length
          ? `it leaves ${behind.length === 1 ? 'a step' : 'steps'} open: ${stepList(behind)}`
          : `it skips ${PHASE_NAME[nextPhase(from) ?? to]}`;
        return refuse(
          `Moving ${id} from ${PHASE_NAME[from]} to ${PHASE_NAME[to]} needs a reason, as ${skipping}. Say why, e.g. \`/srp move ${id} ${to} <reason>\`.`,
          'reason',
        );
      }
      const now = clock.now();
      const moved = deps.transact(() => {
        const ok = deps.incidents.setPhase(id, from, to, {
          type: 'phase_changed',
          actor,
          at: now,
          reason: why ?? null,
          resolution: null,
          skipped: behind.map((b) => b.rule.id),
        });
        if (!ok) return false;
        for (const b of behind) deps.steps.settle(id, b.rule, 'skipped', actor, now, why ?? null);
        return true;
      });
      if (!moved) return refuse(`${id} changed a moment ago; look at its card and try again.`);
      log.info({ incident: id, from, to, skipped: behind.length }, 'incident moved');
      const skipped = behind.length ? ` Skipped: ${stepList(behind)}.` : '';
      return done(`${id} is now in ${PHASE_NAME[to]}.${skipped}`, due(id));
    },

    /** Triage: the report is taken on; the Fix Team is next. */
    accept(actor: string, id: string): PhaseDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      if (s.incident.phase !== 'triage') {
        return refuse(`${id} was accepted already: it is in ${PHASE_NAME[s.incident.phase]}.`);
      }
      return this.move(actor, id, 'fix_team');
    },

    /**
     * Closes an incident: fixed (after its retrospective, no reason needed) or without a fix, with the
     * reason. A report closed without a fix gets a canned reply as a draft for the member to send
     * themselves; srp tells a reporter who filed in Slack only that their report was reviewed.
     */
    close(
      actor: string,
      id: string,
      resolution: Resolution,
      reason?: string,
      canned?: CannedReply,
    ): PhaseDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      const from = s.incident.phase;
      const move: Move = { kind: 'close', resolution };
      const check = checkMove(from, move);
      if (!check.ok) return refuse(`${id}: ${check.problem}`, 'to');
      const why = cleanReason(reason);
      if (check.needsReason && !why) {
        return refuse(
          `Closing ${id} as ${RESOLUTIONS[resolution]} needs a reason; it goes on the timeline.`,
          'reason',
        );
      }
      const now = clock.now();
      const reporter =
        resolution !== 'fixed' && s.incident.arrival === 'slack' ? s.incident.reportedBy : undefined;
      const notice = reporter
        ? work.note(`reviewed:${id}:${now.getTime()}`, reporter, reviewedNotice(id).text, now)
        : undefined;
      const closed = deps.transact(() => {
        const ok = deps.incidents.setPhase(id, from, 'closed', {
          type: 'closed',
          actor,
          at: now,
          reason: why ?? null,
          resolution,
        });
        if (ok && notice) deps.dueWork.enqueue(notice, now);
        return ok;
      });
      if (!closed) return refuse(`${id} changed a moment ago; look at its card and try again.`);
      log.info({ incident: id, resolution }, 'incident closed');
      const draft = canned ? CANNED_REPLIES[canned].text : undefined;
      const told = reporter ? ' The reporter was told only that their report was reviewed.' : '';
      return {
        ...done(
          `${id} is closed as ${RESOLUTIONS[resolution]}.${told}`,
          due(id, ...(notice ? [notice.key] : [])),
        ),
        ...(draft ? { draft } : {}),
      };
    },

    /** Opens a closed incident again, with the reason, in the phase it was closed from (or `to`). */
    reopen(actor: string, id: string, reason: string | undefined, to?: Phase): PhaseDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      const why = cleanReason(reason);
      const target = to ?? lastOpenPhase(deps.incidents, id);
      const check = checkMove(s.incident.phase, { kind: 'reopen', to: target });
      if (!check.ok) return refuse(`${id}: ${check.problem}`, 'to');
      if (!why) return refuse(`Say why ${id} is reopened; it goes on the timeline.`, 'reason');
      const now = clock.now();
      const ok = deps.incidents.setPhase(id, 'closed', target, {
        type: 'reopened',
        actor,
        at: now,
        reason: why,
        resolution: null,
      });
      if (!ok) return refuse(`${id} changed a moment ago; look at its card and try again.`);
      return done(`${id} is open again, in ${PHASE_NAME[target]}.`, due(id));
    },

    /**
     * The embargo is broken, or the issue was disclosed in public: from now every remaining deadline is
     * due at once, the card says so, and its commander and Fix Lead are told. It cannot be undone.
     */
    markPublic(actor: string, id: string, where: string | undefined, link?: string): PhaseDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      if (s.incident.publicAt) {
        return refuse(`${id} is public already (since ${s.incident.publicAt.toISOString().slice(0, 10)}).`);
      }
      if (s.incident.phase === 'closed') return refuse(`${id} is closed; reopen it first if it needs work.`);
      const seen = where?.trim();
      if (!seen) {
        return refuse(
          `Say where it was seen in public (a mailing list, an issue, a talk), so the team can look.`,
          'where',
        );
      }
      if (seen.length > MAX_WHERE)
        return refuse(`Keep where it was seen under ${MAX_WHERE} characters.`, 'where');
      const url = link?.trim() || null;
      if (url && !isWebLink(url)) {
        return refuse(
          `"${url.slice(0, 60)}" is not a web link; give one starting https:// (or leave it out).`,
          'link',
        );
      }
      const now = clock.now();
      const notice = work.publicNotice(id, now);
      const marked = deps.transact(() => {
        const ok = deps.incidents.markPublic(id, { by: actor, at: now, where: seen, link: url });
        if (ok) deps.dueWork.enqueue(notice, now);
        return ok;
      });
      if (!marked) return refuse(`${id} was marked public a moment ago.`);
      log.info({ incident: id }, 'incident marked public');
      const open = s.schedule.steps.filter(isOpenStep).length;
      return done(
        `${id} is now public: every remaining deadline (${open} open ${open === 1 ? 'step' : 'steps'}) is due now. Its commander and Fix Lead are being told.`,
        due(id, notice.key),
      );
    },

    /** Public is for good: asking for private again is refused, with when and by whom it became public. */
    keepPrivate(actor: string, id: string): PhaseDone {
      const s = load(actor, id);
      if (isRefusal(s)) return s;
      const at = s.incident.publicAt;
      if (!at) return refuse(`${id} is private already.`);
      return refuse(
        `${id} became public on ${at.toISOString().slice(0, 10)}${s.incident.publicBy ? ` (marked by <@${s.incident.publicBy}>)` : ''}; an incident that was public cannot be private again.`,
      );
    },

    /**
     * A step marked done. Members may mark any; someone on the incident's Fix Team only the Fix Team's own
     * steps (the LGTMs); steps srp sees done by itself need no one, but may be marked when srp cannot see.
     */
    markDone(actor: string, id: string, stepId: string): PhaseDone {
      const s = deps.schedule.situation(id);
      if (!s) return refuse(`There is no incident ${id}.`);
      const rule = findStep(stepId);
      if (!rule) {
        return refuse(
          `${id} has no step "${stepId.slice(0, 40)}"; its steps are ${rules.steps.map((r) => `\`${r.id}\``).join(', ')}.`,
          'step',
        );
      }
      const step = s.schedule.steps.find((x) => x.rule.id === rule.id) as StepStatus;
      const member =
        deps.members.isMember(actor) || actor === s.holders.commander || actor === s.holders.fixLead;
      const ownsIt =
        (step.rule.owner === 'fix_team' && s.holders.fixTeam.includes(actor)) ||
        (step.rule.owner === 'release_managers' && s.holders.releaseManagers.includes(actor)) ||
        s.holders.perIncident[step.rule.owner] === actor;
      if (!member && !ownsIt) {
        return refuse(`Only a member, or whoever owns it, can mark *${step.rule.name}* done.`, 'step');
      }
      if (s.incident.phase === 'closed') return refuse(`${id} is closed; reopen it first.`);
      if (step.state === 'done') return refuse(`*${step.rule.name}* is done already.`, 'step');
      if (step.state === 'not_applicable') {
        return refuse(`*${step.rule.name}* does not apply to ${id} (yet).`, 'step');
      }
      const now = clock.now();
      deps.transact(() => deps.steps.settle(id, step.rule, 'done', actor, now, null));
      return done(`*${step.rule.name}* is done for ${id}.`, due(id));
    },

    /**
     * The Fix Lead (or the commander) moves a deadline, with the reason. Nudges follow the new time: the
     * old ones are cancelled when the schedule is planned again.
     */
    moveDeadline(actor: string, id: string, stepId: string, to: Date, reason: string | undefined): PhaseDone {
      const s = deps.schedule.situation(id);
      if (!s) return refuse(`There is no incident ${id}.`);
      if (actor !== s.holders.fixLead && actor !== s.holders.commander) {
        return refuse(
          `Only ${id}'s Fix Lead or incident commander can move its deadlines (“${rules.scheduleQuote}”).`,
        );
      }
      if (s.incident.phase === 'closed') return refuse(`${id} is closed; reopen it first.`);
      const rule = findStep(stepId);
      if (!rule) {
        return refuse(
          `${id} has no step "${stepId.slice(0, 40)}"; its steps are ${rules.steps.map((r) => `\`${r.id}\``).join(', ')}.`,
          'step',
        );
      }
      const step = s.schedule.steps.find((x) => x.rule.id === rule.id) as StepStatus;
      if (step.state === 'done' || step.state === 'skipped') {
        return refuse(
          `*${step.rule.name}* is ${step.state} already; its deadline no longer matters.`,
          'step',
        );
      }
      const now = clock.now();
      if (!(to.getTime() > now.getTime())) {
        return refuse(`That time has passed; give a deadline in the future.`, 'due');
      }
      const why = cleanReason(reason);
      if (!why) return refuse(`Say why the deadline moves; it goes on the timeline.`, 'reason');
      deps.transact(() => deps.steps.moveDue(id, step.rule, step.dueAt, to, actor, now, why));
      log.info({ incident: id, step: step.rule.id }, 'deadline moved');
      const follows =
        step.rule.id === rules.releaseStep ? ' Steps counted from the release date move with it.' : '';
      return done(
        `*${step.rule.name}* for ${id} is now due <!date^${Math.floor(to.getTime() / 1000)}^{date_short_pretty} at {time}|${to.toISOString()}>; nudges follow the new time.${follows}`,
        due(id),
      );
    },

    /** The phase a closed incident would reopen in: the one it was closed from. */
    reopenTarget: (id: string) => lastOpenPhase(deps.incidents, id),

    /** A step by its id as typed (`fix_lgtm`, `fix-lgtm`), for forms and commands. */
    findStep,
  };
}
export type PhaseService = ReturnType<typeof phaseService>;

/** The phase an incident was closed from, to reopen it there; Triage if the timeline does not say. */
function lastOpenPhase(incidents: IncidentStore, id: string): Phase {
  const closed = incidents
    .timeline(id)
    .filter((e) => e.type === 'closed')
    .at(-1);
  const from = closed?.oldValue;
  return typeof from === 'string' && from !== 'closed' ? (from as Phase) : 'triage';
}

function isWebLink(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !/[<>|\s]/.test(text);
  } catch {
    return false;
  }
}
