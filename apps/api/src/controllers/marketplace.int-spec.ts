import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import {
  CONSUMER_KEY_PREFIXES,
  EDGE_ROUTES_KEY,
  MARKETPLACE_INVALIDATION_CHANNEL,
  MARKETPLACE_KEYS_HASH,
  MARKETPLACE_SUBSCRIPTIONS_HASH,
  edgeRouteTableSchema,
  type EdgeRoute,
} from '@slipway/contracts';
import { hasValidChecksum, sha256Hex } from '@slipway/crypto';
import { PrismaService } from '@slipway/db';
import { ListingsService } from '@slipway/marketplace';
import { RedisService } from '@slipway/redis';
import { createTestDatabase, type TestDatabase } from '@slipway/testing';
import { apiTestConfig } from '../gateway/gateway-harness.int-support';
import { createApi } from '../bootstrap';

/**
 * The marketplace's publisher and consumer API over HTTP (Fastify inject, real PostgreSQL and
 * Redis): listings, OpenAPI documents, plans, the catalog, subscriptions, consumer keys and the
 * records the edge reads, with the bad inputs of issue 12 that land on the api.
 */
class Client {
  private cookie = '';
  private csrf = '';

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read as untyped JSON, as any client of the API would
  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url: `/api/v1${url}`, headers, ...(body === undefined ? {} : { payload: body as object }) });
    const set = res.headers['set-cookie'];
    const cookies = (Array.isArray(set) ? set : set ? [set] : []).map((c) => c.split(';')[0]!);
    if (cookies.length) this.cookie = cookies.join('; ');
    const parsed = res.body ? JSON.parse(res.body) : undefined;
    if (parsed?.csrfToken) this.csrf = parsed.csrfToken;
    return { status: res.statusCode, body: parsed };
  }
}

let app: NestFastifyApplication;
let db: TestDatabase;
let dataDir: string;
let prisma: PrismaService;
let redis: RedisService;
const publisher = new Client();
const viewer = new Client();
const consumer = new Client();
const outsider = new Client();
const anonymous = new Client();
let pub: string;
let con: string;
let out: string;
const run = randomBytes(3).toString('hex');
const slug = `weather-${run}`;

const listingInput = (overrides: Record<string, unknown> = {}) => ({
  project: 'weather',
  environment: 'production',
  name: 'Weather',
  slug,
  summary: 'Forecasts for any place on earth',
  category: 'weather',
  visibility: 'PUBLIC',
  termsUrl: 'https://weather.example/terms',
  openApiPath: '/openapi.json',
  operations: [{ method: 'GET', path: '/forecast', weight: 1 }],
  ...overrides,
});
const freePlan = { slug: 'free', name: 'Free', pricing: { kind: 'free' }, limits: { perSecond: 5, perMinute: null, perDay: 100, perMonth: 1000 } };
/** A plan's body for PUT (its terms: the slug is in the path). */
const termsOf = ({ slug: _slug, ...terms }: { slug: string } & Record<string, unknown>) => terms;
const perCallPlan = (unitPriceMicros: number) => ({
  slug: 'pro',
  name: 'Pro',
  pricing: { kind: 'per_call', unitPriceMicros },
  limits: { perSecond: 50, perMinute: 1000, perDay: null, perMonth: null },
  operations: [{ method: 'GET', path: '/forecast' }],
});

async function signUp(client: Client, name: string): Promise<string> {
  const res = await client.call('POST', '/auth/signup', { name, email: `${name.toLowerCase()}-${run}@example.test`, password: 'correct horse battery staple' });
  expect(res.status).toBe(201);
  return res.body.organizations[0].slug;
}

