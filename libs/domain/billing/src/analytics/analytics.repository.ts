import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';

export interface SlotRow { slot: bigint; calls: bigint; testCalls: bigint; errors: bigint; p50: number | null; p95: number | null }
export interface TotalsRow { calls: bigint; testCalls: bigint; errors: bigint; units: bigint | null; p50: number | null; p95: number | null }
export interface AmountRow { key: string; name: string; amount: bigint }
export interface ConsumerCallsRow { organizationId: string; name: string; calls: bigint }
export interface ListingRevenueRow { listingId: string; draft: bigint; invoiced: bigint; paid: bigint; credits: bigint }
/** The window is in Unix seconds (the columns hold UTC). */
export interface SpreadLineRow { planId: string; planName: string; amount: bigint; windowStart: number; windowEnd: number }

const utc = (d: Date) => d.toISOString();

/**
 * Publisher analytics, tenant scope first: every query filters on the publisher organization,
 * and listings are found by slug or environment within it. Calls and latency come from usage
 * events, revenue from invoice lines (never from metrics).
 */
@Injectable()
export class AnalyticsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async listingBySlug(scope: TenantScope, slug: string): Promise<{ id: string } | null> {
    return this.prisma.apiListing.findFirst({ where: { organizationId: scope.organizationId, slug }, select: { id: true } });
  }

  async listings(scope: TenantScope, environmentId?: string): Promise<{ id: string; slug: string; name: string }[]> {
    return this.prisma.apiListing.findMany({ where: { organizationId: scope.organizationId, ...(environmentId ? { environmentId } : {}) }, select: { id: true, slug: true, name: true }, orderBy: { name: 'asc' } });
  }

  /** Per slot of `stepSeconds` from Unix second `start`: live calls, test calls, 5xx, p50/p95 of durationMs. */
  slots(scope: TenantScope, listingIds: string[], range: { from: Date; to: Date; start: number; stepSeconds: number }): Promise<SlotRow[]> {
    return this.prisma.$queryRaw<SlotRow[]>`
      SELECT floor((extract(epoch FROM time) - ${range.start}) / ${range.stepSeconds})::int8 AS slot,
        count(*) FILTER (WHERE live)::int8 AS calls, count(*) FILTER (WHERE NOT live)::int8 AS "testCalls",
        count(*) FILTER (WHERE status >= 500)::int8 AS errors,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs") AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs") AS p95
      FROM "ApiUsageEvent"
      WHERE "publisherOrganizationId" = ${scope.organizationId} AND "listingId" = ANY(${listingIds})
        AND time >= ${utc(range.from)}::timestamptz AT TIME ZONE 'UTC' AND time < ${utc(range.to)}::timestamptz AT TIME ZONE 'UTC'
      GROUP BY 1`;
  }

  async totals(scope: TenantScope, listingId: string, range: { from: Date; to: Date }): Promise<TotalsRow> {
    const [row] = await this.prisma.$queryRaw<TotalsRow[]>`
      SELECT count(*) FILTER (WHERE live)::int8 AS calls, count(*) FILTER (WHERE NOT live)::int8 AS "testCalls",
        count(*) FILTER (WHERE status >= 500)::int8 AS errors, sum(weight) FILTER (WHERE live)::int8 AS units,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs") AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs") AS p95
      FROM "ApiUsageEvent"
      WHERE "publisherOrganizationId" = ${scope.organizationId} AND "listingId" = ${listingId}
        AND time >= ${utc(range.from)}::timestamptz AT TIME ZONE 'UTC' AND time < ${utc(range.to)}::timestamptz AT TIME ZONE 'UTC'`;
    return row!;
  }

  /** Live calls per consumer organization in the range. */
  consumerCalls(scope: TenantScope, listingId: string, range: { from: Date; to: Date }): Promise<ConsumerCallsRow[]> {
    return this.prisma.$queryRaw<ConsumerCallsRow[]>`
      SELECT e."consumerOrganizationId" AS "organizationId", coalesce(o.name, e."consumerOrganizationId") AS name, count(*)::int8 AS calls
      FROM "ApiUsageEvent" e LEFT JOIN "Organization" o ON o.id = e."consumerOrganizationId"
      WHERE e."publisherOrganizationId" = ${scope.organizationId} AND e."listingId" = ${listingId} AND e.live
        AND e.time >= ${utc(range.from)}::timestamptz AT TIME ZONE 'UTC' AND e.time < ${utc(range.to)}::timestamptz AT TIME ZONE 'UTC'
      GROUP BY 1, 2`;
  }

  /** Invoice line amounts (not VOID; drafts as they stand) of invoices whose period overlaps the range, by plan or by consumer. */
  lineRevenue(scope: TenantScope, listingId: string, range: { from: Date; to: Date }, by: 'plan' | 'consumer'): Promise<AmountRow[]> {
    const key = by === 'plan' ? 'coalesce(pv."planId", s."planId")' : 'i."consumerOrganizationId"';
    const name = by === 'plan' ? 'coalesce(p.name, p2.name, \'(deleted plan)\')' : 'coalesce(o.name, i."consumerOrganizationId")';
    return this.prisma.$queryRawUnsafe<AmountRow[]>(
      `SELECT ${key} AS key, ${name} AS name, sum(l."amountMicros")::int8 AS amount
       FROM "ApiInvoiceLine" l
       JOIN "ApiInvoice" i ON i.id = l."invoiceId"
       LEFT JOIN "ApiSubscription" s ON s.id = i."subscriptionId"
       LEFT JOIN "ApiPlanVersion" pv ON pv.id = l."planVersionId"
       LEFT JOIN "ApiPlan" p ON p.id = pv."planId"
       LEFT JOIN "ApiPlan" p2 ON p2.id = s."planId"
       LEFT JOIN "Organization" o ON o.id = i."consumerOrganizationId"
       WHERE i."publisherOrganizationId" = $1 AND i."listingId" = $2 AND i.status <> 'VOID'
         AND i."periodStart" < $4::timestamptz AT TIME ZONE 'UTC' AND i."periodEnd" > $3::timestamptz AT TIME ZONE 'UTC'
       GROUP BY 1, 2 ORDER BY 3 DESC`,
      scope.organizationId,
      listingId,
      utc(range.from),
      utc(range.to),
    );
  }

  /** Invoice totals of the organization's listings for periods overlapping the range, by status; credit notes on them. */
  listingRevenue(scope: TenantScope, range: { from: Date; to: Date }): Promise<ListingRevenueRow[]> {
    return this.prisma.$queryRaw<ListingRevenueRow[]>`
      SELECT i."listingId",
        coalesce(sum(i."totalMicros") FILTER (WHERE i.status = 'DRAFT'), 0)::int8 AS draft,
        coalesce(sum(i."totalMicros") FILTER (WHERE i.status IN ('FINALIZED', 'PAID')), 0)::int8 AS invoiced,
        coalesce(sum(i."totalMicros") FILTER (WHERE i.status = 'PAID'), 0)::int8 AS paid,
        coalesce(sum((SELECT sum(c."amountMicros") FROM "ApiCreditNote" c WHERE c."invoiceId" = i.id)), 0)::int8 AS credits
      FROM "ApiInvoice" i
      WHERE i."publisherOrganizationId" = ${scope.organizationId} AND i.status <> 'VOID'
        AND i."periodStart" < ${utc(range.to)}::timestamptz AT TIME ZONE 'UTC' AND i."periodEnd" > ${utc(range.from)}::timestamptz AT TIME ZONE 'UTC'
      GROUP BY 1`;
  }

  /** Lines of the listings' invoices overlapping the range, with the window each charges for and its plan. */
  spreadLines(scope: TenantScope, listingIds: string[], range: { from: Date; to: Date }): Promise<SpreadLineRow[]> {
    return this.prisma.$queryRaw<SpreadLineRow[]>`
      SELECT coalesce(pv."planId", s."planId") AS "planId", coalesce(p.name, p2.name, '(deleted plan)') AS "planName", l."amountMicros" AS amount,
        extract(epoch FROM coalesce(l."usageFrom", i."periodStart"))::float8 AS "windowStart", extract(epoch FROM coalesce(l."usageTo", i."periodEnd"))::float8 AS "windowEnd"
      FROM "ApiInvoiceLine" l
      JOIN "ApiInvoice" i ON i.id = l."invoiceId"
      LEFT JOIN "ApiSubscription" s ON s.id = i."subscriptionId"
      LEFT JOIN "ApiPlanVersion" pv ON pv.id = l."planVersionId"
      LEFT JOIN "ApiPlan" p ON p.id = pv."planId"
      LEFT JOIN "ApiPlan" p2 ON p2.id = s."planId"
      WHERE i."publisherOrganizationId" = ${scope.organizationId} AND i."listingId" = ANY(${listingIds}) AND i.status <> 'VOID'
        AND i."periodStart" < ${utc(range.to)}::timestamptz AT TIME ZONE 'UTC' AND i."periodEnd" > ${utc(range.from)}::timestamptz AT TIME ZONE 'UTC'`;
  }
}
