import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, gatewayConfigSchema, type GatewayConfig } from '@slipway/contracts';
import { MOCK_CATALOG } from './catalog';
import { DEFAULT_MAX_ATTEMPTS, planRoutes, type PlanInput, type RoutePlan } from './plan-routes';
import type { ProviderRef } from './provider-ref';
import type { RequestNeeds } from './request-needs';

const mock: ProviderRef = { name: 'mock', kind: 'MOCK', baseUrl: 'http://127.0.0.1:4900' };
const anthropic: ProviderRef = { name: 'anthropic', kind: 'ANTHROPIC', baseUrl: 'https://api.anthropic.com' };
const anthropicEu: ProviderRef = { name: 'anthropic-eu', kind: 'ANTHROPIC', baseUrl: 'https://eu.example.test' };
const openai: ProviderRef = { name: 'openai', kind: 'OPENAI', baseUrl: 'https://api.openai.com/v1' };
const together: ProviderRef = { name: 'together', kind: 'OPENAI_COMPATIBLE', baseUrl: 'https://api.together.xyz/v1' };

const plain: RequestNeeds = { tools: false, vision: false, inputTokensEstimate: 20, maxOutputTokens: 100, stream: false };
const config = (value: unknown): GatewayConfig => gatewayConfigSchema.parse(value);
const chat = config({
  models: {
    chat: {
      routes: [
        { provider: 'mock', model: 'mock-tiny' },
        { provider: 'anthropic', model: 'claude-sonnet-4-5', timeouts: { firstByteMs: 9000 }, maxAttempts: 3 },
        { provider: 'mock', model: 'mock-smart' },
      ],
      fallbackOn: ['rate_limit', 'timeout'],
    },
    cheap: { routes: [{ provider: 'mock', model: 'mock-fast' }] },
  },
});
const plan = (input: Partial<PlanInput>) => planRoutes({ config: chat, model: 'chat', needs: plain, providers: [mock], ...input });
const targets = (result: RoutePlan) => {
  if (!result.ok) throw new Error(`expected routes, got ${result.status}: ${result.message}`);
  return result.routes.map((r) => `${r.provider.name}/${r.model}`);
};

