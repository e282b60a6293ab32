/**
 * The try-it panel's call, checked before the console's server sends it to the listing's host
 * at the edge. The server forwards only to the listing's own base URL (read from the api, never
 * from the request), so the panel cannot be used to reach anything else: the path must be a
 * plain absolute path (no scheme, no `//host`, no `@`, no backslash), the method one of the
 * usual ones, the body and answer bounded.
 */
export const TRY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const TRY_MAX_BODY_BYTES = 64 * 1024;
export const TRY_MAX_ANSWER_BYTES = 256 * 1024;
export const TRY_TIMEOUT_MS = 10_000;

const PATH_RULE = /^\/(?!\/)[^\s\\@#]*$/;
const KNOWN_FIELDS = new Set(['method', 'path', 'apiKey', 'body']);

export interface TryCall {
  method: (typeof TRY_METHODS)[number];
  path: string;
  apiKey?: string;
  body?: string;
}

/**
 * Checks a try-it call (by hand: the console has no schema library of its own, and this is four
 * fields). Returns the call, or every problem in words.
 */
export function parseTryCall(input: unknown): { ok: true; call: TryCall } | { ok: false; problems: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, problems: ['Send a JSON object.'] };
  const v = input as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(v)) if (!KNOWN_FIELDS.has(key)) problems.push(`Unknown field "${key}".`);
  if (!TRY_METHODS.includes(v.method as TryCall['method'])) problems.push(`Use one of ${TRY_METHODS.join(', ')}.`);
  if (typeof v.path !== 'string' || v.path.length > 2_000 || !PATH_RULE.test(v.path))
    problems.push('Start the path with a single / (e.g. /forecast?city=lisbon); no spaces, @, # or backslashes.');
  if (v.apiKey !== undefined && (typeof v.apiKey !== 'string' || v.apiKey.length > 200)) problems.push('The API key is not a key.');
  if (v.body !== undefined && (typeof v.body !== 'string' || Buffer.byteLength(v.body) > TRY_MAX_BODY_BYTES))
    problems.push(`Send a text body of at most ${TRY_MAX_BODY_BYTES / 1024} KB.`);
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    call: {
      method: v.method as TryCall['method'],
      path: v.path as string,
      apiKey: (v.apiKey as string | undefined) || undefined,
      body: v.body as string | undefined,
    },
  };
}

/** Answer headers the panel shows (the rest stay out of the way). */
export const TRY_SHOWN_HEADERS = [
  'content-type',
  'ratelimit-policy',
  'ratelimit',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
  'x-request-id',
] as const;

export interface TryAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  durationMs: number;
}

/**
 * Where to connect for a listing's base URL: `*.localhost` names are loopback (RFC 6761, as
 * browsers treat them), so a laptop's `weather.api.localhost:8080` works without DNS; other names
 * resolve normally. The Host header always stays the listing's host (the edge routes by it).
 */
export function connectTarget(baseUrl: string): { protocol: 'http:' | 'https:'; connectHost: string; port: number; hostHeader: string } {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Unsupported listing URL ${baseUrl}`);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const loopback = url.hostname === 'localhost' || url.hostname.endsWith('.localhost');
  return { protocol: url.protocol, connectHost: loopback ? '127.0.0.1' : url.hostname, port, hostHeader: url.host };
}
