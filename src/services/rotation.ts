import { randomBytes, randomUUID } from 'node:crypto';
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
import type { MemberService, Outcome } from './members.js';

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

  const leaves = (): Leave[] => members.leaves().map((l: MemberLeave) => ({ ...l }));

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

  function addOverride(o: Omit<Override, 'id'>, by: string, reason: string) {
    const id = randomUUID();
    rotation.addOverride({ id, ...o, reason, createdBy: by, createdAt: clock.now() });
    return id;
  }

  return {
    rules,
    now,

    configure(actor: string, r: RotationRules): Outcome {
      const problems = validateRules(r);
      const outsiders = r.order.filter((u) => !members.isCommittee(u));
      if (outsiders.length)
        problems.push(`${outsiders.map((u) => `<@${u}>`).join(', ')} not on the committee.`);
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
      const candidate = { role: 'primary' as const, userId: actor, start: start < at ? at : start, end };
      const clash = overlapsExisting(overridesAround(candidate.start, end), candidate);
      if (clash) {
        return {
          ok: false,
          message: `<@${clash.userId}> already has an override for part of that shift; ask them to hand it off instead.`,
        };
      }
      addOverride(candidate, actor, 'took the shift');
      return { ok: true, message: 'The shift is yours: you are the primary oncall for it.' };
    },

    /** "Hand off to...": whatever role `actor` holds now passes to `to` until the shift ends. */
    handOff(actor: string, to: string): Outcome {
      const r = rules();
      const current = now();
      if (!r || !current) return { ok: false, message: 'No rotation is set up yet.' };
      if (to === actor) return { ok: false, message: 'Pick someone else to hand off to.' };
      if (!members.isCommittee(to))
        return {
          ok: false,
          message: `<@${to}> is not on the committee; only committee members can be oncall.`,
        };
      const role: OncallRole | undefined =
        current.primary === actor ? 'primary' : current.secondary === actor ? 'secondary' : undefined;
      if (!role)
        return { ok: false, message: 'You are not oncall right now, so there is nothing to hand off.' };
      const at = clock.now();
      addOverride(
        { role, userId: to, start: at, end: shiftBounds(r, current.shiftIndex).end },
        actor,
        `handed off by ${actor}`,
      );
      return { ok: true, message: `Handed off: <@${to}> is now the ${role} oncall until the shift ends.` };
    },

    /** Posts a cover request for the actor's current (or next) shift in the security channel. */
    async askCover(actor: string): Promise<Outcome> {
      const r = rules();
      if (!r) return { ok: false, message: 'No rotation is set up yet.' };
      const at = clock.now();
      const mine = this.upcoming()
        .flatMap((s) => s.segments)
        .find((seg) => seg.end > at && (seg.primary === actor || seg.secondary === actor));
      if (!mine) return { ok: false, message: 'You have no oncall shift in the next four weeks.' };
      const role: OncallRole = mine.primary === actor ? 'primary' : 'secondary';
      const req = rotation.addCoverRequest({
        id: randomUUID(),
        role,
        requestedBy: actor,
        start: mine.start < at ? at : mine.start,
        end: mine.end,
        createdAt: at,
      });
      await deps.outbox.upsert(`cover:${req.id}`, deps.securityChannel, 'generic', () =>
        coverRequestMessage({ ...req, takenBy: null }),
      );
      return {
        ok: true,
        message: `Asked the committee in <#${deps.securityChannel}> to cover your ${role} shift.`,
      };
    },

    /** First press wins; the others are told who took it. */
    async takeCover(actor: string, requestId: string): Promise<Outcome> {
      const req = rotation.coverRequest(requestId);
      if (!req) return { ok: false, message: 'That cover request no longer exists.' };
      if (req.requestedBy === actor)
        return { ok: false, message: 'You asked for this cover; someone else has to take it.' };
      if (req.takenBy) return { ok: false, message: `<@${req.takenBy}> already took this shift.` };
      const at = clock.now();
      if (req.end <= at) return { ok: false, message: 'That shift is already over.' };
      const overrideId = randomUUID();
      const won = rotation.takeCover(requestId, actor, at, {
        id: overrideId,
        role: req.role,
        userId: actor,
        start: req.start < at ? at : req.start,
        end: req.end,
        reason: `covering for ${req.requestedBy}`,
        createdBy: actor,
        createdAt: at,
      });
      if (!won) {
        const winner = rotation.coverRequest(requestId)?.takenBy;
        return { ok: false, message: `<@${winner}> took this shift a moment before you.` };
      }
      await deps.outbox.upsert(`cover:${req.id}`, deps.securityChannel, 'generic', () =>
        coverRequestMessage({ ...req, takenBy: actor }),
      );
      await deps.outbox.directMessage(`cover-taken:${req.id}`, req.requestedBy, () => ({
        text: `<@${actor}> is covering your ${req.role} oncall shift.`,
      }));
      return { ok: true, message: `Thank you: you are covering <@${req.requestedBy}>'s ${req.role} shift.` };
    },

    feedToken: () => rotation.rules()?.feedToken,

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
        if (!members.isCommittee(userId)) {
          problems.push(
            `<@${userId}> is not on the committee; their event at ${e.start.toISOString()} was skipped.`,
          );
          continue;
        }
        addOverride({ role: e.role, userId, start: e.start, end: e.end }, actor, 'imported from iCalendar');
        imported++;
      }
      return { imported, problems };
    },
  };
}
export type RotationService = ReturnType<typeof rotationService>;
