import type { ModelInfo } from '@slipway/contracts';

/**
 * The built-in mock provider's models (libs/testing mock-llm). Prices are made up but not zero,
 * so budgets and cost attribution behave offline as they would with a real provider;
 * mock-tiny is deliberately limited (1k context, no tools, no images) for capability tests.
 */
export const MOCK_CATALOG: Readonly<Record<string, ModelInfo>> = {
  'mock-fast': {
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    tools: true,
    vision: true,
    streaming: true,
    prices: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.25 },
  },
  'mock-smart': {
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    tools: true,
    vision: true,
    streaming: true,
    prices: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  },
  'mock-tiny': {
    contextWindow: 1024,
    maxOutputTokens: 256,
    tools: false,
    vision: false,
    streaming: true,
    prices: { input: 0.5, output: 1, cacheRead: 0.05, cacheWrite: 0.625 },
  },
};

/** The mock answers any model name; a route naming one it has no entry for is served like mock-smart. */
export const MOCK_ANY_MODEL: ModelInfo = MOCK_CATALOG['mock-smart']!;
