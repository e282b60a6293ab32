import { Injectable, Logger } from '@nestjs/common';
import type { GatewayConfig } from '@slipway/contracts';
import { RedisService } from '@slipway/redis';
import { budgetCounterKey, budgetTopKey, tenantPrefix } from './limit-keys';
import { budgetName, mayLimit, planLimits, type LimitPlan, type PlannedCounter } from './limit-plan';
import { RESERVE_SCRIPT, SETTLE_SCRIPT, USAGE_SCRIPT } from './limit-scripts';
import type { BudgetUsage, Estimate, LimitDecision, LimitSubject, Reservation } from './limit-types';
import { decide, type FailedCheck } from './rejection';
import { CounterReservation, EMPTY_RESERVATION } from './reservation';
import { periodWindow } from './windows';

/**
 * Spend budgets and rate limits, kept in Redis so every api process shares them. A request
 * reserves its estimate on every counter that applies, or on none; it settles to the real
 * usage when it ends. See README.md beside this file for the invariants.
 */
@Injectable()
export class GatewayLimits {
  private readonly logger = new Logger('gateway-limits');

  constructor(private readonly redis: RedisService) {}

  /** Checks every applicable budget + rate limit and reserves all of them, or none. */
  async reserve(config: GatewayConfig, subject: LimitSubject, estimate: Estimate, now: Date = new Date()): Promise<LimitDecision> {
    if (!mayLimit(config, subject)) return { ok: true, reservation: EMPTY_RESERVATION };
    const plan = planLimits(config, subject, estimate, now);
    if (plan.checks.length === 0 && plan.counters.length === 0) return { ok: true, reservation: EMPTY_RESERVATION };
    const { keys, args } = reserveCall(plan);
    let answer: number[];
    try {
      answer = (await this.redis.evalScript(RESERVE_SCRIPT, keys, args)) as number[];
    } catch (err) {
      // Fail open: while Redis is unreachable apps keep their model access; limits resume with it.
      this.logger.warn(`Gateway limits are not enforced: Redis did not answer (${(err as Error).message}).`);
      return { ok: true, reservation: EMPTY_RESERVATION };
    }
    if (answer.length === 0) return { ok: true, reservation: new CounterReservation(plan.counters) };
    const failed: FailedCheck[] = [];
    for (let i = 0; i + 1 < answer.length; i += 2) {
      const check = plan.checks[Number(answer[i]) - 1]!;
      failed.push({ check, current: Number(answer[i + 1]), incr: plan.counters[check.counter]!.incr });
    }
    return decide(failed, now);
  }

  /** Applies actual − reserved to every counter of the reservation. Never throws: errors are logged. */
  async settle(reservation: Reservation, actual: Estimate): Promise<void> {
    if (!(reservation instanceof CounterReservation) || reservation.settled) return;
    reservation.settled = true;
    const moves = reservation.counters.map((c) => ({ c, delta: settledValue(c, actual) - c.incr })).filter((m) => m.delta !== 0);
    if (moves.length === 0) return;
    const keys = moves.map((m) => m.c.key);
    const tops = topIndexes(
      moves.map((m) => m.c),
      keys,
    );
    const args: (string | number)[] = [moves.length];
    moves.forEach((m, i) => args.push(m.delta, tops[i]!, m.c.member));
    try {
      await this.redis.evalScript(SETTLE_SCRIPT, keys, args);
    } catch (err) {
      this.logger.warn(
        `Settling a gateway reservation failed (${(err as Error).message}); its counters keep the estimate until the period ends.`,
      );
    }
  }

  /** Current spend per budget for the console's usage bars. Budgets that apply to each value separately show the highest. */
  async usage(
    config: GatewayConfig,
    subject: Pick<LimitSubject, 'organizationId' | 'projectId'>,
    now: Date = new Date(),
  ): Promise<BudgetUsage[]> {
    const budgets = config.budgets ?? [];
    if (budgets.length === 0) return [];
    const prefix = tenantPrefix(subject.organizationId, subject.projectId);
    const keys: string[] = [];
    const kinds: string[] = [];
    for (const b of budgets) {
      const window = periodWindow(b.period, now);
      const value = b.scope === 'project' ? subject.projectId : (b.match ?? null);
      keys.push(value === null ? budgetTopKey(prefix, b.scope, window.key) : budgetCounterKey(prefix, b.scope, value, window.key));
      kinds.push(value === null ? 'top' : 'get');
    }
    const spent = (await this.redis.evalScript(USAGE_SCRIPT, keys, kinds)) as string[];
    return budgets.map((b, i) => ({
      name: budgetName(b),
      scope: b.scope,
      match: b.match ?? null,
      period: b.period,
      limitUsd: b.limitUsd,
      spentUsd: Number(spent[i] ?? 0) / 1_000_000,
      action: b.action,
    }));
  }
}

function reserveCall(plan: LimitPlan): { keys: string[]; args: (string | number)[] } {
  const keys = plan.counters.map((c) => c.key);
  const tops = topIndexes(plan.counters, keys);
  const args: (string | number)[] = [plan.counters.length, plan.checks.length];
  plan.counters.forEach((c, i) => args.push(c.incr, c.expireAt, tops[i]!, c.member));
  for (const check of plan.checks) args.push(check.counter + 1, check.limit);
  return { keys, args };
}

/** Appends each distinct budget-top key to `keys`; returns, per counter, its 1-based KEYS index (0 = none). */
function topIndexes(counters: readonly PlannedCounter[], keys: string[]): number[] {
  const seen = new Map<string, number>();
  return counters.map((c) => {
    if (c.topKey === null) return 0;
    let index = seen.get(c.topKey);
    if (index === undefined) {
      keys.push(c.topKey);
      index = keys.length;
      seen.set(c.topKey, index);
    }
    return index;
  });
}

function settledValue(c: PlannedCounter, actual: Estimate): number {
  const whole = (n: number) => (Number.isFinite(n) && n > 0 ? Math.round(n) : 0);
  if (c.settles === 'cost') return whole(actual.costMicros);
  if (c.settles === 'tokens') return whole(actual.tokens);
  return c.incr;
}
