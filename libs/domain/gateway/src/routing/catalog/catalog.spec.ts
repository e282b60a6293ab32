import { describe, expect, it } from 'vitest';
import { modelInfoSchema } from '@slipway/contracts';
import type { ProviderRef } from '../provider-ref';
import { ANTHROPIC_CATALOG, lookupModel, MOCK_CATALOG, OPENAI_CATALOG } from './index';

const anthropic: ProviderRef = { name: 'anthropic', kind: 'ANTHROPIC', baseUrl: 'https://api.anthropic.com' };
const openai: ProviderRef = { name: 'openai', kind: 'OPENAI', baseUrl: 'https://api.openai.com/v1' };
const together: ProviderRef = { name: 'together', kind: 'OPENAI_COMPATIBLE', baseUrl: 'https://api.together.xyz/v1' };
const mock: ProviderRef = { name: 'mock', kind: 'MOCK', baseUrl: 'http://127.0.0.1:4900' };

describe('the built-in model catalog', () => {
  it.each(Object.entries({ ...ANTHROPIC_CATALOG, ...OPENAI_CATALOG, ...MOCK_CATALOG }))(
    'describes %s completely, with prices',
    (_id, info) => {
      expect(modelInfoSchema.parse(info)).toEqual(info);
      expect(info.prices.input).toBeGreaterThan(0);
      expect(info.prices.output).toBeGreaterThan(info.prices.input);
      expect(info.prices.cacheRead).toBeLessThan(info.prices.input);
    },
  );

  it('has the models the issue names, the mock ones included', () => {
    for (const id of ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1', 'claude-sonnet-4', 'claude-3-5-haiku'])
      expect(ANTHROPIC_CATALOG).toHaveProperty([id]);
    for (const id of ['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4o', 'gpt-4o-mini', 'o3', 'o4-mini'])
      expect(OPENAI_CATALOG).toHaveProperty([id]);
    expect(MOCK_CATALOG['mock-tiny']).toMatchObject({ contextWindow: 1024, tools: false });
    expect(MOCK_CATALOG['mock-smart']!.prices.output).toBeGreaterThan(MOCK_CATALOG['mock-fast']!.prices.output);
  });
});

describe('lookupModel', () => {
  it('finds a model by its id on a provider of its kind only', () => {
    expect(lookupModel(anthropic, 'claude-sonnet-4-5')).toBe(ANTHROPIC_CATALOG['claude-sonnet-4-5']);
    expect(lookupModel(openai, 'gpt-4o-mini')).toBe(OPENAI_CATALOG['gpt-4o-mini']);
    expect(lookupModel(openai, 'claude-sonnet-4-5')).toBeUndefined();
    expect(lookupModel(anthropic, 'gpt-4o')).toBeUndefined();
  });

  it.each([
    [anthropic, 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    [anthropic, 'claude-sonnet-4-20250514', 'claude-sonnet-4'],
    [anthropic, 'claude-opus-4-0', 'claude-opus-4'],
    [anthropic, 'claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    [openai, 'gpt-4o-2024-08-06', 'gpt-4o'],
    [openai, 'gpt-5-mini-2025-08-07', 'gpt-5-mini'],
  ] as const)('reads the snapshot id %s as %s', (provider, id, base) => {
    expect(lookupModel(provider, id)).toBe({ ...ANTHROPIC_CATALOG, ...OPENAI_CATALOG }[base]);
  });

  it('knows nothing about an OpenAI-compatible provider or an unknown id', () => {
    expect(lookupModel(together, 'gpt-4o')).toBeUndefined();
    expect(lookupModel(anthropic, 'claude-nonexistent')).toBeUndefined();
    expect(lookupModel(anthropic, 'constructor')).toBeUndefined();
  });

  it("prefers the configuration's own entry, keyed by provider name, even over a built-in one", () => {
    const llama = { contextWindow: 8192, tools: false, vision: false, streaming: true, prices: { input: 0.2, output: 0.2 } };
    const cheaper = { ...ANTHROPIC_CATALOG['claude-haiku-4-5']!, prices: { input: 0.5, output: 2 } };
    const extra = { 'together/meta-llama/Llama-3-8b': llama, 'anthropic/claude-haiku-4-5': cheaper };
    expect(lookupModel(together, 'meta-llama/Llama-3-8b', extra)).toBe(llama);
    expect(lookupModel(anthropic, 'claude-haiku-4-5', extra)).toBe(cheaper);
    expect(lookupModel(openai, 'meta-llama/Llama-3-8b', extra)).toBeUndefined();
  });

  it('answers any model name on the mock, as the mock does', () => {
    expect(lookupModel(mock, 'mock-tiny')).toBe(MOCK_CATALOG['mock-tiny']);
    expect(lookupModel(mock, 'claude-sonnet-4-5')).toBe(MOCK_CATALOG['mock-smart']);
  });
});
