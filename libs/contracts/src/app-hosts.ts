/** The environment every project has; it answers at the project's bare host name. */
export const PRODUCTION_ENVIRONMENT = 'production';

/** Between the project's label and the environment's name in a generated host name; labels never contain it. */
export const HOST_SEPARATOR = '--';

/** DNS allows at most 63 characters in one label of a host name. */
export const MAX_DNS_LABEL_LENGTH = 63;

/**
 * The naming rule of generated hosts, as the name under APPS_DOMAIN: production at `<label>`,
 * any other environment at `<label>--<env>`.
 *
 * No two (label, environment) pairs give one name, provided labels never contain `--` and
 * never end with `-` (slug rules): a production name has no `--` while every other name has
 * one, and in another name the first `--` starts exactly where the label ends (an earlier one
 * would lie inside the label, or straddle its end, which would then be a `-`). So the label,
 * and with it the environment, is read back from the name. `app-hosts.spec.ts` enumerates the
 * tricky pairs. Names given before this rule may differ; each environment's actual host is its
 * HostReservation row.
 */
export function appHostName(hostLabel: string, environmentName: string): string {
  const name = environmentName === PRODUCTION_ENVIRONMENT ? hostLabel : `${hostLabel}${HOST_SEPARATOR}${environmentName}`;
  return name.toLowerCase();
}

/** A generated name (a HostReservation of kind APP) as the host name the edge serves. */
export const appHost = (name: string, appsDomain: string): string => `${name}.${appsDomain}`.toLowerCase();

/** The browser URL of a host served by the edge (no port when it listens on 80). */
export const edgeUrl = (host: string, edgePort: number): string => `http://${host}${edgePort === 80 ? '' : `:${edgePort}`}`;

/**
 * Labels no project gets under APPS_DOMAIN: the names people expect to be the platform's own,
 * and names that browsers and mail clients probe on their own (wpad, autodiscover, autoconfig,
 * isatap), which a tenant could otherwise answer for a whole domain.
 */
export const RESERVED_HOST_LABELS: ReadonlySet<string> = new Set([
  'localhost',
  'www',
  'api',
  'admin',
  'console',
  'dashboard',
  'edge',
  'gateway',
  'slipway',
  'slipway-gateway',
  'git',
  'docs',
  'status',
  'metrics',
  'auth',
  'login',
  'mail',
  'smtp',
  'ns1',
  'ns2',
  'wpad',
  'isatap',
  'autodiscover',
  'autoconfig',
]);

/** What makes a host name the platform's: APPS_DOMAIN and the host names of its public URLs. */
export interface PlatformHosts {
  /** Lower-case APPS_DOMAIN. */
  appsDomain: string;
  /** Lower-case host names of the api and console public URLs, and API_DOMAIN. */
  hosts: string[];
}

export function platformHostsOf(config: { APPS_DOMAIN: string; PUBLIC_API_URL: string; PUBLIC_CONSOLE_URL: string; API_DOMAIN?: string }): PlatformHosts {
  const hostOf = (url: string) => new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  // API_DOMAIN is the platform's too: published APIs answer at <listing>.<API_DOMAIN>, so no tenant's custom domain may sit there.
  const apiDomain = config.API_DOMAIN ? [config.API_DOMAIN.toLowerCase().replace(/\.$/, '')] : [];
  return { appsDomain: config.APPS_DOMAIN.toLowerCase().replace(/\.$/, ''), hosts: [...new Set([hostOf(config.PUBLIC_API_URL), hostOf(config.PUBLIC_CONSOLE_URL), ...apiDomain])] };
}

const isIpAddress = (host: string): boolean => /^[\d.]+$/.test(host) || host.includes(':');
const isUnder = (host: string, parent: string): boolean => host === parent || host.endsWith(`.${parent}`);

/**
 * Whether a project may not use `label` under APPS_DOMAIN: a reserved label, the first label of
 * a platform host (`console` for console.example.com), or the label under APPS_DOMAIN that a
 * platform host sits in (`console` for a.console.apps.example.com with APPS_DOMAIN
 * apps.example.com: an app there could set cookies the platform receives).
 */
export function isReservedHostLabel(label: string, platform: PlatformHosts): boolean {
  const l = label.toLowerCase();
  if (RESERVED_HOST_LABELS.has(l)) return true;
  for (const host of platform.hosts) {
    if (isIpAddress(host)) continue;
    if (host.split('.')[0] === l) return true;
    if (host.endsWith(`.${platform.appsDomain}`) && host.slice(0, -(platform.appsDomain.length + 1)).split('.').pop() === l) return true;
  }
  return false;
}

/**
 * Why `hostname` cannot be a tenant's custom domain, or null when it can: names under
 * APPS_DOMAIN are generated hosts, names equal to or under a platform host are the platform's,
 * and `localhost` names are never public.
 */
export function reservedDomainReason(hostname: string, platform: PlatformHosts): string | null {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (isUnder(h, platform.appsDomain)) return `Names under ${platform.appsDomain} are Slipway's generated app hosts; use a domain of your own.`;
  const own = platform.hosts.find((p) => !isIpAddress(p) && isUnder(h, p));
  if (own) return `${own} and the names under it are Slipway's own; use a domain of your own.`;
  if (isUnder(h, 'localhost')) return 'localhost names never reach the edge from the internet; use a domain of your own.';
  return null;
}
