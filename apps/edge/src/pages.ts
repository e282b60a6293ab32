import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { notLivePage } from './not-live-page';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The short page for an app that is routed but did not answer. */
export function badGatewayPage(host: string, requestId: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Bad gateway</title></head>
<body style="font:15px/1.5 system-ui,sans-serif;max-width:34rem;margin:15vh auto;color:#222"><h1>The app at ${esc(host)} did not answer</h1>
<p>Its release is live but no replica accepted the request. Try again in a moment; if it persists, check the app's logs in the console.</p>
<p style="color:#888;font-size:12px">Slipway edge · request ${esc(requestId)}</p></body></html>`;
}

const HTML = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

export function sendNotLive(res: ServerResponse, host: string, requestId: string): void {
  res.writeHead(503, { ...HTML, 'retry-after': '5', 'x-request-id': requestId }).end(notLivePage(host, requestId));
}

export function sendBadGateway(res: ServerResponse, host: string, requestId: string): void {
  res.writeHead(502, { ...HTML, 'x-request-id': requestId }).end(badGatewayPage(host, requestId));
}

/** The same pages on a raw socket, for upgrade requests (no ServerResponse exists for them). */
export function writeRawPage(socket: Duplex, status: 502 | 503, host: string, requestId: string): void {
  const body = status === 503 ? notLivePage(host, requestId) : badGatewayPage(host, requestId);
  const reason = status === 503 ? 'Service Unavailable' : 'Bad Gateway';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/html; charset=utf-8\r\ncache-control: no-store\r\nx-request-id: ${requestId}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
