import type { ModelInfo } from '@slipway/contracts';

/**
 * Anthropic models, USD per million tokens. Checked 2026-11 against Anthropic's pricing page
 * (platform.claude.com/docs/en/about-claude/pricing) and model pages; model ids as listed by
 * @anthropic-ai/sdk 1.13. `cacheWrite` is the 5-minute write price (1.25 × input): usage does
 * not say which TTL a write used, and 5 minutes is the default. Haiku 5.5 is left out: its
 * price depends on the prompt length (two bands), which one price per kind cannot express;
 * add it under `gateway.catalog` with the band you expect.
 */
const claude = (
  input: number,
  output: number,
  cacheRead: number,
  contextWindow: number,
  maxOutputTokens: number,
  vision = true,
): ModelInfo => ({
  contextWindow,
  maxOutputTokens,
  tools: true,
  vision,
  streaming: true,
  prices: { input, output, cacheRead, cacheWrite: input * 1.25 },
});

const M = 1_000_000;
const K200 = 200_000;

export const ANTHROPIC_CATALOG: Readonly<Record<string, ModelInfo>> = {
  'claude-opus-5-5': claude(4, 20, 0.2, M, 128_000),
  'claude-sonnet-5-5': claude(2, 10, 0.1, M, 128_000), // cache reads cut to $0.10 on 2026-10-07
  'claude-opus-5': claude(5, 25, 0.5, M, 128_000),
  'claude-sonnet-5': claude(2, 10, 0.2, M, 128_000),
  'claude-opus-4-8': claude(5, 25, 0.5, M, 128_000),
  'claude-opus-4-7': claude(5, 25, 0.5, M, 128_000),
  // 4.6 and older: 200k by default (1M only with a beta header, priced higher past 200k).
  'claude-opus-4-6': claude(5, 25, 0.5, K200, 128_000),
  'claude-sonnet-4-6': claude(3, 15, 0.3, K200, 64_000),
  'claude-opus-4-5': claude(5, 25, 0.5, K200, 64_000),
  'claude-sonnet-4-5': claude(3, 15, 0.3, K200, 64_000),
  'claude-haiku-4-5': claude(1, 5, 0.1, K200, 64_000),
  'claude-opus-4-1': claude(15, 75, 1.5, K200, 32_000),
  'claude-opus-4': claude(15, 75, 1.5, K200, 32_000),
  'claude-sonnet-4': claude(3, 15, 0.3, K200, 64_000),
  'claude-3-7-sonnet': claude(3, 15, 0.3, K200, 64_000),
  'claude-3-5-haiku': claude(0.8, 4, 0.08, K200, 8_192, false),
};

/** Snapshot and pointer ids name the same model: `claude-sonnet-4-5-20250929`, `claude-opus-4-0`, `claude-3-5-haiku-latest`. */
export function anthropicBaseId(model: string): string {
  return model.replace(/-(\d{8}|latest)$/, '').replace(/^(claude-(?:opus|sonnet)-4)-0$/, '$1');
}