/** A live release with one healthy replica, as a deployment leaves it (no container needed: the route table reads rows). */
async function makeLive(projectSlug: string, hostPort: number): Promise<void> {
  const env = await prisma.environment.findFirstOrThrow({ where: { name: 'production', project: { slug: projectSlug, organization: { slug: pub } } } });
  const scope = { organizationId: env.organizationId, projectId: env.projectId, environmentId: env.id };
  const build = await prisma.build.create({ data: { ...scope, commitSha: 'c0ffee', branch: 'main', authorName: 'Ada', authorEmail: 'ada@example.test', message: 'v1', status: 'SUCCEEDED' } });
  const release = await prisma.release.create({
    data: { ...scope, buildId: build.id, number: 1, imageId: 'sha256:1', commitSha: 'c0ffee', authorName: 'Ada', message: 'v1', envVarVersions: {}, slipwayConfig: {}, runtime: {} },
  });
  const deployment = await prisma.deployment.create({ data: { ...scope, releaseId: release.id, kind: 'DEPLOY', status: 'SUCCEEDED' } });
  await prisma.replica.create({
    data: { organizationId: env.organizationId, environmentId: env.id, releaseId: release.id, deploymentId: deployment.id, index: 0, containerName: `mkt-${run}`, containerId: `c-${run}`, hostPort, state: 'HEALTHY' },
  });
  await prisma.environment.update({ where: { id: env.id }, data: { liveReleaseId: release.id } });
}

async function routeOf(host: string): Promise<EdgeRoute | undefined> {
  const raw = await redis.client.get(EDGE_ROUTES_KEY);
  return raw ? edgeRouteTableSchema.parse(JSON.parse(raw)).routes.find((r) => r.hosts.includes(host)) : undefined;
}

const keyRecord = async (key: string) => JSON.parse((await redis.client.hget(MARKETPLACE_KEYS_HASH, sha256Hex(key))) ?? 'null');
const subscriptionRecord = async (id: string) => JSON.parse((await redis.client.hget(MARKETPLACE_SUBSCRIPTIONS_HASH, id)) ?? 'null');

