import { describe, expect, it } from 'vitest';
import { validateGatewayConfig } from './validate-config';

const errorsOf = (value: unknown) => {
  const result = validateGatewayConfig(value);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
};

describe('validateGatewayConfig (organization defaults sent as JSON)', () => {
  it('accepts a valid configuration, with defaults applied', () => {
    const result = validateGatewayConfig({
      models: {
        chat: { routes: [{ provider: 'mock', model: 'mock-smart', weight: 2 }], fallbackOn: ['timeout'] },
        cheap: { routes: [{ provider: 'mock', model: 'mock-fast' }] },
      },
      budgets: [
        { scope: 'alias', match: 'chat', period: 'month', limitUsd: 50, action: 'downgrade', downgradeTo: 'cheap' },
        { scope: 'project', period: 'day', limitUsd: 1 },
      ],
      limits: { key: { requestsPerMinute: 60 }, customer: { tokensPerMinute: 10_000 } },
      retryBudget: 0.1,
    });
    expect(result).toMatchObject({ ok: true, config: { budgets: [{ action: 'downgrade' }, { action: 'block' }] } });
  });

  it('refuses a route model id that is not printable ASCII (it ends up in response headers)', () => {
    expect(errorsOf({ models: { chat: { routes: [{ provider: 'mock', model: 'mock\u2014smart' }] } } })).toEqual([
      { path: 'models.chat.routes.0.model', message: 'Give the model id in printable ASCII without spaces, at most 256 characters.' },
    ]);
  });

  it('names every problem by its dotted path', () => {
    expect(
      errorsOf({
        models: { chat: { routes: [{ provider: 'no such!', model: 'x' }], fallbackOn: ['timeout', 'sometimes'] } },
        budgets: [
          { scope: 'project', period: 'day', limitUsd: 5, action: 'downgrade' },
          { scope: 'project', period: 'day', limitUsd: 5, action: 'downgrade', downgradeTo: 'cheap' },
        ],
      }),
    ).toEqual([
      {
        path: 'models.chat.routes.0.provider',
        message: 'Name the provider with letters, digits, ".", "_" or "-" (at most 63 characters).',
      },
      {
        path: 'models.chat.fallbackOn.1',
        message: 'Use one of: rate_limit, overloaded, server_error, timeout, connection, auth, stream_cut, client.',
      },
      { path: 'budgets.0.downgradeTo', message: 'Name the alias to downgrade to (downgradeTo: <alias>).' },
      { path: 'budgets.1.downgradeTo', message: 'No alias "cheap" under gateway.models (aliases: chat).' },
    ]);
  });

  it('suggests the key an unknown one probably meant, at any depth', () => {
    const errors = errorsOf({
      model: {},
      models: { chat: { routes: [{ provider: 'mock', model: 'x', wieght: 1, timeouts: { firstByte: 100 } }], fallback_on: [] } },
      limits: { keys: {} },
    });
    expect(errors.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'limits.keys', message: 'Unknown key "keys" under limits (did you mean key?). Allowed: key, customer.' },
      {
        path: 'model',
        message: 'Unknown key "model" at the top level (did you mean models?). Allowed: models, budgets, limits, catalog, retryBudget.',
      },
      {
        path: 'models.chat.fallback_on',
        message: 'Unknown key "fallback_on" under models.chat (did you mean fallbackOn?). Allowed: routes, fallbackOn.',
      },
      {
        path: 'models.chat.routes.0.timeouts.firstByte',
        message:
          'Unknown key "firstByte" under models.chat.routes.0.timeouts (did you mean firstByteMs?). Allowed: connectMs, firstByteMs, idleMs, totalMs.',
      },
      {
        path: 'models.chat.routes.0.wieght',
        message:
          'Unknown key "wieght" under models.chat.routes.0 (did you mean weight?). Allowed: provider, model, weight, timeouts, maxAttempts.',
      },
    ]);
  });

  it('rejects a bad alias name, a scope alias that names no alias, and a body that is not an object', () => {
    expect(errorsOf({ models: { 'my alias': { routes: [{ provider: 'mock', model: 'x' }] } } })).toEqual([
      { path: 'models.my alias', message: 'Name the alias with letters, digits, ".", "_" or "-" (at most 63 characters).' },
    ]);
    expect(
      errorsOf({
        models: { chat: { routes: [{ provider: 'mock', model: 'x' }] } },
        budgets: [{ scope: 'alias', match: 'caht', period: 'day', limitUsd: 1 }],
      }),
    ).toEqual([{ path: 'budgets.0.match', message: 'No alias "caht" under gateway.models (aliases: chat).' }]);
    expect(errorsOf([])).toEqual([{ path: '', message: 'Give gateway as a mapping (models:, budgets:, limits:, …).' }]);
    expect(errorsOf({ models: { chat: { routes: [] } } })).toEqual([{ path: 'models.chat.routes', message: 'Give at least one route.' }]);
  });
});
