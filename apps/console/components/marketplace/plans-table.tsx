'use client';

import type { ApiPlanDto } from '@slipway/contracts';
import { limitLines, priceDetails, priceSummary, tierRows } from '../../lib/marketplace/pricing';

/** Plans side by side: price, what it includes, overage tiers, limits and allowed operations. */
export function PlansTable({ plans, current }: { plans: readonly ApiPlanDto[]; current?: string | null }) {
  if (plans.length === 0) return <p className="text-sm text-zinc-500">No plan is open to new subscriptions.</p>;
  return (
    <div className="-mx-4 overflow-x-auto">
      <table aria-label="Plans" className="w-full border-collapse text-left text-sm">
        <thead>
          <tr className="border-b border-zinc-200">
            <th scope="col" className="px-4 py-2 text-xs font-medium text-zinc-500">
              Plan
            </th>
            {plans.map((p) => (
              <th key={p.slug} scope="col" aria-label={p.name} className="px-4 py-2 align-top">
                <div className="font-semibold text-zinc-900">
                  {p.name}{' '}
                  {current === p.slug ? (
                    <span className="ml-1 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-700">your plan</span>
                  ) : null}
                </div>
                <div className="text-sm font-normal text-zinc-700">{priceSummary(p.pricing)}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 align-top">
          <tr>
            <th scope="row" className="px-4 py-2 text-xs font-medium text-zinc-500">
              Price
            </th>
            {plans.map((p) => (
              <td key={p.slug} className="px-4 py-2">
                <dl className="flex flex-col gap-0.5">
                  {priceDetails(p.pricing).map((d) => (
                    <div key={d.label} className="flex gap-1">
                      <dt className="text-zinc-500">{d.label}:</dt>
                      <dd>{d.value}</dd>
                    </div>
                  ))}
                </dl>
                {p.pricing.kind === 'subscription' && p.pricing.overage ? (
                  <table aria-label={`Overage tiers of ${p.name}`} className="mt-2 text-xs">
                    <thead>
                      <tr className="text-zinc-500">
                        <th className="pr-3 font-medium">Calls over the included</th>
                        <th className="pr-3 font-medium">Price</th>
                        <th className="font-medium">Flat</th>
                      </tr>
                    </thead>
                    <tbody>
                      {tierRows(p.pricing.overage.tiers).map((t) => (
                        <tr key={t.range}>
                          <td className="pr-3">{t.range}</td>
                          <td className="pr-3">{t.unitPrice}</td>
                          <td>{t.flat ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row" className="px-4 py-2 text-xs font-medium text-zinc-500">
              Limits
            </th>
            {plans.map((p) => (
              <td key={p.slug} className="px-4 py-2">
                <ul aria-label={`Limits of ${p.name}`}>
                  {limitLines(p.limits).map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row" className="px-4 py-2 text-xs font-medium text-zinc-500">
              Operations
            </th>
            {plans.map((p) => (
              <td key={p.slug} className="px-4 py-2 font-mono text-xs">
                {p.operations === null ? (
                  <span className="font-sans text-sm">All</span>
                ) : (
                  p.operations.map((o) => <div key={`${o.method} ${o.path}`}>{`${o.method} ${o.path}`}</div>)
                )}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