/** Collects invalidation messages published while `fn` runs. */
async function invalidationsDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const sub = redis.client.duplicate();
  await sub.subscribe(MARKETPLACE_INVALIDATION_CHANNEL);
  sub.on('message', (_: string, message: string) => seen.push(JSON.parse(message)));
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    sub.disconnect();
  }
  return seen;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'slipway-mkt-'));
  // A Redis database of its own: the route table and the marketplace hashes are global keys.
  const redisUrl = new URL(loadConfig().REDIS_URL);
  redisUrl.pathname = '/6';
  app = await createApi(apiTestConfig(db.url, dataDir, { REDIS_URL: redisUrl.toString(), API_DOMAIN: 'api.localhost', EDGE_PORT: 8080 }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  prisma = app.get(PrismaService);
  redis = app.get(RedisService);

  pub = await signUp(publisher, 'Publisher');
  expect((await publisher.call('POST', `/orgs/${pub}/projects`, { name: 'weather' })).status).toBe(201);
  expect((await publisher.call('POST', `/orgs/${pub}/projects`, { name: 'drafts' })).status).toBe(201);
  await signUp(viewer, 'Viewer');
  const invitation = await publisher.call('POST', `/orgs/${pub}/invitations`, { role: 'VIEWER' });
  expect((await viewer.call('POST', `/invitations/${invitation.body.token}/accept`)).status).toBe(200);
  con = await signUp(consumer, 'Consumer');
  out = await signUp(outsider, 'Outsider');
  expect((await outsider.call('POST', `/orgs/${out}/projects`, { name: 'weather' })).status).toBe(201);
  await makeLive('weather', 45_001);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('listings', () => {
  let edgeSecret: string;

  it('creates a draft listing from an environment, showing its edge secret once', async () => {
    const created = await publisher.call('POST', `/orgs/${pub}/apis`, listingInput());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug, status: 'DRAFT', project: 'weather', environment: 'production', baseUrl: `http://${slug}.api.localhost:8080`, publishedAt: null });
    edgeSecret = created.body.edgeSecret;
    expect(edgeSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const got = await viewer.call('GET', `/orgs/${pub}/apis/${slug}`);
    expect(got.status).toBe(200);
    const listed = await viewer.call('GET', `/orgs/${pub}/apis`);
    expect(listed.body.map((l: { slug: string }) => l.slug)).toEqual([slug]);
    expect(JSON.stringify([got.body, listed.body])).not.toContain(edgeSecret);
    const audit = await publisher.call('GET', `/orgs/${pub}/audit-log`);
    expect(audit.body.map((e: { action: string }) => e.action)).toContain('api.listing_created');
  });

  it('refuses a taken slug, even from another organization, and a reserved one, writing nothing', async () => {
    const taken = await outsider.call('POST', `/orgs/${out}/apis`, listingInput());
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('API_SLUG_TAKEN');
    expect(taken.body.detail).toContain(slug);
    const reserved = await publisher.call('POST', `/orgs/${pub}/apis`, listingInput({ slug: 'www' }));
    expect(reserved.status).toBe(409);
    expect(reserved.body.code).toBe('API_SLUG_RESERVED');
    expect((await outsider.call('GET', `/orgs/${out}/apis`)).body).toEqual([]);
  });

  it('answers 400 with field errors for malformed listings', async () => {
    const res = await publisher.call('POST', `/orgs/${pub}/apis`, listingInput({ slug: 'Bad Slug', category: 'gossip', operations: [], termsUrl: 'ftp://x', colour: 'red' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['slug', 'category', 'operations', 'termsUrl']));
    const badOperation = await publisher.call('POST', `/orgs/${pub}/apis`, listingInput({ slug: `x-${run}`, operations: [{ method: 'FETCH', path: 'forecast' }] }));
    expect(badOperation.status).toBe(400);
    expect(badOperation.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['operations.0.method', 'operations.0.path']));
    expect((await publisher.call('PATCH', `/orgs/${pub}/apis/${slug}`, {})).status).toBe(400);
  });

  it('lets a viewer read but not write, and hides listings from other organizations (404)', async () => {
    expect((await viewer.call('POST', `/orgs/${pub}/apis`, listingInput({ slug: `v-${run}` }))).status).toBe(403);
    expect((await viewer.call('POST', `/orgs/${pub}/apis/${slug}/publish`)).status).toBe(403);
    expect((await outsider.call('GET', `/orgs/${pub}/apis/${slug}`)).status).toBe(404);
    const sideways = await outsider.call('GET', `/orgs/${out}/apis/${slug}`);
    expect(sideways.status).toBe(404);
    expect(sideways.body.code).toBe('NOT_FOUND');
    expect((await outsider.call('POST', `/orgs/${out}/apis/${slug}/rotate-secret`)).status).toBe(404);
    expect((await outsider.call('PUT', `/orgs/${out}/apis/${slug}/plans/free`, termsOf(freePlan))).status).toBe(404);
    // An environment of another organization cannot be listed.
    const foreign = await outsider.call('POST', `/orgs/${out}/apis`, listingInput({ slug: `f-${run}`, project: 'drafts' }));
    expect(foreign.status).toBe(404);
  });

  it('refuses to publish an environment without a live release, with a clear error', async () => {
    expect((await publisher.call('POST', `/orgs/${pub}/apis`, listingInput({ slug: `drafts-${run}`, project: 'drafts' }))).status).toBe(201);
    const res = await publisher.call('POST', `/orgs/${pub}/apis/drafts-${run}/publish`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('API_NOT_DEPLOYED');
    expect(res.body.detail).toContain('deploy');
  });

  it('publishes: the route table routes <slug>.<API_DOMAIN> to the live replicas with the listing and its secret; rotating and unpublishing follow', async () => {
    const published = await publisher.call('POST', `/orgs/${pub}/apis/${slug}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('PUBLISHED');
    const host = `${slug}.api.localhost`;
    const route = await routeOf(host);
    expect(route).toMatchObject({ upstreams: [{ host: '127.0.0.1', port: 45_001 }], listing: { slug, secret: edgeSecret, operations: [{ method: 'GET', path: '/forecast', weight: 1 }], billServerErrors: false } });
    // The environment's own host stays unenforced.
    expect((await routeOf('weather.localhost'))?.listing).toBeUndefined();

    const rotated = await publisher.call('POST', `/orgs/${pub}/apis/${slug}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.edgeSecret).not.toBe(edgeSecret);
    expect((await routeOf(host))?.listing?.secret).toBe(rotated.body.edgeSecret);
    edgeSecret = rotated.body.edgeSecret;

    const updated = await publisher.call('PATCH', `/orgs/${pub}/apis/${slug}`, { operations: [{ method: 'GET', path: '/forecast', weight: 2 }], billServerErrors: true });
    expect(updated.status).toBe(200);
    expect((await routeOf(host))?.listing).toMatchObject({ operations: [{ weight: 2 }], billServerErrors: true });

    const audit = await publisher.call('GET', `/orgs/${pub}/audit-log`);
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['api.listing_published', 'api.secret_rotated']));
    expect(JSON.stringify(audit.body)).not.toContain(edgeSecret);
  });
});

