import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenUsage } from '@slipway/contracts';
import { createMockLlmServer, type MockLlmServer } from '@slipway/testing';
import { ANTHROPIC_CATALOG, MOCK_CATALOG } from './catalog';
import { costMicros } from './cost';

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0): TokenUsage => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
});

describe('costMicros', () => {
  it('prices every token kind (golden: claude-sonnet-4-5)', () => {
    // 1234 × 3 + 567 × 15 + 8901 × 0.3 + 2345 × 3.75 = 3702 + 8505 + 2670.3 + 8793.75 = 23,671.05 µUSD
    expect(costMicros(usage(1234, 567, 8901, 2345), ANTHROPIC_CATALOG['claude-sonnet-4-5']!.prices)).toBe(23_671);
    // One million output tokens of Opus 4.1 are $75.
    expect(costMicros(usage(0, 1_000_000), ANTHROPIC_CATALOG['claude-opus-4-1']!.prices)).toBe(75_000_000);
  });

  it('rounds once at the end, not per token kind', () => {
    // mock-tiny: 0.5 + 1 + 0.05 + 0.625 = 2.175 µUSD → 2 (per-kind rounding would give 1 + 1 + 0 + 1 = 3).
    expect(costMicros(usage(1, 1, 1, 1), MOCK_CATALOG['mock-tiny']!.prices)).toBe(2);
    expect(costMicros(usage(1, 0), { input: 0.5, output: 0 })).toBe(1);
    expect(costMicros(usage(1, 0), { input: 0.499999, output: 0 })).toBe(0);
  });

  it('rounds a half up even where floating point lands just below it', () => {
    // 50 × 1.15 is 57.49999999999999 in floating point; the exact 57.5 rounds to 58.
    expect(costMicros(usage(50, 0), { input: 1.15, output: 0 })).toBe(58);
    expect(costMicros(usage(3, 0), { input: 0.5, output: 0 })).toBe(2);
  });

  it('prices cache reads and writes as input when the model has no price for them', () => {
    expect(costMicros(usage(0, 0, 10, 10), { input: 2, output: 8 })).toBe(40);
  });

  it('counts nonsense counts as nothing rather than a negative or fractional cost', () => {
    expect(costMicros(usage(-100, Number.NaN, 2.7, Infinity), { input: 1, output: 1 })).toBe(2);
  });
});

/** The parts of Anthropic events and OpenAI chunks that carry usage. */
interface SseEvent {
  type?: string;
  message?: { usage: { input_tokens: number; output_tokens: number } };
  usage?: { output_tokens: number; prompt_tokens: number; completion_tokens: number } | null;
}

describe('cost of a streamed and a non-streamed answer', () => {
  let mock: MockLlmServer;
  beforeAll(async () => {
    mock = await createMockLlmServer({ tokensPerSecond: 0, output: { lorem: 40 } });
  });
  afterAll(() => mock.close());

  const post = (path: string, body: object) =>
    fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-mock', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    });
  const sseData = (text: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
      .map((l) => JSON.parse(l.slice(6)) as SseEvent);

  it('is the same on the Anthropic wire (usage from message_start + message_delta)', async () => {
    const body = {
      model: 'mock-smart',
      max_tokens: 200,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Tell me about lighthouses' }],
    };
    const plain = (await (await post('/v1/messages', body)).json()) as { usage: { input_tokens: number; output_tokens: number } };
    const events = sseData(await (await post('/v1/messages', { ...body, stream: true })).text());
    const start = events.find((e) => e.type === 'message_start')!.message!.usage;
    const delta = events.findLast((e) => e.type === 'message_delta')!.usage!;
    const prices = MOCK_CATALOG['mock-smart']!.prices;
    const streamed = costMicros(usage(start.input_tokens, delta.output_tokens), prices);
    expect(streamed).toBe(costMicros(usage(plain.usage.input_tokens, plain.usage.output_tokens), prices));
    expect(streamed).toBeGreaterThan(0);
  });

  it('is the same on the OpenAI wire (usage from the last chunk)', async () => {
    const body = { model: 'mock-fast', messages: [{ role: 'user', content: 'Tell me about lighthouses' }] };
    const plain = (await (await post('/v1/chat/completions', body)).json()) as {
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    const chunks = sseData(
      await (await post('/v1/chat/completions', { ...body, stream: true, stream_options: { include_usage: true } })).text(),
    );
    const last = chunks.at(-1)!.usage!;
    const prices = MOCK_CATALOG['mock-fast']!.prices;
    const streamed = costMicros(usage(last.prompt_tokens, last.completion_tokens), prices);
    expect(streamed).toBe(costMicros(usage(plain.usage.prompt_tokens, plain.usage.completion_tokens), prices));
    expect(streamed).toBeGreaterThan(0);
  });
});
