import type { RejectionCategory, TokenUsage, UsageEvent, WireFormat } from '@slipway/contracts';
import type { GatewayCaller } from '../callers';
import type { Attribution } from '../limits';

/**
 * What one gateway request did, gathered as it runs and turned into exactly one usage event.
 * Fields are public and mutable on purpose: the engine fills them step by step.
 */
export class RequestTrace {
  /** Arrival, epoch ms. */
  readonly at = Date.now();
  readonly startedAt = performance.now();
  modelRequested = '';
  modelServed: string | null = null;
  provider: string | null = null;
  status = 0;
  errorCategory: string | null = null;
  ttftMs: number | null = null;
  usage: TokenUsage | null = null;
  costMicros = 0;
  retries = 0;
  readonly fallbackChain: string[] = [];
  streamed = false;
  attribution: Attribution = { feature: null, customer: null };

  constructor(
    readonly id: string,
    readonly api: WireFormat,
  ) {}

  reject(status: number, category: RejectionCategory): this {
    this.status = status;
    this.errorCategory = category;
    return this;
  }

  toEvent(caller: GatewayCaller): UsageEvent {
    const usage = this.usage;
    return {
      id: this.id,
      at: isoTime(this.at),
      organizationId: caller.organizationId,
      projectId: caller.projectId,
      environmentId: caller.environmentId,
      releaseId: caller.releaseId,
      keyId: caller.keyId,
      feature: this.attribution.feature,
      customer: this.attribution.customer,
      apiCallId: this.attribution.apiCallId ?? null,
      api: this.api,
      modelRequested: this.modelRequested,
      modelServed: this.modelServed,
      provider: this.provider,
      status: this.status,
      errorCategory: this.errorCategory,
      latencyMs: Math.round(performance.now() - this.startedAt),
      ttftMs: this.ttftMs,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cacheReadTokens: usage?.cacheReadTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
      costMicros: this.costMicros,
      retries: this.retries,
      fallbackChain: this.fallbackChain,
      streamed: this.streamed,
    };
  }
}

let isoSecond = Number.NaN;
let isoPrefix = '';

/** `Date#toISOString` of epoch ms, formatting the date part once per second (it costs ≈0.5 µs a call, once per request). */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${isoPrefix}${String(ms - second * 1000).padStart(3, '0')}Z`;
}
