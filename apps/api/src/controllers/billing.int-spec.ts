import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingPeriods } from '@slipway/billing';
import { PrismaService } from '@slipway/db';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/**
 * Billing over HTTP: the harness's owner publishes an API (rows as the API part writes them), a
 * second account subscribes; each sees the invoice from its own side, nobody else does.
 */
let h: GatewayHarness;
let consumer: HarnessUser;
let consumerOrg: string;
let stranger: HarnessUser;
let strangerOrg: string;
let listingSlug: string;
let subscriptionId: string;
let invoiceId: string;
const DEC = new Date('2026-12-01T00:00:00Z');
const JAN = new Date('2027-01-01T00:00:00Z');

async function signup(name: string): Promise<[HarnessUser, string]> {
  const user = new HarnessUser(h.url);
  const res = await user.call('POST', '/api/v1/auth/signup', { name, email: `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery staple' });
  expect(res.status).toBe(201);
  return [user, res.body.organizations[0].slug as string];
}

beforeAll(async () => {
  h = await startGatewayHarness();
  [consumer, consumerOrg] = await signup('Consumer');
  [stranger, strangerOrg] = await signup('Stranger');
  const prisma = h.app.get(PrismaService);
  const orgId = async (slug: string) => (await prisma.organization.findUniqueOrThrow({ where: { slug } })).id;
  const publisherId = await orgId(h.org);
  const consumerId = await orgId(consumerOrg);
  listingSlug = `weather-${randomBytes(3).toString('hex')}`;
  const listing = await prisma.apiListing.create({
    data: { organizationId: publisherId, projectId: randomUUID(), environmentId: randomUUID(), slug: listingSlug, name: 'Weather', summary: 'Forecasts', category: 'data', visibility: 'PUBLIC', status: 'PUBLISHED', operations: [], sealedEdgeSecret: 'v1.x.y' },
  });
  const plan = await prisma.apiPlan.create({ data: { listingId: listing.id, slug: 'metered', name: 'Metered' } });
  const version = await prisma.apiPlanVersion.create({ data: { planId: plan.id, version: 1, pricing: { kind: 'per_call', unitPriceMicros: 2_500 }, limits: {} } });
  const sub = await prisma.apiSubscription.create({
    data: { listingId: listing.id, planId: plan.id, planVersionId: version.id, consumerOrganizationId: consumerId, publisherOrganizationId: publisherId, currentPeriodStart: DEC, currentPeriodEnd: JAN },
  });
  subscriptionId = sub.id;
  await prisma.apiUsageEvent.createMany({
    data: Array.from({ length: 40 }, (_, i) => ({
      id: randomUUID(), time: new Date(Date.UTC(2026, 11, 2 + (i % 2), 9)), listingId: listing.id, subscriptionId: sub.id, consumerOrganizationId: consumerId, publisherOrganizationId: publisherId,
      keyId: 'k', planVersionId: version.id, live: true, method: 'GET', operation: '/forecast', weight: 1, status: 200, durationMs: 3, releaseId: 'r',
    })),
  });
  await h.app.get(BillingPeriods).pass(new Date('2026-12-05T00:00:00Z'));
  invoiceId = (await prisma.apiInvoice.findFirstOrThrow({ where: { subscriptionId } })).id;
});
afterAll(async () => h?.close());

describe('billing routes', () => {
  it('shows the consumer its invoice with lines matching the calls, and the drill-down by day', async () => {
    const list = await consumer.call('GET', `/api/v1/orgs/${consumerOrg}/invoices`);
    expect(list.status).toBe(200);
    expect(list.body.invoices.map((i: { id: string }) => i.id)).toEqual([invoiceId]);
    const detail = await consumer.call('GET', `/api/v1/orgs/${consumerOrg}/invoices/${invoiceId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: 'DRAFT', listingSlug, totalMicros: 100_000, lines: [{ kind: 'per_call', quantity: 40, unitPriceMicros: 2_500, amountMicros: 100_000 }] });
    const usage = await consumer.call('GET', `/api/v1/orgs/${consumerOrg}/invoices/${invoiceId}/lines/${detail.body.lines[0].id}/usage`);
    expect(usage.body.days).toEqual([
      { day: '2026-12-02', calls: 20, units: 20, testCalls: 0 },
      { day: '2026-12-03', calls: 20, units: 20, testCalls: 0 },
    ]);
    const events = await consumer.call('GET', `/api/v1/orgs/${consumerOrg}/invoices/${invoiceId}/usage-events?limit=25`);
    expect(events.body.events).toHaveLength(25);
    expect(typeof events.body.nextCursor).toBe('string');
  });

  it('answers 404 to any other organization, whatever route it tries', async () => {
    for (const path of [`/invoices/${invoiceId}`, `/invoices/${invoiceId}/usage-events`, `/subscriptions/${subscriptionId}/usage`, `/apis/${listingSlug}/invoices`, `/apis/${listingSlug}/invoices/${invoiceId}`]) {
      const res = await stranger.call('GET', `/api/v1/orgs/${strangerOrg}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.code, path).toBe('NOT_FOUND');
    }
    // Not a member of the consumer organization at all: refused before any lookup.
    expect((await stranger.call('GET', `/api/v1/orgs/${consumerOrg}/invoices/${invoiceId}`)).status).toBe(404);
    // The publisher does not see it as a consumer.
    expect((await h.owner.call('GET', `/api/v1/orgs/${h.org}/invoices/${invoiceId}`)).status).toBe(404);
  });

  it('lets the publisher set its tax rate, see the invoice with it, and refuses a rate out of range with the fix', async () => {
    const bad = await h.owner.call('PUT', `/api/v1/orgs/${h.org}/billing/publisher`, { taxRateBps: 12_000 });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('Use 0 to 10000 basis points.');
    expect((await h.owner.call('PUT', `/api/v1/orgs/${h.org}/billing/publisher`, { taxRateBps: 2_000 })).body).toEqual({ taxRateBps: 2_000 });
    const res = await h.owner.call('GET', `/api/v1/orgs/${h.org}/apis/${listingSlug}/invoices/${invoiceId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subtotalMicros: 100_000, taxRateBps: 2_000, taxMicros: 20_000, totalMicros: 120_000 });
    const now = await consumer.call('GET', `/api/v1/orgs/${consumerOrg}/subscriptions/${subscriptionId}/usage`);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ invoiceId, chargesMicros: 120_000 });
  });

  it('refuses a credit note on a draft with a stable code', async () => {
    const res = await h.owner.call('POST', `/api/v1/orgs/${h.org}/apis/${listingSlug}/invoices/${invoiceId}/credit-notes`, { amountMicros: 1_000, reason: 'goodwill' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INVOICE_NOT_FINALIZED');
  });
});