describe('OpenAPI documents', () => {
  const yaml = ['openapi: 3.1.0', 'info:', '  title: Weather', "  version: '1'", 'paths:', '  /forecast:', '    get:', '      summary: A forecast'].join('\n');

  it('stores an uploaded YAML or JSON document once, and serves the newest', async () => {
    const first = await publisher.call('PUT', `/orgs/${pub}/apis/${slug}/openapi`, { document: yaml });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ source: 'UPLOAD', releaseId: null, document: { openapi: '3.1.0', paths: { '/forecast': { get: { summary: 'A forecast' } } } } });
    const again = await publisher.call('PUT', `/orgs/${pub}/apis/${slug}/openapi`, { document: { paths: { '/forecast': { get: { summary: 'A forecast' } } }, info: { version: '1', title: 'Weather' }, openapi: '3.1.0' } });
    expect(again.body.id).toBe(first.body.id);
    const got = await viewer.call('GET', `/orgs/${pub}/apis/${slug}/openapi`);
    expect(got.body.id).toBe(first.body.id);
    expect((await outsider.call('GET', `/orgs/${out}/apis/${slug}/openapi`)).status).toBe(404);
  });

  it('refuses a document that is not OpenAPI 3.x with paths, naming the problem', async () => {
    const swagger = await publisher.call('PUT', `/orgs/${pub}/apis/${slug}/openapi`, { document: { swagger: '2.0', info: {}, paths: {} } });
    expect(swagger.status).toBe(400);
    expect(swagger.body.code).toBe('INVALID_OPENAPI');
    expect(swagger.body.errors).toEqual([{ path: 'document.openapi', message: expect.stringContaining('OpenAPI 3') }]);
    const garbage = await publisher.call('PUT', `/orgs/${pub}/apis/${slug}/openapi`, { document: '{"openapi": ' });
    expect(garbage.body.code).toBe('INVALID_OPENAPI');
    expect((await publisher.call('PUT', `/orgs/${pub}/apis/${slug}/openapi`, {})).body.code).toBe('VALIDATION_FAILED');
  });
});

