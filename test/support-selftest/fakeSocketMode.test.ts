// Socket Mode side of FakeSlack, exercised with the real @slack/socket-mode client (as Bolt uses it).
import { SocketModeClient } from '@slack/socket-mode';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fakeSlack.js';
import { silentLogger } from '../support/silentLogger.js';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function setup() {
  fake = await FakeSlack.start({ users: [{ id: 'U1', name: 'alice' }] });
  const client = new WebClient('xoxb-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentLogger(),
  });
  return { fake, client };
}

describe('FakeSlack Socket Mode', () => {
  it('lets a real SocketModeClient connect, receive an envelope and ack it', async () => {
    const { fake } = await setup();
    const socketClient = new SocketModeClient({
      appToken: 'xapp-1-test',
      logger: silentLogger(),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    const received: unknown[] = [];
    socketClient.on('slash_commands', async ({ ack, body }) => {
      received.push(body);
      await ack({ text: 'got it' });
    });
    try {
      await socketClient.start();
      await fake.socket.waitForConnection();
      expect(fake.socket.connected()).toBe(true);
      expect(fake.okCallsTo('apps.connections.open')[0]?.token).toBe('xapp-1-test');

      const ack = await fake.socket.send('slash_commands', { command: '/srp', text: 'help', user_id: 'U1' });
      expect(ack.payload).toEqual({ text: 'got it' });
      expect(received).toEqual([{ command: '/srp', text: 'help', user_id: 'U1' }]);
      expect(fake.socket.acks).toEqual([ack]);
    } finally {
      await socketClient.disconnect();
    }
    await fake.waitFor(() => !fake.socket.connected(), 2000, 'socket close');
  });

  it('makes the client reconnect with a fresh URL after a disconnect message', async () => {
    const { fake } = await setup();
    const socketClient = new SocketModeClient({
      appToken: 'xapp-1-test',
      logger: silentLogger(),
      clientPingTimeout: 100, // the reconnect delay is derived from it
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    socketClient.on('events_api', async ({ ack }) => ack());
    try {
      await socketClient.start();
      fake.socket.requestDisconnect();
      // The client opened a second connection after the disconnect (and only one more).
      await fake.waitFor(() => fake.okCallsTo('apps.connections.open').length >= 2, 3000, 'reconnect');
      expect(fake.okCallsTo('apps.connections.open')).toHaveLength(2);
      await fake.socket.waitForConnection();
      expect(fake.socket.connectionCount()).toBe(1);
      const ack = await fake.socket.send('events_api', {
        type: 'event_callback',
        event: { type: 'events_api' },
      });
      expect(ack.envelope_id).toBeTruthy();
    } finally {
      await socketClient.disconnect();
    }
  });

  it('stop() closes live sockets and keep-alive connections promptly', async () => {
    const { fake: local, client } = await setup();
    fake = undefined; // stopped by the test itself
    await client.auth.test(); // leaves a keep-alive HTTP connection open
    const socketClient = new SocketModeClient({
      appToken: 'xapp-1-test',
      logger: silentLogger(),
      autoReconnectEnabled: false,
      clientOptions: { slackApiUrl: local.apiUrl, retryConfig: { retries: 0 } },
    });
    await socketClient.start();
    const closed = new Promise((resolve) => socketClient.once('disconnected', resolve));
    const started = Date.now();
    await local.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await closed;
    expect(local.socket.connected()).toBe(false);
  });

  it('rejects send() when nobody is connected', async () => {
    const { fake } = await setup();
    await expect(fake.socket.send('events_api', {})).rejects.toThrow(/no connected Socket Mode client/);
  });
});
