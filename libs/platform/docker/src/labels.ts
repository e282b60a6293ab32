/**
 * Labels on every Docker object Slipway creates. The reconciler finds its containers by
 * these, never by name patterns. Values are ids (not slugs) so a rename changes nothing.
 */
export const LABELS = {
  /** `1` on everything Slipway created; added by DockerEngine itself. */
  managed: 'slipway.managed',
  /** Project id (containers, networks, images). */
  project: 'slipway.project',
  /** Environment id (containers, images). */
  environment: 'slipway.environment',
  /** Release id (containers). */
  release: 'slipway.release',
  /** Deployment id that started the container (containers). */
  deployment: 'slipway.deployment',
  /** Replica index, `0`…`n-1` (containers). */
  replica: 'slipway.replica',
  /** Build id (images). */
  build: 'slipway.build',
  /** What a container is when it is not a replica: `gateway-relay` (see ROLES). */
  role: 'slipway.role',
  /** `1` on objects created by tests, so their clean-up can find them. */
  test: 'slipway.test',
} as const;

/** Values of `slipway.role`. */
export const ROLES = {
  /** The project network's relay to the model gateway (ensureGatewayRelay). */
  gatewayRelay: 'gateway-relay',
} as const;

export const MANAGED_LABELS: Readonly<Record<string, string>> = Object.freeze({ [LABELS.managed]: '1' });

/** Docker's `label` filter (`key=value`, ANDed). */
export const labelFilter = (labels: Record<string, string>): string[] => Object.entries(labels).map(([k, v]) => `${k}=${v}`);
