'use client';

import type { SubscriptionDto } from '@slipway/contracts';
import Link from 'next/link';
import { useMemo } from 'react';
import { api } from '../../lib/api';
import { setApiQueryData, useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { formatPeriod, SUBSCRIPTION_STATUS } from '../../lib/marketplace/labels';
import { formatMicros } from '../../lib/marketplace/money';
import { limitLines, priceSummary } from '../../lib/marketplace/pricing';
import { fillPeriodDays, quotaBars, usageChartData } from '../../lib/marketplace/usage';
import { useCan, useOrg } from '../../lib/org';
import { useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge, PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { ChangePlanForm, SpendCapForm } from './subscription-forms';
import { InvoicesTable } from './invoices-table';
import { KeysPanel } from './keys-panel';
import { DailyBarsChart } from './usage-chart';

/** One subscription: plan and period, usage this period, quotas, keys, spend cap, plan change and invoices. */
export function SubscriptionView({ id }: { id: string }) {
  const org = useOrg();
  const q = useApiQuery('getSubscription', { org: org.slug, subscriptionId: id });
  return (
    <ResourceState query={q} what="subscription">
      {(sub) => <SubscriptionPage sub={sub} />}
    </ResourceState>
  );
}

function SubscriptionPage({ sub }: { sub: SubscriptionDto }) {
  const org = useOrg();
  const canWrite = useCan('MEMBER');
  const client = useQueryClient();
  const invalidate = useInvalidateApi();
  const params = { org: org.slug, subscriptionId: sub.id };
  const live = sub.status !== 'CANCELED';

  async function cancel() {
    const updated = await api('cancelSubscription', { params });
    setApiQueryData(client, 'getSubscription', params, () => updated);
    await invalidate('listSubscriptions', 'subscriptionUsage');
  }

  return (
    <>
      <PageHeader
        crumbs={[{ href: `/o/${org.slug}/subscriptions`, label: 'Subscriptions' }]}
        title={sub.listing.name}
        description={
          <span>
            by {sub.listing.publisher.name} ·{' '}
            <Link href={`/catalog/${sub.listing.slug}`} className="text-blue-700 hover:underline">
              Catalog page
            </Link>{' '}
            · <code className="font-mono text-xs">{sub.listing.baseUrl}</code>
          </span>
        }
        actions={
          canWrite && live ? (
            <ConfirmButton
              label="Cancel subscription"
              question="Cancel now? Every key stops working at once."
              confirmLabel="Cancel subscription"
              onConfirm={cancel}
            >
              Cancel subscription
            </ConfirmButton>
          ) : null
        }
      />
      <Section title="Plan and period">
        <dl aria-label="Plan and period" className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-zinc-500">Plan</dt>
          <dd>
            <span className="font-medium">{sub.plan.name}</span> (version {sub.plan.version}) · {priceSummary(sub.plan.pricing)}
          </dd>
          <dt className="text-zinc-500">Status</dt>
          <dd>
            <Badge tone={SUBSCRIPTION_STATUS[sub.status].tone}>{SUBSCRIPTION_STATUS[sub.status].label}</Badge>
          </dd>
          <dt className="text-zinc-500">Current period</dt>
          <dd>{formatPeriod(sub.currentPeriodStart, sub.currentPeriodEnd)} (UTC)</dd>
          <dt className="text-zinc-500">Limits</dt>
          <dd>{limitLines(sub.plan.limits).join(' · ')}</dd>
          <dt className="text-zinc-500">Spend cap</dt>
          <dd>{sub.spendCapMicros === null ? 'None' : `${formatMicros(sub.spendCapMicros)} per period (calls answer 402 past it)`}</dd>
        </dl>
      </Section>
      <UsageSection sub={sub} />
      <Section
        title="Keys"
        description="Send a key as Authorization: Bearer <key> or x-api-key. Test keys go through the same limits and are never billed."
      >
        <KeysPanel sub={sub} canWrite={canWrite && live} />
      </Section>
      {canWrite && live ? (
        <>
          <Section title="Change plan">
            <ChangePlanForm sub={sub} />
          </Section>
          <Section title="Spend cap">
            <SpendCapForm sub={sub} />
          </Section>
        </>
      ) : null}
      <SubscriptionInvoices subscriptionId={sub.id} />
    </>
  );
}

function UsageSection({ sub }: { sub: SubscriptionDto }) {
  const org = useOrg();
  const usage = useApiQuery('subscriptionUsage', { org: org.slug, subscription: sub.id }, { refetchInterval: 10_000 });
  return (
    <Section title="Usage this period" description="Calls counted from stored usage events (every admitted billable call, once).">
      <ResourceState query={usage} what="usage">
        {(u) => <UsageBody sub={sub} usage={u} />}
      </ResourceState>
    </Section>
  );
}

function UsageBody({
  sub,
  usage,
}: {
  sub: SubscriptionDto;
  usage: NonNullable<ReturnType<typeof useApiQuery<'subscriptionUsage'>>['data']>;
}) {
  const days = useMemo(() => fillPeriodDays(usage.days, usage.periodStart, usage.periodEnd), [usage]);
  const [x, live, test] = usageChartData(days);
  const bars = quotaBars(sub.plan.limits, days);
  const totalCalls = days.reduce((s, d) => s + d.calls, 0);
  const totalTest = days.reduce((s, d) => s + d.testCalls, 0);
  return (
    <div className="flex flex-col gap-4">
      <dl aria-label="Usage totals" className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <Stat label="Live calls" value={totalCalls.toLocaleString('en-US')} />
        <Stat label="Test calls" value={totalTest.toLocaleString('en-US')} />
        <Stat label="Charges so far" value={formatMicros(usage.chargesMicros)} />
        {usage.creditBalanceMicros !== null ? (
          <Stat label="Credit balance" value={formatMicros(usage.creditBalanceMicros)} />
        ) : (
          <Stat label="Spend cap" value={usage.spendCapMicros === null ? 'None' : formatMicros(usage.spendCapMicros)} />
        )}
      </dl>
      {bars.length ? (
        <ul aria-label="Quotas" className="flex flex-col gap-2">
          {bars.map((b) => (
            <li key={b.label} aria-label={`${b.label} quota`} className="text-sm">
              <div className="mb-0.5 flex justify-between">
                <span>{b.label}</span>
                <span className="tabular-nums">
                  {b.used.toLocaleString('en-US')} / {b.limit.toLocaleString('en-US')}
                </span>
              </div>
              <div
                className="h-2 rounded bg-zinc-100"
                role="meter"
                aria-valuemin={0}
                aria-valuemax={b.limit}
                aria-valuenow={Math.min(b.used, b.limit)}
                aria-label={`${b.label} used`}
              >
                <div
                  className={`h-2 rounded ${b.tone === 'full' ? 'bg-red-500' : b.tone === 'warn' ? 'bg-amber-500' : 'bg-emerald-500'}`}
                  style={{ width: `${Math.round(b.share * 100)}%` }}
                />
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <DailyBarsChart
        label="Calls per day this period"
        days={x}
        series={[
          { label: 'Live calls', color: '#2563eb', values: live },
          { label: 'Test calls', color: '#a1a1aa', values: test },
        ]}
      />
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md border border-zinc-200 px-2.5 py-1.5">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );
}

function SubscriptionInvoices({ subscriptionId }: { subscriptionId: string }) {
  const org = useOrg();
  const q = useApiQuery('consumerInvoices', { org: org.slug }, { query: { subscriptionId } });
  return (
    <Section title="Invoices">
      <ResourceState query={q} what="invoices">
        {(page) => <InvoicesTable invoices={page.invoices} href={(id) => `/o/${org.slug}/subscriptions/invoices/${id}`} />}
      </ResourceState>
    </Section>
  );
}
