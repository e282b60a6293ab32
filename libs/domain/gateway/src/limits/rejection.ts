import type { BudgetRule, PlannedCheck, RateRule } from './limit-plan';
import type { LimitBlock, LimitDecision } from './limit-types';
import { secondsUntil } from './windows';

export interface FailedCheck {
  check: PlannedCheck;
  /** The counter's value when checked (micro-USD, requests or tokens, in-flight reservations included). */
  current: number;
  /** What this request would have added. */
  incr: number;
}

type Rejection = Exclude<LimitDecision, { ok: true }>;

/** The 429 a queued request gets once its wait is over; kept beside the queue decision. */
const blockForms = new WeakMap<Rejection, LimitBlock>();

export function blockFormOf(decision: Rejection): LimitBlock {
  return decision.action === 'block' ? decision : (blockForms.get(decision) ?? genericBlock(decision.limitName));
}

/**
 * One decision for all the limits that refused. A block wins (waiting or a cheaper model would
 * not help), the one that lasts longest first so a retry-after is honest; then a queue; then a
 * downgrade. Whatever is not a block is re-checked when the caller tries again.
 */
export function decide(failed: readonly FailedCheck[], now: Date): Rejection {
  const decisions = failed.map((f) => rejectionFor(f, now));
  const blocks = decisions.filter((d): d is LimitBlock => d.action === 'block');
  if (blocks.length > 0) return blocks.reduce((a, b) => (b.retryAfterSeconds > a.retryAfterSeconds ? b : a));
  return decisions.find((d) => d.action === 'queue') ?? decisions[0]!;
}

function rejectionFor(f: FailedCheck, now: Date): Rejection {
  const { rule } = f.check;
  if (rule.kind === 'rate') return rateBlock(rule, f, now);
  const block = budgetBlock(rule, f, now);
  // A request bigger than the whole budget never fits, however long it waits.
  if (rule.action === 'queue' && f.incr <= f.check.limit)
    return remember({ ok: false, kind: 'budget', action: 'queue', queueSeconds: rule.queueSeconds ?? 0, limitName: rule.name }, block);
  if (rule.action === 'downgrade' && rule.downgradeTo !== undefined)
    return remember({ ok: false, kind: 'budget', action: 'downgrade', downgradeTo: rule.downgradeTo, limitName: rule.name }, block);
  return block;
}

function budgetBlock(rule: BudgetRule, f: FailedCheck, now: Date): LimitBlock {
  const { limit } = f.check;
  const resets = new Date(rule.windowEndMs).toISOString().replace('.000Z', 'Z');
  const state =
    f.current >= limit
      ? `is spent: ${who(rule.scope, rule.value)} has used ${usd(f.current)}.`
      : `has ${usd(limit - f.current)} left for ${who(rule.scope, rule.value)}, and this request may cost up to ${usd(f.incr)}.`;
  const message = `Budget "${rule.name}" (${usd(limit)} per ${rule.period}, UTC) ${state} It resets at ${resets}.`;
  return {
    ok: false,
    kind: 'budget',
    action: 'block',
    message,
    retryAfterSeconds: secondsUntil(rule.windowEndMs, now),
    limitName: rule.name,
  };
}

function rateBlock(rule: RateRule, f: FailedCheck, now: Date): LimitBlock {
  const retryAfterSeconds = secondsUntil(rule.windowEndMs, now);
  const subject = rule.who === 'key' ? 'this key' : `customer "${rule.value}"`;
  const unit = rule.metric === 'requests' ? 'requests' : 'tokens';
  const used =
    rule.metric === 'tokens' && f.incr > f.check.limit
      ? ` This request alone may use ${f.incr} tokens, more than a minute allows; lower max_tokens or the input.`
      : ` ${f.current} used in this minute.`;
  const message = `Rate limit reached: ${subject} may use ${f.check.limit} ${unit} per minute.${used} Try again in ${retryAfterSeconds} s.`;
  return { ok: false, kind: 'rate', action: 'block', message, retryAfterSeconds, limitName: `${rule.who}.${rule.metric}PerMinute` };
}

function remember(decision: Rejection, block: LimitBlock): Rejection {
  blockForms.set(decision, block);
  return decision;
}

function genericBlock(limitName: string): LimitBlock {
  return { ok: false, kind: 'budget', action: 'block', message: `Budget "${limitName}" is spent.`, retryAfterSeconds: 60, limitName };
}

function who(scope: BudgetRule['scope'], value: string): string {
  switch (scope) {
    case 'project':
      return 'this project';
    case 'key':
      return 'this key';
    case 'alias':
      return `model alias "${value}"`;
    default:
      return `${scope} "${value}"`;
  }
}

/** Micro-USD as dollars, exact: at least cents, more digits when the amount has them. */
export function usd(micros: number): string {
  const [whole, fraction = ''] = (micros / 1_000_000).toFixed(6).split('.');
  return `$${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}
