import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on a free local port, for tests: it keeps every message it accepted. `refuseNext`
 * makes it answer the next message with a 550; `dropNext` closes the connection while the message is
 * being received (the client cannot know whether it was taken), as a crash or a cut line would.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  let refuse = 0;
  let drop = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      if (drop > 0) {
        drop -= 1;
        stream.once('data', () => {
          // Cut the connection mid-message, without answering.
          for (const c of server.connections as Set<{ _socket: { destroy(): void } }>) c._socket.destroy();
        });
        stream.resume();
        return;
      }
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse > 0) {
          refuse -= 1;
          const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
          callback(err);
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: () => {
      refuse += 1;
    },
    dropNext: () => {
      drop += 1;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
