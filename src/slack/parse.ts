import { z } from 'zod';
import { parseIncidentId } from '../domain/incident.js';

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

/**
 * What srp keeps in a modal's private_metadata. The edge (slack/payloads.ts) refuses a payload whose
 * metadata is not JSON of this shape, so handlers only ever read what srp wrote; an empty or missing
 * value reads as empty, and the route answers that the form lost track of its incident.
 */
const modalMetadata = z.object({
  incidentId: z.string().optional(),
  answers: z.record(z.string(), z.unknown()).optional(),
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
