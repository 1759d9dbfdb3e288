import { randomUUID } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { EmailRow, EmailStore } from '../store/emails.js';

export interface OutboundEmail {
  /** What the email is (`email:<incident>:<text>:<hash>`): sent once per key. */
  key: string;
  incidentId: string;
  textId: string;
  to: string[];
  cc?: string[];
  subject: string;
  /** Plain text: the rendered template, already inert (no HTML part is ever sent). */
  body: string;
}

/**
 * What became of a send. `unknown`: an earlier attempt stopped between recording the email and hearing
 * the server's answer, so the server may or may not have taken it; srp does not send it again on its
 * own, a person checks and says (`confirmSent` or `allowResend`).
 */
export type MailOutcome = 'sent' | 'already_sent' | 'unknown';

/** An SMTP error after which the server has certainly not taken the message: safe to try again. */
function certainlyNotSent(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string; message?: string };
  // The server answered with a refusal (of the envelope, or of the message at the end of DATA).
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return true;
  // No connection was ever made, or the server would not let srp in: no message was begun. (A connection
  // closed once it was open, ECONNECTION, may have been closed after the server took the message.)
  if (e.code === 'EDNS' || e.code === 'EAUTH') return true;
  return (
    e.code === 'ESOCKET' && /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH)\b/.test(e.message ?? '')
  );
}

export class MailUnavailable extends Error {
  readonly code = 'srp_mail_failed';
}

/**
 * Every email srp sends goes through here: recorded with its Message-ID before the SMTP call, marked
 * `sending` just before it and `sent` after. An attempt that finds its email `sending` knows an earlier
 * one died mid-send: it marks it `unknown` and does not send.
 */
export class Mailer {
  private readonly transport: Transporter;

  constructor(
    private readonly deps: {
      smtpUrl: string;
      from: string;
      store: EmailStore;
      clock: Clock;
      log: Logger;
    },
  ) {
    // One connection per send and no pool: a send is a handful of messages per incident.
    this.transport = createTransport(deps.smtpUrl);
  }

  /** The Message-ID's right-hand side: the sender's domain, so list archives thread it sensibly. */
  private messageId(): string {
    const domain = /@([^>\s]+)/.exec(this.deps.from)?.[1] ?? 'srp.invalid';
    return `<${randomUUID()}@${domain}>`;
  }

  async send(e: OutboundEmail): Promise<MailOutcome> {
    const { store, clock, log } = this.deps;
    const row = store.record(
      { key: e.key, incidentId: e.incidentId, textId: e.textId, messageId: this.messageId() },
      clock.now(),
    );
    if (row.state === 'sent' || row.state === 'confirmed_sent') return 'already_sent';
    if (row.state === 'sending' || row.state === 'unknown') {
      store.move(e.key, ['sending'], 'unknown');
      return 'unknown';
    }
    // pending, failed, or a person said to send it again.
    if (!store.move(e.key, ['pending', 'failed', 'resend'], 'sending', { attempts: row.attempts + 1 })) {
      return 'unknown';
    }
    try {
      await this.transport.sendMail({
        messageId: row.messageId,
        from: this.deps.from,
        to: e.to,
        cc: e.cc,
        subject: e.subject,
        text: e.body,
        // Plain text only; no tracking, no HTML alternative made from user text.
        disableUrlAccess: true,
        disableFileAccess: true,
      });
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      if (certainlyNotSent(err)) {
        store.move(e.key, ['sending'], 'failed', { lastError: code });
        // Never the recipients' text or the subject in a log line: the key and the error code only.
        log.warn({ key: e.key, code }, 'the SMTP server refused an email; it will be tried again');
        throw new MailUnavailable(`the SMTP server refused it (${code})`);
      }
      store.move(e.key, ['sending'], 'unknown', { lastError: code });
      log.warn({ key: e.key, code }, 'an email may or may not have been sent; asking a person');
      return 'unknown';
    }
    store.move(e.key, ['sending'], 'sent', { sentAt: clock.now() });
    return 'sent';
  }

  /** A person checked and the email did go out: it is never sent again. */
  confirmSent(key: string, by: string): boolean {
    return this.deps.store.move(key, ['unknown'], 'confirmed_sent', {
      settledBy: by,
      settledAt: this.deps.clock.now(),
    });
  }

  /** A person checked and it did not go out: the next attempt sends it. */
  allowResend(key: string, by: string): boolean {
    return this.deps.store.move(key, ['unknown'], 'resend', {
      settledBy: by,
      settledAt: this.deps.clock.now(),
    });
  }

  get(key: string): EmailRow | undefined {
    return this.deps.store.get(key);
  }

  close(): void {
    this.transport.close();
  }
}
