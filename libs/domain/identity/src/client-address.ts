import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whom a per-address limit counts, given the client address the api resolved (the socket's, or
 * X-Forwarded-For's when a trusted proxy sent it). An IPv6 client usually holds a whole /64, so
 * counting single addresses would hand it 2^64 separate budgets: IPv6 counts per /64.
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`) is the IPv4 address it maps.
 */
export function rateLimitSubject(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(ip)) return ip;
  const bare = ip.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names the interface, not the client
  if (!isIPv6(bare)) return ip;
  return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, lower-case, without leading zeros. */
function expandIPv6(ip: string): string[] {
  const groupsOf = (part: string): string[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [g];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        });
  const [head = '', tail] = ip.split('::');
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}
