// Token usage, normalised to TokenUsage (input excludes cache reads and writes, as Anthropic
// reports it). OpenAI's prompt_tokens includes cached tokens, so they are subtracted: dropping
// them would bill cached calls at the full input price (peers' most common pricing bug).
import type { TokenUsage } from '@slipway/contracts';
import { num, obj } from './json';

export function emptyUsage(): TokenUsage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

export function usageFromAnthropic(u: unknown): TokenUsage {
  const o = obj(u);
  if (!o) return emptyUsage();
  return {
    inputTokens: num(o.input_tokens),
    outputTokens: num(o.output_tokens),
    cacheReadTokens: num(o.cache_read_input_tokens),
    cacheWriteTokens: num(o.cache_creation_input_tokens),
  };
}

/**
 * Anthropic's message_delta usage is cumulative and omits (or nulls) counters that do not
 * apply, so present counters overwrite and absent ones keep the message_start values.
 */
export function mergeAnthropicUsage(into: TokenUsage, u: unknown): void {
  const o = obj(u);
  if (!o) return;
  if (typeof o.output_tokens === 'number') into.outputTokens = o.output_tokens;
  if (typeof o.input_tokens === 'number') into.inputTokens = o.input_tokens;
  if (typeof o.cache_read_input_tokens === 'number') into.cacheReadTokens = o.cache_read_input_tokens;
  if (typeof o.cache_creation_input_tokens === 'number') into.cacheWriteTokens = o.cache_creation_input_tokens;
}

export function usageFromOpenAI(u: unknown): TokenUsage {
  const o = obj(u);
  if (!o) return emptyUsage();
  const details = obj(o.prompt_tokens_details);
  // DeepSeek-style compatible providers report cache hits outside prompt_tokens_details.
  const cacheRead = details && typeof details.cached_tokens === 'number' ? details.cached_tokens : num(o.prompt_cache_hit_tokens);
  // Not standard OpenAI: what this gateway (and some proxies) add when the provider wrote a cache.
  const cacheWrite = num(o.cache_creation_input_tokens) || num(details?.cache_write_tokens);
  return {
    inputTokens: Math.max(0, num(o.prompt_tokens) - cacheRead - cacheWrite),
    outputTokens: num(o.completion_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

/** `usage` of an Anthropic message / message_delta. */
export function anthropicUsageBody(u: TokenUsage): Record<string, number> {
  return {
    input_tokens: u.inputTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cacheReadTokens,
    output_tokens: u.outputTokens,
  };
}

/** `usage` of an OpenAI completion / final chunk: prompt_tokens includes the cache, as OpenAI reports it. */
export function openaiUsageBody(u: TokenUsage): Record<string, unknown> {
  const prompt = u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
  const body: Record<string, unknown> = {
    prompt_tokens: prompt,
    completion_tokens: u.outputTokens,
    total_tokens: prompt + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadTokens },
  };
  if (u.cacheWriteTokens > 0) body.cache_creation_input_tokens = u.cacheWriteTokens;
  return body;
}
