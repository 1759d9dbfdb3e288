import type { DistributorNotice } from '../../store/advisory.js';
import { DRAFT_ACTIONS, type DraftsView, draftsFile, draftsMessage } from '../../views/drafts.js';
import { argsOf } from '../parse.js';
import type { ActionRoute, CommandRoute, Services } from '../routes.js';
import { ackOutcome, readArgs, respondDone } from './reply.js';

/** The drafts of an incident as `viewer` sees them, or why there are none. */
function draftsView(services: Services, incidentId: string): DraftsView | string {
  const { approvals } = services;
  const current = approvals.currentTexts(incidentId);
  if (!current) {
    return `${incidentId} has no advisory record yet; its commander or Fix Lead writes it with \`/srp disclose ${incidentId}\`.`;
  }
  const state = approvals.state(incidentId, current);
  const noticeKinds = (['advance', 'release_day'] as const).filter((k) => approvals.noticeStep(k));
  return {
    incidentId,
    version: current.version.version,
    editedBy: current.version.editedBy,
    editedAt: current.version.editedAt,
    texts: current.texts,
    hash: current.hash,
    approval: {
      needed: state?.needed ?? 1,
      approvers: state?.approvers ?? [],
      approved: state?.approved ?? false,
    },
    blocking: current.blocking,
    targetAt: approvals.targetAt(incidentId),
    notices: approvals.notices(incidentId),
    noticeKinds,
    githubRepo: services.githubRepo,
  };
}

/** The message to show: every text in it, or (too long) a file in the security channel and a summary. */
async function draftsAnswer(services: Services, incidentId: string) {
  const view = draftsView(services, incidentId);
  if (typeof view === 'string') return { text: view };
  const message = draftsMessage(view);
  if (!message.tooLong) return { text: message.text, blocks: message.blocks };
  const content = draftsFile(incidentId, view.version, view.hash, view.texts);
  const link = await services.approvals.uploadDrafts(incidentId, content);
  const compact = draftsMessage({ ...view, fileLink: link ?? 'https://slack.com/' });
  return compact.tooLong
    ? { text: 'The texts could not be shown.' }
    : { text: compact.text, blocks: compact.blocks };
}

export const draftsRoutes: CommandRoute[] = [
  {
    name: 'drafts',
    usage: 'drafts <incident id>',
    description:
      'Every disclosure text of an incident, in full, to read and copy; Approve, "Sent" for the distributor notices, and Schedule (members, and its commander or Fix Lead; only you see it).',
    access: 'incident',
    async run({ ack, command, respond }, rest, services) {
      const id = await readArgs(ack, this.usage, () => argsOf(rest).incident());
      if (!id) return;
      if (!services.approvals.mayRead(command.user_id, id)) {
        await ackOutcome(ack, {
          ok: false,
          message: `The texts of ${id} are embargoed: members of the committee, and ${id}'s commander and Fix Lead, read them.`,
        });
        return;
      }
      // Answered only to the person who asked (ephemeral); a file, if needed, goes to the security channel.
      const view = draftsView(services, id);
      if (typeof view === 'string') return void (await ackOutcome(ack, view));
      const message = draftsMessage(view);
      if (!message.tooLong) {
        await ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks as never });
        return;
      }
      // Uploading takes longer than Slack's 3 seconds: acknowledge first, then answer with the link.
      await ack({
        response_type: 'ephemeral',
        text: `Uploading the texts of ${id} to the security channel…`,
      });
      const answer = await draftsAnswer(services, id);
      await respond({ response_type: 'ephemeral', ...answer } as never).catch(() => {});
    },
  },
];

const buttonValue = (args: Parameters<ActionRoute['run']>[0]) =>
  String((args.action as { value?: unknown }).value ?? '');

const noticeSent = (notice: DistributorNotice): ActionRoute => ({
  actionId: `${DRAFT_ACTIONS.noticeSent}_${notice}`,
  access: 'member',
  incidentFrom: 'block',
  async run(args, services, incidentId) {
    await args.ack();
    if (!incidentId) return;
    await respondDone(args, services.approvals.noticeSent(args.body.user.id, incidentId, notice), services);
  },
});

export const draftsActions: ActionRoute[] = [
  {
    actionId: DRAFT_ACTIONS.approve,
    access: 'member',
    incidentFrom: 'block',
    async run(args, services, incidentId) {
      await args.ack();
      if (!incidentId) return;
      const hash = buttonValue(args).split(':')[1] ?? '';
      const d = services.approvals.approve(args.body.user.id, incidentId, hash);
      await respondDone(args, d, services);
    },
  },
  noticeSent('advance'),
  noticeSent('release_day'),
  // An email whose send was cut short: the Fix Lead (or a member) says whether it went out.
  ...(['sent', 'resend'] as const).map(
    (outcome): ActionRoute => ({
      actionId: outcome === 'sent' ? 'email_was_sent' : 'email_resend',
      access: 'incident',
      incidentFrom: 'block',
      async run(args, services, incidentId) {
        await args.ack();
        if (!incidentId) return;
        await respondDone(
          args,
          services.emails.settle(args.body.user.id, buttonValue(args), outcome),
          services,
        );
      },
    }),
  ),
  {
    // A link button: Slack opens the URL and also tells srp, which has nothing to do.
    actionId: 'disclosure_open_github',
    access: 'anyone',
    async run(args) {
      await args.ack();
    },
  },
];
