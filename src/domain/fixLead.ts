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
  history: FixLeadAssignment[];
  at: Date;
  exclude?: string[];
}): { userId: string; reason: string } | null {
  const { leaves, at, exclude = [] } = args;
  const members = args.members.filter((m) => m.membership === 'member');
  const away = members.filter((m) => isOnLeave(leaves, m.userId, at));
  const candidates = members.filter((m) => !away.includes(m) && !exclude.includes(m.userId));

  // Stable sort: assignments recorded at the same instant keep their recorded order.
  const history = args.history.filter((a) => a.at <= at).sort((a, b) => a.at.getTime() - b.at.getTime());
  const lastTurn = (m: CommitteeMember) => history.findLastIndex((a) => a.userId === m.userId);
  const [chosen] = candidates
    .map((member) => ({ member, last: lastTurn(member) }))
    .sort(
      (a, b) =>
        a.last - b.last ||
        a.member.joinedAt.getTime() - b.member.joinedAt.getTime() ||
        (a.member.userId < b.member.userId ? -1 : a.member.userId > b.member.userId ? 1 : 0),
    );
  if (!chosen) return null;
  const userId = chosen.member.userId;
  return { userId, reason: reasonFor(userId, history, away) };
}

function reasonFor(userId: string, history: FixLeadAssignment[], away: CommitteeMember[]): string {
  const theirs = history.filter((a) => a.userId === userId);
  const last = theirs.at(-1);
  const record = last
    ? `${theirs.length} Fix Lead${theirs.length === 1 ? '' : 's'} so far, last on ${last.at.toISOString().slice(0, 10)}`
    : 'no Fix Lead turn yet';
  const skipped = away.length ? `; skipping ${away.map((m) => `<@${m.userId}>`).join(', ')} (on leave)` : '';
  return `next in the round-robin: ${record}${skipped}`;
}
