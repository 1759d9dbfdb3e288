import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import type { OncallPosition, Segment } from './rotation.js';
import { isValidZone } from './workingHours.js';

/**
 * iCalendar export (a feed people subscribe to) and import (our own feed, or the OpsGenie / Google Calendar
 * schedule the committee is moving away from). ical.js does the RFC 5545 parsing, escaping and folding;
 * this module only maps between its components and our shapes.
 */
export interface CalendarEvent {
  start: Date;
  end: Date;
  /** From X-SRP-ROLE (the wire name stays, so existing feeds and exports still read), else the summary. */
  position: OncallPosition;
  /** From X-SRP-USER; null for foreign calendars, whose people the caller matches by name or email. */
  userId: string | null;
  name: string;
  email?: string | null;
  /** From X-SRP-SHIFT, so our own export round-trips; absent for foreign calendars. */
  shiftIndex?: number | null;
}

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type IcalEvent = InstanceType<typeof ICAL.Event>;

const POSITIONS: OncallPosition[] = ['primary', 'secondary'];
const POSITION_TITLE: Record<OncallPosition, string> = {
  primary: 'Primary oncall',
  secondary: 'Secondary oncall',
};
/** Bounds for expanding RRULEs: a rotation exported as one endless weekly event must not expand forever. */
const HORIZON_YEARS = 2;
const MAX_OCCURRENCES = 1000;

export function scheduleToICal(
  segments: Segment[],
  people: Record<string, { name: string; email?: string | null }>,
  opts: { calendarName: string; generatedAt: Date; uidDomain?: string },
): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.addPropertyWithValue('prodid', '-//srp//Security oncall//EN');
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  cal.addPropertyWithValue('method', 'PUBLISH');
  cal.addPropertyWithValue('x-wr-calname', opts.calendarName);
  const domain = opts.uidDomain ?? 'srp.invalid';
  for (const seg of segments) {
    for (const position of POSITIONS) {
      const userId = position === 'primary' ? seg.primary : seg.secondary;
      if (userId === null) continue;
      const person = people[userId];
      const uid = `${position}-${stamp(seg.start)}-${userId}@${domain}`;
      const ev = baseEvent(
        seg,
        position,
        uid,
        `${POSITION_TITLE[position]}: ${person?.name ?? userId}`,
        opts.generatedAt,
      );
      ev.addPropertyWithValue('x-srp-user', userId);
      if (person?.email) {
        const attendee = new ICAL.Property('attendee');
        attendee.setParameter('cn', person.name);
        attendee.setValue(`mailto:${person.email}`);
        ev.addProperty(attendee);
      }
      cal.addSubcomponent(ev);
    }
    // A stretch where everyone is on leave still gets an event: the gap is worth seeing in a calendar, and
    // without it the import could not tell "nobody" from "outside the exported range".
    if (seg.primary === null && seg.secondary === null) {
      const uid = `primary-${stamp(seg.start)}-nobody@${domain}`;
      cal.addSubcomponent(
        baseEvent(seg, 'primary', uid, `${POSITION_TITLE.primary}: nobody available`, opts.generatedAt),
      );
    }
  }
  // ICAL.newLineChar is process-wide state; pin CRLF (RFC 5545 §3.1) whatever it was set to.
  return `${cal.toString().replace(/\r?\n/g, '\r\n')}\r\n`;
}

function baseEvent(
  seg: Segment,
  position: OncallPosition,
  uid: string,
  summary: string,
  generatedAt: Date,
): Component {
  const ev = new ICAL.Component('vevent');
  // The UID depends on (position, start, user) only, so a re-export updates events instead of duplicating them.
  ev.addPropertyWithValue('uid', uid);
  ev.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(generatedAt, true));
  ev.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(seg.start, true));
  ev.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(seg.end, true));
  ev.addPropertyWithValue('summary', summary);
  // Being oncall is not being busy: keep these out of free/busy lookups.
  ev.addPropertyWithValue('transp', 'TRANSPARENT');
  ev.addPropertyWithValue('x-srp-role', position);
  ev.addPropertyWithValue('x-srp-shift', String(seg.shiftIndex));
  return ev;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Reads iCalendar text into oncall events; never throws. Times without a zone (floating) are read in
 * `floatingZone`, UTC unless the caller knows better.
 */
