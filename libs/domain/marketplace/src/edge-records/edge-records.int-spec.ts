import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import { MARKETPLACE_INVALIDATION_CHANNEL, MARKETPLACE_KEYS_HASH, MARKETPLACE_SUBSCRIPTIONS_HASH } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { RedisModule, RedisService } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { EdgeRecordsRepository } from './edge-records.repository';
import { EdgeRecords } from './edge-records.service';
import { EdgeRecordsStore } from './edge-records.store';

/** The reconcile pass of `marketplace-edge-sync` against real PostgreSQL and Redis (a Redis database of its own: it deletes unknown fields). */
let ctx: DomainTestContext;
let prisma: PrismaService;
let redis: RedisService;
let store: EdgeRecordsStore;
let repository: EdgeRecordsRepository;
let records: EdgeRecords;

const DAY = 86_400_000;
const hash = (name: string) => `hash-${name}`;

interface Seeded {
  active: string;
  canceledLongAgo: string;
  canceledYesterday: string;
  keys: Record<'live' | 'revoked' | 'expired' | 'ofOld' | 'ofYesterday' | 'overlapping', string>;
}

async function seed(): Promise<Seeded> {
  const org = await prisma.organization.create({ data: { slug: `o-${randomBytes(3).toString('hex')}`, name: 'Org' } });
  const listing = await prisma.apiListing.create({
    data: { organizationId: org.id, projectId: 'p', environmentId: 'e', slug: `l-${randomBytes(3).toString('hex')}`, name: 'L', summary: 's', category: 'data', visibility: 'PUBLIC', status: 'PUBLISHED', operations: [], sealedEdgeSecret: 'x' },
  });
  const plan = await prisma.apiPlan.create({ data: { listingId: listing.id, slug: 'prepaid', name: 'Prepaid' } });
  const version = await prisma.apiPlanVersion.create({
    data: { planId: plan.id, version: 1, pricing: { kind: 'prepaid', unitPriceMicros: 250 }, limits: { perSecond: 10, perMinute: null, perDay: null, perMonth: 500 } },
  });
  const now = Date.now();
  const subscription = (status: 'ACTIVE' | 'CANCELED', canceledAt: Date | null) =>
    prisma.apiSubscription.create({
      data: {
        listingId: listing.id,
        planId: plan.id,
        planVersionId: version.id,
        consumerOrganizationId: org.id,
        publisherOrganizationId: org.id,
        status,
        canceledAt,
        currentPeriodStart: new Date(now - DAY),
        currentPeriodEnd: new Date(now + 29 * DAY),
      },
    });
  const active = await subscription('ACTIVE', null);
  const old = await subscription('CANCELED', new Date(now - 40 * DAY));
  const yesterday = await subscription('CANCELED', new Date(now - DAY));
  const key = async (name: string, subscriptionId: string, extra: { revokedAt?: Date; expiresAt?: Date } = {}) =>
    (await prisma.apiConsumerKey.create({ data: { subscriptionId, consumerOrganizationId: org.id, mode: 'LIVE', name, prefix: 'swk_live_x', tokenHash: hash(name), ...extra } })).id;
  return {
    active: active.id,
    canceledLongAgo: old.id,
    canceledYesterday: yesterday.id,
    keys: {
      live: await key('live', active.id),
      revoked: await key('revoked', active.id, { revokedAt: new Date(now - 1000) }),
      expired: await key('expired', active.id, { expiresAt: new Date(now - 1000) }),
      overlapping: await key('overlapping', active.id, { expiresAt: new Date(now + 3_600_000) }),
      ofOld: await key('ofOld', old.id),
      ofYesterday: await key('ofYesterday', yesterday.id),
    },
  };
}

beforeAll(async () => {
  const url = new URL(loadConfig().REDIS_URL);
  url.pathname = '/7';
  ctx = await createDomainTestContext([DbModule, RedisModule], { REDIS_URL: url.toString() });
  prisma = ctx.app.get(PrismaService);
  redis = ctx.app.get(RedisService);
  store = new EdgeRecordsStore(redis);
  repository = new EdgeRecordsRepository(prisma);
  records = new EdgeRecords(repository, store);
});

afterAll(async () => {
  await ctx?.close();
});

beforeEach(async () => {
  await redis.client.flushdb();
  await prisma.apiConsumerKey.deleteMany();
  await prisma.apiSubscription.deleteMany();
});

