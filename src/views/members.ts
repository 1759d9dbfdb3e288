import type { CommitteeWarning, MemberLeave, Membership } from '../domain/committee.js';
import type { CommitteeRules } from '../domain/profiles/index.js';
import { context, escapeMrkdwn, header, section, slackDate } from './format.js';

/** What the roster shows of a person. */
interface MemberLine {
  userId: string;
  membership: Membership;
  company: string | null;
  tz: string | null;
}

/** `/srp members`: the committee at a glance, then every rule it breaks. */
export function membersMessage(v: {
  members: MemberLine[];
  leaves: MemberLeave[];
  warnings: CommitteeWarning[];
  profile: { name: string; committee: Pick<CommitteeRules, 'memberGoal' | 'maxCompanyShare'> };
  now: Date;
  /** The project's Release Managers (`/srp releasemanagers`), listed after the committee. */
  releaseManagers?: readonly string[];
}) {
  const line = (m: MemberLine) => {
    const leave = v.leaves.find((l) => l.userId === m.userId && l.end > v.now);
    const away = leave
      ? ` · :palm_tree: leave ${slackDate(leave.start, '{date_short}')}–${slackDate(leave.end, '{date_short}')}${leave.replacement ? ` (replacement <@${leave.replacement}>)` : ''}`
      : '';
    return `<@${m.userId}> · ${m.membership} · ${m.company ? escapeMrkdwn(m.company) : '_no affiliation_'} · ${m.tz ?? '_zone unknown_'}${away}`;
  };
  const full = v.members.filter((m) => m.membership === 'member');
  const associates = v.members.filter((m) => m.membership === 'associate');
  const blocks: object[] = [
    header(`Committee: ${full.length} members, ${associates.length} associates`),
    section(`*Members*\n${full.map(line).join('\n') || '_none_'}`),
  ];
  if (associates.length) blocks.push(section(`*Associates*\n${associates.map(line).join('\n')}`));
  if (v.releaseManagers?.length) {
    blocks.push(
      section(
        `*Release Managers* (they see incidents from their release on)\n${v.releaseManagers.map((u) => `<@${u}>`).join(' ')}`,
      ),
    );
  }
  blocks.push(
    section(
      v.warnings.length
        ? `*Rules broken*\n${v.warnings.map((w) => `:warning: ${w.message}`).join('\n')}`
        : ':white_check_mark: The committee meets every membership rule.',
    ),
    context(
      `Rules of the ${v.profile.name}: at least ${v.profile.committee.memberGoal} members; at most ${shareText(v.profile.committee.maxCompanyShare)} of member seats from one company.`,
    ),
  );
  return { text: `Committee: ${full.length} members`, blocks };
}

function shareText(share: number): string {
  const inverse = Math.round(1 / share);
  return Math.abs(1 / inverse - share) < 1e-9 ? `1/${inverse}` : `${Math.round(share * 100)}%`;
}
