import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { Mailer, type OutboundEmail } from '../../src/outbox/mail.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/db.js';
import { emailStore } from '../../src/store/emails.js';
import { incidentStore } from '../../src/store/incidents.js';
import { TestClock } from '../support/clock.js';
import { startSmtpServer } from '../support/smtpServer.js';
import { tempDir } from '../support/tempDir.js';

const at = new Date('2026-12-01T10:00:00Z');
let tmp: ReturnType<typeof tempDir>;
let db: Db;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let incidentId: string;

function mailer(url = smtp.url) {
  return new Mailer({
    smtpUrl: url,
    from: 'Security <security@example.org>',
    store: emailStore(db),
    clock: new TestClock(at),
    log: createLogger('silent'),
  });
}

const email = (): OutboundEmail => ({
  key: `email:${incidentId}:distributors-email:abc`,
  incidentId,
  textId: 'distributors-email',
  to: ['distributors@example.org'],
  subject: '[EMBARGOED] CVE-2026-1234: a summary',
  body: 'Body line one.\nBody line two.',
});

describe('Mailer, over real SMTP', () => {
  beforeEach(async () => {
    tmp = tempDir();
    db = openDatabase(tmp.path('srp.db'));
    smtp = await startSmtpServer();
    incidentId = incidentStore(db).create(
      {
        summary: 's',
        description: 'd',
        components: 'c',
        arrival: 'other',
        arrivalRef: null,
        disclosure: 'private',
        reporterName: null,
        reporterContact: null,
        receivedAt: at,
        cveId: null,
      },
      { reportedBy: 'U1', sourceKey: 'view:V1', at },
    ).incident.id;
  });
  afterEach(async () => {
    await smtp.close();
    closeDatabase(db);
    tmp.cleanup();
  });

  it('sends once per key, with the Message-ID recorded before the send', async () => {
    const m = mailer();
    expect(await m.send(email())).toBe('sent');
    expect(await m.send(email())).toBe('already_sent');
    expect(smtp.received).toHaveLength(1);
    const row = m.get(email().key);
    expect(row?.state).toBe('sent');
    expect(smtp.received[0]?.raw).toContain(`Message-ID: ${row?.messageId}`);
    expect(smtp.received[0]?.raw).toContain('Subject: [EMBARGOED] CVE-2026-1234: a summary');
    expect(smtp.received[0]?.raw).not.toMatch(/text\/html/);
    m.close();
  });

  it('tries again after the server refused (nothing was taken), and then sends once', async () => {
    const m = mailer();
    smtp.refuseNext();
    await expect(m.send(email())).rejects.toThrow(/refused/);
    expect(m.get(email().key)?.state).toBe('failed');
    expect(await m.send(email())).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    m.close();
  });

  it('after a crash between recording and sending, asks instead of sending; sends once a person says so', async () => {
    const m = mailer();
    // The state a crash leaves: recorded, marked sending, no answer ever heard.
    const store = emailStore(db);
    store.record(
      { key: email().key, incidentId, textId: 'distributors-email', messageId: '<x@example.org>' },
      at,
    );
    store.move(email().key, ['pending'], 'sending');
    expect(await m.send(email())).toBe('unknown');
    expect(await m.send(email())).toBe('unknown');
    expect(smtp.received).toHaveLength(0);
    expect(m.allowResend(email().key, 'U_FIXLEAD')).toBe(true);
    expect(await m.send(email())).toBe('sent');
    expect(await m.send(email())).toBe('already_sent');
    expect(smtp.received).toHaveLength(1);
    m.close();
  });

  it('a connection cut mid-message is an unknown outcome, never sent again blindly', async () => {
    const m = mailer();
    smtp.dropNext();
    expect(await m.send(email())).toBe('unknown');
    expect(await m.send(email())).toBe('unknown');
    expect(m.confirmSent(email().key, 'U_FIXLEAD')).toBe(true);
    expect(await m.send(email())).toBe('already_sent');
    expect(smtp.received).toHaveLength(0);
    expect(m.get(email().key)).toMatchObject({ state: 'confirmed_sent', settledBy: 'U_FIXLEAD' });
    m.close();
  });

  it('no server listening: certainly not sent, so it is tried again later', async () => {
    const m = mailer('smtp://127.0.0.1:1');
    await expect(m.send(email())).rejects.toThrow(/refused/);
    expect(m.get(email().key)?.state).toBe('failed');
    m.close();
  });
});
