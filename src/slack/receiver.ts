import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  type Logger as BoltLogger,
  type BufferedIncomingMessage,
  defaultBodyLimit,
  HTTPResponseAck,
  HTTPModuleFunctions as http,
  isRawBodyError,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import { faultOf, type Logger } from '../logger.js';
import type { Gate, Verdict } from './payloads.js';

type Answer = Exclude<Verdict, { pass: true }>;

/** A request answered before Bolt: the ack's body for a 200, else the status with its short reason. */
function answer(res: ServerResponse, verdict: Answer): void {
  if (verdict.status === 200) http.buildContentResponse(res, verdict.answer);
  else res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(verdict.reason);
}

/**
 * POST /slack/events in HTTP mode. Bolt's HTTPReceiver runs verify → parse → ssl_check/url_verification →
 * processEvent inside one closure with no seam, and reads the parsed body before any check (a JSON `null`
 * throws there, unhandled). This receiver takes the same steps with Bolt's own exported parts (its
 * verification, its parser and content-type rules, its ack with the 3-second watchdog), once each, and
 * puts srp's gate between parsing and dispatch:
 *
 * - body over 4 MB → 413, closing the connection; signature missing, wrong or stale → 401, empty (as Bolt);
 * - a body that does not parse → 400; one the gate refuses → 400 with a short reason, no route → 404;
 *   ssl_check, url_verification, and events srp does not take → 200 here;
 * - anything else → Bolt, with an ack that answers at once (processBeforeResponse: false).
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;

  constructor(
    private readonly opts: { signingSecret: string; gate: Gate; logger: BoltLogger; log: Logger },
  ) {}

  readonly requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    this.handle(req, res).catch((err: unknown) => {
      this.opts.log.error({ fault: faultOf(err) }, 'a Slack request failed in the receiver');
      if (!res.headersSent) http.buildNoBodyResponse(res, 500);
    });
  };

  init(app: App): void {
    this.app = app;
  }

  /** srp's own server (server.ts) listens and closes; there is nothing to start or stop here. */
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger } = this.opts;
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await http.parseAndVerifyHTTPRequest(
        { signingSecret: this.opts.signingSecret, bodyLimit: defaultBodyLimit },
        req,
      );
    } catch (err) {
      // Answered before the body is read: the connection is closed, not reused mid-body.
      if (isRawBodyError(err) && (err.type === 'entity.too.large' || err.statusCode === 413))
        return void res.writeHead(413, { connection: 'close' }).end();
      logger.warn(`Failed to parse and verify the request data: ${(err as Error).message}`);
      return http.buildNoBodyResponse(res, 401);
    }
    let body: unknown;
    try {
      body = http.parseHTTPRequestBody(buffered);
    } catch {
      // Not logged with its message: a JSON SyntaxError quotes the body, which may hold a report.
      return answer(res, { pass: false, status: 400, reason: 'malformed request: the body does not parse' });
    }
    const verdict = this.opts.gate(body, http.extractRetryNumFromHTTPRequest(req));
    if (!verdict.pass) return answer(res, verdict);

    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body as Record<string, unknown>,
      httpResponse: res,
    });
    const send = ack.bind();
    let acked = false;
    const event: ReceiverEvent = {
      body: body as Record<string, unknown>,
      ack: (response) => {
        acked = true;
        return send(response);
      },
    };
    try {
      await this.app?.processEvent(event);
    } catch (error) {
      // Bolt's own answer to a throw in processEvent: 401 for an authorization error, else 500.
      await http.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: undefined,
      });
      ack.ack();
      return;
    }
    // Every listener acks; one that finished without doing so failed (app.error logged why). Say so now
    // rather than after Bolt's 3-second watchdog.
    if (!acked && !res.headersSent) {
      ack.ack();
      this.opts.log.error({ kind: verdict.kind }, 'a Slack request was not acknowledged by its listener');
      http.buildNoBodyResponse(res, 500);
    }
  }
}

/**
 * Socket Mode: the same gate, between SocketModeReceiver and the app. A receiver hands every payload to
 * `app.processEvent` (the Receiver contract), so it is given the app with a processEvent that checks
 * first. A refused envelope is acked empty, since Slack delivers an unacked one again, and goes no further.
 */
export function gated(inner: Receiver, gate: Gate): Receiver {
  return {
    init(app: App) {
      const checked: App = Object.create(app);
      checked.processEvent = async (event: ReceiverEvent) => {
        const verdict = gate(event.body, event.retryNum);
        if (verdict.pass) return app.processEvent(event);
        await event.ack(verdict.status === 200 ? verdict.answer : undefined);
      };
      inner.init(checked);
    },
    start: (...args: unknown[]) => inner.start(...args),
    stop: (...args: unknown[]) => inner.stop(...args),
  };
}
