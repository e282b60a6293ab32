import type { SubscriptionDto } from '@slipway/contracts';
import { toConsumerKeyDto } from '../keys/consumer-key';
import { toApiPlanDto } from '../plans/plan.mapper';
import type { PlanVersionRow, SubscriptionRow } from './subscriptions.repository';

/** Micro-USD amounts are whole numbers far below 2^53 (9 billion USD), so they travel as JSON numbers. */
const micros = (v: bigint | null): number | null => (v === null ? null : Number(v));

export function toSubscriptionDto(s: SubscriptionRow, version: PlanVersionRow, publisher: { slug: string; name: string }, baseUrl: string): SubscriptionDto {
  return {
    id: s.id,
    status: s.status,
    listing: { slug: s.listing.slug, name: s.listing.name, baseUrl, publisher },
    plan: toApiPlanDto({ ...s.plan, version }),
    currentPeriodStart: s.currentPeriodStart.toISOString(),
    currentPeriodEnd: s.currentPeriodEnd.toISOString(),
    spendCapMicros: micros(s.spendCapMicros),
    keys: s.keys.map(toConsumerKeyDto),
    createdAt: s.createdAt.toISOString(),
    canceledAt: s.canceledAt?.toISOString() ?? null,
  };
}