describe('planRoutes: an alias', () => {
  it('keeps its routes in order, with their settings and the defaults', () => {
    const result = plan({ providers: [mock, anthropic] });
    expect(targets(result)).toEqual(['mock/mock-tiny', 'anthropic/claude-sonnet-4-5', 'mock/mock-smart']);
    if (!result.ok) return;
    expect(result.alias).toBe('chat');
    expect(result.routes[0]).toMatchObject({
      alias: 'chat',
      info: MOCK_CATALOG['mock-tiny'],
      timeouts: DEFAULT_TIMEOUTS,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
    });
    expect(result.routes[1]).toMatchObject({ timeouts: { ...DEFAULT_TIMEOUTS, firstByteMs: 9000 }, maxAttempts: 3 });
    expect([...result.routes[0]!.fallbackOn]).toEqual(['rate_limit', 'timeout']);
    expect([...targetsOf(plan({ model: 'cheap' }))[0]!.fallbackOn]).toEqual([
      'rate_limit',
      'overloaded',
      'server_error',
      'timeout',
      'connection',
    ]);
  });

  it('skips routes whose provider the organization has not set up', () => {
    expect(targets(plan({ providers: [mock] }))).toEqual(['mock/mock-tiny', 'mock/mock-smart']);
  });

  it('never sends a request with tools to a model without tool use (mock-tiny)', () => {
    expect(targets(plan({ needs: { ...plain, tools: true } }))).toEqual(['mock/mock-smart']);
  });

  it('skips a model whose context window the input does not fit', () => {
    expect(targets(plan({ needs: { ...plain, inputTokensEstimate: 1_500 } }))).toEqual(['mock/mock-smart']);
    expect(targets(plan({ needs: { ...plain, inputTokensEstimate: 1_000 } }))).toEqual(['mock/mock-tiny', 'mock/mock-smart']);
  });

  it('answers 400 naming what the request needs and what each route lacks when none fits', () => {
    const tiny = config({
      models: {
        small: {
          routes: [
            { provider: 'mock', model: 'mock-tiny' },
            { provider: 'openai', model: 'gpt-4o' },
          ],
        },
      },
    });
    const result = planRoutes({
      config: tiny,
      model: 'small',
      needs: { ...plain, tools: true, vision: true, inputTokensEstimate: 5_000 },
      providers: [mock],
    });
    expect(result).toEqual({
      ok: false,
      status: 400,
      message:
        'No route of "small" can serve this request, which needs tool use, image input and about 5,000 input tokens: ' +
        'mock/mock-tiny: no tool use, no image input, a context window of 1,024 tokens; openai/gpt-4o: provider "openai" is not set up in this organization.',
    });
  });

  it('refuses a route whose model the catalog does not know on a first-party provider', () => {
    const odd = config({ models: { x: { routes: [{ provider: 'anthropic', model: 'claude-unknown' }] } } });
    const result = planRoutes({ config: odd, model: 'x', needs: plain, providers: [mock, anthropic] });
    expect(result).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringContaining(
        'anthropic/claude-unknown: not in the model catalog (describe it under gateway.catalog as "anthropic/claude-unknown")',
      ),
    });
  });

  it("gives an OpenAI-compatible provider's unknown model a permissive, free description unless the catalog has one", () => {
    const compat = config({ models: { llama: { routes: [{ provider: 'together', model: 'meta-llama/Llama-3-70b' }] } } });
    const result = planRoutes({ config: compat, model: 'llama', needs: { ...plain, tools: true }, providers: [mock, together] });
    expect(result).toMatchObject({
      ok: true,
      routes: [{ info: { tools: true, contextWindow: 128_000, prices: { input: 0, output: 0 } } }],
    });
    const described = config({
      ...compat,
      catalog: {
        'together/meta-llama/Llama-3-70b': {
          contextWindow: 8192,
          tools: false,
          vision: false,
          streaming: true,
          prices: { input: 0.9, output: 0.9 },
        },
      },
    });
    expect(planRoutes({ config: described, model: 'llama', needs: { ...plain, tools: true }, providers: [mock, together] })).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  describe('weights', () => {
    const weighted = config({
      models: {
        split: {
          routes: [
            { provider: 'mock', model: 'mock-fast', weight: 3 },
            { provider: 'mock', model: 'mock-smart', weight: 1 },
            { provider: 'mock', model: 'mock-tiny' },
          ],
        },
      },
    });
    /** A seeded generator (mulberry32), so the distribution is the same on every run. */
    const seeded = (seed: number) => () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };

    it('draws the first attempt in proportion to weight and keeps the others as fallbacks in listed order', () => {
      const random = seeded(42);
      const firsts: Record<string, number> = {};
      for (let i = 0; i < 4000; i++) {
        const order = targets(planRoutes({ config: weighted, model: 'split', needs: plain, providers: [mock], random }));
        firsts[order[0]!] = (firsts[order[0]!] ?? 0) + 1;
        expect(order).toHaveLength(3);
        expect(order.at(-1)).toBe('mock/mock-tiny');
      }
      expect(Object.keys(firsts).sort()).toEqual(['mock/mock-fast', 'mock/mock-smart']);
      expect(firsts['mock/mock-fast']! / 4000).toBeCloseTo(0.75, 1);
    });

    it('maps the random number onto the weights', () => {
      const at = (r: number) => targets(planRoutes({ config: weighted, model: 'split', needs: plain, providers: [mock], random: () => r }));
      expect(at(0)).toEqual(['mock/mock-fast', 'mock/mock-smart', 'mock/mock-tiny']);
      expect(at(0.74)).toEqual(['mock/mock-fast', 'mock/mock-smart', 'mock/mock-tiny']);
      expect(at(0.75)).toEqual(['mock/mock-smart', 'mock/mock-fast', 'mock/mock-tiny']);
      expect(at(0.9999999)).toEqual(['mock/mock-smart', 'mock/mock-fast', 'mock/mock-tiny']);
    });

    it('draws only among weighted routes that fit the request', () => {
      const tinyHeavy = config({
        models: {
          split: {
            routes: [
              { provider: 'mock', model: 'mock-tiny', weight: 1000 },
              { provider: 'mock', model: 'mock-smart' },
              { provider: 'mock', model: 'mock-fast', weight: 1 },
            ],
          },
        },
      });
      const order = targets(
        planRoutes({ config: tinyHeavy, model: 'split', needs: { ...plain, tools: true }, providers: [mock], random: () => 0.5 }),
      );
      expect(order).toEqual(['mock/mock-fast', 'mock/mock-smart']);
    });
  });
});

