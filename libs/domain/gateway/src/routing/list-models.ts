import type { GatewayConfig, ModelInfo } from '@slipway/contracts';
import { builtInCatalog, lookupModel, UNKNOWN_COMPATIBLE_MODEL } from './catalog';
import type { ProviderRef } from './provider-ref';

export interface ListedModel {
  id: string;
  alias: boolean;
  /** The provider that serves it first; null for an alias none of whose providers is set up. */
  provider: string | null;
  info: ModelInfo | null;
}

/**
 * GET /v1/models: the aliases first (described by their first reachable route), then every
 * catalog model the organization's providers can serve, each id once and usable as `model`.
 */
export function listModels(config: GatewayConfig, providers: readonly ProviderRef[]): ListedModel[] {
  const listed: ListedModel[] = [];
  const seen = new Set<string>();
  const add = (entry: ListedModel) => {
    if (seen.has(entry.id)) return;
    seen.add(entry.id);
    listed.push(entry);
  };
  for (const [alias, { routes }] of Object.entries(config.models ?? {})) {
    const reachable = routes.map((r) => ({ route: r, provider: providers.find((p) => p.name === r.provider) })).find((r) => r.provider);
    const info = reachable
      ? (lookupModel(reachable.provider!, reachable.route.model, config.catalog) ??
        (reachable.provider!.kind === 'OPENAI_COMPATIBLE' ? UNKNOWN_COMPATIBLE_MODEL : null))
      : null;
    add({ id: alias, alias: true, provider: reachable?.provider?.name ?? null, info });
  }
  for (const provider of providers) {
    for (const [id, info] of Object.entries(builtInCatalog(provider.kind)?.models ?? {}))
      add({ id, alias: false, provider: provider.name, info });
  }
  // The organization's own entries are listed as <provider>/<model>, the form that reaches them.
  for (const [key, info] of Object.entries(config.catalog ?? {})) {
    const provider = providers.find((p) => key.startsWith(`${p.name}/`));
    if (provider) add({ id: key, alias: false, provider: provider.name, info });
  }
  return listed;
}
