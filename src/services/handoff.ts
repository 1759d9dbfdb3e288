import type { Clock } from '../clock.js';
import { work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { RotationStore } from '../store/rotation.js';
import { handoffMessage, shiftDigest } from '../views/oncall.js';
import type { RoleService } from './roles.js';
import type { RotationService } from './rotation.js';

interface ShiftFacts {
  primary: string | null;
  secondary: string | null;
  until: string;
}

/**
 * Announces oncall handoffs. It compares who is on call now with the last shift it announced (a stored
 * snapshot), not the clock with a handoff time, so a handoff that happened while srp was down is
 * announced when it comes back, and one that was announced is never announced again. Moving the snapshot
 * and planning the post and the digest are one transaction, conditional on the snapshot it read, so of
 * two replicas only one plans them.
 */
export function handoffService(deps: {
  rotation: Pick<RotationService, 'now'>;
  store: RotationStore;
  roles: Pick<RoleService, 'digest'>;
  /** The Home tabs that say who is oncall, redrawn when the shift changes hands. */
  homes?: { oncallChanged(at: Date): string[] };
  dueWork: DueWorkStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
  securityChannel: string;
}) {
  return {
    /** A planner: when the shift changed hands since the last announcement, plans its post and digest. */
    planAnnouncement(): string[] {
      const current = deps.rotation.now();
      if (!current) return [];
      const seen = deps.store.snapshot();
      if (
        seen &&
        seen.shiftIndex === current.shiftIndex &&
        seen.primary === current.primary &&
        seen.secondary === current.secondary
      ) {
        return [];
      }
      const at = deps.clock.now();
      // The transition names the snapshot we saw and the pair we see, so it is planned once.
      const transition = `${seen?.announcedAt.getTime() ?? 0}>${current.shiftIndex}:${current.primary}:${current.secondary}`;
      const post = work.oncallHandoff(transition, current, at);
      const digest =
        current.primary && current.primary !== seen?.primary
          ? work.shiftDigest(transition, current.primary, current.until, at)
          : undefined;
      const planned = deps.transact(() => {
        const moved = deps.store.advanceSnapshot(seen, {
          shiftIndex: current.shiftIndex,
          primary: current.primary,
          secondary: current.secondary,
          announcedAt: at,
        });
        if (!moved) return false;
        deps.dueWork.enqueue(post, at);
        if (digest) deps.dueWork.enqueue(digest, at);
        return true;
      });
      if (!planned) return [];
      deps.log.info({ shift: current.shiftIndex }, 'oncall handoff planned');
      const homes = deps.homes?.oncallChanged(at) ?? [];
      return [...(digest ? [post.key, digest.key] : [post.key]), ...homes];
    },

    /** Due work: the handoff post in the security channel. */
    async postAnnouncement(row: DueWorkRow): Promise<void> {
      const shift = JSON.parse(row.payload ?? '{}') as ShiftFacts;
      await deps.outbox.post({
        key: row.key,
        kind: row.kind,
        channel: deps.securityChannel,
        sensitivity: 'generic',
        render: () => handoffMessage({ ...shift, until: new Date(shift.until) }),
      });
    },

    /** Due work: the incoming primary's digest, from indexed queries at the time it is sent. */
    async deliverDigest(row: DueWorkRow): Promise<void> {
      const { until } = JSON.parse(row.payload ?? '{}') as { until: string };
      await deps.outbox.directMessage({
        key: row.key,
        kind: row.kind,
        userId: row.subject,
        render: () =>
          shiftDigest({
            securityChannel: deps.securityChannel,
            until: new Date(until),
            ...deps.roles.digest(deps.clock.now()),
          }),
      });
    },
  };
}
