import { describe, expect, it } from 'vitest';
import type { LiveEnvironmentRoute, LiveListing } from './deployments.repository';
import { buildRouteTable, nextRouteTableVersion, type ListingRouting } from './route-table';

const live = (name: string, ports: number[], appHosts: string[], customDomains: string[] = [], listings: LiveListing[] = []): LiveEnvironmentRoute => ({
  organizationId: 'o',
  projectId: 'p',
  projectSlug: 'shop',
  appHosts,
  customDomains,
  environmentId: `e-${name}`,
  environmentName: name,
  releaseId: `r-${name}`,
  replicas: ports.map((hostPort) => ({ hostPort, containerId: `c${hostPort}` })),
  listings,
});

const listing = (slug: string, operations: unknown = [{ method: 'GET', path: '/forecast', weight: 2 }]): LiveListing => ({
  listingId: `l-${slug}`,
  slug,
  sealedEdgeSecret: `sealed:${slug}`,
  operations,
  billServerErrors: false,
});
/** Opens `sealed:<slug>` as `secret-of-<slug>-padding`; `broken` does not open. */
const apis: ListingRouting = {
  apiDomain: 'API.Example.com',
  openSecret: (l) => (l.slug === 'broken' ? null : `secret-of-${l.slug}-padding`),
};

describe('route table', () => {
  it('builds one route per live environment from its reserved hosts, with loopback upstreams', () => {
    const table = buildRouteTable(
      [live('production', [4001, 4002], ['shop'], ['www.shop.example']), live('staging', [4003], ['shop--staging'])],
      'Apps.Example.com',
      7,
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(table).toEqual({
      version: 7,
      generatedAt: '2026-01-01T00:00:00.000Z',
      routes: [
        expect.objectContaining({
          hosts: ['shop.apps.example.com', 'www.shop.example'],
          releaseId: 'r-production',
          upstreams: [
            { host: '127.0.0.1', port: 4001, containerId: 'c4001' },
            { host: '127.0.0.1', port: 4002, containerId: 'c4002' },
          ],
        }),
        expect.objectContaining({ hosts: ['shop--staging.apps.example.com'], environmentId: 'e-staging' }),
      ],
    });
  });

  it('routes a host kept from before the naming rule as it is', () => {
    const table = buildRouteTable([live('staging', [4001], ['shop-staging'])], 'localhost', 1, new Date());
    expect(table.routes.map((r) => r.hosts)).toEqual([['shop-staging.localhost']]);
  });

  it('gives a generated host precedence over a custom domain that became equal to it when APPS_DOMAIN changed', () => {
    const table = buildRouteTable([live('a', [4001], ['a'], ['shop.apps.test']), live('b', [4002], ['shop'])], 'apps.test', 1, new Date());
    expect(table.routes.map((r) => [r.environmentId, r.hosts])).toEqual([
      ['e-a', ['a.apps.test']],
      ['e-b', ['shop.apps.test']],
    ]);
  });

  it('leaves out an environment that has no host', () => {
    expect(buildRouteTable([live('x', [4001], [])], 'localhost', 1, new Date()).routes).toEqual([]);
  });

  it('versions always increase: the clock, or one past the stored table when the clock is behind', () => {
    expect(nextRouteTableVersion(null, 1000)).toBe(1000);
    expect(nextRouteTableVersion({ version: 500, generatedAt: '', routes: [] }, 1000)).toBe(1000);
    expect(nextRouteTableVersion({ version: 5000, generatedAt: '', routes: [] }, 1000)).toBe(5001);
  });

  it('routes each published listing on its own host <slug>.<API_DOMAIN> to the same upstreams, with the listing the edge enforces', () => {
    const table = buildRouteTable([live('production', [4001, 4002], ['shop'], [], [listing('weather')])], 'apps.test', 1, new Date(), apis);
    expect(table.routes).toEqual([
      expect.objectContaining({ hosts: ['shop.apps.test'] }),
      {
        hosts: ['weather.api.example.com'],
        organizationId: 'o',
        projectId: 'p',
        environmentId: 'e-production',
        releaseId: 'r-production',
        upstreams: [
          { host: '127.0.0.1', port: 4001, containerId: 'c4001' },
          { host: '127.0.0.1', port: 4002, containerId: 'c4002' },
        ],
        listing: {
          listingId: 'l-weather',
          slug: 'weather',
          secret: 'secret-of-weather-padding',
          operations: [{ method: 'GET', path: '/forecast', weight: 2 }],
          billServerErrors: false,
        },
      },
    ]);
    // The environment's own host is never enforced.
    expect(table.routes[0]).not.toHaveProperty('listing');
  });

  it('leaves out a listing whose secret cannot be opened or whose stored operations are invalid, never routing it unenforced', () => {
    const table = buildRouteTable(
      [live('production', [4001], ['shop'], [], [listing('broken'), listing('bad-ops', [{ method: 'FETCH', path: 'x' }]), listing('ok')])],
      'apps.test',
      1,
      new Date(),
      apis,
    );
    expect(table.routes.map((r) => r.hosts)).toEqual([['shop.apps.test'], ['ok.api.example.com']]);
  });

  it('routes a listing even when its environment has no host of its own, and none without listing routing', () => {
    const env = live('production', [4001], [], [], [listing('weather')]);
    expect(buildRouteTable([env], 'apps.test', 1, new Date(), apis).routes.map((r) => r.hosts)).toEqual([['weather.api.example.com']]);
    expect(buildRouteTable([env], 'apps.test', 1, new Date()).routes).toEqual([]);
  });
});
