import type { ModelInfo } from '@slipway/contracts';

/**
 * OpenAI models, USD per million tokens. Checked 2026-11 against OpenAI's model and pricing
 * pages (developers.openai.com/api/docs/models, …/pricing). `cacheRead` is the cached-input
 * price; OpenAI does not charge cache writes, so `cacheWrite` is the input price (never
 * reported anyway). GPT-5.4 doubles its price past 272k prompt tokens; this is the base band.
 */
const gpt = (input: number, output: number, cacheRead: number, contextWindow: number, maxOutputTokens: number): ModelInfo => ({
  contextWindow,
  maxOutputTokens,
  tools: true,
  vision: true,
  streaming: true,
  prices: { input, output, cacheRead, cacheWrite: input },
});

export const OPENAI_CATALOG: Readonly<Record<string, ModelInfo>> = {
  'gpt-5.4': gpt(2.5, 15, 0.25, 1_050_000, 128_000),
  'gpt-5': gpt(1.25, 10, 0.125, 400_000, 128_000),
  'gpt-5-mini': gpt(0.25, 2, 0.025, 400_000, 128_000),
  'gpt-5-nano': gpt(0.05, 0.4, 0.005, 400_000, 128_000),
  'gpt-4.1': gpt(2, 8, 0.5, 1_047_576, 32_768),
  'gpt-4.1-mini': gpt(0.4, 1.6, 0.1, 1_047_576, 32_768),
  'gpt-4.1-nano': gpt(0.1, 0.4, 0.025, 1_047_576, 32_768),
  'gpt-4o': gpt(2.5, 10, 1.25, 128_000, 16_384),
  'gpt-4o-mini': gpt(0.15, 0.6, 0.075, 128_000, 16_384),
  o3: gpt(2, 8, 0.5, 200_000, 100_000),
  'o4-mini': gpt(1.1, 4.4, 0.275, 200_000, 100_000),
};

/** Dated snapshots name the same model: `gpt-4o-2024-08-06`, `gpt-5-mini-2025-08-07`. */
export function openaiBaseId(model: string): string {
  return model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}
