import { describe, expect, it } from 'vitest';
import { estimateOf } from './reservation-estimate';
import { statusOfStreamError } from './stream-errors';
import { abandonedUsage, billedUsage } from './usage-estimate';

const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 });

describe('billedUsage', () => {
  it("keeps the provider's final usage exact", () => {
    expect(billedUsage(usage(12, 40), true, 55, 30)).toEqual({ usage: usage(12, 40), estimated: false });
  });

  it("estimates when the final usage never came: the provider's input when it gave one, else the request's estimate; the larger output", () => {
    expect(billedUsage(usage(12, 1), false, 7, 30)).toEqual({ usage: usage(12, 7), estimated: true });
    expect(billedUsage(usage(0, 0), false, 7, 30)).toEqual({ usage: usage(30, 7), estimated: true });
  });

  it('estimates a clean end that reported no output while text was relayed (compatible servers without usage)', () => {
    expect(billedUsage(usage(0, 0), true, 4, 30)).toEqual({ usage: usage(30, 4), estimated: true });
    expect(billedUsage(usage(0, 0), true, 0, 30)).toEqual({ usage: usage(0, 0), estimated: false });
  });

  it('bills an abandoned call its input only', () => {
    expect(abandonedUsage(30)).toEqual(usage(30, 0));
  });
});

describe('statusOfStreamError', () => {
  it('maps the error event type to the status the provider would have answered', () => {
    expect(['overloaded_error', 'rate_limit_error', 'timeout_error', 'invalid_request_error', 'api_error', 'server_error', 'odd'].map(statusOfStreamError)).toEqual([529, 429, 504, 400, 500, 500, 500]);
  });
});

describe('estimateOf (budget reservations)', () => {
  const plan = { ok: true, alias: 'default', routes: [{ info: { contextWindow: 200_000, maxOutputTokens: 64_000, tools: true, vision: true, streaming: true, prices: { input: 3, output: 15 } } }] } as unknown as Parameters<typeof estimateOf>[1];
  const needs = (maxOutputTokens: number) => ({ tools: false, vision: false, stream: false, inputTokensEstimate: 100, maxOutputTokens });

  it('reserves the input and at most the typical output, not the 64k cap', () => {
    expect(estimateOf(needs(0), plan, 1024)).toEqual({ tokens: 1124, costMicros: Math.round(100 * 3 + 1024 * 15) });
    expect(estimateOf(needs(64_000), plan, 1024).tokens).toBe(1124);
  });

  it('reserves less when max_tokens is lower, and the whole cap when the setting says so', () => {
    expect(estimateOf(needs(16), plan, 1024).tokens).toBe(116);
    expect(estimateOf(needs(0), plan, 1_000_000).tokens).toBe(64_100);
  });
});
