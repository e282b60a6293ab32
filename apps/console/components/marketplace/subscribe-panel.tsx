'use client';

import { roleAtLeast, type ApiPlanDto, type CreatedSubscriptionDto } from '@slipway/contracts';
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { rememberKey } from '../../lib/marketplace/key-memory';
import { parseUsdToMicros } from '../../lib/marketplace/money';
import { priceSummary } from '../../lib/marketplace/pricing';
import { useSession } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { SelectField, TextField } from '../ui/field';
import { ShownOnce } from './shown-once-key';

/**
 * Subscribe: signed out, a way to log in or sign up and come back here; signed in, the
 * organization (any the visitor is MEMBER+ of) and the plan; then the first live key, shown once.
 */
export function SubscribePanel({ slug, plans }: { slug: string; plans: readonly ApiPlanDto[] }) {
  const { state } = useSession();
  const here = `/catalog/${slug}`;
  if (state.status === 'loading') return null;
  if (state.status !== 'authenticated')
    return (
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <Link
          href={`/login?next=${encodeURIComponent(here)}`}
          className="rounded-md bg-zinc-900 px-3.5 py-2 font-medium text-white hover:bg-zinc-700"
        >
          Log in to subscribe
        </Link>
        <span className="text-zinc-600">
          or{' '}
          <Link href={`/signup?next=${encodeURIComponent(here)}`} className="font-medium text-zinc-900 underline">
            create a free account
          </Link>{' '}
          (no deploy needed to consume an API).
        </span>
      </div>
    );
  const orgs = state.session.organizations.filter((o) => roleAtLeast(o.role, 'MEMBER'));
  if (orgs.length === 0)
    return (
      <p className="text-sm text-zinc-600">
        Subscribing needs an organization you are a member of.{' '}
        <Link href="/orgs/new" className="font-medium underline">
          Create one
        </Link>
        .
      </p>
    );
  return <SubscribeForm slug={slug} plans={plans} orgs={orgs} />;
}

function SubscribeForm({ slug, plans, orgs }: { slug: string; plans: readonly ApiPlanDto[]; orgs: { slug: string; name: string }[] }) {
  const [org, setOrg] = useState(orgs[0]!.slug);
  const [plan, setPlan] = useState(plans[0]?.slug ?? '');
  const [cap, setCap] = useState('');
  const [created, setCreated] = useState<{ org: string; result: CreatedSubscriptionDto } | null>(null);
  const action = useAction();
  const invalidate = useInvalidateApi();
  const subs = useApiQuery('listSubscriptions', { org });
  const existing = subs.data?.find((s) => s.listing.slug === slug && s.status !== 'CANCELED');
  useEffect(() => setCreated(null), [org]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const capMicros = cap.trim() ? parseUsdToMicros(cap) : null;
    if (cap.trim() && capMicros === null) return action.setError(null, { spendCapMicros: 'Write an amount in USD, e.g. 50 or 12.50.' });
    const result = await action.run(() => api('subscribe', { params: { org }, body: { listing: slug, plan, spendCapMicros: capMicros } }));
    if (!result) return;
    rememberKey(slug, result.key.key);
    setCreated({ org, result });
    await invalidate('listSubscriptions');
  }

  if (created) {
    const { result } = created;
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm text-emerald-800" role="status">
          Subscribed to {result.subscription.plan.name}. Your first live key:
        </p>
        <ShownOnce id="new-consumer-key" label="API key" value={result.key.key}>
          <p className="text-xs text-amber-900">The snippets and the try-it panel on this page now use it.</p>
        </ShownOnce>
        <Link
          href={`/o/${created.org}/subscriptions/${result.subscription.id}`}
          className="text-sm font-medium text-blue-700 hover:underline"
        >
          Usage, keys and invoices of this subscription
        </Link>
      </div>
    );
  }

  return (
    <form onSubmit={submit} aria-label="Subscribe" className="flex flex-col gap-3">
      <ErrorAlert>{action.code === 'ALREADY_SUBSCRIBED' ? null : action.error}</ErrorAlert>
      <div className="flex flex-wrap items-end gap-3">
        <SelectField label="Organization" value={org} onChange={(e) => setOrg(e.target.value)} fieldClassName="w-56">
          {orgs.map((o) => (
            <option key={o.slug} value={o.slug}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Plan"
          value={plan}
          onChange={(e) => setPlan(e.target.value)}
          error={action.fieldErrors.plan}
          fieldClassName="w-64"
        >
          {plans.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name} — {priceSummary(p.pricing)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Spend cap per period (USD, optional)"
          value={cap}
          onChange={(e) => setCap(e.target.value)}
          error={action.fieldErrors.spendCapMicros}
          placeholder="none"
          inputMode="decimal"
          fieldClassName="w-56"
        />
      </div>
      {existing || action.code === 'ALREADY_SUBSCRIBED' ? (
        <p role="status" className="text-sm text-zinc-700">
          {existing ? `This organization is subscribed (plan ${existing.plan.name}).` : 'This organization is already subscribed.'}{' '}
          <Link
            href={existing ? `/o/${org}/subscriptions/${existing.id}` : `/o/${org}/subscriptions`}
            className="font-medium text-blue-700 hover:underline"
          >
            Manage the subscription
          </Link>
        </p>
      ) : (
        <div>
          <Button type="submit" variant="primary" busy={action.busy} disabled={!plan}>
            Subscribe
          </Button>
        </div>
      )}
    </form>
  );
}
