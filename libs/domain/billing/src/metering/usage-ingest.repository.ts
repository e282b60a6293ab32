import { Inject, Injectable } from '@nestjs/common';
import type { MarketplaceUsageEvent } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';

/** An event ready to store: the publisher looked up from its listing. */
export interface StorableUsageEvent extends MarketplaceUsageEvent {
  publisherOrganizationId: string;
}

const INSERT_EVENTS = `
INSERT INTO "ApiUsageEvent" (id, time, "listingId", "subscriptionId", "consumerOrganizationId", "publisherOrganizationId", "keyId",
  "planVersionId", live, method, operation, weight, status, "durationMs", "releaseId", "lateForInvoiceId")
SELECT id, t AT TIME ZONE 'UTC', listing, subscription, consumer, publisher, key, version, live, method, operation, weight, status, duration, release, late
FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[],
  $10::text[], $11::text[], $12::int[], $13::int[], $14::float8[], $15::text[], $16::text[])
  AS u(id, t, listing, subscription, consumer, publisher, key, version, live, method, operation, weight, status, duration, release, late)
ON CONFLICT (id) DO NOTHING`;

// Every invoice of the batch's subscriptions whose period overlaps the batch, locked FOR SHARE
// until the batch commits. Finalization updates its invoice's row first, so the two exclude
// each other: either finalization commits first and these events are flagged late, or this
// batch commits first and finalization (which sums after taking its row lock) counts it.
const LOCK_INVOICES = `
SELECT id, "subscriptionId", "periodStart", "periodEnd", status::text AS status FROM "ApiInvoice"
WHERE "subscriptionId" = ANY($1::text[]) AND "periodStart" <= $3 AND "periodEnd" > $2
FOR SHARE`;

/**
 * The meter's writes (no tenant scope: each event carries its own organizations, written by the
 * edge for an admitted key). One batch = one transaction: lock the overlapping invoices, one
 * INSERT … SELECT FROM unnest … ON CONFLICT (id) DO NOTHING. The edge's event id is the primary
 * key, so a batch seen twice (a worker died before XACK) stores nothing the second time.
 */
@Injectable()
export class UsageIngestRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Publishing organization of each listing that exists (listings are never re-owned, so callers may cache this). */
  async publishers(listingIds: readonly string[]): Promise<Map<string, string>> {
    if (listingIds.length === 0) return new Map();
    const rows = await this.prisma.apiListing.findMany({ where: { id: { in: [...listingIds] } }, select: { id: true, organizationId: true } });
    return new Map(rows.map((r) => [r.id, r.organizationId]));
  }

  /** Stores a batch once; returns how many events were new and how many of those were late (their period's invoice was already final). */
  async ingest(events: readonly StorableUsageEvent[]): Promise<{ inserted: number; late: number }> {
    const unique = [...new Map(events.map((e) => [e.id, e])).values()];
    if (unique.length === 0) return { inserted: 0, late: 0 };
    const times = unique.map((e) => new Date(e.time));
    const min = new Date(Math.min(...times.map((t) => t.getTime())));
    const max = new Date(Math.max(...times.map((t) => t.getTime())));
    return this.prisma.$transaction(async (tx) => {
      const invoices = await tx.$queryRawUnsafe<{ id: string; subscriptionId: string; periodStart: Date; periodEnd: Date; status: string }[]>(
        LOCK_INVOICES,
        [...new Set(unique.map((e) => e.subscriptionId))],
        min,
        max,
      );
      const final = invoices.filter((i) => i.status === 'FINALIZED' || i.status === 'PAID');
      const lateFor = times.map((t, i) => final.find((inv) => inv.subscriptionId === unique[i]!.subscriptionId && inv.periodStart <= t && t < inv.periodEnd)?.id ?? null);
      const col = <T>(pick: (e: StorableUsageEvent) => T) => unique.map(pick);
      const inserted = await tx.$executeRawUnsafe(
        INSERT_EVENTS,
        col((e) => e.id),
        times.map((t) => t.toISOString()),
        col((e) => e.listingId),
        col((e) => e.subscriptionId),
        col((e) => e.consumerId),
        col((e) => e.publisherOrganizationId),
        col((e) => e.keyId),
        col((e) => e.planVersionId),
        col((e) => e.mode === 'live'),
        col((e) => e.method),
        col((e) => e.operation),
        col((e) => e.weight),
        col((e) => e.status),
        col((e) => e.durationMs),
        col((e) => e.releaseId),
        lateFor,
      );
      // Late among the inserted: exact when nothing in the batch was a duplicate, an upper bound otherwise (logging only).
      return { inserted, late: Math.min(inserted, lateFor.filter((l) => l !== null).length) };
    });
  }

  /** Whether the database answers at all: tells an outage (retry the batch) from a batch it refuses (store event by event). */
  async reachable(): Promise<boolean> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }
}
