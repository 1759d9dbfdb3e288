import { z } from 'zod';
import { parseIncidentId } from '../domain/incident.js';
import { PHASES } from '../domain/phases.js';
import { REPORT_FORMS } from '../domain/report.js';
import { escapeMrkdwn } from '../views/format.js';

/**
 * Reading `/srp` arguments. The manifest sets should_escape, so Slack sends a
 * mention as `<@U123|name>`; a bare user id is accepted too.
 */
const USER = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{6,})$/;

export function userArg(word: string | undefined): string | undefined {
  const m = word ? USER.exec(word) : null;
  return m ? (m[1] ?? m[2]) : undefined;
}

export function words(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

export function incidentArg(word: string | undefined): string | undefined {
  return word ? parseIncidentId(word) : undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` day as the instant it starts in UTC; leave is recorded in whole days. */
export function dateArg(word: string | undefined): Date | undefined {
  const m = word ? DATE.exec(word) : null;
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCDate() === Number(m[3]) ? d : undefined;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** `monday`, `mon` or `1` → 1 (ISO weekday). */
export function weekdayArg(word: string | undefined): number | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase();
  if (/^[1-7]$/.test(w)) return Number(w);
  const i = WEEKDAYS.findIndex((d) => w.length >= 3 && d.startsWith(w));
  return i >= 0 ? i + 1 : undefined;
}

/** What was wrong with a command's arguments, said so that the person can fix it. */
export class BadInput extends Error {}

const quoted = (word: string) => `"${escapeMrkdwn(word.length > 40 ? `${word.slice(0, 40)}…` : word)}"`;

/**
 * Reads a command's arguments in order; each reader names what it expected when the word is missing or
 * wrong (`Dates are YYYY-MM-DD, e.g. 2026-12-24 (not "24.12.")`), so the answer says what to fix
 * rather than repeating the usage line.
 */
export function argsOf(text: string) {
  const all = words(text);
  let at = 0;
  const next = () => all[at++];
  return {
    /** The next word, lowercased, without taking it. */
    peek: () => all[at]?.toLowerCase(),
    incident(): string {
      const word = next();
      if (!word) throw new BadInput('Give the incident id, e.g. SRP-2026-001.');
      const id = incidentArg(word);
      if (!id) throw new BadInput(`${quoted(word)} is not an incident id; they look like SRP-2026-001.`);
      return id;
    },
    user(who: string): string {
      const word = next();
      if (!word) throw new BadInput(`Mention ${who}, e.g. @ada.`);
      const id = userArg(word);
      if (!id) throw new BadInput(`${quoted(word)} is not a person: mention ${who} with @.`);
      return id;
    },
    optionalUser(who: string): string | undefined {
      return all[at] === undefined ? undefined : this.user(who);
    },
    oneOf<T extends string>(options: readonly T[]): T {
      const word = next();
      const found = options.find((o) => o === word?.toLowerCase());
      if (found) return found;
      const choices = options.map((o) => `\`${o}\``).join(' or ');
      throw new BadInput(`Say ${choices}${word ? ` (not ${quoted(word)})` : ''}.`);
    },
    date(what: string): Date {
      const word = next();
      const day = dateArg(word);
      if (day) return day;
      throw new BadInput(
        `Dates are YYYY-MM-DD, e.g. 2026-12-24: give ${what}${word ? ` (not ${quoted(word)})` : ''}.`,
      );
    },
    word(what: string): string {
      const word = next();
      if (!word) throw new BadInput(`Give ${what}.`);
      return word;
    },
    /** Everything left, as typed (a reason, a vector, a company's name). */
    rest(what: string): string {
      const text = all.slice(at).join(' ');
      at = all.length;
      if (!text) throw new BadInput(`${what[0]?.toUpperCase()}${what.slice(1)} is needed.`);
      return text;
    },
    optionalRest(): string | undefined {
      const text = all.slice(at).join(' ');
      at = all.length;
      return text || undefined;
    },
  };
}

/**
 * What srp keeps in a modal's private_metadata. The edge (slack/payloads.ts) refuses a payload whose
 * metadata is not JSON of this shape, so handlers only ever read what srp wrote; an empty or missing
 * value reads as empty, and the route answers that the form lost track of its incident.
 */
const modalMetadata = z.object({
  incidentId: z.string().optional(),
  answers: z.record(z.string(), z.unknown()).optional(),
  /** Which report form was shown; the submission re-checks it against who submits. */
  form: z.enum(REPORT_FORMS).optional(),
  /** The phase a form moves an incident to (the reason form for a move that leaves steps open). */
  to: z.enum(PHASES).optional(),
  /** The version of a record the form opened on (the advisory record; 0: none yet). */
  version: z.number().int().nonnegative().optional(),
});
export type ModalMetadata = z.infer<typeof modalMetadata>;

/** The metadata, or undefined when it is not what srp writes (not JSON, or of another shape). */
function readMetadata(raw: string): ModalMetadata | undefined {
  if (raw === '') return {};
  try {
    const parsed = modalMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function parseMetadata(raw: unknown): ModalMetadata {
  return (typeof raw === 'string' ? readMetadata(raw) : undefined) ?? {};
}

/** Whether a private_metadata is one srp could have written: empty, or JSON of the metadata's shape. */
export function isModalMetadata(raw: string): boolean {
  return readMetadata(raw) !== undefined;
}
