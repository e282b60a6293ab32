import { request, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sendBadGateway } from './pages';
import { clientResponseHeaders, replaceListingHeaders, upstreamRequestHeaders } from './proxy-headers';
import { upstreamAt, type LiveRoute, type RouteTable } from './route-table';
import type { UpstreamAgents } from './upstream-agents';

export interface ProxyTarget {
  host: string;
  requestId: string;
  live: LiveRoute;
  routes: RouteTable;
  agents: UpstreamAgents;
  /** Listing hosts only: the `slipway-*` headers the app receives instead of the consumer's credentials (marketplace/listing-proxy.ts). */
  forwarded?: Record<string, string>;
  /** Listing hosts only: told the app's status when its response head arrives (metering bills only calls the app answered). */
  onUpstreamResponse?: (status: number) => void;
}

function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

/**
 * May this failure be retried on the next replica? Only when the client's request cannot have
 * reached the app: the connection was refused, or a pooled keep-alive socket turned out to be
 * closed by the app before it read a request that has no body.
 */
function retryable(err: NodeJS.ErrnoException, upReq: ClientRequest, bodyTouched: boolean): boolean {
  if (err.code === 'ECONNREFUSED') return !bodyTouched;
  return err.code === 'ECONNRESET' && upReq.reusedSocket && !bodyTouched;
}

/**
 * Proxy one request to the route's next replica, streaming both bodies (nothing is buffered).
 * The client's body is only read once the upstream socket is connected, so a refused
 * connection can still be retried on the next replica. Errors before the response → 502 page;
 * after it started → the client connection is cut (never a clean-looking truncated body).
 */
export function proxyHttp(req: IncomingMessage, res: ServerResponse, target: ProxyTarget): void {
  const { live, requestId } = target;
  const first = target.routes.nextIndex(live);
  const headers = upstreamRequestHeaders(req, requestId);
  if (target.forwarded) replaceListingHeaders(headers, target.forwarded);
  const withBody = hasBody(req);
  let current: ClientRequest | undefined;

  res.on('close', () => {
    if (!res.writableFinished) current?.destroy(); // the client went away: stop the upstream work
  });

  const attempt = (n: number): void => {
    const upstream = upstreamAt(live, first, n);
    let bodyTouched = false;
    const upReq = request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers, agent: target.agents.get(upstream) });
    current = upReq;

    const send = () => {
      if (!withBody) return void upReq.end();
      bodyTouched = true;
      req.pipe(upReq);
    };
    upReq.once('socket', (socket: Socket) => (socket.connecting ? socket.once('connect', send) : send()));

    upReq.on('response', (upRes) => {
      target.onUpstreamResponse?.(upRes.statusCode ?? 502);
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, clientResponseHeaders(upRes, requestId));
      upRes.pipe(res);
      upRes.once('close', () => {
        if (!upRes.complete) res.destroy(); // the app died mid-response: cut, do not end cleanly
      });
    });

    upReq.on('error', (err: NodeJS.ErrnoException) => {
      if (res.destroyed || res.writableEnded) return;
      if (n === 0 && !res.headersSent && retryable(err, upReq, bodyTouched)) return attempt(1);
      if (!res.headersSent) {
        req.unpipe(upReq);
        sendBadGateway(res, target.host, requestId);
      } else {
        res.destroy();
      }
    });
  };
  attempt(0);
}
