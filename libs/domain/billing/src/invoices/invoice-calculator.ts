import { planPricingSchema } from '@slipway/contracts';
import { ratePeriod, versionSpans, type RatedInvoice } from '../rating';
import type { InvoiceFacts } from './invoice-store.repository';

/** A period's facts → its rated lines and totals (plan versions in force by the subscription's changes, usage by the version on each event). */
export function rateInvoice(facts: InvoiceFacts): RatedInvoice {
  const { invoice } = facts;
  const spans = versionSpans(invoice.periodStart, invoice.periodEnd, facts.subscription.planVersionId, facts.changes);
  return ratePeriod({
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    versions: facts.versions.map((v) => ({ planVersionId: v.id, label: `${v.planName} v${v.version}`, pricing: planPricingSchema.parse(v.pricing) })),
    spans,
    usage: facts.usage,
    tokens: facts.tokens,
    creditBalanceMicros: facts.creditBalanceMicros,
    taxRateBps: facts.taxRateBps,
  });
}
