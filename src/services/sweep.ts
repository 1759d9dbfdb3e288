import type { Clock } from '../clock.js';
import type { WorkItem } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { DueWorkStore } from '../store/dueWork.js';
import type { IncidentStore } from '../store/incidents.js';
import type { MetaStore } from '../store/meta.js';

/** Open incidents re-armed per transaction, between yields to the event loop. */
const SLICE = 500;

/**
 * After an upgrade that changes what every open incident's due work should be (how cards look, how
 * nudges are planned), re-arms that work for each open incident, once per `version`: in slices, yielding
 * between them so requests are answered meanwhile; the runner then does the work paced. Returns how many
 * incidents it marked (0 when this version was done before).
 */
export async function sweepOpenIncidents(
  deps: { incidents: IncidentStore; dueWork: DueWorkStore; meta: MetaStore; clock: Clock; log: Logger },
  what: { metaKey: string; version: number; item: (incidentId: string, at: Date) => WorkItem; note: string },
): Promise<number> {
  if (deps.meta.get(what.metaKey) === String(what.version)) return 0;
  let after = '';
  let marked = 0;
  for (;;) {
    const ids = deps.incidents.openIdsAfter(after, SLICE);
    if (ids.length === 0) break;
    const now = deps.clock.now();
    deps.dueWork.rearmMany(
      ids.map((id) => what.item(id, now)),
      now,
    );
    marked += ids.length;
    after = ids.at(-1) as string;
    await new Promise((r) => setImmediate(r));
  }
  deps.meta.set(what.metaKey, String(what.version));
  if (marked) deps.log.info({ incidents: marked, version: what.version }, what.note);
  return marked;
}
