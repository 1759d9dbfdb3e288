import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The request's path and query, or undefined for a target no URL parser accepts (`GET //`). */
function targetOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://srp.local');
  } catch {
    return undefined;
  }
}

/**
 * The one HTTP server: `GET /healthz` and `GET /oncall.ics?token=` always; in HTTP mode
 * `POST /slack/events` goes to the Slack receiver; anything else is a plain 404. No request can
 * throw out of it: a target that is not a URL gets 400, and a fault while answering gets 500.
 */
export function createHttpServer(opts: {
  healthy: () => boolean;
  slack?: Listener;
  /** The oncall calendar for a feed token, or undefined when the token is wrong. */
  calendar?: (token: string) => string | undefined;
  /** Told of a fault while answering a request (never the request's body). */
  onError?: (err: unknown) => void;
}): Server {
  const route: Listener = (req, res) => {
    const url = targetOf(req);
    if (!url) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    if (req.method === 'GET' && url.pathname === '/oncall.ics' && opts.calendar) {
      const ics = opts.calendar(url.searchParams.get('token') ?? '');
      if (ics === undefined)
        return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(ics);
    }
    if (req.method === 'GET' && url.pathname === '/healthz') {
      const ok = opts.healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok }));
      return;
    }
    if (opts.slack && req.method === 'POST' && url.pathname === '/slack/events') return opts.slack(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  return createServer((req, res) => {
    try {
      route(req, res);
    } catch (err) {
      opts.onError?.(err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    }
  });
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections and waits for requests already in progress. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
