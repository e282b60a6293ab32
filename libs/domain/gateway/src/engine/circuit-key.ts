/**
 * Breakers, concurrency limits and injected faults belong to one organization's route: two
 * organizations may both name a provider `anthropic` (with different keys), and a failover drill
 * in one must never fail the other's requests. `<organizationId>|<provider>/<model>`.
 */
export function circuitKey(organizationId: string, routeKey: string): string {
  return `${organizationId}|${routeKey}`;
}

/** The `provider/model` part, for reports and logs. */
export function routeKeyOf(circuit: string): string {
  const bar = circuit.indexOf('|');
  return bar === -1 ? circuit : circuit.slice(bar + 1);
}
