import type { TokenUsage } from '@slipway/contracts';

/**
 * The usage a call is billed with. The provider's own counters when its final usage arrived;
 * otherwise (a stream cut, aborted or broken, or a provider that never reports usage) an
 * estimate, marked as such: output = the larger of what the provider reported so far (Anthropic's
 * message_start says 1) and what the relayed deltas add up to (DeltaTally); input = the
 * provider's count when it gave one (Anthropic's message_start), else the request's estimate.
 * docs/gateway.md, "Accounting rules".
 */
export function billedUsage(reported: TokenUsage, final: boolean, generatedEstimate: number, inputEstimate: number): { usage: TokenUsage; estimated: boolean } {
  // A provider that ends cleanly but never reports output while text was relayed (some compatible servers) is estimated too.
  if (final && (reported.outputTokens > 0 || generatedEstimate === 0)) return { usage: reported, estimated: false };
  const inputKnown = reported.inputTokens + reported.cacheReadTokens + reported.cacheWriteTokens > 0;
  return {
    usage: { ...reported, inputTokens: inputKnown ? reported.inputTokens : inputEstimate, outputTokens: Math.max(reported.outputTokens, generatedEstimate) },
    estimated: true,
  };
}

/** A call abandoned after it was sent and before any answer: the provider read the input; what it generated is unknown. */
export function abandonedUsage(inputEstimate: number): TokenUsage {
  return { inputTokens: inputEstimate, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}
