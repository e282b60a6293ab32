/** The environment every project has; it answers at the project's bare host name. */
export const PRODUCTION_ENVIRONMENT = 'production';

/**
 * The one rule for app host names, shared by the URLs users see and the edge's route table:
 * production at `<hostLabel>.<domain>`, any other environment at `<hostLabel>-<env>.<domain>`.
 */
export function appHost(hostLabel: string, environmentName: string, appsDomain: string): string {
  const name = environmentName === PRODUCTION_ENVIRONMENT ? hostLabel : `${hostLabel}-${environmentName}`;
  return `${name}.${appsDomain}`.toLowerCase();
}

/** The browser URL of a host served by the edge (no port when it listens on 80). */
export const edgeUrl = (host: string, edgePort: number): string => `http://${host}${edgePort === 80 ? '' : `:${edgePort}`}`;
