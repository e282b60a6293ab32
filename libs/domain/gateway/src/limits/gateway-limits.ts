import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { GatewayConfig } from '@slipway/contracts';
import { RedisService } from '@slipway/redis';
import { DurableSpend } from '../usage/durable-spend';
import { budgetCounterKey, budgetTopKey, rebuiltMarkKey, tenantPrefix } from './limit-keys';
import { budgetName, mayLimit, planLimits, type LimitPlan, type PlannedCounter } from './limit-plan';
import { REBUILD_SCRIPT, RESERVE_SCRIPT, SETTLE_SCRIPT, USAGE_SCRIPT } from './limit-scripts';
import type { BudgetUsage, Estimate, LimitDecision, LimitSubject, Reservation } from './limit-types';
import { decide, type FailedCheck } from './rejection';
import { CounterReservation, EMPTY_RESERVATION } from './reservation';
import { periodWindow } from './windows';

/** A refused call under an unreadable budget may retry this soon (seconds). */
const UNAVAILABLE_RETRY_S = 5;
const RESERVED = 0;
const MISSING = -1;

/**
 * Spend budgets and rate limits, kept in Redis so every api process shares them. A request
 * reserves its estimate on every counter that applies, or on none; it settles to the real
 * usage when it ends. A budget counter Redis lost (restart, flush, eviction) is rebuilt from
 * the durable usage records before the check; when neither Redis nor PostgreSQL can answer, a
 * budgeted request is refused, never let through. See README.md beside this file.
 */
@Injectable()
export class GatewayLimits {
  private readonly logger = new Logger('gateway-limits');
  /** Rebuilds in progress in this process, by counter keys: concurrent requests share one read of PostgreSQL. */
  private readonly rebuilding = new Map<string, Promise<string | null>>();

  /** @param durable where lost budget counters are rebuilt from; without it (tests of the counters alone) a lost counter restarts at zero. */
  constructor(
    @Inject(RedisService) private readonly redis: RedisService,
    @Optional() @Inject(DurableSpend) private readonly durable?: DurableSpend,
  ) {}

