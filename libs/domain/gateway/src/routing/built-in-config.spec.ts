import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '@slipway/contracts';
import { builtInGatewayConfig } from './built-in-config';
import { planRoutes } from './plan-routes';
import type { ProviderRef } from './provider-ref';
import { requestNeeds } from './request-needs';

const mock: ProviderRef = { name: 'mock', kind: 'MOCK', baseUrl: 'http://127.0.0.1:4900' };
const anthropic: ProviderRef = { name: 'claude', kind: 'ANTHROPIC', baseUrl: 'https://api.anthropic.com' };
const openai: ProviderRef = { name: 'oai', kind: 'OPENAI', baseUrl: 'https://api.openai.com/v1' };
const together: ProviderRef = { name: 'together', kind: 'OPENAI_COMPATIBLE', baseUrl: 'https://api.together.xyz/v1' };
const routesOf = (providers: ProviderRef[], alias: string) =>
  builtInGatewayConfig(providers).models![alias]!.routes.map((r) => `${r.provider}/${r.model}`);

describe('builtInGatewayConfig', () => {
  it('works offline: default, fast and smart go to the mock models when no real provider is set up', () => {
    const config = builtInGatewayConfig([mock, together]);
    expect(gatewayConfigSchema.parse(config)).toEqual(config);
    expect(Object.keys(config.models!)).toEqual(['default', 'fast', 'smart']);
    expect(routesOf([mock], 'default')).toEqual(['mock/mock-smart']);
    expect(routesOf([mock], 'fast')).toEqual(['mock/mock-fast']);
    expect(routesOf([mock], 'smart')).toEqual(['mock/mock-smart']);
    const needs = requestNeeds('anthropic', {
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ name: 't', input_schema: { type: 'object' } }],
    });
    expect(planRoutes({ config, model: 'default', needs, providers: [mock] })).toMatchObject({
      ok: true,
      routes: [{ provider: mock, model: 'mock-smart' }],
    });
  });

  it('uses the real providers, Anthropic first and OpenAI as its fallback, and never falls back to the mock', () => {
    expect(routesOf([mock, openai, anthropic], 'default')).toEqual(['claude/claude-sonnet-5-5', 'oai/gpt-5']);
    expect(routesOf([mock, openai], 'fast')).toEqual(['oai/gpt-5-mini']);
    expect(routesOf([mock, anthropic], 'smart')).toEqual(['claude/claude-opus-5-5']);
  });

  it('names only models its catalog knows, so every built-in route can be planned', () => {
    const providers = [mock, anthropic, openai];
    const config = builtInGatewayConfig(providers);
    const needs = requestNeeds('openai', { messages: [{ role: 'user', content: 'hi' }] });
    for (const alias of ['default', 'fast', 'smart']) {
      const plan = planRoutes({ config, model: alias, needs, providers });
      expect(plan.ok && plan.routes.length).toBe(2);
    }
  });
});
