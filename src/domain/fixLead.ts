import { type CommitteeMember, isOnLeave, type MemberLeave } from './committee.js';

export interface FixLeadAssignment {
  incidentId: string;
  userId: string;
  at: Date;
}

/**
 * Who should be Fix Lead for the next incident. "The role of Fix Lead should rotate round-robin across the SRC";
 * the 2018 document's Queue option says how to skip people: "If we can't contact them, or they have a good
 * reason not to, we go down the list."
 *
 * The rule is that queue. Candidates are members (associates lead only public disclosures) who are not on leave
 * at `at` and not in `exclude`; the one who led least recently goes next. People who never led come first, the
 * earlier joiner first, then by userId.
 * - With nobody away this is a strict cycle, in join order from the start.
 * - Whoever is skipped (on leave, excluded) keeps their place at the front, so they lead soon after, once;
 *   having just led, they go to the back and the cycle resumes. A leave is not a debt.
 * - Two members who are always available alternate, so their counts never differ by more than one.
 * Counting turns was considered. Over the last N assignments (N = candidates) the fewest-turns order always
 * matches the least-recent order, so it adds nothing. Over a longer window, someone back from leave would be
 * owed several make-up turns in a row.
 */
export function nextFixLead(args: {
  members: CommitteeMember[];
  leaves: MemberLeave[];
  /** Every turn, or only each member's last one (see lastTurns): the pick and its reason are the same. */
  history: FixLeadAssignment[];
  at: Date;
  exclude?: string[];
}): { userId: string; reason: string } | null {
  const { leaves, at, exclude = [] } = args;
  const members = args.members.filter((m) => m.membership === 'member');
  const away = members.filter((m) => isOnLeave(leaves, m.userId, at));
  const candidates = members.filter((m) => !away.includes(m) && !exclude.includes(m.userId));

  // The queue is ordered by each member's latest turn alone, so that is all this reads of the history.
  const turns = lastTurns(args.history.filter((a) => a.at <= at));
  const place = new Map(turns.map((turn, i) => [turn.userId, i]));
  const [chosen] = candidates
    // -1 puts those who never led ahead of everyone who has.
    .map((member) => ({ member, last: place.get(member.userId) ?? -1 }))
    .sort(
      (a, b) =>
        a.last - b.last ||
        a.member.joinedAt.getTime() - b.member.joinedAt.getTime() ||
        (a.member.userId < b.member.userId ? -1 : a.member.userId > b.member.userId ? 1 : 0),
    );
  if (!chosen) return null;
  const { userId } = chosen.member;
  const last = turns.find((turn) => turn.userId === userId);
  return { userId, reason: reasonFor(last, away) };
}

/**
 * Each person's most recent turn, oldest first; turns at the same instant keep their recorded order. It is
 * all nextFixLead needs, so a caller can load one row per member instead of every Fix Lead tenure ever. Give
 * it the turns up to the time you ask about: a later turn would hide the earlier one that counts then.
 */
export function lastTurns(history: FixLeadAssignment[]): FixLeadAssignment[] {
  // Array.prototype.sort is stable, which is what keeps ties in recorded order.
  const sorted = [...history].sort((a, b) => a.at.getTime() - b.at.getTime());
  const latest = new Map(sorted.map((turn, i) => [turn.userId, i]));
  return sorted.filter((turn, i) => latest.get(turn.userId) === i);
}

function reasonFor(last: FixLeadAssignment | undefined, away: CommitteeMember[]): string {
  const record = last ? `last led on ${last.at.toISOString().slice(0, 10)}` : 'has not led yet';
  const skipped = away.length ? `; skipping ${away.map((m) => `<@${m.userId}>`).join(', ')} (on leave)` : '';
  return `next in the round-robin: ${record}${skipped}`;
}