  /** Checks every applicable budget + rate limit and reserves all of them, or none. */
  async reserve(config: GatewayConfig, subject: LimitSubject, estimate: Estimate, now: Date = new Date()): Promise<LimitDecision> {
    if (!mayLimit(config, subject)) return { ok: true, reservation: EMPTY_RESERVATION };
    const plan = planLimits(config, subject, estimate, now);
    if (plan.checks.length === 0 && plan.counters.length === 0) return { ok: true, reservation: EMPTY_RESERVATION };
    const { keys, args } = reserveCall(plan);
    let answer: (number | string)[] = [];
    // A missing counter is rebuilt once; missing again at once (evicted as it was written) means Redis cannot keep it.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        answer = (await this.redis.evalScript(RESERVE_SCRIPT, keys, args)) as (number | string)[];
      } catch (err) {
        return this.redisDown(plan, err as Error);
      }
      if (Number(answer[0]) !== MISSING) break;
      const lost = answer.slice(1).map((i) => plan.counters[Number(i) - 1]!);
      const failure = await this.rebuild(subject, lost);
      if (failure) return unavailable(plan, failure);
    }
    if (Number(answer[0]) === MISSING) return unavailable(plan, 'Redis does not keep its counters');
    if (Number(answer[0]) === RESERVED) return { ok: true, reservation: new CounterReservation(plan.counters, redisMicros(answer[1], answer[2])) };
    const failed: FailedCheck[] = [];
    for (let i = 0; i + 1 < answer.length; i += 2) {
      const check = plan.checks[Number(answer[i]) - 1]!;
      failed.push({ check, current: Number(answer[i + 1]), incr: plan.counters[check.counter]!.incr });
    }
    return decide(failed, now);
  }

  /** Applies actual − reserved to every counter of the reservation (the actual spend to one rebuilt since). Never throws: errors are logged. */
  async settle(reservation: Reservation, actual: Estimate): Promise<void> {
    if (!(reservation instanceof CounterReservation) || reservation.settled) return;
    reservation.settled = true;
    const moves = reservation.counters
      .map((c) => ({ c, actual: settledValue(c, actual), delta: settledValue(c, actual) - c.incr }))
      .filter((m) => m.delta !== 0 || (m.c.durable !== null && m.actual !== 0));
    if (moves.length === 0) return;
    const keys = [...moves.map((m) => m.c.key), ...moves.map((m) => rebuiltMarkKey(m.c.key))];
    const tops = topIndexes(
      moves.map((m) => m.c),
      keys,
    );
    const args: (string | number)[] = [moves.length, reservation.reservedAt];
    moves.forEach((m, i) => args.push(m.delta, m.actual, tops[i]!, m.c.member));
    try {
      await this.redis.evalScript(SETTLE_SCRIPT, keys, args);
    } catch (err) {
      this.logger.warn(
        `Settling a gateway reservation failed (${(err as Error).message}); its counters keep the estimate until the period ends.`,
      );
    }
  }

  /**
   * Redis did not answer. Budgets fail closed: without the counters a budgeted call would be
   * free. Rate limits alone fail open: they protect capacity, not money, and apps keep their
   * model access while Redis is away.
   */
  private redisDown(plan: LimitPlan, err: Error): LimitDecision {
    if (plan.checks.some((c) => c.rule.kind === 'budget')) {
      this.logger.warn(`Budgeted gateway calls are refused: Redis did not answer (${err.message}).`);
      return unavailable(plan, 'Redis did not answer');
    }
    this.logger.warn(`Gateway rate limits are not enforced: Redis did not answer (${err.message}).`);
    return { ok: true, reservation: EMPTY_RESERVATION };
  }

  /**
   * Writes lost budget counters back from the durable records (PostgreSQL + the usage stream),
   * each only if still missing. One read per set of counters at a time in this process; other
   * processes racing for the same counters write at most one value (SET NX). Resolves to null,
   * or to why the counters could not be rebuilt.
   */
  private rebuild(subject: Pick<LimitSubject, 'organizationId' | 'projectId'>, lost: readonly PlannedCounter[]): Promise<string | null> {
    const id = lost.map((c) => c.key).join('\n');
    let running = this.rebuilding.get(id);
    if (!running) {
      running = this.rebuildNow(subject, lost).finally(() => this.rebuilding.delete(id));
      this.rebuilding.set(id, running);
    }
    return running;
  }

  private async rebuildNow(subject: Pick<LimitSubject, 'organizationId' | 'projectId'>, lost: readonly PlannedCounter[]): Promise<string | null> {
    let values: number[];
    try {
      values = this.durable ? await this.durable.spent(subject.organizationId, subject.projectId, lost.map((c) => c.durable!)) : lost.map(() => 0);
    } catch (err) {
      this.logger.error(`Budget counters of project ${subject.projectId} are missing in Redis and PostgreSQL did not answer (${(err as Error).message}): budgeted calls are refused.`);
      return 'their spend could not be read from PostgreSQL';
    }
    const keys = lost.flatMap((c) => [c.key, rebuiltMarkKey(c.key)]);
    const tops = topIndexes(lost, keys);
    const args: (string | number)[] = [lost.length];
    lost.forEach((c, i) => args.push(values[i]!, c.expireAt, tops[i]!, c.member));
    try {
      const created = Number(await this.redis.evalScript(REBUILD_SCRIPT, keys, args));
      if (created > 0) this.logger.log(`Rebuilt ${created} budget counter(s) of project ${subject.projectId} from the durable usage records.`);
      return null;
    } catch (err) {
      this.logger.error(`Budget counters of project ${subject.projectId} could not be written back to Redis (${(err as Error).message}).`);
      return 'Redis did not take them back';
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
  plan.counters.forEach((c, i) => args.push(c.incr, c.expireAt, tops[i]!, c.member, c.durable ? 1 : 0));
  for (const check of plan.checks) args.push(check.counter + 1, check.limit);
  return { keys, args };
}

/** The refusal when a budget applies but nothing can say how much of it is spent. */
function unavailable(plan: LimitPlan, why: string): LimitDecision {
  const budget = plan.checks.find((c) => c.rule.kind === 'budget')?.rule;
  const name = budget?.kind === 'budget' ? budget.name : 'budget';
  return {
    ok: false,
    kind: 'unavailable',
    action: 'block',
    limitName: name,
    retryAfterSeconds: UNAVAILABLE_RETRY_S,
    message: `Budget "${name}" cannot be checked right now (${why}), so the call is refused rather than let through unmetered. Retry in a few seconds.`,
  };
}

/** Redis TIME (seconds, microseconds) as one decimal string of microseconds (exact: no float on the way). */
function redisMicros(seconds: number | string | undefined, micros: number | string | undefined): string {
  return `${seconds ?? 0}${String(micros ?? 0).padStart(6, '0')}`;
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
