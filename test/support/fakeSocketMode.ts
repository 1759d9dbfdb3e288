// Socket Mode side of FakeSlack: a `ws` server on /socket of the same HTTP server.
// Protocol as @slack/socket-mode 3.x expects it: hello after connect, envelopes out, acks back.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

const ACK_TIMEOUT_MS = 5000;

interface PendingAck {
  resolve: (ack: SocketAck) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class FakeSocketMode {
  readonly acks: SocketAck[] = [];
  /** Every non-ack frame a client sent, for debugging protocol mistakes. */
  readonly unexpectedFrames: unknown[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly ready = new Set<WebSocket>();
  private readonly pending = new Map<string, PendingAck>();
  private connectionWaiters: Array<() => void> = [];

  constructor(
    server: Server,
    private readonly baseWsUrl: () => string,
    private readonly appId = 'A_FAKE',
  ) {
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  /** What apps.connections.open hands out; each ticket is good for one connection, as on Slack. */
  issueUrl(): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    return `${this.baseWsUrl()}/socket?ticket=${ticket}`;
  }

  connected(): boolean {
    return this.ready.size > 0;
  }

  connectionCount(): number {
    return this.ready.size;
  }

  waitForConnection(timeoutMs = 5000): Promise<void> {
    if (this.connected()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.connectionWaiters = this.connectionWaiters.filter((w) => w !== done);
        reject(new Error(`no Socket Mode client connected within ${timeoutMs}ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.connectionWaiters.push(done);
    });
  }

  /** Pushes an envelope to the newest connection and resolves with the client's ack. */
  send(
    type: EnvelopeType,
    payload: object,
    opts: { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<SocketAck> {
    const ws = [...this.ready].at(-1);
    if (!ws) return Promise.reject(new Error('FakeSocketMode.send: no connected Socket Mode client'));
    const envelope_id = randomUUID();
    const envelope = {
      envelope_id,
      type,
      payload,
      accepts_response_payload: true,
      ...(opts.retryAttempt !== undefined ? { retry_attempt: opts.retryAttempt } : {}),
      ...(opts.retryReason !== undefined ? { retry_reason: opts.retryReason } : {}),
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope_id);
        reject(new Error(`no ack for ${type} envelope ${envelope_id} within ${ACK_TIMEOUT_MS}ms`));
      }, ACK_TIMEOUT_MS);
      this.pending.set(envelope_id, { resolve, reject, timer });
      ws.send(JSON.stringify(envelope));
    });
  }

  /** Slack sends this before recycling a connection; the client should reconnect via apps.connections.open. */
  requestDisconnect(reason: 'warning' | 'refresh_requested' | 'link_disabled' = 'refresh_requested'): void {
    for (const ws of this.ready) {
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }));
    }
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('FakeSlack stopped before the envelope was acked'));
    }
    this.pending.clear();
    const closing = [...this.wss.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          // A client that never answers the close frame must not hold stop() hostage.
          const timer = setTimeout(() => ws.terminate(), 500);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1001, 'server shutting down');
        }),
    );
    await Promise.all(closing);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/socket' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    ws.on('message', (data, isBinary) => this.onFrame(data.toString(), isBinary));
    ws.on('close', () => this.ready.delete(ws));
    ws.on('error', () => this.ready.delete(ws));
    this.ready.add(ws);
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.ready.size,
        debug_info: { host: 'fake', approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    const waiters = this.connectionWaiters;
    this.connectionWaiters = [];
    for (const w of waiters) w();
  }

  private onFrame(text: string, isBinary: boolean): void {
    let msg: unknown;
    try {
      msg = isBinary ? undefined : JSON.parse(text);
    } catch {
      msg = undefined;
    }
    const envelopeId = (msg as { envelope_id?: unknown } | undefined)?.envelope_id;
    if (typeof envelopeId !== 'string') {
      this.unexpectedFrames.push(msg ?? text);
      return;
    }
    const ack: SocketAck = { envelope_id: envelopeId, payload: (msg as { payload?: unknown }).payload };
    this.acks.push(ack);
    const p = this.pending.get(envelopeId);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(envelopeId);
      p.resolve(ack);
    }
  }
}
