import type { GatewayBudget, GatewayConfig, RateLimit } from '@slipway/contracts';
import type { SpendQuery } from '../usage/durable-spend';
import { budgetCounterKey, budgetTopKey, rateCounterKey, tenantPrefix } from './limit-keys';
import type { Estimate, LimitSubject } from './limit-types';
import { minuteWindow, periodWindow, type BudgetPeriod, type CounterWindow } from './windows';

/** One Redis counter a request moves: by `incr` now, then by (actual − incr) when it settles. */
export interface PlannedCounter {
  key: string;
  incr: number;
  expireAt: number;
  /** The budget-top sorted set this counter reports to (null when no per-value budget uses it). */
  topKey: string | null;
  member: string;
  /** What the counter settles to: the real cost, the real tokens, or nothing (a request count is final). */
  settles: 'cost' | 'tokens' | null;
  /**
   * For a budget counter: the spend it stands for, so a counter Redis lost can be rebuilt from
   * the durable usage records. Null for rate counters (a lost minute costs at most a minute).
   */
  durable: SpendQuery | null;
}

export interface BudgetRule {
  kind: 'budget';
  name: string;
  scope: GatewayBudget['scope'];
  /** The project, key, alias, feature or customer this request is counted under. */
  value: string;
  period: BudgetPeriod;
  action: GatewayBudget['action'];
  downgradeTo?: string;
  queueSeconds?: number;
  windowEndMs: number;
}

export interface RateRule {
  kind: 'rate';
  who: 'key' | 'customer';
  value: string;
  metric: 'requests' | 'tokens';
  windowEndMs: number;
}

export interface PlannedCheck {
  /** Index into `counters`. */
  counter: number;
  /** The counter may not go above this (micro-USD, requests or tokens). */
  limit: number;
  rule: BudgetRule | RateRule;
}

export interface LimitPlan {
  counters: PlannedCounter[];
  checks: PlannedCheck[];
}

export const KEY_MONTHLY_BUDGET_NAME = 'key-monthly-budget';

/** False when nothing could apply, so the caller can skip Redis altogether. */
export function mayLimit(config: GatewayConfig, subject: LimitSubject): boolean {
  return (
    (config.budgets?.length ?? 0) > 0 ||
    config.limits?.key !== undefined ||
    config.limits?.customer !== undefined ||
    subject.monthlyKeyBudgetMicros !== null
  );
}

export function budgetName(b: Pick<GatewayBudget, 'name' | 'scope' | 'match' | 'period'>): string {
  return b.name ?? `${b.scope}${b.match ? `:${b.match}` : ''}/${b.period}`;
}

export const usdToMicros = (usd: number): number => Math.round(usd * 1_000_000);

/** Every counter this request moves and every limit it is checked against, in the order given by the config. */
export function planLimits(config: GatewayConfig, subject: LimitSubject, estimate: Estimate, now: Date): LimitPlan {
  const plan = new PlanBuilder(tenantPrefix(subject.organizationId, subject.projectId), estimate);
  if (subject.monthlyKeyBudgetMicros !== null) {
    const keyBudget = {
      name: KEY_MONTHLY_BUDGET_NAME,
      scope: 'key',
      period: 'month',
      limitUsd: subject.monthlyKeyBudgetMicros / 1_000_000,
      action: 'block',
    } as const;
    plan.budget(keyBudget, subject.keyId, { perValue: false, enforce: true }, now);
  }
  for (const b of config.budgets ?? []) {
    const value = valueFor(b, subject);
    // A request already on a downgrade budget's target alias is what that budget asks for once
    // spent: it still counts, but that budget does not turn it away again.
    const enforce = !(b.action === 'downgrade' && b.downgradeTo === subject.alias);
    if (value !== null) plan.budget(b, value, { perValue: b.scope !== 'project' && !b.match, enforce }, now);
  }
  const minute = minuteWindow(now);
  if (config.limits?.key) plan.rate('key', subject.keyId, config.limits.key, minute);
  if (config.limits?.customer && subject.attribution.customer !== null)
    plan.rate('customer', subject.attribution.customer, config.limits.customer, minute);
  return plan.result();
}

/** The value a budget counts this request under, or null when the budget does not apply to it. */
function valueFor(b: GatewayBudget, s: LimitSubject): string | null {
  // A project budget is always this project's: a config belongs to one project.
  if (b.scope === 'project') return s.projectId;
  const value = b.scope === 'key' ? s.keyId : b.scope === 'alias' ? s.alias : s.attribution[b.scope];
  if (value === null) return null;
  return b.match === undefined || b.match === value ? value : null;
}

class PlanBuilder {
  private readonly counters: PlannedCounter[] = [];
  private readonly checks: PlannedCheck[] = [];
  private readonly index = new Map<string, number>();
  private readonly cost: number;
  private readonly tokens: number;

  constructor(
    private readonly prefix: string,
    estimate: Estimate,
  ) {
    this.cost = wholeAtLeastZero(estimate.costMicros);
    this.tokens = wholeAtLeastZero(estimate.tokens);
  }

  budget(
    b: Omit<GatewayBudget, 'match'> & { match?: string },
    value: string,
    how: { perValue: boolean; enforce: boolean },
    now: Date,
  ): void {
    const window = periodWindow(b.period, now);
    const counter = this.counter(budgetCounterKey(this.prefix, b.scope, value, window.key), this.cost, window, 'cost', value);
    this.counters[counter]!.durable ??= { scope: b.scope, value, sinceMs: window.startMs };
    if (how.perValue) this.counters[counter]!.topKey ??= budgetTopKey(this.prefix, b.scope, window.key);
    if (!how.enforce) return;
    const rule: BudgetRule = {
      kind: 'budget',
      name: budgetName(b),
      scope: b.scope,
      value,
      period: b.period,
      action: b.action,
      windowEndMs: window.endMs,
    };
    if (b.downgradeTo !== undefined) rule.downgradeTo = b.downgradeTo;
    if (b.queueSeconds !== undefined) rule.queueSeconds = b.queueSeconds;
    this.checks.push({ counter, limit: usdToMicros(b.limitUsd), rule });
  }

  rate(who: 'key' | 'customer', value: string, limits: RateLimit, window: CounterWindow): void {
    if (limits.requestsPerMinute !== undefined) {
      const counter = this.counter(rateCounterKey(this.prefix, who, value, 'req', window.key), 1, window, null, value);
      this.checks.push({
        counter,
        limit: limits.requestsPerMinute,
        rule: { kind: 'rate', who, value, metric: 'requests', windowEndMs: window.endMs },
      });
    }
    if (limits.tokensPerMinute !== undefined) {
      const counter = this.counter(rateCounterKey(this.prefix, who, value, 'tok', window.key), this.tokens, window, 'tokens', value);
      this.checks.push({
        counter,
        limit: limits.tokensPerMinute,
        rule: { kind: 'rate', who, value, metric: 'tokens', windowEndMs: window.endMs },
      });
    }
  }

  result(): LimitPlan {
    return { counters: this.counters, checks: this.checks };
  }

  /** Budgets with the same scope, value and period count the same spend: one counter, moved once. */
  private counter(key: string, incr: number, window: CounterWindow, settles: PlannedCounter['settles'], member: string): number {
    const known = this.index.get(key);
    if (known !== undefined) return known;
    this.index.set(key, this.counters.length);
    this.counters.push({ key, incr, expireAt: window.expireAt, topKey: null, member: encodeURIComponent(member), settles, durable: null });
    return this.counters.length - 1;
  }
}

function wholeAtLeastZero(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.ceil(n) : 0;
}
