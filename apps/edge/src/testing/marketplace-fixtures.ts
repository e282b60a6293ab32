import type { EdgeConsumerKey, EdgeListing, EdgeRouteTable, EdgeSubscription } from '@slipway/contracts';
import { CONSUMER_KEY_PREFIXES } from '@slipway/contracts';
import { generateSecretToken, sha256Hex } from '@slipway/crypto';

/** Test factories (excluded from the build) for the marketplace records the api writes to Redis. */
export const PERIOD_START = '2026-12-01T00:00:00.000Z';
export const PERIOD_END = '2027-01-01T00:00:00.000Z';

export function listingOf(over: Partial<EdgeListing> = {}): EdgeListing {
  return {
    listingId: 'lst_weather',
    slug: 'weather',
    secret: 'proxy-secret-0123456789abcdef',
    operations: [
      { method: 'GET', path: '/forecast', weight: 1 },
      { method: 'POST', path: '/v1/batch/**', weight: 5 },
      { method: '*', path: '/v1/items/*', weight: 2 },
      { method: 'GET', path: '/boom', weight: 1 },
      { method: 'GET', path: '/slow', weight: 1 },
    ],
    billServerErrors: false,
    ...over,
  };
}

export function subscriptionOf(over: Partial<EdgeSubscription> = {}): EdgeSubscription {
  return {
    subscriptionId: 'sub_1',
    listingId: 'lst_weather',
    consumerId: 'org_consumer',
    planId: 'pln_basic',
    planSlug: 'basic',
    planVersionId: 'plv_basic_1',
    status: 'active',
    periodStart: PERIOD_START,
    periodEnd: PERIOD_END,
    limits: { perSecond: null, perMinute: null, perDay: null, perMonth: null },
    operations: null,
    gate: 'none',
    balanceKind: 'prepaid',
    unitPriceMicros: 0,
    ...over,
  };
}

/** A fresh key of `mode` with its record. */
export function keyOf(over: Partial<EdgeConsumerKey> = {}, mode: 'live' | 'test' = over.mode ?? 'live'): { key: string; hash: string; record: EdgeConsumerKey } {
  const key = generateSecretToken(CONSUMER_KEY_PREFIXES[mode]);
  const record: EdgeConsumerKey = { keyId: `key_${key.slice(-6)}`, subscriptionId: 'sub_1', listingId: 'lst_weather', consumerId: 'org_consumer', mode, expiresAt: null, ...over };
  return { key, hash: sha256Hex(key), record };
}

/** A route table with a plain host and a listing host on the same upstreams. */
export function marketTableOf(version: number, ports: number[], listing: EdgeListing = listingOf()): EdgeRouteTable {
  const upstreams = ports.map((port, i) => ({ host: '127.0.0.1' as const, port, containerId: `c${i}` }));
  const base = { organizationId: 'org_publisher', projectId: 'prj_1', environmentId: 'env_1', releaseId: 'rel_1', upstreams };
  return {
    version,
    generatedAt: new Date().toISOString(),
    routes: [
      { ...base, hosts: ['web.localhost'] },
      { ...base, hosts: [`${listing.slug}.api.localhost`], listing },
    ],
  };
}