export function parseICal(
  text: string,
  opts: { floatingZone?: string } = {},
): { events: CalendarEvent[]; problems: string[] } {
  const problems: string[] = [];
  const events: CalendarEvent[] = [];
  const floatingZone = opts.floatingZone ?? 'UTC';
  const vevents = readCalendars(text, problems).flatMap((cal) => cal.getAllSubcomponents('vevent'));
  if (problems.length > 0) return { events, problems };
  if (vevents.length === 0) return { events, problems: ['The calendar has no events in it.'] };

  // An instance with RECURRENCE-ID replaces one occurrence of the recurring event with the same UID.
  const masters = vevents.filter((c) => !c.hasProperty('recurrence-id'));
  const instances = vevents.filter((c) => c.hasProperty('recurrence-id'));
  const masterUids = new Set(masters.map(uidOf));
  masters.push(...instances.filter((c) => !masterUids.has(uidOf(c))));
  masters.forEach((comp, i) => {
    const label = labelOf(comp, i);
    try {
      // An instance whose recurring event is missing from the file stands alone.
      const exceptions = comp.hasProperty('recurrence-id')
        ? []
        : instances.filter((c) => uidOf(c) === uidOf(comp));
      events.push(...readEvent(comp, exceptions, label, floatingZone, problems));
    } catch (err) {
      problems.push(
        `${label} could not be read (${err instanceof Error ? err.message : String(err)}); it was skipped.`,
      );
    }
  });
  events.sort(
    (a, b) =>
      a.start.getTime() - b.start.getTime() || POSITIONS.indexOf(a.position) - POSITIONS.indexOf(b.position),
  );
  return { events, problems };
}

function readCalendars(text: string, problems: string[]): Component[] {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (err) {
    problems.push(`This is not an iCalendar file (${err instanceof Error ? err.message : String(err)}).`);
    return [];
  }
  // ICAL.parse returns one jCal component, or a list of them when the text holds several.
  const list =
    Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : Array.isArray(parsed) ? parsed : [];
  const calendars = list.filter((c): c is unknown[] => Array.isArray(c) && c[0] === 'vcalendar');
  if (calendars.length === 0) problems.push('This is not an iCalendar file: it has no BEGIN:VCALENDAR.');
  return calendars.map((c) => new ICAL.Component(c));
}

function uidOf(comp: Component): string {
  return String(comp.getFirstPropertyValue('uid') ?? '');
}

function labelOf(comp: Component, i: number): string {
  const summary = comp.getFirstPropertyValue('summary');
  return typeof summary === 'string' && summary !== '' ? `The event "${summary}"` : `Event ${i + 1}`;
}

function readEvent(
  comp: Component,
  exceptions: Component[],
  label: string,
  floatingZone: string,
  problems: string[],
): CalendarEvent[] {
  if (!comp.hasProperty('dtstart')) {
    problems.push(`${label} has no start time (DTSTART); it was skipped.`);
    return [];
  }
  const event = new ICAL.Event(comp, { exceptions, strictExceptions: false });
  const out: CalendarEvent[] = [];
  let backwards = 0;
  const add = (item: IcalEvent, start: Time, end: Time, endTzid: string | null) => {
    const ev: CalendarEvent = {
      ...describe(item.component),
      start: toDate(start, tzidOf(item.component, 'dtstart'), floatingZone, label, problems),
      end: toDate(end, endTzid, floatingZone, label, problems),
    };
    if (ev.end > ev.start) out.push(ev);
    else backwards++;
  };
  if (!event.isRecurring()) {
    add(event, event.startDate, event.endDate, tzidOf(comp, 'dtend') ?? tzidOf(comp, 'dtstart'));
  } else {
    const duration = nominalDuration(event);
    const startTzid = tzidOf(comp, 'dtstart');
    const first = toDate(event.startDate, startTzid, floatingZone, label, problems);
    const horizon = DateTime.fromJSDate(first).plus({ years: HORIZON_YEARS }).toJSDate();
    const it = event.iterator();
    let count = 0;
    for (let next = it.next(); next; next = it.next()) {
      if (toDate(next, startTzid, floatingZone, label, []) > horizon) break;
      if (count === MAX_OCCURRENCES) {
        problems.push(`${label} repeats more than ${MAX_OCCURRENCES} times; only the first ones were read.`);
        break;
      }
      count++;
      const details = event.getOccurrenceDetails(next);
      if (details.item !== event) {
        const moved = details.item.component;
        add(
          details.item,
          details.startDate,
          details.endDate,
          tzidOf(moved, 'dtend') ?? tzidOf(moved, 'dtstart'),
        );
      } else {
        const end = next.clone();
        end.addDuration(duration);
        add(event, next, end, startTzid);
      }
    }
  }
  if (backwards > 0 && out.length === 0) {
    problems.push(`${label} does not end after it starts; it was skipped.`);
  } else if (backwards > 0) {
    // A wall-clock occurrence can collapse inside a DST gap; drop just those and say how many.
    problems.push(`${label} has ${backwards} occurrence(s) that do not end after they start; skipped.`);
  }
  return out;
}

/**
 * Each occurrence lasts as long in wall-clock terms as the first one did, so a weekly Monday 09:00 to Monday
 * 09:00 rotation keeps ending at 09:00 local even when its first week spanned a DST change.
 */
