/**
 * Redis key names. Every key starts with the tenant: `slipway:gw:{<org>}:<project>:`. The braces
 * are a Redis Cluster hash tag, so all counters of one organization share a slot and one Lua
 * script may touch them together. Values from requests (customer ids, feature names) are
 * URI-encoded so a `:` inside one cannot make two different values share a key.
 */
export function tenantPrefix(organizationId: string, projectId: string): string {
  return `slipway:gw:{${organizationId}}:${projectId}`;
}

export function budgetCounterKey(prefix: string, scope: string, value: string, windowKey: string): string {
  return `${prefix}:budget:${scope}:${encodeURIComponent(value)}:${windowKey}`;
}

/** Sorted set value → spend of a budget that applies to each value separately (for usage bars). */
export function budgetTopKey(prefix: string, scope: string, windowKey: string): string {
  return `${prefix}:budget-top:${scope}:${windowKey}`;
}

export function rateCounterKey(prefix: string, who: string, value: string, metric: 'req' | 'tok', windowKey: string): string {
  return `${prefix}:rate:${who}:${encodeURIComponent(value)}:${metric}:${windowKey}`;
}

/** When a lost budget counter was rebuilt (Redis time, µs): settling tells reservations made before it from those made after. */
export function rebuiltMarkKey(counterKey: string): string {
  return `${counterKey}:rebuilt`;
}
