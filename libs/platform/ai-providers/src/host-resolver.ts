import { promises as dns } from 'node:dns';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to; rejects (ENOTFOUND, ENODATA…) when it has none. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), as node:http uses by default. */
export const systemResolver: ResolveHost = async (hostname) => {
  const found = await dns.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * Resolves through the given DNS servers (`ip` or `ip:port`, GATEWAY_UPSTREAM_DNS) instead of
 * the system's: an operator may want providers resolved by a resolver of their choosing, and
 * the end-to-end tests answer with a DNS server of their own to play a rebinding attacker.
 * A and AAAA are asked together; either may be empty.
 */
export function dnsServersResolver(servers: readonly string[], timeoutMs = 2_000): ResolveHost {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([...servers]);
  return async (hostname) => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const found: ResolvedAddress[] = [];
    if (v4.status === 'fulfilled') for (const address of v4.value) found.push({ address, family: 4 });
    if (v6.status === 'fulfilled') for (const address of v6.value) found.push({ address, family: 6 });
    if (found.length === 0)
      throw v4.status === 'rejected' ? v4.reason : Object.assign(new Error(`queryA ENODATA ${hostname}`), { code: 'ENODATA' });
    return found;
  };
}
