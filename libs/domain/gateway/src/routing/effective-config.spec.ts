import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema, type GatewayConfig } from '@slipway/contracts';
import { effectiveGatewayConfig } from './effective-config';
import type { ProviderRef } from './provider-ref';

const providers: ProviderRef[] = [{ name: 'mock', kind: 'MOCK', baseUrl: 'http://127.0.0.1:4900' }];
const orgDefaults: GatewayConfig = gatewayConfigSchema.parse({ models: { org: { routes: [{ provider: 'mock', model: 'mock-fast' }] } } });
const release = (slipwayConfig: unknown) => ({ id: 'rel_1', number: 7, slipwayConfig });
const gateway = {
  models: { chat: { routes: [{ provider: 'mock', model: 'mock-smart' }] } },
  budgets: [{ scope: 'project', period: 'day', limitUsd: 5 }],
};

describe('effectiveGatewayConfig', () => {
  it("uses the release's frozen gateway section and names the release", () => {
    const { config, from } = effectiveGatewayConfig({ release: release({ run: { port: 3000 }, gateway }), orgDefaults, providers });
    expect(from).toEqual({ source: 'release', releaseId: 'rel_1', releaseNumber: 7 });
    expect(Object.keys(config.models!)).toEqual(['chat']);
    expect(config.budgets).toEqual([{ scope: 'project', period: 'day', limitUsd: 5, action: 'block' }]);
  });

  it('falls back to the organization defaults when the release has no gateway section', () => {
    for (const slipwayConfig of [{}, { run: { port: 3000 } }, { gateway: {} }, null]) {
      expect(effectiveGatewayConfig({ release: release(slipwayConfig), orgDefaults, providers })).toEqual({
        config: orgDefaults,
        from: { source: 'organization' },
      });
    }
    expect(effectiveGatewayConfig({ release: null, orgDefaults, providers }).from).toEqual({ source: 'organization' });
  });

  it('uses the built-in aliases when neither defines routing', () => {
    const { config, from } = effectiveGatewayConfig({ release: null, orgDefaults: {}, providers });
    expect(from).toEqual({ source: 'built-in' });
    expect(Object.keys(config.models!)).toEqual(['default', 'fast', 'smart']);
  });

  it('keeps the aliases of the next source when a section sets only budgets or limits', () => {
    const budgetsOnly = effectiveGatewayConfig({
      release: release({ gateway: { limits: { key: { requestsPerMinute: 60 } } } }),
      orgDefaults,
      providers,
    });
    expect(budgetsOnly.from.source).toBe('release');
    expect(budgetsOnly.config).toEqual({ limits: { key: { requestsPerMinute: 60 } }, models: orgDefaults.models });
    const orgLimitsOnly = effectiveGatewayConfig({ release: null, orgDefaults: { retryBudget: 0.1 }, providers });
    expect(orgLimitsOnly.from.source).toBe('organization');
    expect(Object.keys(orgLimitsOnly.config.models!)).toEqual(['default', 'fast', 'smart']);
  });

  it('ignores a frozen section that does not validate (a release built before validation existed)', () => {
    expect(effectiveGatewayConfig({ release: release({ gateway: { models: ['claude'] } }), orgDefaults, providers }).from).toEqual({
      source: 'organization',
    });
  });
});
