import type { ModelPrices, TokenUsage } from '@slipway/contracts';

/** Micro-USD are 10⁻⁶ USD; prices are USD per 10⁶ tokens, so a price is also µUSD per token. */
const PICO_PER_MICRO = 1_000_000;

/**
 * The cost of one call in whole micro-USD. Each price becomes an integer number of pico-USD
 * per token, the products are summed exactly, and the total is rounded once (half up) — never
 * per token kind — so the same usage always costs the same, streamed or not, in any order.
 * Cache reads and writes without a price of their own cost what input costs.
 */
export function costMicros(usage: TokenUsage, prices: ModelPrices): number {
  const pico =
    tokens(usage.inputTokens) * picoPerToken(prices.input) +
    tokens(usage.outputTokens) * picoPerToken(prices.output) +
    tokens(usage.cacheReadTokens) * picoPerToken(prices.cacheRead ?? prices.input) +
    tokens(usage.cacheWriteTokens) * picoPerToken(prices.cacheWrite ?? prices.input);
  // Integer division without going through a float quotient, which could round up wrongly.
  const remainder = pico % PICO_PER_MICRO;
  return (pico - remainder) / PICO_PER_MICRO + (remainder >= PICO_PER_MICRO / 2 ? 1 : 0);
}

/** USD per million tokens → pico-USD per token (exact for prices with up to 6 decimals). */
function picoPerToken(usdPerMillion: number): number {
  return Math.round(usdPerMillion * 1_000_000);
}

/** Providers report whole non-negative counts; anything else counts as nothing rather than a negative cost. */
function tokens(count: number): number {
  return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}
