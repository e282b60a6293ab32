import { describe, expect, it } from 'vitest';
import { buildRouteTable, environmentHost, nextRouteTableVersion } from './route-table';

const live = (name: string, ports: number[], hostLabel = 'Shop') => ({
  organizationId: 'o',
  projectId: 'p',
  projectSlug: 'shop',
  hostLabel,
  environmentId: `e-${name}`,
  environmentName: name,
  releaseId: `r-${name}`,
  replicas: ports.map((hostPort) => ({ hostPort, containerId: `c${hostPort}` })),
});

describe('route table', () => {
  it('names production <project>.<domain> and other environments <project>-<env>.<domain>, lower-case', () => {
    expect(environmentHost('shop', 'production', 'localhost')).toBe('shop.localhost');
    expect(environmentHost('shop', 'staging', 'Apps.Example.com')).toBe('shop-staging.apps.example.com');
  });

  it('builds one route per live environment with loopback upstreams', () => {
    const table = buildRouteTable(
      [live('production', [4001, 4002]), live('staging', [4003])],
      'localhost',
      7,
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(table).toEqual({
      version: 7,
      generatedAt: '2026-01-01T00:00:00.000Z',
      routes: [
        expect.objectContaining({
          hosts: ['shop.localhost'],
          releaseId: 'r-production',
          upstreams: [
            { host: '127.0.0.1', port: 4001, containerId: 'c4001' },
            { host: '127.0.0.1', port: 4002, containerId: 'c4002' },
          ],
        }),
        expect.objectContaining({ hosts: ['shop-staging.localhost'], environmentId: 'e-staging' }),
      ],
    });
  });

  it('gives a host to exactly one environment: the older one keeps it', () => {
    const table = buildRouteTable([live('staging', [4001], 'shop'), live('production', [4002], 'shop-staging')], 'localhost', 1, new Date());
    expect(table.routes.map((r) => [r.hosts, r.environmentId])).toEqual([[['shop-staging.localhost'], 'e-staging']]);
  });

  it('versions always increase: the clock, or one past the stored table when the clock is behind', () => {
    expect(nextRouteTableVersion(null, 1000)).toBe(1000);
    expect(nextRouteTableVersion({ version: 500, generatedAt: '', routes: [] }, 1000)).toBe(1000);
    expect(nextRouteTableVersion({ version: 5000, generatedAt: '', routes: [] }, 1000)).toBe(5001);
  });
});
