'use client';

import type { BillableOperation, PlanLimits, PublisherApiPlanDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useInvalidateApi } from '../../lib/api-query';
import { EMPTY_PLAN_FORM, planFormFrom, toTerms, type PlanFormState, type PricingKind } from '../../lib/marketplace/plan-form';
import { PRICE_CHANGE_RULE } from '../../lib/marketplace/pricing';
import { useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { Checkbox, SelectField, TextField } from '../ui/field';
import { TiersEditor } from './tiers-editor';

const KINDS: { value: PricingKind; label: string }[] = [
  { value: 'free', label: 'Free (quota only)' },
  { value: 'per_call', label: 'Per call' },
  { value: 'subscription', label: 'Monthly subscription + overage' },
  { value: 'per_token', label: 'Per token (AI APIs)' },
  { value: 'prepaid', label: 'Prepaid credits' },
];
const LIMITS: { key: keyof PlanLimits; label: string }[] = [
  { key: 'perSecond', label: 'Calls per second' },
  { key: 'perMinute', label: 'Calls per minute' },
  { key: 'perDay', label: 'Quota per day (UTC)' },
  { key: 'perMonth', label: 'Quota per period' },
];

/** Create a plan, or new terms for one (a new version: new subscriptions now, existing ones from their next period). */
export function PlanEditor({
  listing,
  operations,
  plan,
  onDone,
}: {
  listing: string;
  operations: BillableOperation[];
  plan?: PublisherApiPlanDto;
  onDone: () => void;
}) {
  const org = useOrg();
  const invalidate = useInvalidateApi();
  const action = useAction();
  const [slug, setSlug] = useState(plan?.slug ?? '');
  const [name, setName] = useState(plan?.name ?? '');
  const [form, setForm] = useState<PlanFormState>(() => (plan ? planFormFrom(plan.pricing, plan.limits) : EMPTY_PLAN_FORM));
  const [allOps, setAllOps] = useState(plan ? plan.operations === null : true);
  const [ops, setOps] = useState<string[]>(() => (plan?.operations ?? []).map((o) => `${o.method} ${o.path}`));
  const set = (patch: Partial<PlanFormState>) => setForm((f) => ({ ...f, ...patch }));
  const err = (k: string) => action.fieldErrors[k];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const terms = toTerms(form);
    if (!terms.ok) return action.setError('Some fields need a fix.', terms.errors);
    const chosen = allOps
      ? null
      : ops.map((o) => ({ method: o.split(' ')[0] as BillableOperation['method'], path: o.slice(o.indexOf(' ') + 1) }));
    const params = { org: org.slug, api: listing };
    const done = plan
      ? await action.run(() =>
          api('updateApiPlan', {
            params: { ...params, plan: plan.slug },
            body: { name: name.trim(), pricing: terms.pricing, limits: terms.limits, operations: chosen },
          }),
        )
      : await action.run(() =>
          api('createApiPlan', {
            params,
            body: { slug: slug.trim(), name: name.trim(), pricing: terms.pricing, limits: terms.limits, operations: chosen },
          }),
        );
    if (!done) return;
    await invalidate('listApiPlans', 'catalogListing');
    onDone();
  }

  return (
    <form
      onSubmit={submit}
      aria-label={plan ? `Edit plan ${plan.name}` : 'New plan'}
      noValidate
      className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3"
    >
      {plan ? (
        <Notice tone="info">
          {PRICE_CHANGE_RULE} This makes version {plan.version + 1}.
        </Notice>
      ) : null}
      <ErrorAlert>{action.error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField label="Plan name" value={name} onChange={(e) => setName(e.target.value)} error={err('name')} />
        {plan ? null : (
          <TextField
            label="Plan slug"
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            error={err('slug')}
            className="font-mono"
            hint="e.g. free, pro"
          />
        )}
        <SelectField label="Pricing" value={form.kind} onChange={(e) => set({ kind: e.target.value as PricingKind })}>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </SelectField>
      </div>
      {form.kind === 'per_call' || form.kind === 'prepaid' ? (
        <TextField
          label="Price per call (USD)"
          value={form.unitPrice}
          onChange={(e) => set({ unitPrice: e.target.value })}
          error={err('unitPrice')}
          inputMode="decimal"
          fieldClassName="w-56"
          hint="Per weight unit; e.g. 0.002"
        />
      ) : null}
      {form.kind === 'subscription' ? (
        <div className="flex flex-col gap-3">
          <div className="flex flex-wrap gap-3">
            <TextField
              label="Monthly fee (USD)"
              value={form.monthlyFee}
              onChange={(e) => set({ monthlyFee: e.target.value })}
              error={err('monthlyFee')}
              inputMode="decimal"
              fieldClassName="w-44"
            />
            <TextField
              label="Included calls"
              value={form.includedUnits}
              onChange={(e) => set({ includedUnits: e.target.value })}
              error={err('includedUnits')}
              inputMode="numeric"
              fieldClassName="w-44"
            />
            <SelectField
              label="Overage"
              value={form.overage}
              onChange={(e) => set({ overage: e.target.value as PlanFormState['overage'] })}
              fieldClassName="w-56"
            >
              <option value="none">None (stop at the included calls)</option>
              <option value="graduated">Graduated tiers</option>
              <option value="volume">Volume tiers</option>
            </SelectField>
          </div>
          {form.overage !== 'none' ? <TiersEditor form={form} set={set} errors={action.fieldErrors} /> : null}
        </div>
      ) : null}
      {form.kind === 'per_token' ? (
        <div className="flex flex-wrap gap-3">
          <TextField
            label="Input, per million tokens (USD)"
            value={form.inputPerMillion}
            onChange={(e) => set({ inputPerMillion: e.target.value })}
            error={err('inputPerMillion')}
            fieldClassName="w-56"
          />
          <TextField
            label="Output, per million tokens (USD)"
            value={form.outputPerMillion}
            onChange={(e) => set({ outputPerMillion: e.target.value })}
            error={err('outputPerMillion')}
            fieldClassName="w-56"
          />
          <TextField
            label="Cached, per million tokens (USD)"
            value={form.cachedPerMillion}
            onChange={(e) => set({ cachedPerMillion: e.target.value })}
            error={err('cachedPerMillion')}
            fieldClassName="w-56"
          />
          <TextField
            label="Or: model cost + markup (%)"
            value={form.markupPercent}
            onChange={(e) => set({ markupPercent: e.target.value })}
            error={err('markupPercent')}
            fieldClassName="w-56"
            hint="Set it to price from the gateway's cost of the call; token prices are then ignored."
          />
        </div>
      ) : null}
      <fieldset className="grid gap-3 sm:grid-cols-4">
        <legend className="mb-1 text-xs font-medium text-zinc-700">Limits (empty = none)</legend>
        {LIMITS.map((l) => (
          <TextField
            key={l.key}
            label={l.label}
            value={form.limits[l.key]}
            onChange={(e) => set({ limits: { ...form.limits, [l.key]: e.target.value } })}
            error={err(l.key)}
            inputMode="numeric"
          />
        ))}
      </fieldset>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-xs font-medium text-zinc-700">Operations in this plan</legend>
        <Checkbox label="Every operation of the API" checked={allOps} onChange={(e) => setAllOps(e.target.checked)} />
        {allOps
          ? null
          : operations.map((o) => {
              const id = `${o.method} ${o.path}`;
              return (
                <Checkbox
                  key={id}
                  label={<code className="font-mono text-xs">{id}</code>}
                  checked={ops.includes(id)}
                  onChange={(e) => setOps((cur) => (e.target.checked ? [...cur, id] : cur.filter((x) => x !== id)))}
                />
              );
            })}
      </fieldset>
      <div className="flex gap-2">
        <Button type="submit" variant="primary" busy={action.busy}>
          {plan ? 'Save new version' : 'Create plan'}
        </Button>
        <Button variant="ghost" onClick={onDone} disabled={action.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
