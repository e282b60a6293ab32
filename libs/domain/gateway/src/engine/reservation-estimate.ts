import { costMicros, type RequestNeeds, type RoutePlan } from '../routing';

/**
 * What the request reserves against budgets and token limits before it runs, on its first route:
 * its input estimate and a realistic output — its max_tokens, the model's cap, or
 * `reservedOutputTokens`, whichever is least — not the whole cap (Claude Code sends
 * max_tokens: 64000 for answers of a few hundred tokens). It settles to the actual usage when it
 * ends; the overshoot that allows is bounded (docs/gateway.md, "Accounting rules").
 */
export function estimateOf(needs: RequestNeeds, plan: Extract<RoutePlan, { ok: true }>, reservedOutputTokens: number): { costMicros: number; tokens: number } {
  const first = plan.routes[0]!;
  const cap = Math.min(needs.maxOutputTokens || Number.POSITIVE_INFINITY, first.info.maxOutputTokens ?? Number.POSITIVE_INFINITY);
  const outputTokens = Math.min(cap, reservedOutputTokens);
  const usage = { inputTokens: needs.inputTokensEstimate, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
  return { costMicros: costMicros(usage, first.info.prices), tokens: needs.inputTokensEstimate + outputTokens };
}
