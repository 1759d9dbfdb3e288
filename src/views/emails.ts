import type { RenderedText } from '../domain/disclosure/texts.js';
import type { OutboundMessage } from '../outbox/outbox.js';
import { escapeMrkdwn, section } from './format.js';

const NOTICE_NAMES = {
  advance: "the distributors' advance notice",
  release_day: "the distributors' release-day notice",
};

/** Without SMTP: the Fix Lead is told, under the card, that an approved email is due and how to send it. */
export function emailReminderReply(
  incidentId: string,
  text: Pick<RenderedText, 'title' | 'to'>,
  notice: 'advance' | 'release_day' | null,
  fixLead: string | null,
): OutboundMessage {
  const who = fixLead ? `<@${fixLead}>, ` : '';
  const what = notice ? NOTICE_NAMES[notice] : `the ${escapeMrkdwn(text.title)}`;
  const to = text.to ? ` to ${escapeMrkdwn(text.to)}` : '';
  const sent = notice ? ' and press *Sent* there' : '';
  return {
    text: `${incidentId}: an approved email is due`,
    blocks: [
      section(
        `:envelope: ${who}time to send ${what}${to}: copy the approved text from \`/srp drafts ${incidentId}\`, send it${sent}. (srp sends emails itself when SRP_SMTP_URL is set.)`,
      ),
    ],
  };
}

/** An email whose send was cut short: whoever checks says whether it went out (never sent again blindly). */
export function emailCheckReply(
  incidentId: string,
  emailKey: string,
  title: string,
  messageId: string,
  fixLead: string | null,
): OutboundMessage {
  const who = fixLead ? `<@${fixLead}>, please check` : 'Please check';
  return {
    text: `${incidentId}: did an email go out?`,
    blocks: [
      section(
        `:warning: srp stopped while sending the *${escapeMrkdwn(title)}* of ${incidentId}, so it does not know whether the mail server took it. ${who} the list's archive or your inbox for Message-ID \`${escapeMrkdwn(messageId)}\`, then say what happened. srp will not send it again until you do.`,
      ),
      {
        type: 'actions',
        block_id: `email-check:${incidentId}`,
        elements: [
          {
            type: 'button',
            action_id: 'email_was_sent',
            text: { type: 'plain_text', text: 'It went out' },
            value: emailKey,
          },
          {
            type: 'button',
            action_id: 'email_resend',
            style: 'danger',
            text: { type: 'plain_text', text: 'It did not: send it' },
            value: emailKey,
            confirm: {
              title: { type: 'plain_text', text: 'Send it again?' },
              text: { type: 'plain_text', text: 'Only if you checked that the first send did not arrive.' },
              confirm: { type: 'plain_text', text: 'Send' },
              deny: { type: 'plain_text', text: 'Cancel' },
            },
          },
        ],
      },
    ],
  };
}