function nominalDuration(event: IcalEvent): InstanceType<typeof ICAL.Duration> {
  const comp = event.component;
  if (comp.hasProperty('duration') || !comp.hasProperty('dtend')) return event.duration;
  if (tzidOf(comp, 'dtend') === tzidOf(comp, 'dtstart')) return event.endDate.subtractDate(event.startDate);
  return event.duration;
}

function tzidOf(comp: Component, prop: string): string | null {
  const value = comp.getFirstProperty(prop)?.getParameter('tzid');
  const tzid = Array.isArray(value) ? value[0] : value;
  return typeof tzid === 'string' && tzid !== '' ? tzid : null;
}

/**
 * ical.js resolves UTC and zones defined by a VTIMEZONE in the file. A TZID without a VTIMEZONE leaves the
 * time floating; if the TZID is an IANA name (Google Calendar omits VTIMEZONE at times) Luxon reads it.
 */
function toDate(
  time: Time,
  tzid: string | null,
  floatingZone: string,
  label: string,
  problems: string[],
): Date {
  const zoneName = time.zone?.tzid;
  if (zoneName && zoneName !== 'floating') return new Date(time.toUnixTime() * 1000);
  let zone = floatingZone;
  if (tzid && isValidZone(tzid)) zone = tzid;
  else if (tzid) {
    const note = `${label} uses the time zone "${tzid}" without defining it; its times were read in ${zone}.`;
    if (!problems.includes(note)) problems.push(note);
  }
  const { year, month, day } = time;
  const clock = time.isDate ? {} : { hour: time.hour, minute: time.minute, second: time.second };
  return DateTime.fromObject({ year, month, day, ...clock }, { zone }).toJSDate();
}

function describe(
  comp: Component,
): Pick<CalendarEvent, 'position' | 'userId' | 'name' | 'email' | 'shiftIndex'> {
  const summary = String(comp.getFirstPropertyValue('summary') ?? '');
  const tagged = String(comp.getFirstPropertyValue('x-srp-role') ?? '').toLowerCase();
  const position: OncallPosition =
    tagged === 'primary' || tagged === 'secondary'
      ? tagged
      : /secondary/i.test(summary)
        ? 'secondary'
        : 'primary';
  const user = String(comp.getFirstPropertyValue('x-srp-user') ?? '').trim();
  const shift = String(comp.getFirstPropertyValue('x-srp-shift') ?? '');
  const attendee = comp.getFirstProperty('attendee');
  const cnValue = attendee?.getParameter('cn');
  const cn = Array.isArray(cnValue) ? cnValue[0] : cnValue;
  const address = String(attendee?.getFirstValue() ?? '');
  return {
    position,
    userId: user === '' ? null : user,
    name: typeof cn === 'string' && cn.trim() !== '' ? cn.trim() : stripPrefix(summary),
    email: /^mailto:/i.test(address) ? address.slice('mailto:'.length) : null,
    shiftIndex: /^-?\d+$/.test(shift) ? Number(shift) : null,
  };
}

/** 'Primary oncall: Ada', 'On-call - Ada', 'Secondary: Ada' → 'Ada'. */
function stripPrefix(summary: string): string {
  return summary
    .replace(/^\s*(?:(?:primary|secondary)\s+on[\s-]?call|on[\s-]?call|primary|secondary)\s*[:–—-]\s*/i, '')
    .trim();
}

/**
 * Rebuilds segments from events: the inverse of scheduleToICal. Every event edge starts a new segment; a position
 * goes to the covering event that started last (later in the list on a tie), like an override layered on
 * top. Gaps between events become segments with nobody on call. Foreign events carry no shift number: 0.
 */
export function segmentsFromEvents(events: CalendarEvent[]): Segment[] {
  const valid = events.filter((e) => e.start < e.end);
  const times = [...new Set(valid.flatMap((e) => [e.start.getTime(), e.end.getTime()]))].sort(
    (a, b) => a - b,
  );
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const start = new Date(times[i] as number);
    const end = new Date(times[i + 1] as number);
    const covering = valid.filter((e) => e.start <= start && e.end >= end);
    const holder = (position: OncallPosition) =>
      covering
        .filter((e) => e.position === position)
        .reduce<CalendarEvent | undefined>((top, e) => (!top || e.start >= top.start ? e : top), undefined);
    const p = holder('primary');
    const s = holder('secondary');
    segments.push({
      start,
      end,
      primary: p?.userId ?? null,
      secondary: s?.userId ?? null,
      shiftIndex: p?.shiftIndex ?? s?.shiftIndex ?? segments.at(-1)?.shiftIndex ?? 0,
      primaryOverride: null,
      secondaryOverride: null,
    });
  }
  return segments;
}