describe('plans', () => {
  it('creates plans and refuses malformed pricing with the fields to fix', async () => {
    const free = await publisher.call('POST', `/orgs/${pub}/apis/${slug}/plans`, freePlan);
    expect(free.status).toBe(201);
    expect(free.body).toMatchObject({ slug: 'free', version: 1, pricing: { kind: 'free' }, operations: null, activeSubscriptions: 0 });
    const pro = await publisher.call('POST', `/orgs/${pub}/apis/${slug}/plans`, perCallPlan(1_000));
    expect(pro.status).toBe(201);
    expect((await publisher.call('POST', `/orgs/${pub}/apis/${slug}/plans`, freePlan)).body.code).toBe('PLAN_SLUG_TAKEN');
    const bad = await publisher.call('POST', `/orgs/${pub}/apis/${slug}/plans`, { ...perCallPlan(-5), slug: 'bad', limits: { perSecond: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['pricing.unitPriceMicros', 'limits.perSecond', 'limits.perMinute']));
    const unknownKind = await publisher.call('POST', `/orgs/${pub}/apis/${slug}/plans`, { ...freePlan, slug: 'odd', pricing: { kind: 'barter' } });
    expect(unknownKind.status).toBe(400);
    expect((await viewer.call('POST', `/orgs/${pub}/apis/${slug}/plans`, { ...freePlan, slug: 'v' })).status).toBe(403);
  });
});

describe('catalog', () => {
  it('shows published public listings without a session, searchable by text and category, with plans, document and base URL', async () => {
    const page = await anonymous.call('GET', `/catalog?q=forecasts%20earth&category=weather`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 1, page: 1, pageSize: 20, items: [{ slug, publisher: { slug: pub }, baseUrl: `http://${slug}.api.localhost:8080` }] });
    expect((await anonymous.call('GET', '/catalog?category=finance')).body.total).toBe(0);
    expect((await anonymous.call('GET', '/catalog?q=nothing-like-it')).body.items).toEqual([]);
    expect((await anonymous.call('GET', '/catalog?pageSize=1000')).status).toBe(400);
    const listing = await anonymous.call('GET', `/catalog/${slug}`);
    expect(listing.status).toBe(200);
    expect(listing.body.plans.map((p: { slug: string }) => p.slug)).toEqual(['free', 'pro']);
    expect(listing.body.openApi).toMatchObject({ openapi: '3.1.0' });
    expect(JSON.stringify(listing.body)).not.toMatch(/secret|environmentId/i);
  });

  it('keeps drafts out, shows unlisted ones by slug only, and private ones only to members of the publisher', async () => {
    expect((await anonymous.call('GET', `/catalog/drafts-${run}`)).status).toBe(404);
    await publisher.call('PATCH', `/orgs/${pub}/apis/${slug}`, { visibility: 'UNLISTED' });
    expect((await anonymous.call('GET', `/catalog?q=${slug}`)).body.total).toBe(0);
    expect((await anonymous.call('GET', `/catalog/${slug}`)).status).toBe(200);
    await publisher.call('PATCH', `/orgs/${pub}/apis/${slug}`, { visibility: 'PRIVATE' });
    expect((await anonymous.call('GET', `/catalog/${slug}`)).status).toBe(404);
    expect((await outsider.call('GET', `/catalog/${slug}`)).status).toBe(404);
    expect((await viewer.call('GET', `/catalog/${slug}`)).status).toBe(200);
    // A consumer outside the publisher cannot subscribe to a private listing either (it is not found).
    expect((await consumer.call('POST', `/orgs/${con}/subscriptions`, { listing: slug, plan: 'free' })).status).toBe(404);
    await publisher.call('PATCH', `/orgs/${pub}/apis/${slug}`, { visibility: 'PUBLIC' });
  });
});