describe('marketplace-edge-sync reconcile', () => {
  it('writes missing and wrong records, deletes unknown and stale ones, and announces each change', async () => {
    const s = await seed();
    await redis.client.hset(MARKETPLACE_KEYS_HASH, 'unknown-hash', '{}', hash('live'), JSON.stringify({ keyId: s.keys.live, mode: 'test' }), hash('revoked'), '{"stale":true}');
    await redis.client.hset(MARKETPLACE_SUBSCRIPTIONS_HASH, 'ghost', '{}');
    const seen: unknown[] = [];
    const sub = redis.client.duplicate();
    await sub.subscribe(MARKETPLACE_INVALIDATION_CHANNEL);
    sub.on('message', (_: string, m: string) => seen.push(JSON.parse(m)));

    const result = await records.reconcile();
    await new Promise((r) => setTimeout(r, 200));
    sub.disconnect();

    expect(result).toEqual({ keysWritten: 3, keysDeleted: 2, subscriptionsWritten: 2, subscriptionsDeleted: 1, applied: true });
    const keys = await redis.client.hgetall(MARKETPLACE_KEYS_HASH);
    expect(Object.keys(keys).sort()).toEqual([hash('live'), hash('ofYesterday'), hash('overlapping')].sort());
    expect(JSON.parse(keys[hash('live')]!)).toEqual({ keyId: s.keys.live, subscriptionId: s.active, listingId: expect.any(String), consumerId: expect.any(String), mode: 'live', expiresAt: null });
    expect(Date.parse(JSON.parse(keys[hash('overlapping')]!).expiresAt)).toBeGreaterThan(Date.now());
    const subscriptions = await redis.client.hgetall(MARKETPLACE_SUBSCRIPTIONS_HASH);
    expect(Object.keys(subscriptions).sort()).toEqual([s.active, s.canceledYesterday].sort());
    expect(JSON.parse(subscriptions[s.active]!)).toMatchObject({ status: 'active', planSlug: 'prepaid', gate: 'balance', unitPriceMicros: 250, limits: { perSecond: 10, perMonth: 500 }, operations: null });
    expect(JSON.parse(subscriptions[s.canceledYesterday]!).status).toBe('canceled');
    expect(seen).toEqual(expect.arrayContaining([{ keyHash: 'unknown-hash' }, { keyHash: hash('live') }, { keyHash: hash('revoked') }, { subscriptionId: 'ghost' }, { subscriptionId: s.active }]));
    expect(seen).toHaveLength(3 + 2 + 2 + 1);

    // A second pass finds nothing to do and announces nothing.
    expect(await records.reconcile()).toEqual({ keysWritten: 0, keysDeleted: 0, subscriptionsWritten: 0, subscriptionsDeleted: 0, applied: true });
  });

  it('never writes back a key revoked while the pass ran: the pass retries from a fresh snapshot', async () => {
    const s = await seed();
    await records.refreshKey(s.keys.live);
    let revokedDuringPass = false;
    const racing = new EdgeRecords(
      Object.assign(Object.create(repository) as EdgeRecordsRepository, {
        liveKeys: async (now: Date) => {
          const snapshot = await repository.liveKeys(now);
          if (!revokedDuringPass) {
            // The api revokes the key right after this pass read Postgres: commit, then its record goes.
            revokedDuringPass = true;
            await prisma.apiConsumerKey.update({ where: { id: s.keys.live }, data: { revokedAt: new Date() } });
            await records.refreshKey(s.keys.live);
          }
          return snapshot;
        },
      }),
      store,
    );
    expect((await racing.reconcile()).applied).toBe(true);
    expect(revokedDuringPass).toBe(true);
    expect(await redis.client.hexists(MARKETPLACE_KEYS_HASH, hash('live'))).toBe(0);
  });

  it('applies nothing when the generation moved since it was read', async () => {
    const generation = await store.generation();
    await store.writeKey('k', { keyId: 'k', subscriptionId: 's', listingId: 'l', consumerId: 'c', mode: 'live', expiresAt: null });
    expect(await store.applyIfUnchanged(generation, { set: {}, del: ['k'] }, { set: { x: '{}' }, del: [] })).toBe(false);
    expect(await redis.client.hexists(MARKETPLACE_KEYS_HASH, 'k')).toBe(1);
    expect(await redis.client.hexists(MARKETPLACE_SUBSCRIPTIONS_HASH, 'x')).toBe(0);
    expect(await store.applyIfUnchanged(await store.generation(), { set: {}, del: ['k'] }, { set: { x: '{}' }, del: [] })).toBe(true);
    expect(await redis.client.hexists(MARKETPLACE_KEYS_HASH, 'k')).toBe(0);
  });
});
