import { EXPORT_FORMATS, isExportFormat } from '../../services/exports.js';
import { escapeMrkdwn } from '../../views/format.js';
import { argsOf, BadInput } from '../parse.js';
import type { CommandRoute } from '../routes.js';
import { ackOutcome, readArgs } from './reply.js';

/** An export this long or longer (or one with a code fence of its own) is shared as a file. */
export const INLINE_EXPORT_MAX = 2_800;

export const exportRoutes: CommandRoute[] = [
  {
    name: 'export',
    usage: `export <incident id> ${EXPORT_FORMATS.join('|')}`,
    description:
      "An incident's CVE record, OSV record, the release team's CVE map, or its advisory or retrospective as Markdown; short ones shown to you, longer ones as a file in the security channel or your DM with srp. Before publication: members and its Fix Lead, in the security channel or a DM.",
    access: 'incident',
    async run({ ack, command, respond }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        const id = a.incident();
        const format = a.word(`the format: ${EXPORT_FORMATS.join(', ')}`).toLowerCase();
        if (!isExportFormat(format)) {
          throw new BadInput(
            `\`${escapeMrkdwn(format)}\` is not a format; use ${EXPORT_FORMATS.join(', ')}.`,
          );
        }
        return { id, format };
      });
      if (!input) return;
      const { exports } = services;
      const where = exports.channelProblem(input.id, command.channel_id);
      if (where) return void (await ackOutcome(ack, { ok: false, message: where }));
      const result = exports.exportIncident(input.id, input.format, { userId: command.user_id });
      if (!result.ok) return void (await ackOutcome(ack, { ok: false, message: result.message }));
      if (result.text.length < INLINE_EXPORT_MAX && !result.text.includes('```')) {
        await ack({
          response_type: 'ephemeral',
          text: `${result.filename}\n\`\`\`\n${escapeMrkdwn(result.text.replace(/\n$/, ''))}\n\`\`\``,
        });
        return;
      }
      // Uploading takes longer than Slack's 3 seconds: acknowledge first, then answer with the link.
      const there =
        command.channel_id === services.exports.securityChannel ? 'the security channel' : 'your DM with srp';
      await ack({ response_type: 'ephemeral', text: `Uploading ${result.filename} to ${there}…` });
      try {
        const link = await exports.share(command.user_id, command.channel_id, result, input.id);
        await respond({
          response_type: 'ephemeral',
          text: link
            ? `${result.filename}: <${link}|open the file>`
            : `${result.filename} is uploaded to ${there}.`,
        }).catch(() => {});
      } catch (err) {
        services.log.warn({ err, incidentId: input.id, format: input.format }, 'export upload failed');
        await respond({
          response_type: 'ephemeral',
          text: `:warning: ${result.filename} could not be uploaded; try again in a minute.`,
        }).catch(() => {});
      }
    },
  },
];
