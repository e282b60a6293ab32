import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, gatewayConfigSchema } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { resolveDrillTarget } from './drill-target';

const config = gatewayConfigSchema.parse({
  models: {
    chat: {
      routes: [
        { provider: 'mock', model: 'mock-primary', timeouts: { firstByteMs: 1500 } },
        { provider: 'mock', model: 'mock-backup' },
      ],
    },
    cheap: { routes: [{ provider: 'mock', model: 'mock-fast' }, { provider: 'mock', model: 'mock-backup' }] },
  },
});

/** The 400 a bad choice gets, with its field and message. */
function problem(fn: () => unknown): { path: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    return (err as AppError).errors![0]!;
  }
  throw new Error('expected a 400');
}

describe('resolveDrillTarget', () => {
  it('defaults to the first route of the first alias', () => {
    expect(resolveDrillTarget(config, {})).toEqual({
      routeKey: 'mock/mock-primary',
      alias: 'chat',
      aliasRouteKeys: ['mock/mock-primary', 'mock/mock-backup'],
      firstByteMs: 1500,
    });
  });

  it('finds the first alias holding a named route, with the default first-byte timeout', () => {
    expect(resolveDrillTarget(config, { route: 'mock/mock-backup' })).toMatchObject({ alias: 'chat', routeKey: 'mock/mock-backup', firstByteMs: DEFAULT_TIMEOUTS.firstByteMs });
    expect(resolveDrillTarget(config, { route: 'mock/mock-fast' })).toMatchObject({ alias: 'cheap', aliasRouteKeys: ['mock/mock-fast', 'mock/mock-backup'] });
  });

  it('takes the alias named, and its first route when no route is named', () => {
    expect(resolveDrillTarget(config, { alias: 'cheap' })).toMatchObject({ alias: 'cheap', routeKey: 'mock/mock-fast' });
    expect(resolveDrillTarget(config, { alias: 'cheap', route: 'mock/mock-backup' })).toMatchObject({ alias: 'cheap', routeKey: 'mock/mock-backup' });
  });

  it('rejects a route the routing does not have, naming the routes it has', () => {
    expect(problem(() => resolveDrillTarget(config, { route: 'anthropic/claude-sonnet-4-5' }))).toEqual({
      path: 'route',
      message: 'No route anthropic/claude-sonnet-4-5 in the environment’s routing (routes: mock/mock-primary, mock/mock-backup, mock/mock-fast).',
    });
  });

  it('rejects a route outside the alias named, and an unknown alias', () => {
    expect(problem(() => resolveDrillTarget(config, { alias: 'cheap', route: 'mock/mock-primary' })).message).toBe(
      'Alias "cheap" has no route mock/mock-primary (its routes: mock/mock-fast, mock/mock-backup).',
    );
    expect(problem(() => resolveDrillTarget(config, { alias: 'vision' }))).toEqual({ path: 'alias', message: 'No alias "vision" in the environment’s routing (aliases: chat, cheap).' });
  });

  it('rejects routing without aliases', () => {
    expect(problem(() => resolveDrillTarget({}, {})).path).toBe('route');
  });
});
