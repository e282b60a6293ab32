import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { MARKETPLACE_USAGE_STREAM, marketplaceUsageEventSchema, planPricingSchema, type PlanPricing } from '@slipway/contracts';
import { RedisService, resetMarketplaceBalance, snapshotMarketplaceBalances, unacknowledgedMarketplaceUsage } from '@slipway/redis';
import { InvoiceDraftsService } from '../invoices/invoice-drafts.service';
import { InvoiceStoreRepository } from '../invoices/invoice-store.repository';
import { MARKETPLACE_USAGE_STREAM_KEY } from '../metering/usage-ingest';
import { versionSpans } from '../rating';
import { edgeBalanceTruth, marginalUnitPriceMicros } from './edge-balances';
import { nextPeriod } from './period-math';
import { SUBSCRIPTION_RECORD_PUBLISHER, noopSubscriptionRecordPublisher, type SubscriptionRecordPublisher } from './subscription-record-publisher';

export interface PeriodsReport {
  rolled: number;
  recomputed: number;
  finalized: number;
  balances: number;
}

/** Subscriptions and drafts one pass handles at most (the next pass takes the rest). */
const BATCH = 500;
/** The edge appends its buffered usage at least every 100 ms: waiting this long after the balance snapshot puts every call admitted before it in the stream or in PostgreSQL. */
const EDGE_FLUSH_WAIT_MS = 200;

/**
 * The `api-billing-periods` pass (a BullMQ job scheduler, once across workers):
 * 1. every live subscription has a draft for its current period;
 * 2. ended periods roll: the next month, the plan's current version from then on, a new draft,
 *    the edge record republished (SUBSCRIPTION_RECORD_PUBLISHER);
 * 3. drafts past `periodEnd + MARKETPLACE_INVOICE_GRACE_MINUTES` are finalized, the others
 *    recomputed from their events;
 * 4. balance keys of spend-capped and prepaid subscriptions are reset from the truth.
 */
@Injectable()
export class BillingPeriods {
  private readonly logger = new Logger('api-billing-periods');
  private readonly publisher: SubscriptionRecordPublisher;
  private readonly stream: string;

  constructor(
    @Inject(CONFIG) private readonly config: Pick<Config, 'MARKETPLACE_INVOICE_GRACE_MINUTES'>,
    @Inject(InvoiceStoreRepository) private readonly store: InvoiceStoreRepository,
    @Inject(InvoiceDraftsService) private readonly drafts: InvoiceDraftsService,
    @Inject(RedisService) private readonly redis: RedisService,
    @Optional() @Inject(SUBSCRIPTION_RECORD_PUBLISHER) publisher?: SubscriptionRecordPublisher,
    @Optional() @Inject(MARKETPLACE_USAGE_STREAM_KEY) stream?: string,
  ) {
    this.publisher = publisher ?? noopSubscriptionRecordPublisher;
    this.stream = stream ?? MARKETPLACE_USAGE_STREAM;
  }

  async pass(now: Date = new Date()): Promise<PeriodsReport> {
    const report: PeriodsReport = { rolled: 0, recomputed: 0, finalized: 0, balances: 0 };
    await this.store.ensureDrafts();
    report.rolled = await this.rollDue(now);

    const drafts = await this.store.drafts(BATCH);
    const graceMs = this.config.MARKETPLACE_INVOICE_GRACE_MINUTES * 60_000;
    const current = drafts.filter((d) => d.periodStart <= now && now < d.periodEnd);
    const snapshot = await snapshotMarketplaceBalances(this.redis, current.map((d) => d.subscriptionId));
    if (current.length > 0) await sleep(EDGE_FLUSH_WAIT_MS);
    const inFlight = await this.inFlightUnits();

    for (const draft of drafts) {
      if (draft.periodEnd.getTime() + graceMs <= now.getTime()) {
        if (await this.drafts.finalize(draft.id, now)) report.finalized++;
        continue;
      }
      const result = await this.drafts.recompute(draft.id);
      if (!result) continue;
      report.recomputed++;
      if (!snapshot.has(draft.subscriptionId)) continue;
      const { facts, rated } = result;
      const pricing = new Map(facts.versions.map((v) => [v.id, planPricingSchema.parse(v.pricing)]));
      const spans = versionSpans(facts.invoice.periodStart, facts.invoice.periodEnd, facts.subscription.planVersionId, facts.changes);
      const inForce = spans.find((s) => s.from <= now && now < s.to)?.planVersionId ?? facts.subscription.planVersionId;
      const truth = edgeBalanceTruth({
        spendCapMicros: facts.subscription.spendCapMicros,
        pricingInForce: pricing.get(inForce) ?? null,
        creditBalanceMicros: facts.creditBalanceMicros,
        rated,
        inFlightMicros: this.inFlightMicros(inFlight.get(draft.subscriptionId), pricing),
      });
      if (truth === null) continue;
      await resetMarketplaceBalance(this.redis, draft.subscriptionId, truth, snapshot.get(draft.subscriptionId) ?? null);
      report.balances++;
    }
    return report;
  }

  /** Rolls every ended period (several for a subscription the job has not seen for months), then republishes the subscriptions' edge records. */
  private async rollDue(now: Date): Promise<number> {
    let rolled = 0;
    const touched = new Set<string>();
    for (let round = 0; round < 24; round++) {
      const due = await this.store.duePeriods(now, BATCH);
      if (due.length === 0) break;
      for (const sub of due) {
        const anchor = (await this.store.firstPeriodStart(sub.id)) ?? sub.currentPeriodStart;
        const next = nextPeriod(anchor, sub.currentPeriodEnd);
        const planVersionId = sub.plan.currentVersionId ?? sub.planVersionId;
        if (await this.store.rollPeriod(sub, { ...next, planVersionId })) {
          rolled++;
          touched.add(sub.id);
        }
      }
    }
    for (const id of touched) {
      try {
        await this.publisher.publish(id);
      } catch (err) {
        // The reconcile job rewrites every record from PostgreSQL within a minute.
        this.logger.warn(`subscription ${id} rolled, its edge record not republished: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return rolled;
  }

  /** Weight units per subscription and plan version of the admitted calls not in PostgreSQL yet. */
  private async inFlightUnits(): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    for (const raw of await unacknowledgedMarketplaceUsage(this.redis, this.stream)) {
      const event = marketplaceUsageEventSchema.safeParse(raw);
      if (!event.success || event.data.mode !== 'live') continue;
      const byVersion = out.get(event.data.subscriptionId) ?? new Map<string, number>();
      byVersion.set(event.data.planVersionId, (byVersion.get(event.data.planVersionId) ?? 0) + event.data.weight);
      out.set(event.data.subscriptionId, byVersion);
    }
    return out;
  }

  private inFlightMicros(units: Map<string, number> | undefined, pricing: Map<string, PlanPricing>): bigint {
    let total = 0n;
    for (const [version, weight] of units ?? []) {
      const p = pricing.get(version);
      if (p) total += BigInt(weight) * marginalUnitPriceMicros(p);
    }
    return total;
  }
}
