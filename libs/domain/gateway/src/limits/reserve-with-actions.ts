import type { GatewayConfig } from '@slipway/contracts';
import { sleepUnlessCancelled, type CancelSignal } from '../resilience';
import type { GatewayLimits } from './gateway-limits';
import type { Estimate, LimitDecision, LimitSubject } from './limit-types';
import { blockFormOf } from './rejection';

/** How often a queued request tries again: one Redis round trip per poll. */
export const QUEUE_POLL_MS = 250;

/**
 * Runs `reserve` honouring each budget's action. Block: the rejection is returned. Downgrade:
 * returned as is, and the caller re-plans with `downgradeTo` (and reserves again). Queue: tries
 * again every 250 ms for up to `queueSeconds` (spend reserved by in-flight requests settles
 * lower, or the period rolls over), then returns the budget's block. An aborted signal (the
 * client went away) ends the wait with that block too.
 */
export async function reserveWithActions(
  limits: GatewayLimits,
  config: GatewayConfig,
  subject: LimitSubject,
  estimate: Estimate,
  signal?: CancelSignal,
): Promise<LimitDecision> {
  let decision = await limits.reserve(config, subject, estimate);
  if (decision.ok || decision.action !== 'queue') return decision;
  const queueSeconds = decision.queueSeconds;
  const deadline = Date.now() + queueSeconds * 1000;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 || signal?.aborted) return waited(decision, queueSeconds);
    if (!(await sleepUnlessCancelled(Math.min(QUEUE_POLL_MS, left), signal))) return waited(decision, queueSeconds);
    const next = await limits.reserve(config, subject, estimate);
    if (next.ok || next.action !== 'queue') return next;
    decision = next;
  }
}

function waited(decision: Extract<LimitDecision, { action: 'queue' }>, queueSeconds: number): LimitDecision {
  const block = blockFormOf(decision);
  return { ...block, message: `${block.message} The request waited up to ${queueSeconds} s for spend in flight to settle.` };
}
