import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { RotationStore } from '../store/rotation.js';
import { handoffMessage, shiftDigest } from '../views/oncall.js';
import type { RoleService } from './roles.js';
import type { RotationService } from './rotation.js';

/**
 * Announces oncall handoffs. It compares who is on call now with the last
 * shift it announced (a stored snapshot), not the clock with a handoff time,
 * so a handoff that happened while srp was down is announced when it comes
 * back, and one that was announced is never announced again.
 */
export function handoffService(deps: {
  rotation: RotationService;
  store: RotationStore;
  roles: RoleService;
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  securityChannel: string;
}) {
  return {
    async announceIfChanged(): Promise<boolean> {
      const current = deps.rotation.now();
      if (!current) return false;
      const seen = deps.store.snapshot();
      if (
        seen &&
        seen.shiftIndex === current.shiftIndex &&
        seen.primary === current.primary &&
        seen.secondary === current.secondary
      ) {
        return false;
      }
      // The key names the transition (from the snapshot we saw to the pair we see), so retries and a
      // second runner post under the same key and the outbox lets only one through.
      const key = `${seen?.announcedAt.getTime() ?? 0}>${current.shiftIndex}:${current.primary}:${current.secondary}`;
      await deps.outbox.deliverOnce(`handoff:${key}`, deps.securityChannel, 'generic', () =>
        handoffMessage(current),
      );
      if (current.primary && current.primary !== seen?.primary) {
        const primary = current.primary;
        await deps.outbox.directMessage(`digest:${key}`, primary, () =>
          shiftDigest({
            securityChannel: deps.securityChannel,
            until: current.until,
            ...deps.roles.digest(deps.clock.now()),
          }),
        );
      }
      deps.store.advanceSnapshot(seen, {
        shiftIndex: current.shiftIndex,
        primary: current.primary,
        secondary: current.secondary,
        announcedAt: deps.clock.now(),
      });
      deps.log.info({ shift: current.shiftIndex }, 'announced an oncall handoff');
      return true;
    },
  };
}
