import type { RejectionCategory, TokenUsage, UsageEvent, WireFormat } from '@slipway/contracts';
import type { GatewayCaller } from '../callers';
import type { Attribution } from '../limits';

/**
 * What one gateway request did, gathered as it runs and turned into exactly one usage event.
 * Fields are public and mutable on purpose: the engine fills them step by step.
 */
export class RequestTrace {
  readonly at = new Date();
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
      at: this.at.toISOString(),
      organizationId: caller.organizationId,
      projectId: caller.projectId,
      environmentId: caller.environmentId,
      releaseId: caller.releaseId,
      keyId: caller.keyId,
      feature: this.attribution.feature,
      customer: this.attribution.customer,
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
