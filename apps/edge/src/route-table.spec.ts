import { describe, expect, it } from 'vitest';
import { RouteTable, upstreamAt } from './route-table';
import { tableOf } from './testing/http-fixtures';

describe('RouteTable', () => {
  it('starts empty', () => {
    const t = new RouteTable();
    expect(t.version).toBe(-1);
    expect(t.lookup('web.localhost')).toBeUndefined();
  });

  it('installs newer tables and ignores older or equal versions', () => {
    const t = new RouteTable();
    expect(t.apply(tableOf(5, [3001])).status).toBe('applied');
    expect(t.apply(tableOf(4, [3002]))).toEqual({ status: 'stale', version: 4, currentVersion: 5 });
    expect(t.apply(tableOf(5, [3002])).status).toBe('stale');
    expect(t.lookup('web.localhost')!.upstreams[0]!.port).toBe(3001);
    expect(t.apply(tableOf(6, [3002])).status).toBe('applied');
    expect(t.lookup('web.localhost')!.upstreams[0]!.port).toBe(3002);
  });

  it('rejects an invalid table and keeps the current one', () => {
    const t = new RouteTable();
    t.apply(tableOf(1, [3001]));
    const bad = { ...tableOf(2, [3001]), routes: [{ hosts: ['x'], upstreams: [{ host: '10.0.0.1', port: 80, containerId: 'c' }] }] };
    const res = t.apply(bad);
    expect(res.status).toBe('invalid');
    expect(t.apply('not a table').status).toBe('invalid');
    expect(t.version).toBe(1);
    expect(t.lookup('web.localhost')).toBeDefined();
  });

  it('matches hosts case-insensitively; the first route claiming a host wins', () => {
    const t = new RouteTable();
    const table = tableOf(1, [3001], ['Web.Localhost']);
    table.routes.push({ ...table.routes[0]!, releaseId: 'rel_2', hosts: ['web.localhost', 'api.localhost'] });
    t.apply(table);
    expect(t.lookup('web.localhost')!.route.releaseId).toBe('rel_1');
    expect(t.lookup('api.localhost')!.route.releaseId).toBe('rel_2');
  });

  it('walks replicas round-robin, and a retry takes the next one', () => {
    const t = new RouteTable();
    t.apply(tableOf(1, [3001, 3002, 3003]));
    const live = t.lookup('web.localhost')!;
    const picks = Array.from({ length: 6 }, () => upstreamAt(live, t.nextIndex(live)).port);
    expect(new Set(picks.slice(0, 3)).size).toBe(3);
    expect(picks.slice(3)).toEqual(picks.slice(0, 3));
    const i = t.nextIndex(live);
    expect(upstreamAt(live, i, 1).port).toBe(live.upstreams[(i + 1) % 3]!.port);
  });

  it('knows the live upstreams and reports those a new table removes', () => {
    const t = new RouteTable();
    const changes: string[][] = [];
    t.onChange((_table, removed) => changes.push([...removed]));
    t.apply(tableOf(1, [3001, 3002]));
    expect([...t.liveUpstreams()].sort()).toEqual(['127.0.0.1:3001', '127.0.0.1:3002']);
    const res = t.apply(tableOf(2, [3002, 3003]));
    expect(res).toMatchObject({ status: 'applied', removedUpstreams: ['127.0.0.1:3001'] });
    expect(t.isLive({ host: '127.0.0.1', port: 3001 })).toBe(false);
    expect(t.isLive({ host: '127.0.0.1', port: 3003 })).toBe(true);
    expect(changes).toEqual([[], ['127.0.0.1:3001']]);
  });

  it('swaps atomically: a route looked up before the swap keeps the old upstreams', () => {
    const t = new RouteTable();
    t.apply(tableOf(1, [3001]));
    const before = t.lookup('web.localhost')!;
    t.apply(tableOf(2, [3002]));
    expect(before.upstreams[0]!.port).toBe(3001);
    expect(t.lookup('web.localhost')!.upstreams[0]!.port).toBe(3002);
  });
});
