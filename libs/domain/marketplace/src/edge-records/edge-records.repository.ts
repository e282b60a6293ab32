import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import type { KeyRecordSource, SubscriptionRecordSource } from './edge-records';

/** Canceled subscriptions keep their record this long, so their keys answer 403 (not 401) for a while. */
export const CANCELED_RECORD_DAYS = 30;

const KEY_SELECT = {
  id: true,
  subscriptionId: true,
  tokenHash: true,
  mode: true,
  expiresAt: true,
  revokedAt: true,
  subscription: { select: { listingId: true, consumerOrganizationId: true } },
} as const;

const SUBSCRIPTION_SELECT = {
  id: true,
  listingId: true,
  consumerOrganizationId: true,
  planId: true,
  planVersionId: true,
  status: true,
  currentPeriodStart: true,
  currentPeriodEnd: true,
  spendCapMicros: true,
  plan: { select: { slug: true } },
} as const;

/**
 * Reads the edge's records from Postgres (the record of truth). The reconcile pass reads every
 * tenant's rows on purpose: it mirrors the whole marketplace into the edge's hashes; nothing it
 * reads leaves the worker except as those records.
 */
@Injectable()
export class EdgeRecordsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async key(keyId: string): Promise<KeyRecordSource | null> {
    return this.prisma.apiConsumerKey.findUnique({ where: { id: keyId }, select: KEY_SELECT });
  }

  async subscription(subscriptionId: string): Promise<SubscriptionRecordSource | null> {
    const row = await this.prisma.apiSubscription.findUnique({ where: { id: subscriptionId }, select: SUBSCRIPTION_SELECT });
    return row && this.withVersion([row]).then((r) => r[0] ?? null);
  }

  /** Keys the edge should know: not revoked, not expired, of a subscription that keeps its record. */
  async liveKeys(now: Date): Promise<KeyRecordSource[]> {
    return this.prisma.apiConsumerKey.findMany({
      where: {
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        subscription: this.keptSubscription(now),
      },
      select: KEY_SELECT,
    });
  }

  async keptSubscriptions(now: Date): Promise<SubscriptionRecordSource[]> {
    const rows = await this.prisma.apiSubscription.findMany({ where: this.keptSubscription(now), select: SUBSCRIPTION_SELECT });
    return this.withVersion(rows);
  }

  private keptSubscription(now: Date) {
    return { OR: [{ status: { not: 'CANCELED' as const } }, { canceledAt: { gt: new Date(now.getTime() - CANCELED_RECORD_DAYS * 86_400_000) } }] };
  }

  /** ApiSubscription has no relation to its version (versions outlive plan edits): joined here. */
  private async withVersion<T extends { planVersionId: string }>(rows: T[]): Promise<(T & { planVersion: { pricing: unknown; limits: unknown; operations: unknown } })[]> {
    const ids = [...new Set(rows.map((r) => r.planVersionId))];
    const versions = await this.prisma.apiPlanVersion.findMany({ where: { id: { in: ids } }, select: { id: true, pricing: true, limits: true, operations: true } });
    const byId = new Map(versions.map((v) => [v.id, v]));
    return rows.flatMap((r) => {
      const v = byId.get(r.planVersionId);
      return v ? [{ ...r, planVersion: v }] : [];
    });
  }
}
