'use client';

import type { SubscriptionDto } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { setApiQueryData, useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { formatMicros, microsToUsdInput, parseUsdToMicros } from '../../lib/marketplace/money';
import { priceSummary } from '../../lib/marketplace/pricing';
import { useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { SelectField, TextField } from '../ui/field';

/**
 * The rule a plan change follows (the api offers no preview): it applies at once, and the
 * period's invoice prorates — the old plan's fee for the part of the period used, the new plan's
 * for the rest, as proration lines of the draft invoice.
 */
export const PLAN_CHANGE_RULE =
  'The new plan applies at once. This period’s invoice is prorated: the old plan’s fee for the days already used, the new plan’s for the days left (proration lines on the draft invoice); usage so far stays priced at the old plan.';

export function ChangePlanForm({ sub }: { sub: SubscriptionDto }) {
  const org = useOrg();
  const client = useQueryClient();
  const invalidate = useInvalidateApi();
  const listing = useApiQuery('catalogListing', { slug: sub.listing.slug });
  const others = (listing.data?.plans ?? []).filter((p) => p.slug !== sub.plan.slug);
  const [plan, setPlan] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const params = { org: org.slug, subscriptionId: sub.id };
  const chosen = others.find((p) => p.slug === (plan || others[0]?.slug));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    const updated = await action.run(() => api('changeSubscriptionPlan', { params, body: { plan: chosen.slug } }));
    if (!updated) return;
    setApiQueryData(client, 'getSubscription', params, () => updated);
    setDone(`Moved to ${updated.plan.name}. The draft invoice below shows the proration.`);
    await invalidate('listSubscriptions', 'subscriptionUsage', 'consumerInvoices', 'consumerInvoice');
  }

  if (listing.isPending) return null;
  if (others.length === 0) return <p className="text-sm text-zinc-500">This API has no other plan open to subscriptions.</p>;
  return (
    <form onSubmit={submit} aria-label="Change plan" className="flex flex-col gap-3">
      {done ? <Notice tone="success">{done}</Notice> : null}
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="flex flex-wrap items-end gap-2">
        <SelectField label="New plan" value={chosen?.slug ?? ''} onChange={(e) => setPlan(e.target.value)} fieldClassName="w-72">
          {others.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name} — {priceSummary(p.pricing)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary" busy={action.busy}>
          Change plan
        </Button>
      </div>
      <p aria-label="Proration" className="text-xs text-zinc-600">
        From {priceSummary(sub.plan.pricing)} to {chosen ? priceSummary(chosen.pricing) : '—'}. {PLAN_CHANGE_RULE}
      </p>
    </form>
  );
}

export function SpendCapForm({ sub }: { sub: SubscriptionDto }) {
  const org = useOrg();
  const client = useQueryClient();
  const invalidate = useInvalidateApi();
  const [value, setValue] = useState(sub.spendCapMicros === null ? '' : microsToUsdInput(sub.spendCapMicros));
  const action = useAction();
  const params = { org: org.slug, subscriptionId: sub.id };

  async function save(spendCapMicros: number | null) {
    const updated = await action.run(() => api('setSubscriptionSpendCap', { params, body: { spendCapMicros } }));
    if (!updated) return;
    setApiQueryData(client, 'getSubscription', params, () => updated);
    setValue(updated.spendCapMicros === null ? '' : microsToUsdInput(updated.spendCapMicros));
    await invalidate('subscriptionUsage');
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const micros = parseUsdToMicros(value);
    if (micros === null) return action.setError(null, { spendCapMicros: 'Write an amount in USD, e.g. 50 or 12.50.' });
    void save(micros);
  }

  return (
    <form onSubmit={submit} aria-label="Spend cap" className="flex flex-col gap-2">
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="flex flex-wrap items-end gap-2">
        <TextField
          label="Cap per period (USD)"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={action.fieldErrors.spendCapMicros}
          inputMode="decimal"
          fieldClassName="w-48"
        />
        <Button type="submit" busy={action.busy}>
          Set cap
        </Button>
        {sub.spendCapMicros !== null ? (
          <Button variant="ghost" onClick={() => void save(null)} disabled={action.busy}>
            Clear cap
          </Button>
        ) : null}
      </div>
      <p className="text-xs text-zinc-500">
        {sub.spendCapMicros === null ? 'No cap: calls are billed as they come.' : `Capped at ${formatMicros(sub.spendCapMicros)}.`} Past the
        cap, calls answer 402 spend_cap_reached until the next period.
      </p>
    </form>
  );
}
