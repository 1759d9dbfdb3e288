import { randomBytes, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { MemberLeave } from '../domain/committee.js';
import { type CalendarEvent, parseICal, scheduleToICal } from '../domain/ical.js';
import {
  finalSchedule,
  type Leave,
  type OncallPosition,
  type Override,
  onCallAt,
  onCallAtOnly,
  overlapsExisting,
  type RotationRules,
  shiftIndexAt,
  shiftStart,
  uncoveredShifts,
  validateRules,
} from '../domain/rotation.js';
import { work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { RotationStore } from '../store/rotation.js';
import { coverRequestMessage, type ShiftView } from '../views/oncall.js';
import type { MemberService } from './members.js';
import { type Done, done, type Outcome, refused } from './result.js';

const WEEK_MS = 7 * 86_400_000;
/** Monday 1970-01-05 00:00 UTC: week 0 when there is no rotation to count weeks by. */
const FIRST_MONDAY = Date.UTC(1970, 0, 5);
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
  dueWork: DueWorkStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
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
  function leaves(r = rules(), onLeave: MemberLeave[] = members.leaves()): Leave[] {
    const fullMembers = new Set(members.list().flatMap((m) => (m.membership === 'member' ? [m.userId] : [])));
    const away = (r?.order ?? [])
      .filter((u) => !fullMembers.has(u))
      .map((userId) => ({ userId, start: new Date(0), end: new Date(8.64e15), replacement: null }));
    return [...onLeave.map((l) => ({ ...l })), ...away];
  }

  function overridesAround(from: Date, to: Date): Override[] {
    return rotation
      .overrides(from, to)
      .map((o) => ({ id: o.id, position: o.position, userId: o.userId, start: o.start, end: o.end }));
  }

  function now(at = clock.now()): OnCallNow | undefined {
    const r = rules();
    if (!r) return undefined;
    return onCallAt(
      r,
      leaves(r),
      overridesAround(new Date(at.getTime() - WEEK_MS), new Date(at.getTime() + 2 * WEEK_MS)),
      at,
    );
  }

  /**
   * The primary at `at` (a report's arrival): one shift's work, not the search for the next handoff.
   * `onLeave` saves a second read when the caller already has the committee's leave.
   */
  function primaryAt(at: Date, onLeave?: MemberLeave[]): string | null {
    const r = rules();
    if (!r) return null;
    const around = overridesAround(new Date(at.getTime() - WEEK_MS), new Date(at.getTime() + WEEK_MS));
    return onCallAtOnly(r, leaves(r, onLeave), around, at).primary;
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
    const other: OncallPosition = o.position === 'primary' ? 'secondary' : 'primary';
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
    primaryAt,

    /**
     * The oncall week `at` falls in: its index (shift 0 is the rotation's first) and its bounds, for
     * anything else counted in the rotation's weeks (the 2018 roles' weekly primary and secondary).
     * Without a rotation, weeks start on Mondays at 00:00 UTC, counted from the first one of 1970.
     */
    week(at = clock.now()): { index: number; start: Date; end: Date } {
      const r = rules();
      if (!r) {
        const index = Math.floor((at.getTime() - FIRST_MONDAY) / WEEK_MS);
        const start = new Date(FIRST_MONDAY + index * WEEK_MS);
        return { index, start, end: new Date(start.getTime() + WEEK_MS) };
      }
      const index = shiftIndexAt(r, at);
      return { index, ...shiftBounds(r, index) };
    },

    configure(actor: string, r: RotationRules): Outcome {
      const problems = validateRules(r);
      const outsiders = r.order.filter((u) => !members.isMember(u));
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

    /**
     * What someone holds in the rotation: whether they are in its order, and the shifts (or parts of
     * shifts, from overrides) they are on from now on, as far as the schedule is shown.
     */
    heldBy(userId: string): {
      inOrder: boolean;
      shifts: Array<{ start: Date; end: Date; position: OncallPosition }>;
    } {
      const at = clock.now();
      const shifts = this.upcoming()
        .flatMap((s) => s.segments)
        .filter((seg) => seg.end > at && (seg.primary === userId || seg.secondary === userId))
        .map((seg) => ({
          start: seg.start < at ? at : seg.start,
          end: seg.end,
          position: (seg.primary === userId ? 'primary' : 'secondary') as OncallPosition,
        }));
      return { inOrder: rules()?.order.includes(userId) ?? false, shifts };
    },

    /**
     * Everything `from` holds in the rotation passes to `to`: their place in the order (or, if `to` is
     * already in it, `from` just leaves it) and their overrides still to come. Call inside the
     * transaction that removes `from`. Returns what could not be handed over (a clash with `to`'s own
     * weeks), to be said.
     */
    handOver(actor: string, from: string, to: string): string[] {
      const at = clock.now();
      const problems: string[] = [];
      const r = rules();
      if (r?.order.includes(from)) {
        const order = r.order.includes(to)
          ? r.order.filter((u) => u !== from)
          : r.order.map((u) => (u === from ? to : u));
        rotation.setOrder(order, actor, at);
      }
      for (const o of rotation.overridesOf(from, at)) {
        rotation.deleteOverride(o.id, at);
        const refusal = checkedOverride(
          { position: o.position, userId: to, start: o.start < at ? at : o.start, end: o.end },
          { by: actor, reason: `took over from ${from}` },
        );
        if (refusal) problems.push(refusal.outcome.message);
      }
      return problems;
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
      // Oncall commands embargoed reports: associates, who must not see those, never take a shift.
      if (!members.isMember(actor))
        return { ok: false, message: 'Only full members of the committee take oncall shifts.' };
      const at = clock.now();
      const { start, end } = shiftBounds(r, index);
      if (end <= at) return { ok: false, message: 'That shift is already over.' };
      const refusal = checkedOverride(
        { position: 'primary', userId: actor, start: start < at ? at : start, end },
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
      if (!members.isMember(to)) {
        return { ok: false, message: `<@${to}> is not a committee member; only members are oncall.` };
      }
      const position: OncallPosition | undefined =
        current.primary === actor ? 'primary' : current.secondary === actor ? 'secondary' : undefined;
      if (!position)
        return { ok: false, message: 'You are not oncall right now, so there is nothing to hand off.' };
      const refusal = checkedOverride(
        { position, userId: to, start: clock.now(), end: shiftBounds(r, current.shiftIndex).end },
        { by: actor, reason: `handed off by ${actor}`, supersedes: actor },
      );
      return (
        refusal?.outcome ?? {
          ok: true,
          message: `Handed off: <@${to}> is now the ${position} oncall until the shift ends.`,
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
      const position: OncallPosition = mine.primary === actor ? 'primary' : 'secondary';
      const start = mine.start < at ? at : mine.start;
      if (
        rotation
          .openCoverRequests(actor)
          .some((c) => c.position === position && c.start < mine.end && c.end > start)
      ) {
        return refused('You already asked for cover for this shift; it is in the security channel.');
      }
      const id = randomUUID();
      const post = work.coverRequest(id, at);
      deps.transact(() => {
        rotation.addCoverRequest({ id, position, requestedBy: actor, start, end: mine.end, createdAt: at });
        deps.dueWork.enqueue(post, at);
      });
      return done(`Asked the committee in <#${deps.securityChannel}> to cover your ${position} shift.`, [
        post.key,
      ]);
    },

    /**
     * Due work: the cover request in the security channel, posted once and updated in place when someone
     * takes it. A request nobody took whose shift is over is not worth posting any more.
     */
    async postCoverRequest(row: DueWorkRow): Promise<void> {
      const req = rotation.coverRequest(row.subject);
      if (!req || (!req.takenBy && req.end <= clock.now() && !deps.outbox.isDelivered(row.key))) return;
      await deps.outbox.upsert({
        key: row.key,
        kind: row.kind,
        channel: deps.securityChannel,
        sensitivity: 'generic',
        render: () => coverRequestMessage(req),
      });
    },

    /** Due work: the requester hears who covers their shift. */
    async deliverCoverTaken(row: DueWorkRow): Promise<void> {
      const req = rotation.coverRequest(row.subject);
      if (!req?.takenBy) return;
      const by = req.takenBy;
      await deps.outbox.directMessage({
        key: row.key,
        kind: row.kind,
        userId: req.requestedBy,
        render: () => ({ text: `<@${by}> is covering your ${req.position} oncall shift.` }),
      });
    },

    /** First press wins (one conditional update); the others are told who took it. */
    takeCover(actor: string, requestId: string): Done {
      const req = rotation.coverRequest(requestId);
      if (!req) return refused('That cover request no longer exists.');
      if (req.requestedBy === actor) return refused('You asked for this cover; someone else has to take it.');
      if (req.takenBy) return refused(`<@${req.takenBy}> already took this shift.`);
      if (!members.isMember(actor)) return refused('Only committee members can be oncall.');
      const at = clock.now();
      if (req.end <= at) return refused('That shift is already over.');
      const other: OncallPosition = req.position === 'primary' ? 'secondary' : 'primary';
      const start = req.start < at ? at : req.start;
      if (this.schedule(start, req.end).some((seg) => seg[other] === actor)) {
        return refused(`You are the ${other} oncall then; one person can't hold both roles.`);
      }
      const post = work.coverRequest(req.id, at);
      const told = work.coverTaken(req.id, at);
      const won = deps.transact(() => {
        const taken = rotation.takeCover(requestId, actor, at, {
          id: randomUUID(),
          position: req.position,
          userId: actor,
          start,
          end: req.end,
          reason: `covering for ${req.requestedBy}`,
          createdBy: actor,
          createdAt: at,
        });
        if (taken) {
          deps.dueWork.rearm(post, at);
          deps.dueWork.enqueue(told, at);
        }
        return taken;
      });
      if (!won)
        return refused(
          `<@${rotation.coverRequest(requestId)?.takenBy}> took this shift a moment before you.`,
        );
      return done(`Thank you: you are covering <@${req.requestedBy}>'s ${req.position} shift.`, [
        post.key,
        told.key,
      ]);
    },

    feedToken: () => rotation.rules()?.feedToken,

    /** A short note about the rotation to one person, sent once under `key` (e.g. an import's result). */
    tell(userId: string, key: string, text: string): Done {
      const at = clock.now();
      const note = work.note(key, userId, text, at);
      deps.dueWork.enqueue(note, at);
      return done(text, [note.key]);
    },

    /** Due work: a note whose text was fixed when it was planned. */
    async deliverNote(row: DueWorkRow): Promise<void> {
      const { text } = JSON.parse(row.payload ?? '{}') as { text?: string };
      if (!text) return;
      await deps.outbox.directMessage({
        key: row.key,
        kind: row.kind,
        userId: row.subject,
        render: () => ({ text }),
      });
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
        if (!members.isMember(userId)) {
          problems.push(
            `<@${userId}> is not on the committee; their event at ${e.start.toISOString()} was skipped.`,
          );
          continue;
        }
        const refusal = checkedOverride(
          { position: e.position, userId, start: e.start, end: e.end },
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
