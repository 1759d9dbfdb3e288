import {
  ASSIGNMENT_MODES,
  PER_ISSUE_ROLE_NAME,
  PER_ISSUE_ROLES,
  type PerIssueRole,
  perIssueRoleArg,
} from '../../domain/owners.js';
import { releaseManagersMessage, rolesMessage } from '../../views/owners.js';
import { argsOf, BadInput } from '../parse.js';
import type { CommandRoute } from '../routes.js';
import { ackDone, ackOutcome, readArgs } from './reply.js';

const ROLE_WORDS = PER_ISSUE_ROLES.map((r) => `\`${r}\``).join(', ');

/** The role as typed, or what was wrong with it. */
function roleWord(word: string): PerIssueRole {
  const role = perIssueRoleArg(word);
  if (!role) {
    throw new BadInput(`"${word.slice(0, 30)}" is not a per-issue role; say one of ${ROLE_WORDS}.`);
  }
  return role;
}

export const ownerRoutes: CommandRoute[] = [
  {
    name: 'releasemanagers',
    usage: 'releasemanagers',
    description:
      'The Release Managers: they see an incident from its release on and own its release-day steps.',
    access: 'committee',
    async run({ ack }, _rest, { owners }) {
      await ack({ response_type: 'ephemeral', ...releaseManagersMessage(owners.releaseManagers()) });
    },
  },
  {
    name: 'releasemanagers add',
    usage: 'releasemanagers add @user',
    description: 'Add someone to the Release Managers (they need not be on the committee).',
    access: 'member',
    async run({ ack, command }, rest, { owners }) {
      const userId = await readArgs(ack, this.usage, () => argsOf(rest).user('the Release Manager'));
      if (userId) await ackOutcome(ack, owners.addReleaseManager(command.user_id, userId));
    },
  },
  {
    name: 'releasemanagers remove',
    usage: 'releasemanagers remove @user',
    description: 'Remove someone from the Release Managers.',
    access: 'member',
    async run({ ack, command }, rest, { owners }) {
      const userId = await readArgs(ack, this.usage, () => argsOf(rest).user('the Release Manager'));
      if (userId) await ackOutcome(ack, owners.removeReleaseManager(command.user_id, userId));
    },
  },
  {
    name: 'roles',
    usage: 'roles [<role> rotation|queue @first @second ...]',
    description:
      'The 2018 per-issue roles (project_manager, triage, infra, disclosure): how each is assigned and who is up; members set one as a weekly rotation or a queue.',
    access: 'committee',
    async run({ ack, command }, rest, { owners, profile }) {
      if (!owners.perIssue) return void (await ackOutcome(ack, owners.noRoles().outcome));
      if (!rest.trim()) {
        await ack({ response_type: 'ephemeral', ...rolesMessage(owners.overview(), profile.name) });
        return;
      }
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const role = roleWord(a.word('the role'));
        const mode = a.oneOf(ASSIGNMENT_MODES);
        const order: string[] = [];
        while (a.peek() !== undefined) order.push(a.user('each member, in order'));
        if (order.length === 0) {
          throw new BadInput(`List who holds ${PER_ISSUE_ROLE_NAME[role]}, in order, e.g. @ada @bo.`);
        }
        return { role, mode, order };
      });
      if (!input) return;
      await ackOutcome(ack, owners.configure(command.user_id, input.role, input.mode, input.order));
    },
  },
  {
    name: 'role',
    usage: 'role <incident id> <role> @user <reason>',
    description: 'Give one of the 2018 per-issue roles on an incident to another member, with the reason.',
    access: 'member',
    async run({ ack, command }, rest, services) {
      const { owners, roles } = services;
      if (!owners.perIssue) return void (await ackOutcome(ack, owners.noRoles().outcome));
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return {
          incidentId: a.incident(),
          role: roleWord(a.word(`the role (${ROLE_WORDS})`)),
          to: a.user('the new holder'),
          reason: a.rest('a reason (it goes on the timeline)'),
        };
      });
      if (!input) return;
      await ackDone(
        ack,
        roles.reassign(command.user_id, input.incidentId, input.role, input.to, input.reason),
        services,
      );
    },
  },
];