describe('planRoutes: a model written out or bare', () => {
  it('takes <provider>/<model> as that single route', () => {
    expect(targets(plan({ model: 'anthropic/claude-haiku-4-5', providers: [mock, anthropic] }))).toEqual(['anthropic/claude-haiku-4-5']);
    expect(targets(plan({ model: 'mock/mock-fast' }))).toEqual(['mock/mock-fast']);
    expect(targets(plan({ model: 'together/meta-llama/Llama-3-70b', providers: [mock, together] }))).toEqual([
      'together/meta-llama/Llama-3-70b',
    ]);
    expect(plan({ model: 'mock/mock-fast' })).toMatchObject({
      ok: true,
      alias: null,
      routes: [{ alias: null, maxAttempts: DEFAULT_MAX_ATTEMPTS }],
    });
  });

  it('answers 404 for a written-out model the catalog does not know', () => {
    expect(plan({ model: 'anthropic/claude-nonexistent', providers: [mock, anthropic] })).toEqual({
      ok: false,
      status: 404,
      message:
        'Unknown model "claude-nonexistent" for provider "anthropic": it is not in the model catalog. Describe it under gateway.catalog as "anthropic/claude-nonexistent", or use an alias.',
    });
  });

  it('answers 400 when the written-out model lacks what the request needs', () => {
    expect(plan({ model: 'mock/mock-tiny', needs: { ...plain, tools: true } })).toEqual({
      ok: false,
      status: 400,
      message:
        'The model "mock/mock-tiny" cannot serve this request, which needs tool use and about 20 input tokens: mock/mock-tiny: no tool use.',
    });
  });

  it("sends a bare catalog id to the organization's providers of its kind", () => {
    expect(targets(plan({ model: 'claude-haiku-4-5', providers: [mock, openai, anthropic, anthropicEu] }))).toEqual([
      'anthropic/claude-haiku-4-5',
      'anthropic-eu/claude-haiku-4-5',
    ]);
    expect(targets(plan({ model: 'gpt-4o-mini-2024-07-18', providers: [mock, anthropic, openai] }))).toEqual([
      'openai/gpt-4o-mini-2024-07-18',
    ]);
    expect(targets(plan({ model: 'mock-fast' }))).toEqual(['mock/mock-fast']);
  });

  it('answers 404 naming the aliases for a model it does not know', () => {
    expect(plan({ model: 'gpt-9' })).toEqual({
      ok: false,
      status: 404,
      message: 'Unknown model or alias "gpt-9". Known aliases: chat, cheap; or write <provider>/<model> (providers: mock).',
    });
    expect(planRoutes({ config: null, model: 'x/y', needs: plain, providers: [mock] })).toMatchObject({
      status: 404,
      message: expect.stringContaining('Known aliases: none;'),
    });
  });

  it('answers 404 saying which provider is missing for a known model of a kind the organization lacks', () => {
    expect(plan({ model: 'claude-sonnet-4-5' })).toMatchObject({
      ok: false,
      status: 404,
      message: expect.stringMatching(
        /^No Anthropic provider is set up in this organization to serve "claude-sonnet-4-5"\. Known aliases: chat, cheap;/,
      ),
    });
  });

  it('does not take inherited object keys for aliases', () => {
    expect(plan({ model: 'constructor' })).toMatchObject({ ok: false, status: 404 });
  });
});

function targetsOf(result: RoutePlan) {
  if (!result.ok) throw new Error(result.message);
  return result.routes;
}