describe('subscriptions and keys', () => {
  let subscriptionId: string;
  let liveKey: string;

  it('subscribes, shows the first live key once, and writes the edge records', async () => {
    const res = await consumer.call('POST', `/orgs/${con}/subscriptions`, { listing: slug, plan: 'pro' });
    expect(res.status).toBe(201);
    subscriptionId = res.body.subscription.id;
    liveKey = res.body.key.key;
    expect(hasValidChecksum(liveKey, CONSUMER_KEY_PREFIXES.live)).toBe(true);
    expect(res.body.subscription).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro', version: 1 }, spendCapMicros: null, listing: { slug, baseUrl: `http://${slug}.api.localhost:8080` } });
    expect(new Date(res.body.subscription.currentPeriodEnd).getUTCMonth()).toBe((new Date(res.body.subscription.currentPeriodStart).getUTCMonth() + 1) % 12);
    expect(await keyRecord(liveKey)).toEqual({ keyId: res.body.key.id, subscriptionId, listingId: expect.any(String), consumerId: expect.any(String), mode: 'live', expiresAt: null });
    expect(await subscriptionRecord(subscriptionId)).toMatchObject({
      status: 'active',
      planSlug: 'pro',
      limits: { perSecond: 50, perMinute: 1000, perDay: null, perMonth: null },
      operations: [{ method: 'GET', path: '/forecast' }],
      gate: 'none',
      unitPriceMicros: 1_000,
    });
    const listed = await consumer.call('GET', `/orgs/${con}/subscriptions`);
    expect(listed.body.map((s: { id: string }) => s.id)).toEqual([subscriptionId]);
    expect(JSON.stringify(listed.body)).not.toContain(liveKey);
    const audit = await consumer.call('GET', `/orgs/${con}/audit-log`);
    expect(audit.body.map((e: { action: string }) => e.action)).toContain('api.subscribed');
  });

  it('refuses a second open subscription of the same organization (409), and malformed input (400)', async () => {
    const again = await consumer.call('POST', `/orgs/${con}/subscriptions`, { listing: slug, plan: 'free' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_SUBSCRIBED');
    const bad = await consumer.call('POST', `/orgs/${con}/subscriptions`, { listing: 'Not A Slug', plan: '', spendCapMicros: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['listing', 'plan', 'spendCapMicros']));
    expect((await consumer.call('POST', `/orgs/${con}/subscriptions`, { listing: slug, plan: 'gold' })).status).toBe(404);
  });

  it("hides a consumer's subscription and keys from other organizations (404), even through their own organization", async () => {
    for (const path of [`/orgs/${con}/subscriptions/${subscriptionId}`, `/orgs/${out}/subscriptions/${subscriptionId}`, `/orgs/${out}/subscriptions/${subscriptionId}/keys`]) {
      const res = await outsider.call('GET', path);
      expect(res.status, path).toBe(404);
    }
    expect((await outsider.call('POST', `/orgs/${out}/subscriptions/${subscriptionId}/cancel`)).status).toBe(404);
    expect((await outsider.call('POST', `/orgs/${out}/subscriptions/${subscriptionId}/keys`, { name: 'x' })).status).toBe(404);
    expect((await consumer.call('GET', `/orgs/${con}/subscriptions/${subscriptionId}`)).body.status).toBe('ACTIVE');
  });

  it('applies a price change to new subscriptions at once and leaves existing ones on their version', async () => {
    const changed = await publisher.call('PUT', `/orgs/${pub}/apis/${slug}/plans/pro`, termsOf(perCallPlan(2_000)));
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, pricing: { unitPriceMicros: 2_000 }, activeSubscriptions: 1 });
    const existing = await consumer.call('GET', `/orgs/${con}/subscriptions/${subscriptionId}`);
    expect(existing.body.plan).toMatchObject({ version: 1, pricing: { unitPriceMicros: 1_000 } });
    expect((await subscriptionRecord(subscriptionId)).unitPriceMicros).toBe(1_000);
    const fresh = await outsider.call('POST', `/orgs/${out}/subscriptions`, { listing: slug, plan: 'pro' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.subscription.plan).toMatchObject({ version: 2, pricing: { unitPriceMicros: 2_000 } });
    expect((await subscriptionRecord(fresh.body.subscription.id)).unitPriceMicros).toBe(2_000);
    expect((await anonymous.call('GET', `/catalog/${slug}`)).body.plans[1].pricing.unitPriceMicros).toBe(2_000);
  });

  it('refuses to delete a plan with active subscriptions (409), deletes one without, and closes an archived one', async () => {
    const refused = await publisher.call('DELETE', `/orgs/${pub}/apis/${slug}/plans/pro`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('PLAN_HAS_SUBSCRIPTIONS');
    expect(refused.body.detail).toContain('archive');
    expect((await publisher.call('GET', `/orgs/${pub}/apis/${slug}/plans`)).body.map((p: { slug: string }) => p.slug)).toEqual(['free', 'pro']);
    expect((await publisher.call('POST', `/orgs/${pub}/apis/${slug}/plans`, { ...freePlan, slug: 'trial', name: 'Trial' })).status).toBe(201);
    expect((await publisher.call('DELETE', `/orgs/${pub}/apis/${slug}/plans/trial`)).status).toBe(204);
    expect((await publisher.call('POST', `/orgs/${pub}/apis/${slug}/plans`, { ...freePlan, slug: 'legacy', name: 'Legacy' })).status).toBe(201);
    expect((await publisher.call('POST', `/orgs/${pub}/apis/${slug}/plans/legacy/archive`)).body.archivedAt).not.toBeNull();
    expect((await anonymous.call('GET', `/catalog/${slug}`)).body.plans.map((p: { slug: string }) => p.slug)).toEqual(['free', 'pro']);
    const archived = await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/change-plan`, { plan: 'legacy' });
    expect(archived.status).toBe(409);
    expect(archived.body.code).toBe('PLAN_ARCHIVED');
  });

  it('changes plan at once (a change row for proration) and sets a spend cap, rewriting the edge record', async () => {
    const changed = await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/change-plan`, { plan: 'free' });
    expect(changed.status).toBe(200);
    expect(changed.body.plan).toMatchObject({ slug: 'free', version: 1 });
    expect(await prisma.apiSubscriptionChange.count({ where: { subscriptionId } })).toBe(1);
    expect(await subscriptionRecord(subscriptionId)).toMatchObject({ planSlug: 'free', operations: null, unitPriceMicros: 0, gate: 'none' });
    expect((await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/change-plan`, { plan: 'free' })).body.code).toBe('SAME_PLAN');
    const back = await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/change-plan`, { plan: 'pro' });
    expect(back.body.plan).toMatchObject({ slug: 'pro', version: 2 });

    const capped = await consumer.call('PUT', `/orgs/${con}/subscriptions/${subscriptionId}/spend-cap`, { spendCapMicros: 5_000_000 });
    expect(capped.body.spendCapMicros).toBe(5_000_000);
    expect(await subscriptionRecord(subscriptionId)).toMatchObject({ gate: 'balance', unitPriceMicros: 2_000 });
    expect((await consumer.call('PUT', `/orgs/${con}/subscriptions/${subscriptionId}/spend-cap`, { spendCapMicros: 1.5 })).status).toBe(400);
    await consumer.call('PUT', `/orgs/${con}/subscriptions/${subscriptionId}/spend-cap`, { spendCapMicros: null });
    expect((await subscriptionRecord(subscriptionId)).gate).toBe('none');
  });

  it('creates a test key, rerolls a key with an overlap (the old record gets expiresAt), and refuses a bad overlap', async () => {
    const test = await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/keys`, { mode: 'test', name: 'ci' });
    expect(test.status).toBe(201);
    expect(test.body.key.startsWith('swk_test_')).toBe(true);
    expect((await keyRecord(test.body.key)).mode).toBe('test');

    const before = Date.now();
    const rerolled = await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/keys/${test.body.id}/reroll`, { overlapSeconds: 3600 });
    expect(rerolled.status).toBe(201);
    expect(rerolled.body.key).not.toBe(test.body.key);
    const old = await keyRecord(test.body.key);
    expect(Date.parse(old.expiresAt)).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(Date.parse(old.expiresAt)).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect((await keyRecord(rerolled.body.key)).expiresAt).toBeNull();
    expect((await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/keys/${test.body.id}/reroll`, {})).body.code).toBe('KEY_REVOKED');

    const tooLong = await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/keys/${rerolled.body.id}/reroll`, { overlapSeconds: 8 * 86_400 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].path).toBe('overlapSeconds');
    const atOnce = await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/keys/${rerolled.body.id}/reroll`, { overlapSeconds: 0 });
    expect(atOnce.status).toBe(201);
    expect(await keyRecord(rerolled.body.key)).toBeNull();

    const keys = await consumer.call('GET', `/orgs/${con}/subscriptions/${subscriptionId}/keys`);
    expect(keys.body).toHaveLength(4);
    expect(JSON.stringify(keys.body)).not.toMatch(/swk_(live|test)_[0-9A-Za-z]{20}/);
  });

  it('revokes a key: its record leaves the hash and the invalidation is published', async () => {
    const key = await consumer.call('GET', `/orgs/${con}/subscriptions/${subscriptionId}/keys`);
    const live = key.body.find((k: { mode: string; revokedAt: string | null }) => k.mode === 'live' && !k.revokedAt);
    const messages = await invalidationsDuring(async () => {
      expect((await consumer.call('DELETE', `/orgs/${con}/subscriptions/${subscriptionId}/keys/${live.id}`)).status).toBe(204);
    });
    expect(messages).toContainEqual({ keyHash: sha256Hex(liveKey) });
    expect(await keyRecord(liveKey)).toBeNull();
    expect((await consumer.call('DELETE', `/orgs/${con}/subscriptions/${subscriptionId}/keys/${live.id}`)).status).toBe(204);
    const audit = await consumer.call('GET', `/orgs/${con}/audit-log`);
    expect(audit.body.map((e: { action: string }) => e.action)).toContain('api.key_revoked');
    expect(JSON.stringify(audit.body)).not.toContain(liveKey);
  });

  it('cancels: the record says canceled (the edge answers 403), new keys are refused, and the organization may subscribe again', async () => {
    const messages = await invalidationsDuring(async () => {
      const canceled = await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/cancel`);
      expect(canceled.body.status).toBe('CANCELED');
    });
    expect(messages).toContainEqual({ subscriptionId });
    expect((await subscriptionRecord(subscriptionId)).status).toBe('canceled');
    expect((await consumer.call('POST', `/orgs/${con}/subscriptions/${subscriptionId}/keys`, { name: 'late' })).body.code).toBe('SUBSCRIPTION_CANCELED');
    expect((await consumer.call('POST', `/orgs/${con}/subscriptions`, { listing: slug, plan: 'free' })).status).toBe(201);
  });
});

