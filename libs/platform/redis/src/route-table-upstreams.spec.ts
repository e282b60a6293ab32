import type { EdgeRouteTable } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { InvalidRouteTableError, parseRouteTable, redisBackoff } from './route-table-store';
import { followBackoff, ROUTE_FOLLOW_RECONNECT_MS } from './route-table-subscriber';
import { removedUpstreams, routeTableUpstreams } from './route-table-upstreams';

const table = (version: number, ports: number[]): EdgeRouteTable => ({
  version,
  generatedAt: '2026-01-01T00:00:00Z',
  routes: [{ hosts: ['web.localhost'], organizationId: 'o', projectId: 'p', environmentId: 'e', releaseId: `r${version}`, upstreams: ports.map((port) => ({ host: '127.0.0.1' as const, port, containerId: `c${port}` })) }],
});

describe('route table upstreams', () => {
  it('lists every upstream and the ones a new table drops (for draining)', () => {
    expect([...routeTableUpstreams(table(1, [3001, 3002]))]).toEqual(['127.0.0.1:3001', '127.0.0.1:3002']);
    expect([...removedUpstreams(table(1, [3001, 3002]), table(2, [3002, 3003]))]).toEqual(['127.0.0.1:3001']);
    expect(removedUpstreams(null, table(1, [3001])).size).toBe(0);
  });
});

describe('parseRouteTable', () => {
  it('returns a valid table and names what is wrong with a bad one', () => {
    expect(parseRouteTable(JSON.stringify(table(3, [3001]))).version).toBe(3);
    expect(() => parseRouteTable('{')).toThrow(InvalidRouteTableError);
    expect(() => parseRouteTable('{"version":-1,"generatedAt":"x","routes":[]}')).toThrow(/version/);
  });
});

describe('redisBackoff', () => {
  it('grows with attempts and stays under 5 s', () => {
    for (let i = 0; i < 50; i++) expect(redisBackoff(i)).toBeLessThanOrEqual(5_000);
    expect(redisBackoff(20)).toBeGreaterThanOrEqual(2_500);
    expect(redisBackoff(0)).toBeLessThanOrEqual(100);
  });

  it('stays under the cap it is given: the edge follows route changes within a second of Redis coming back', () => {
    for (let i = 0; i < 50; i++) expect(followBackoff(i)).toBeLessThanOrEqual(ROUTE_FOLLOW_RECONNECT_MS);
    expect(ROUTE_FOLLOW_RECONNECT_MS).toBeLessThanOrEqual(1_000);
    expect(followBackoff(20)).toBeGreaterThanOrEqual(ROUTE_FOLLOW_RECONNECT_MS / 2);
  });
});
