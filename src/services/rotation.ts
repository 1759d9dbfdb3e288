import { randomBytes, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { MemberLeave } from '../domain/committee.js';
import { type CalendarEvent, parseICal, scheduleToICal } from '../domain/ical.js';
import {
  finalSchedule,
  type Leave,
  type OncallRole,
  type Override,
  onCallAt,
  overlapsExisting,
  type RotationRules,
  shiftIndexAt,
  shiftStart,
  uncoveredShifts,
  validateRules,
} from '../domain/rotation.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { RotationStore } from '../store/rotation.js';
import { coverRequestMessage, type ShiftView } from '../views/oncall.js';
import { type Done, type MemberService, type Outcome, refused } from './members.js';

const WEEK_MS = 7 * 86_400_000;
export const UPCOMING_WEEKS = 4;

export interface OnCallNow {
  primary: string | null;
  secondary: string | null;
  until: Date;
  shiftIndex: number;
}

/**
 * The oncall rotation: rules plus overrides give the final schedule, which is
 * computed on every read and never stored. Overrides are the only way a
 * person's time changes; the rules are edited only by `configure`.
 */
export function rotationService(deps: {
  rotation: RotationStore;
  members: MemberService;
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  securityChannel: string;
}) {
  const { rotation, members, clock } = deps;

  function rules(): RotationRules | undefined {
    const row = rotation.rules();
    if (!row) return undefined;
    return {
      order: JSON.parse(row.order) as string[],
      handoffWeekday: row.handoffWeekday,
      handoffTime: row.handoffTime,
      zone: row.zone,
      startDate: row.startDate,
    };
  }

  /**
   * Leave, plus anyone in the order who is no longer a full member, treated as away for good: they are
   * skipped without shifting everyone else's weeks, as removing them from the order would.
   */
  function leaves(): Leave[] {
    const away = (rules()?.order ?? [])
      .filter((u) => !members.hasRole(u, 'member'))
      .map((userId) => ({ userId, start: new Date(0), end: new Date(8.64e15), replacement: null }));
    return [...members.leaves().map((l: MemberLeave) => ({ ...l })), ...away];
  }

  function overridesAround(from: Date, to: Date): Override[] {
    return rotation
      .overrides(from, to)
      .map((o) => ({ id: o.id, role: o.role, userId: o.userId, start: o.start, end: o.end }));
  }

  function now(at = clock.now()): OnCallNow | undefined {
    const r = rules();
    if (!r) return undefined;
    return onCallAt(
      r,
      leaves(),
      overridesAround(new Date(at.getTime() - WEEK_MS), new Date(at.getTime() + 2 * WEEK_MS)),
      at,
    );
  }

  function shiftBounds(r: RotationRules, index: number) {
    return { start: shiftStart(r, index), end: shiftStart(r, index + 1) };
  }

  /**
   * The one way an override is made. It never takes a role from someone else's override (only the
   * holder's own may be superseded, as in a hand-off or a cover), and never makes one person both
   * primary and secondary at once.
   */
  function checkedOverride(
    o: Omit<Override, 'id'>,
    opts: { by: string; reason: string; supersedes?: string },
  ) {
    const existing = overridesAround(o.start, o.end);
    const clash = overlapsExisting(
      existing.filter((x) => x.userId !== opts.supersedes),
      o,
    );
    if (clash) {
      return refused(
        `<@${clash.userId}> already has an override for part of that time; ask them to hand it off instead.`,
      );
    }
    const r = rules();
    const other: OncallRole = o.role === 'primary' ? 'secondary' : 'primary';
    if (r && finalSchedule(r, leaves(), existing, o.start, o.end).some((seg) => seg[other] === o.userId)) {
      return refused(`<@${o.userId}> is the ${other} oncall then; one person can't hold both roles.`);
    }
    rotation.addOverride({
      id: randomUUID(),
      ...o,
      reason: opts.reason,
      createdBy: opts.by,
      createdAt: clock.now(),
    });
    return undefined;
  }

  return {
    rules,
    now,

    configure(actor: string, r: RotationRules): Outcome {
      const problems = validateRules(r);
      const outsiders = r.order.filter((u) => !members.hasRole(u, 'member'));
      if (outsiders.length) {
        problems.push(
          `${outsiders.map((u) => `<@${u}>`).join(', ')}: only committee members take oncall shifts.`,
        );
      }
      if (problems.length) return { ok: false, message: problems.join(' ') };
      rotation.saveRules({
        order: JSON.stringify(r.order),
        handoffWeekday: r.handoffWeekday,
        handoffTime: r.handoffTime,
        zone: r.zone,
        startDate: r.startDate,
        feedToken: randomBytes(24).toString('hex'),
        updatedAt: clock.now(),
        updatedBy: actor,
      });
      const at = clock.now();
      const gaps = uncoveredShifts(r, leaves(), at, new Date(at.getTime() + 8 * WEEK_MS));
      const warn = gaps.length
        ? ` Warning: ${gaps.length} of the next 8 weeks lack a primary or secondary because of leave.`
        : '';
      return { ok: true, message: `Rotation saved: ${r.order.length} people, handing off weekly.${warn}` };
    },

    /** The current shift and the next few, each split where an override changes who is on. */
    upcoming(weeks = UPCOMING_WEEKS): ShiftView[] {
      const r = rules();
      if (!r) return [];
      const first = shiftIndexAt(r, clock.now());
      const from = shiftStart(r, first);
      const to = shiftStart(r, first + weeks + 1);
      const segments = finalSchedule(r, leaves(), overridesAround(from, to), from, to);
      return Array.from({ length: weeks + 1 }, (_, i) => {
        const { start, end } = shiftBounds(r, first + i);
        return {
          index: first + i,
          start,
          end,
          segments: segments.filter((s) => s.start < end && s.end > start),
        };
      });
    },

    /**
     * A leave's day (YYYY-MM-DD) as the moment the rotation hands off on that day, so a leave that starts
     * on a handoff day does not reach back into the week before. Without a rotation: midnight UTC.
     */
    dayBoundary(day: string): Date {
      const r = rules();
      if (!r) return new Date(`${day}T00:00:00Z`);
      const [hour, minute] = r.handoffTime.split(':').map(Number);
      return DateTime.fromISO(day, { zone: r.zone }).set({ hour, minute }).toJSDate();
    },

    /** How many shifts overlapping [from, to) lack a primary or a secondary because of leave. */
    uncovered(from: Date, to: Date): number {
      const r = rules();
      return r ? uncoveredShifts(r, leaves(), from, to).length : 0;
    },

    schedule(from: Date, to: Date) {
      const r = rules();
      return r ? finalSchedule(r, leaves(), overridesAround(from, to), from, to) : [];
    },

    /** "Take this shift": an override making `actor` the primary for the rest of that shift. */
    takeShift(actor: string, index: number): Outcome {
      const r = rules();
      if (!r) return { ok: false, message: 'No rotation is set up yet.' };
      const at = clock.now();
      const { start, end } = shiftBounds(r, index);
      if (end <= at) return { ok: false, message: 'That shift is already over.' };
      const refusal = checkedOverride(
        { role: 'primary', userId: actor, start: start < at ? at : start, end },
        { by: actor, reason: 'took the shift' },
      );
      return (
        refusal?.outcome ?? { ok: true, message: 'The shift is yours: you are the primary oncall for it.' }
      );
    },

    /** "Hand off to...": whatever role `actor` holds now passes to `to` until the shift ends. */
    handOff(actor: string, to: string): Outcome {
      const r = rules();
      const current = now();
      if (!r || !current) return { ok: false, message: 'No rotation is set up yet.' };
      if (to === actor) return { ok: false, message: 'Pick someone else to hand off to.' };
      if (!members.hasRole(to, 'member')) {
        return { ok: false, message: `<@${to}> is not a committee member; only members are oncall.` };
      }
      const role: OncallRole | undefined =
        current.primary === actor ? 'primary' : current.secondary === actor ? 'secondary' : undefined;
      if (!role)
        return { ok: false, message: 'You are not oncall right now, so there is nothing to hand off.' };
      const refusal = checkedOverride(
        { role, userId: to, start: clock.now(), end: shiftBounds(r, current.shiftIndex).end },
        { by: actor, reason: `handed off by ${actor}`, supersedes: actor },
      );
      return (
        refusal?.outcome ?? {
          ok: true,
          message: `Handed off: <@${to}> is now the ${role} oncall until the shift ends.`,
        }
      );
    },

    /** Posts a cover request for the actor's current (or next) shift in the security channel. */
    askCover(actor: string): Done {
      if (!rules()) return refused('No rotation is set up yet.');
      const at = clock.now();
      const mine = this.upcoming()
        .flatMap((s) => s.segments)
        .find((seg) => seg.end > at && (seg.primary === actor || seg.secondary === actor));
      if (!mine) return refused('You have no oncall shift in the next four weeks.');
      const role: OncallRole = mine.primary === actor ? 'primary' : 'secondary';
      const start = mine.start < at ? at : mine.start;
      if (
        rotation.openCoverRequests(actor).some((c) => c.role === role && c.start < mine.end && c.end > start)
      ) {
        return refused('You already asked for cover for this shift; it is in the security channel.');
      }
      const req = rotation.addCoverRequest({
        id: randomUUID(),
        role,
        requestedBy: actor,
        start,
        end: mine.end,
        createdAt: at,
      });
      return {
        outcome: {
          ok: true,
          message: `Asked the committee in <#${deps.securityChannel}> to cover your ${role} shift.`,
        },
        followUp: async () => {
          await deps.outbox.upsert(`cover:${req.id}`, deps.securityChannel, 'generic', () =>
            coverRequestMessage({ ...req, takenBy: null }),
          );
        },
      };
    },

    /** Posts any open cover request whose message never reached the channel (a crash, Slack down). */
    async sweepCoverRequests(): Promise<number> {
      let posted = 0;
      for (const req of rotation.untakenCoverRequests(clock.now())) {
        if (deps.outbox.isDelivered(`cover:${req.id}`)) continue;
        await deps.outbox.upsert(`cover:${req.id}`, deps.securityChannel, 'generic', () =>
          coverRequestMessage({ ...req, takenBy: null }),
        );
        posted++;
      }
      return posted;
    },

    /** First press wins (one conditional update); the others are told who took it. */
    takeCover(actor: string, requestId: string): Done {
      const req = rotation.coverRequest(requestId);
      if (!req) return refused('That cover request no longer exists.');
      if (req.requestedBy === actor) return refused('You asked for this cover; someone else has to take it.');
      if (req.takenBy) return refused(`<@${req.takenBy}> already took this shift.`);
      if (!members.hasRole(actor, 'member')) return refused('Only committee members can be oncall.');
      const at = clock.now();
      if (req.end <= at) return refused('That shift is already over.');
      const other: OncallRole = req.role === 'primary' ? 'secondary' : 'primary';
      const start = req.start < at ? at : req.start;
      if (this.schedule(start, req.end).some((seg) => seg[other] === actor)) {
        return refused(`You are the ${other} oncall then; one person can't hold both roles.`);
      }
      const won = rotation.takeCover(requestId, actor, at, {
        id: randomUUID(),
        role: req.role,
        userId: actor,
        start,
        end: req.end,
        reason: `covering for ${req.requestedBy}`,
        createdBy: actor,
        createdAt: at,
      });
      if (!won)
        return refused(
          `<@${rotation.coverRequest(requestId)?.takenBy}> took this shift a moment before you.`,
        );
      return {
        outcome: {
          ok: true,
          message: `Thank you: you are covering <@${req.requestedBy}>'s ${req.role} shift.`,
        },
        followUp: async () => {
          await deps.outbox.upsert(`cover:${req.id}`, deps.securityChannel, 'generic', () =>
            coverRequestMessage({ ...req, takenBy: actor }),
          );
          await deps.outbox.directMessage(`cover-taken:${req.id}`, req.requestedBy, () => ({
            text: `<@${actor}> is covering your ${req.role} oncall shift.`,
          }));
        },
      };
    },

    feedToken: () => rotation.rules()?.feedToken,

    /** A short note about the rotation to one person, sent once under `key` (e.g. an import's result). */
    async tell(userId: string, key: string, text: string): Promise<void> {
      await deps.outbox.directMessage(key, userId, () => ({ text }));
    },

    /** A new secret for the calendar feed; the old link stops working at once. */
    rotateFeedToken(): string | undefined {
      const token = randomBytes(24).toString('hex');
      return rotation.setFeedToken(token) ? token : undefined;
    },

    /** The schedule as iCalendar, four weeks back and twelve ahead, for calendar subscriptions. */
    exportICal(names: Record<string, { name: string; email?: string | null }>): string {
      const at = clock.now();
      const segments = this.schedule(
        new Date(at.getTime() - 4 * WEEK_MS),
        new Date(at.getTime() + 12 * WEEK_MS),
      );
      return scheduleToICal(segments, names, { calendarName: 'Security oncall', generatedAt: at });
    },

    /**
     * Brings a schedule across from another tool: each event becomes an
     * override, so the rules stay as they are and the imported weeks win.
     */
    importICal(actor: string, text: string, resolveUser: (e: CalendarEvent) => string | null) {
      const { events, problems } = parseICal(text);
      let imported = 0;
      for (const e of events) {
        const userId = e.userId ?? resolveUser(e);
        if (!userId) {
          problems.push(
            `No committee member matches "${e.name}" (${e.start.toISOString()}); that event was skipped.`,
          );
          continue;
        }
        if (!members.hasRole(userId, 'member')) {
          problems.push(
            `<@${userId}> is not on the committee; their event at ${e.start.toISOString()} was skipped.`,
          );
          continue;
        }
        const refusal = checkedOverride(
          { role: e.role, userId, start: e.start, end: e.end },
          { by: actor, reason: 'imported from iCalendar' },
        );
        if (refusal) problems.push(`${e.start.toISOString()}: ${refusal.outcome.message}`);
        else imported++;
      }
      return { imported, problems };
    },
  };
}
export type RotationService = ReturnType<typeof rotationService>;
