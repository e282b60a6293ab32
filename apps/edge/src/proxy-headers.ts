import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** A caller's request id is kept when it is short and plain; anything else is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** `Web.Example.COM:8080` → `web.example.com`; `[::1]:8080` → `[::1]`; a trailing dot is dropped. */
export function hostOf(headers: IncomingHttpHeaders): string {
  let host = (headers.host ?? '').trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end > 0 ? host.slice(0, end + 1) : host;
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** Header names listed in `Connection: a, b` are hop-by-hop for this message too. */
function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  if (!value) return undefined;
  const tokens = (Array.isArray(value) ? value.join(',') : value).split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  return tokens.length ? new Set(tokens) : undefined;
}

function copyEndToEnd(from: IncomingHttpHeaders, keep: ReadonlySet<string> = new Set()): OutgoingHttpHeaders {
  const listed = connectionTokens(from.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in from) {
    if ((HOP_BY_HOP.has(name) || listed?.has(name)) && !keep.has(name)) continue;
    const value = from[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * What the upstream receives: the client's end-to-end headers (Host kept, so apps see the
 * name they were called by), a request id, and X-Forwarded-For (appended: the edge cannot tell
 * a client's own value from a proxy's, so apps should trust only the last entry), -Proto and
 * -Host (replaced). A chunked body stays chunked; `upgrade` keeps Connection/Upgrade.
 */
export function upstreamRequestHeaders(req: IncomingMessage, requestId: string, upgrade = false): OutgoingHttpHeaders {
  const out = copyEndToEnd(req.headers);
  const chunked = /\bchunked\b/i.test(String(req.headers['transfer-encoding'] ?? ''));
  if (chunked) {
    out['transfer-encoding'] = 'chunked';
    delete out['content-length'];
  }
  if (upgrade && req.headers.upgrade) {
    out.connection = 'upgrade';
    out.upgrade = req.headers.upgrade;
  }
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  out['x-request-id'] = requestId;
  out['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${client}` : client;
  out['x-forwarded-proto'] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  if (req.headers.host) out['x-forwarded-host'] = req.headers.host;
  return out;
}

/**
 * On a listing host: the consumer's key never reaches the app, nor any `slipway-*` header the
 * client sent (an app trusts them as the edge's); the edge's own values are set instead.
 */
export function replaceListingHeaders(out: OutgoingHttpHeaders, forwarded: Readonly<Record<string, string>>): void {
  delete out.authorization;
  delete out['x-api-key'];
  for (const name in out) if (name.startsWith('slipway-')) delete out[name];
  Object.assign(out, forwarded);
}

/** What the client receives from an upstream response: its end-to-end headers plus the request id. */
export function clientResponseHeaders(res: IncomingMessage, requestId: string): OutgoingHttpHeaders {
  const out = copyEndToEnd(res.headers);
  out['x-request-id'] = requestId;
  return out;
}

/** Serialize a response head for a raw socket (upgrade answers), from rawHeaders to keep case and order. */
export function rawResponseHead(res: IncomingMessage, requestId: string, drop: ReadonlySet<string> = new Set()): string {
  let head = `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\n`;
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'x-request-id' || drop.has(name)) continue;
    head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  return `${head}x-request-id: ${requestId}\r\n\r\n`;
}
