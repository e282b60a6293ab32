'use client';

import type { GatewayBudgetUsageDto } from '@slipway/contracts';
import { budgetFill, formatUsd, type FillTone } from '../../lib/gateway';
import { useApiQuery } from '../../lib/api-query';
import { SLOW_POLL_MS, pollEvery } from '../../lib/polling';
import { ErrorAlert, Notice } from '../ui/alert';
import { Badge, Loading, Section } from '../ui/layout-bits';

const BAR: Record<FillTone, string> = { ok: 'bg-emerald-500', near: 'bg-amber-500', over: 'bg-red-600' };
const TEXT: Record<FillTone, string> = { ok: 'text-zinc-600', near: 'text-amber-800', over: 'text-red-700' };
const PERIOD = { day: 'today (UTC)', month: 'this month (UTC)' } as const;
const ACTION = { block: 'then blocks (429)', downgrade: 'then downgrades', queue: 'then queues' } as const;

const EXAMPLE = `gateway:
  budgets:
    - { scope: project, period: day, limitUsd: 5, action: block }
    - { scope: alias, match: smart, period: month, limitUsd: 50, action: downgrade, downgradeTo: fast }`;

/** Spend against each budget of the environment's routing, as the gateway enforces it. */
export function BudgetsSection({ org, project, env }: { org: string; project: string; env: string }) {
  // Spend moves as apps call the gateway; a viewer's 403 stops the polling.
  const budgets = useApiQuery(
    'gatewayBudgets',
    { org, project },
    { query: { environment: env }, refetchInterval: pollEvery(SLOW_POLL_MS) },
  );
  const forbidden = budgets.error?.status === 403;

  return (
    <Section title={`Budgets of ${env}`} description="Spend is counted per project, shared by all its environments and keys.">
      {forbidden ? (
        <Notice>Only members and admins can see spend.</Notice>
      ) : budgets.error && !budgets.data ? (
        <ErrorAlert>{budgets.error.message}</ErrorAlert>
      ) : budgets.data === undefined ? (
        <Loading />
      ) : budgets.data.length === 0 ? (
        <div className="flex flex-col gap-2 text-sm text-zinc-600">
          <p>No budgets: spend is unlimited. Add them to the gateway section of slipway.yaml (or to the organization defaults):</p>
          <pre className="overflow-x-auto rounded-md bg-zinc-50 p-3 font-mono text-xs text-zinc-800">{EXAMPLE}</pre>
        </div>
      ) : (
        <ul aria-label={`Budgets of ${env}`} className="flex flex-col gap-4">
          {budgets.data.map((b, i) => (
            <BudgetBar key={`${b.name}-${i}`} budget={b} />
          ))}
        </ul>
      )}
    </Section>
  );
}

function BudgetBar({ budget: b }: { budget: GatewayBudgetUsageDto }) {
  const { percent, tone } = budgetFill(b.spentUsd, b.limitUsd);
  const who = b.scope === 'project' ? 'the project' : b.match ? `${b.scope} ${b.match}` : `each ${b.scope} (highest shown)`;
  return (
    <li aria-label={b.name} className="flex flex-col gap-1">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="flex items-center gap-2">
          <span className="font-medium text-zinc-900">{b.name}</span>
          <span className="text-xs text-zinc-500">
            {who}, {PERIOD[b.period]}, {ACTION[b.action]}
          </span>
          {tone === 'over' ? <Badge tone="red">over</Badge> : tone === 'near' ? <Badge tone="amber">near limit</Badge> : null}
        </span>
        <span className={`font-mono text-xs ${TEXT[tone]}`}>
          {formatUsd(b.spentUsd)} of {formatUsd(b.limitUsd)}
        </span>
      </div>
      <div
        role="meter"
        aria-label={`Spend of ${b.name}`}
        aria-valuemin={0}
        aria-valuemax={b.limitUsd}
        aria-valuenow={Math.min(b.spentUsd, b.limitUsd)}
        aria-valuetext={`${formatUsd(b.spentUsd)} of ${formatUsd(b.limitUsd)}`}
        className="h-2 overflow-hidden rounded-full bg-zinc-100"
      >
        <div className={`h-full rounded-full ${BAR[tone]}`} style={{ width: `${Math.max(percent, b.spentUsd > 0 ? 1 : 0)}%` }} />
      </div>
    </li>
  );
}
