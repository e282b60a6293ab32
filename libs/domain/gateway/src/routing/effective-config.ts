import { gatewayConfigSchema, type GatewayConfig } from '@slipway/contracts';
import { builtInGatewayConfig } from './built-in-config';
import type { ProviderRef } from './provider-ref';

/** Which routing applies and where it came from (shown in the console). */
export type RoutingSource =
  { source: 'release'; releaseId: string; releaseNumber: number } | { source: 'organization' } | { source: 'built-in' };

export interface EffectiveConfigInput {
  /** The live release of the caller's environment, whose slipwayConfig froze the `gateway:` section. */
  release: { id: string; number: number; slipwayConfig: unknown } | null;
  orgDefaults: GatewayConfig | null;
  providers: readonly ProviderRef[];
}

/**
 * The routing in force: the release's `gateway:` section, else the organization's defaults,
 * else the built-in aliases. A section that sets budgets or limits but no `models` keeps the
 * aliases of the next source down, so adding a budget never unroutes an app.
 */
export function effectiveGatewayConfig(input: EffectiveConfigInput): { config: GatewayConfig; from: RoutingSource } {
  const fromRelease = input.release ? releaseSection(input.release.slipwayConfig) : null;
  const orgDefaults = isEmpty(input.orgDefaults) ? null : input.orgDefaults;
  const builtIn = () => builtInGatewayConfig(input.providers);
  if (fromRelease && input.release) {
    const models = fromRelease.models ?? orgDefaults?.models ?? builtIn().models;
    return {
      config: { ...fromRelease, models },
      from: { source: 'release', releaseId: input.release.id, releaseNumber: input.release.number },
    };
  }
  if (orgDefaults) return { config: { ...orgDefaults, models: orgDefaults.models ?? builtIn().models }, from: { source: 'organization' } };
  return { config: builtIn(), from: { source: 'built-in' } };
}

/**
 * The `gateway:` section frozen into a release, or null when it has none. Releases built before
 * the section was validated may hold anything; one that does not parse is ignored rather than
 * trusted (the next push reports it, naming the line).
 */
function releaseSection(slipwayConfig: unknown): GatewayConfig | null {
  if (typeof slipwayConfig !== 'object' || slipwayConfig === null) return null;
  const parsed = gatewayConfigSchema.safeParse((slipwayConfig as { gateway?: unknown }).gateway);
  return parsed.success && !isEmpty(parsed.data) ? parsed.data : null;
}

function isEmpty(config: GatewayConfig | null | undefined): config is null | undefined {
  return !config || Object.values(config).every((v) => v === undefined);
}
