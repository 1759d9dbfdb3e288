import { PER_ISSUE_ROLE_NAME } from '../domain/owners.js';
import type { RoleOverview } from '../services/owners.js';
import { context, header, section, slackDate } from './format.js';

const mention = (u: string | null) => (u ? `<@${u}>` : '_nobody available_');

/** `/srp releasemanagers`: the roster, and what being on it means. */
export function releaseManagersMessage(userIds: readonly string[]) {
  const text = userIds.length
    ? `Release Managers: ${userIds.map((u) => `<@${u}>`).join(' ')}`
    : 'No Release Managers yet.';
  return {
    text,
    blocks: [
      section(
        userIds.length
          ? `*Release Managers*\n${userIds.map((u) => `<@${u}>`).join(' ')}`
          : '*Release Managers*\n_nobody yet_',
      ),
      context(
        'They see an incident from its release on (release, retrospective, closed after release) and own its release-day steps; members add them with `/srp releasemanagers add @user`.',
      ),
    ],
  };
}

/** `/srp roles`: each of the 2018 per-issue roles, how it is assigned, and who is up now and next. */
export function rolesMessage(roles: readonly RoleOverview[], processName: string) {
  const line = (r: RoleOverview): string => {
    const name = `*${PER_ISSUE_ROLE_NAME[r.role]}*`;
    if (!r.rule)
      return `${name}: not assigned automatically; give it with \`/srp role <incident id> ${r.role} @user <reason>\`.`;
    const order = r.rule.order.map((u) => `<@${u}>`).join(', ');
    if (r.rule.mode === 'rotation') {
      const until = r.weekEnds ? ` (until ${slackDate(r.weekEnds)})` : '';
      return `${name}: weekly rotation of ${order}. This week${until}: primary ${mention(r.now)}, secondary ${mention(r.next)}.`;
    }
    return `${name}: queue of ${order}. Next incident: ${mention(r.now)}${r.next ? `, then <@${r.next}>` : ''}.`;
  };
  return {
    text: 'Per-issue roles',
    blocks: [
      header('Per-issue roles'),
      section(roles.map(line).join('\n')),
      context(
        `The ${processName} process: each role goes to one member per incident, by a weekly primary and secondary (\`/srp roles <role> rotation @a @b …\`) or a queue whose top takes the next incident (\`/srp roles <role> queue @a @b …\`). Someone on leave is passed over.`,
      ),
    ],
  };
}
