import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '@slipway/contracts';
import { ANTHROPIC_CATALOG, MOCK_CATALOG, UNKNOWN_COMPATIBLE_MODEL } from './catalog';
import { listModels } from './list-models';
import type { ProviderRef } from './provider-ref';

const mock: ProviderRef = { name: 'mock', kind: 'MOCK', baseUrl: 'http://127.0.0.1:4900' };
const anthropic: ProviderRef = { name: 'anthropic', kind: 'ANTHROPIC', baseUrl: 'https://api.anthropic.com' };
const together: ProviderRef = { name: 'together', kind: 'OPENAI_COMPATIBLE', baseUrl: 'https://api.together.xyz/v1' };
const llama = { contextWindow: 8192, tools: false, vision: false, streaming: true, prices: { input: 0.2, output: 0.2 } };
const config = gatewayConfigSchema.parse({
  models: {
    chat: {
      routes: [
        { provider: 'openai', model: 'gpt-4o' },
        { provider: 'anthropic', model: 'claude-haiku-4-5' },
      ],
    },
    compat: { routes: [{ provider: 'together', model: 'qwen' }] },
    gone: { routes: [{ provider: 'openai', model: 'gpt-4o' }] },
  },
  catalog: { 'together/llama': llama, 'elsewhere/x': llama },
});

describe('listModels', () => {
  it('lists the aliases first, each described by its first reachable route', () => {
    const listed = listModels(config, [mock, anthropic, together]);
    expect(listed.slice(0, 3)).toEqual([
      { id: 'chat', alias: true, provider: 'anthropic', info: ANTHROPIC_CATALOG['claude-haiku-4-5'] },
      { id: 'compat', alias: true, provider: 'together', info: UNKNOWN_COMPATIBLE_MODEL },
      { id: 'gone', alias: true, provider: null, info: null },
    ]);
  });

  it("then the catalog models of the organization's providers, once each, and its own entries as provider/model", () => {
    const ids = listModels(config, [mock, anthropic, together]).map((m) => m.id);
    expect(ids).toContain('mock-tiny');
    expect(ids).toContain('claude-sonnet-4-5');
    expect(ids).not.toContain('gpt-4o');
    expect(ids).toContain('together/llama');
    expect(ids).not.toContain('elsewhere/x');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists only the mock models offline', () => {
    expect(listModels({}, [mock])).toEqual(
      Object.entries(MOCK_CATALOG).map(([id, info]) => ({ id, alias: false, provider: 'mock', info })),
    );
  });
});