describe('unpublishing and project deletion', () => {
  it('unpublishing archives the listing: its host leaves the route table and it takes no new subscriptions', async () => {
    const res = await publisher.call('POST', `/orgs/${pub}/apis/${slug}/unpublish`);
    expect(res.body.status).toBe('ARCHIVED');
    expect(await routeOf(`${slug}.api.localhost`)).toBeUndefined();
    expect((await anonymous.call('GET', `/catalog/${slug}`)).status).toBe(404);
    expect((await anonymous.call('GET', `/catalog?q=${slug}`)).body.total).toBe(0);
    const late = await viewer.call('POST', `/orgs/${pub}/subscriptions`, { listing: slug, plan: 'free' });
    expect(late.status).toBe(403); // a viewer may not subscribe at all
    const refused = await publisher.call('POST', `/orgs/${pub}/subscriptions`, { listing: slug, plan: 'free' });
    expect(refused.body.code).toBe('API_NOT_PUBLISHED');
  });

  it("archives a deleted project's listings and cancels their subscriptions; invoices and usage rows are untouched", async () => {
    await publisher.call('POST', `/orgs/${pub}/apis/${slug}/publish`);
    const open = await prisma.apiSubscription.findMany({ where: { listing: { slug }, status: 'ACTIVE' } });
    expect(open.length).toBeGreaterThan(0);
    const project = await prisma.project.findFirstOrThrow({ where: { slug: 'weather', organization: { slug: pub } } });
    expect((await publisher.call('DELETE', `/orgs/${pub}/projects/weather`)).status).toBe(204);
    expect(await app.get(ListingsService).archiveProject({ organizationId: project.organizationId }, project.id)).toBe(1);
    expect((await prisma.apiListing.findUniqueOrThrow({ where: { slug } })).status).toBe('ARCHIVED');
    expect(await prisma.apiSubscription.count({ where: { listing: { slug }, status: { not: 'CANCELED' } } })).toBe(0);
    for (const s of open) expect((await subscriptionRecord(s.id)).status).toBe('canceled');
    const listing = await publisher.call('GET', `/orgs/${pub}/apis/${slug}`);
    expect(listing.body).toMatchObject({ status: 'ARCHIVED', project: null, environment: null });
    expect((await publisher.call('POST', `/orgs/${pub}/apis/${slug}/publish`)).body.code).toBe('API_NOT_DEPLOYED');
    // Idempotent.
    expect(await app.get(ListingsService).archiveProject({ organizationId: project.organizationId }, project.id)).toBe(0);
  });
});
