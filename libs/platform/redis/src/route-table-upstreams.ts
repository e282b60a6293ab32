import type { EdgeRouteTable, EdgeUpstream } from '@slipway/contracts';

/** `host:port` — how an upstream is identified when comparing tables. */
export const upstreamKey = (u: Pick<EdgeUpstream, 'host' | 'port'>): string => `${u.host}:${u.port}`;

/** Every upstream a table sends traffic to. */
export function routeTableUpstreams(table: EdgeRouteTable | null | undefined): Set<string> {
  const keys = new Set<string>();
  for (const route of table?.routes ?? []) for (const u of route.upstreams) keys.add(upstreamKey(u));
  return keys;
}

/**
 * Upstreams of `before` that `after` no longer routes to: once `after` is live, these only
 * finish their in-flight requests, so the deployer can stop their containers after draining.
 */
export function removedUpstreams(before: EdgeRouteTable | null | undefined, after: EdgeRouteTable | null | undefined): Set<string> {
  const kept = routeTableUpstreams(after);
  return new Set([...routeTableUpstreams(before)].filter((k) => !kept.has(k)));
}
