import type { OutgoingHttpHeaders } from 'node:http';
import type { LimitWindow } from './limit-windows';

/**
 * The headers of draft-ietf-httpapi-ratelimit-headers (-10): `RateLimit-Policy` lists every
 * policy of the plan (`"minute";q=60;w=60, "day";q=1000;w=86400`), `RateLimit` tells the state
 * of the one closest to exhaustion (`"minute";r=12;t=40`), or of the one that refused the call.
 * `X-RateLimit-Limit/-Remaining/-Reset` repeat that policy for older clients; Reset is in
 * seconds from now (like `t`), not an epoch time. No limits → no headers.
 */
export function rateLimitHeaders(windows: readonly LimitWindow[], used: readonly number[], refused?: number): OutgoingHttpHeaders {
  if (windows.length === 0) return {};
  const remaining = windows.map((w, i) => Math.max(0, w.limit - (used[i] ?? 0)));
  let pick = refused ?? 0;
  if (refused === undefined) {
    for (let i = 1; i < windows.length; i++) {
      const a = remaining[i]! / windows[i]!.limit;
      const b = remaining[pick]! / windows[pick]!.limit;
      if (a < b || (a === b && windows[i]!.resetSeconds > windows[pick]!.resetSeconds)) pick = i;
    }
  }
  const w = windows[pick]!;
  const r = remaining[pick]!;
  return {
    'ratelimit-policy': windows.map((x) => `"${x.policy}";q=${x.limit};w=${x.windowSeconds}`).join(', '),
    ratelimit: `"${w.policy}";r=${r};t=${w.resetSeconds}`,
    'x-ratelimit-limit': String(w.limit),
    'x-ratelimit-remaining': String(r),
    'x-ratelimit-reset': String(w.resetSeconds),
  };
}
