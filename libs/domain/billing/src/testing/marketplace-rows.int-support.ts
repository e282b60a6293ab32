import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiInvoice, PrismaService } from '@slipway/db';

/** A publisher with one listing and one plan, and a consumer subscribed to it (rows only: nothing runs). */
export interface MarketTenant {
  publisherId: string;
  publisherSlug: string;
  consumerId: string;
  listingId: string;
  listingSlug: string;
  environmentId: string;
  planId: string;
  planVersionId: string;
  subscriptionId: string;
}

export async function seedMarket(prisma: PrismaService, opts: { planName?: string; consumerId?: string; publisherId?: string; environmentId?: string } = {}): Promise<MarketTenant> {
  const tag = randomBytes(4).toString('hex');
  const publisherId = opts.publisherId ?? (await prisma.organization.create({ data: { slug: `pub-${tag}`, name: `Publisher ${tag}` } })).id;
  const publisher = await prisma.organization.findUniqueOrThrow({ where: { id: publisherId } });
  const consumerId = opts.consumerId ?? (await prisma.organization.create({ data: { slug: `con-${tag}`, name: `Consumer ${tag}` } })).id;
  const environmentId = opts.environmentId ?? randomUUID();
  const listing = await prisma.apiListing.create({
    data: {
      organizationId: publisherId,
      projectId: randomUUID(),
      environmentId,
      slug: `weather-${tag}`,
      name: `Weather ${tag}`,
      summary: 'Forecasts',
      category: 'data',
      visibility: 'PUBLIC',
      status: 'PUBLISHED',
      operations: [{ method: 'GET', path: '/v1/*', weight: 1 }],
      sealedEdgeSecret: 'v1.test.sealed',
    },
  });
  const plan = await prisma.apiPlan.create({ data: { listingId: listing.id, slug: `pro-${tag}`, name: opts.planName ?? 'Pro' } });
  const version = await prisma.apiPlanVersion.create({ data: { planId: plan.id, version: 1, pricing: { kind: 'per_call', unitPriceMicros: 1000 }, limits: {} } });
  await prisma.apiPlan.update({ where: { id: plan.id }, data: { currentVersionId: version.id } });
  const subscription = await prisma.apiSubscription.create({
    data: {
      listingId: listing.id,
      planId: plan.id,
      planVersionId: version.id,
      consumerOrganizationId: consumerId,
      publisherOrganizationId: publisherId,
      currentPeriodStart: new Date('2026-12-01T00:00:00Z'),
      currentPeriodEnd: new Date('2027-01-01T00:00:00Z'),
    },
  });
  return { publisherId, publisherSlug: publisher.slug, consumerId, listingId: listing.id, listingSlug: listing.slug, environmentId, planId: plan.id, planVersionId: version.id, subscriptionId: subscription.id };
}

let invoiceSeq = 0;

/** An invoice of the tenant's subscription with the given lines (amounts in micro-USD); totals are their sum plus tax. */
export async function seedInvoice(
  prisma: PrismaService,
  t: MarketTenant,
  opts: { status: ApiInvoice['status']; periodStart: Date; periodEnd: Date; lines?: { kind: string; description: string; quantity: bigint; unitPriceMicros: bigint; amountMicros: bigint; usageFrom?: Date; usageTo?: Date }[]; taxRateBps?: number; finalizedAt?: Date | null; paidAt?: Date | null; subscriptionId?: string },
): Promise<ApiInvoice> {
  const lines = opts.lines ?? [{ kind: 'per_call', description: 'Calls', quantity: 1000n, unitPriceMicros: 1000n, amountMicros: 1_000_000n }];
  const subtotal = lines.reduce((s, l) => s + l.amountMicros, 0n);
  const taxRateBps = opts.taxRateBps ?? 0;
  const tax = (subtotal * BigInt(taxRateBps) * 2n + 10_000n) / 20_000n;
  invoiceSeq++;
  return prisma.apiInvoice.create({
    data: {
      number: opts.status === 'DRAFT' ? null : `${t.publisherSlug}-${String(invoiceSeq).padStart(6, '0')}`,
      subscriptionId: opts.subscriptionId ?? t.subscriptionId,
      listingId: t.listingId,
      consumerOrganizationId: t.consumerId,
      publisherOrganizationId: t.publisherId,
      periodStart: opts.periodStart,
      periodEnd: opts.periodEnd,
      status: opts.status,
      subtotalMicros: subtotal,
      taxRateBps,
      taxMicros: tax,
      totalMicros: subtotal + tax,
      finalizedAt: opts.finalizedAt === undefined ? (opts.status === 'DRAFT' ? null : opts.periodEnd) : opts.finalizedAt,
      paidAt: opts.paidAt ?? null,
      lines: { create: lines.map((l, i) => ({ position: i + 1, kind: l.kind, description: l.description, quantity: l.quantity, unitPriceMicros: l.unitPriceMicros, amountMicros: l.amountMicros, usageFrom: l.usageFrom ?? null, usageTo: l.usageTo ?? null, planVersionId: t.planVersionId })) },
    },
  });
}

/** Usage events of the tenant's subscription. */
export async function seedEvents(prisma: PrismaService, t: MarketTenant, events: { time: Date; status?: number; durationMs?: number; live?: boolean; weight?: number; operation?: string }[]): Promise<void> {
  await prisma.apiUsageEvent.createMany({
    data: events.map((e) => ({
      id: randomUUID(),
      time: e.time,
      listingId: t.listingId,
      subscriptionId: t.subscriptionId,
      consumerOrganizationId: t.consumerId,
      publisherOrganizationId: t.publisherId,
      keyId: 'key-1',
      planVersionId: t.planVersionId,
      live: e.live ?? true,
      method: 'GET',
      operation: e.operation ?? '/v1/forecast',
      weight: e.weight ?? 1,
      status: e.status ?? 200,
      durationMs: e.durationMs ?? 10,
      releaseId: 'rel-1',
    })),
  });
}
