import type { GatewayConfig, ModelInfo } from '@slipway/contracts';
import type { ProviderRef } from '../provider-ref';
import { ANTHROPIC_CATALOG, anthropicBaseId } from './anthropic';
import { MOCK_ANY_MODEL, MOCK_CATALOG } from './mock';
import { OPENAI_CATALOG, openaiBaseId } from './openai';

export { ANTHROPIC_CATALOG } from './anthropic';
export { MOCK_CATALOG } from './mock';
export { OPENAI_CATALOG } from './openai';

/**
 * What an OPENAI_COMPATIBLE provider's model is assumed to be when nothing describes it:
 * permissive (so routing never refuses it) and free (its price is unknown; add a catalog entry
 * to attribute cost).
 */
export const UNKNOWN_COMPATIBLE_MODEL: ModelInfo = {
  contextWindow: 128_000,
  tools: true,
  vision: true,
  streaming: true,
  prices: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
};

/** The built-in entries of one provider kind, and how its ids reduce to an entry's key. */
export function builtInCatalog(
  kind: ProviderRef['kind'],
): { models: Readonly<Record<string, ModelInfo>>; baseId: (model: string) => string } | undefined {
  switch (kind) {
    case 'ANTHROPIC':
      return { models: ANTHROPIC_CATALOG, baseId: anthropicBaseId };
    case 'OPENAI':
      return { models: OPENAI_CATALOG, baseId: openaiBaseId };
    case 'MOCK':
      return { models: MOCK_CATALOG, baseId: (m) => m };
    default:
      return undefined;
  }
}

/** The built-in entry for `model` on a provider of this kind (snapshot ids included), or undefined. */
export function builtInModel(kind: ProviderRef['kind'], model: string): ModelInfo | undefined {
  const catalog = builtInCatalog(kind);
  if (!catalog) return undefined;
  return own(catalog.models, model) ?? own(catalog.models, catalog.baseId(model));
}

/**
 * The catalog entry of `model` served by `provider`: the config's own entry
 * (`catalog: { "<provider name>/<model>": … }`) wins over the built-in one, so an organization
 * can correct a price. The mock provider answers any model name, so it always has an entry.
 */
export function lookupModel(provider: ProviderRef, model: string, extra?: GatewayConfig['catalog']): ModelInfo | undefined {
  const configured = extra ? own(extra, `${provider.name}/${model}`) : undefined;
  if (configured) return configured;
  const builtIn = builtInModel(provider.kind, model);
  if (builtIn) return builtIn;
  return provider.kind === 'MOCK' ? MOCK_ANY_MODEL : undefined;
}

/** Record lookup that ignores inherited keys (a model named "constructor" is not a catalog entry). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
