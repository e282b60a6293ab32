import { MOCK_PROVIDER, type GatewayConfig, type GatewayRoute } from '@slipway/contracts';
import type { ProviderRef } from './provider-ref';

/** The built-in aliases and the model each means per provider kind (real kinds in order of preference). */
const BUILT_IN_ALIASES = {
  default: { ANTHROPIC: 'claude-sonnet-5-5', OPENAI: 'gpt-5', MOCK: 'mock-smart' },
  fast: { ANTHROPIC: 'claude-haiku-4-5', OPENAI: 'gpt-5-mini', MOCK: 'mock-fast' },
  smart: { ANTHROPIC: 'claude-opus-5-5', OPENAI: 'gpt-5.4', MOCK: 'mock-smart' },
} as const;
const REAL_KINDS = ['ANTHROPIC', 'OPENAI'] as const;

/**
 * Routing used when neither the release nor the organization defines any: `default`, `fast`
 * and `smart`, each on the organization's first Anthropic provider, then its first OpenAI
 * provider as the fallback. With no real provider they go to the mock, so everything works
 * offline; the mock is never a silent fallback behind a real provider.
 */
export function builtInGatewayConfig(providers: readonly ProviderRef[]): GatewayConfig {
  const real = REAL_KINDS.flatMap((kind) => {
    const provider = providers.find((p) => p.kind === kind);
    return provider ? [{ kind, name: provider.name }] : [];
  });
  const models: NonNullable<GatewayConfig['models']> = {};
  for (const [alias, byKind] of Object.entries(BUILT_IN_ALIASES)) {
    const routes: GatewayRoute[] =
      real.length > 0
        ? real.map(({ kind, name }) => ({ provider: name, model: byKind[kind] }))
        : [{ provider: MOCK_PROVIDER, model: byKind.MOCK }];
    models[alias] = { routes };
  }
  return { models };
}
