/**
 * Request paths folded into a bounded set of route-like keys for the top-paths panel: the query
 * string and fragment are dropped, segments that look like identifiers become `:id`, and depth
 * and length are capped. This runs on the edge's hot path for every request: string scans and
 * char-code checks, no regular expression over the whole URL.
 */

/** Segments kept; deeper paths end in `/…`. */
export const PATH_MAX_DEPTH = 6;
/** A segment longer than this is an identifier or junk, never a route name. */
const SEGMENT_MAX_LENGTH = 48;
/** Hex runs at least this long are hashes or object ids (a git sha, a Mongo id is 24). */
const HEX_MIN_LENGTH = 16;
/** Mixed letter-and-digit tokens at least this long are ids (base64 / base64url / nanoid). */
const TOKEN_MIN_LENGTH = 20;
export const ID_SEGMENT = ':id';
export const DEEPER = '…';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isTokenChar = (c: number) =>
  isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 /* - */ || c === 95 /* _ */ || c === 43 /* + */ || c === 61 /* = */;

/** Whether one path segment is an identifier rather than a route name. */
export function looksLikeId(segment: string): boolean {
  const n = segment.length;
  if (n > SEGMENT_MAX_LENGTH) return true;
  let digits = 0;
  let hex = 0;
  let token = 0;
  let at = false;
  for (let i = 0; i < n; i++) {
    const c = segment.charCodeAt(i);
    if (isDigit(c)) digits++;
    if (isHex(c)) hex++;
    if (isTokenChar(c)) token++;
    else if (c === 64 /* @ */) at = true;
  }
  if (n > 0 && digits === n) return true; // 42, 20261207
  if (at || segment.includes('%40')) return true; // emails, raw or percent-encoded
  if (n >= HEX_MIN_LENGTH && hex === n) return true; // sha1, md5, object ids
  if (n === 36 && UUID.test(segment)) return true;
  // base64url / nanoid-style tokens: long, one alphabet, and at least one digit (route names rarely have one)
  return n >= TOKEN_MIN_LENGTH && token === n && digits > 0;
}

/** `/users/42/orders?x=1` → `/users/:id/orders`. Always starts with `/`; never longer than a few hundred characters. */
export function normalizePath(url: string | undefined): string {
  if (!url) return '/';
  let end = url.length;
  const q = url.indexOf('?');
  if (q >= 0) end = q;
  const h = url.indexOf('#');
  if (h >= 0 && h < end) end = h;
  // Absolute-form targets (`GET http://host/path`) come from proxies: keep the path only.
  let start = 0;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const scheme = url.indexOf('://');
    if (scheme < 0 || scheme > end) return '/';
    start = url.indexOf('/', scheme + 3);
    if (start < 0 || start > end) return '/';
  }
  let out = '';
  let depth = 0;
  let segStart = start + 1;
  while (segStart <= end) {
    let segEnd = url.indexOf('/', segStart);
    if (segEnd < 0 || segEnd > end) segEnd = end;
    if (segEnd > segStart) {
      if (depth === PATH_MAX_DEPTH) return `${out}/${DEEPER}`;
      const segment = url.slice(segStart, segEnd);
      out += '/' + (looksLikeId(segment) ? ID_SEGMENT : segment);
      depth++;
    }
    segStart = segEnd + 1;
  }
  // A trailing slash is the same route for nearly every app; `/` stays `/`.
  return out || '/';
}
