import { timingSafeEqual } from 'node:crypto';
import { AppError } from '@slipway/errors';

/**
 * Who may scrape /metrics. With METRICS_TOKEN set, exactly the callers that send it as a
 * bearer token (from anywhere); without it, loopback clients only, so a fresh install does not
 * publish its traffic figures. `ip` is the client address after trusted-proxy resolution.
 */
export function assertMetricsAccess(token: string | undefined, authorization: string | undefined, ip: string | undefined): void {
  if (token) {
    const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (!given || !sameSecret(given, token))
      throw new AppError('UNAUTHENTICATED', 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".');
    return;
  }
  if (!isLoopback(ip)) throw new AppError('FORBIDDEN', '/metrics answers only loopback clients unless METRICS_TOKEN is set.');
}

export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
