import { DateTime, IANAZone } from 'luxon';

/**
 * Oncall is business hours only, and nudges wait for a person's working hours. Hours are wall-clock times
 * in the person's own IANA zone, so a DST change moves the UTC instants, never the local 09:00.
 */
export interface WorkingHours {
  zone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** 'HH:mm', inclusive. */
  start: string;
  /** 'HH:mm', exclusive; must be after `start` (overnight windows are not business hours). */
  end: string;
}

export const DEFAULT_WORKING_HOURS: Omit<WorkingHours, 'zone'> = {
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
};

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses a strict 24-hour 'HH:mm'; undefined for anything else, so callers can word their own error. */
export function parseClockTime(text: string): { hour: number; minute: number } | undefined {
  const match = CLOCK_TIME.exec(text);
  if (!match) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** True for names the runtime's time zone database knows (IANA names and a few aliases such as 'UTC'). */
export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function minutesOf(text: string): number {
  const t = parseClockTime(text);
  if (!t) throw new RangeError(`Working hours need HH:mm times, got "${text}".`);
  return t.hour * 60 + t.minute;
}

function local(h: WorkingHours, at: Date): DateTime {
  const dt = DateTime.fromJSDate(at, { zone: h.zone });
  if (!dt.isValid) throw new RangeError(`"${h.zone}" is not a time zone I know.`);
  return dt;
}

export function isWorkingTime(h: WorkingHours, at: Date): boolean {
  const dt = local(h, at);
  if (!h.days.includes(dt.weekday)) return false;
  // Seconds count, so 16:59:59 is still working and 17:00:00 is not.
  const minute = dt.hour * 60 + dt.minute + dt.second / 60 + dt.millisecond / 60_000;
  return minute >= minutesOf(h.start) && minute < minutesOf(h.end);
}

/**
 * `at` itself when it is a working time, else the next start of a working day. Each candidate is built from
 * the local date and `start`, so it lands on the local start time whatever the UTC offset that day. A start
 * inside a DST gap (02:30 on a spring-forward night) resolves as Luxon does, pushed forward by the gap.
 */
export function nextWorkingTime(h: WorkingHours, at: Date): Date {
  if (isWorkingTime(h, at)) return at;
  const start = parseClockTime(h.start);
  if (!start || minutesOf(h.end) <= start.hour * 60 + start.minute || h.days.length === 0) {
    throw new RangeError('These working hours contain no working time.');
  }
  const today = local(h, at).startOf('day');
  // Eight days reach the same weekday next week, which matters when today's start has already passed.
  for (let offset = 0; offset <= 7; offset++) {
    const day = today.plus({ days: offset });
    if (!h.days.includes(day.weekday)) continue;
    const candidate = DateTime.fromObject(
      { year: day.year, month: day.month, day: day.day, hour: start.hour, minute: start.minute },
      { zone: h.zone },
    );
    if (candidate.toMillis() > at.getTime()) return candidate.toJSDate();
  }
  throw new RangeError('These working hours contain no working time.');
}
