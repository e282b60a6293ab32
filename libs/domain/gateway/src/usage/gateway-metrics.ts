import { Injectable } from '@nestjs/common';
import type { UsageEvent } from '@slipway/contracts';
import { BoundedLabel, CounterFamily, GaugeFamily, HistogramFamily, MetricsRegistry, ScaledCounterFamily } from './prometheus';

/** Circuit breaker states as the gauge reports them: 0 closed, 1 open, 2 half-open. */
export type BreakerGaugeState = 'closed' | 'open' | 'half_open';
const BREAKER_VALUE: Record<BreakerGaugeState, number> = { closed: 0, open: 1, half_open: 2 };

// Bucket boundaries recommended by the OpenTelemetry GenAI semantic conventions.
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

const OPERATION = 'chat';
/** Distinct label sets whose series are kept ready; the labels are bounded, so this only caps memory. */
const MAX_BUNDLES = 10_000;

interface RequestSeries {
  duration: { observe(v: number): void };
  ttft: { observe(v: number): void };
  input: { observe(v: number): void };
  output: { observe(v: number): void };
  cacheRead: { observe(v: number): void };
  cacheWrite: { observe(v: number): void };
  requests: { inc(by?: number): void };
  cost: { inc(by?: number): void };
  retries: { inc(by?: number): void };
  fallbacks: { inc(by?: number): void };
}
const MODEL_LABELS = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_response_model'] as const;

/**
 * The gateway's Prometheus metrics, in process (each api process exposes its own; Prometheus
 * adds them up). Names and labels follow the OpenTelemetry GenAI semantic conventions in
 * Prometheus form, plus `slipway_gateway_*` for what those do not cover. Labels are models,
 * providers, statuses and failure categories only, each capped (see BoundedLabel): never keys,
 * projects or customers, whose number has no bound.
 */
@Injectable()
export class GatewayMetrics {
  private readonly registry = new MetricsRegistry();
  private readonly providers = new BoundedLabel(100);
  private readonly models = new BoundedLabel(300);
  private readonly errorTypes = new BoundedLabel(50);
  private readonly statuses = new BoundedLabel(60);
  private readonly breakerKeys = new BoundedLabel(500);
  private readonly bundles = new Map<string, RequestSeries>();

  private readonly duration = this.registry.register(
    new HistogramFamily(
      'gen_ai_client_operation_duration_seconds',
      'Duration of a model request through the gateway, from arrival to the last byte.',
      [...MODEL_LABELS, 'error_type'],
      DURATION_BUCKETS,
    ),
  );
  private readonly tokens = this.registry.register(
    new HistogramFamily(
      'gen_ai_client_token_usage',
      'Tokens used per request, by token type (input, output, cache_read, cache_write).',
      [...MODEL_LABELS, 'gen_ai_token_type'],
      TOKEN_BUCKETS,
    ),
  );
  private readonly ttft = this.registry.register(
    new HistogramFamily(
      'gen_ai_server_time_to_first_token_seconds',
      'Time from arrival of a request to the first token sent to the client.',
      MODEL_LABELS,
      TTFT_BUCKETS,
    ),
  );
  private readonly requests = this.registry.register(
    new CounterFamily('slipway_gateway_requests_total', 'Model requests by outcome (status is the HTTP status the client got).', [
      'api',
      'status',
      'error_type',
      'streamed',
      'gen_ai_provider_name',
      'gen_ai_request_model',
      'gen_ai_response_model',
    ]),
  );
  private readonly cost = this.registry.register(
    new ScaledCounterFamily(
      'slipway_gateway_cost_usd_total',
      'Spend in USD from the price catalog.',
      ['gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_response_model'],
      1_000_000,
    ),
  );
  private readonly retries = this.registry.register(
    new CounterFamily('slipway_gateway_retries_total', 'Attempts repeated against the same route after a retryable failure.', [
      'gen_ai_provider_name',
      'gen_ai_request_model',
    ]),
  );
  private readonly fallbacks = this.registry.register(
    new CounterFamily('slipway_gateway_fallbacks_total', 'Moves from one route to the next within a request.', ['gen_ai_request_model']),
  );
  private readonly breakers = this.registry.register(
    new GaugeFamily('slipway_gateway_circuit_breaker_state', 'Circuit breaker per provider/model: 0 closed, 1 open, 2 half-open.', ['key']),
  );
  private readonly dropped = this.registry.register(
    new CounterFamily(
      'slipway_gateway_usage_events_dropped_total',
      'Usage events lost because Redis could not take them before the buffer filled.',
      [],
    ),
  );

  private readonly backlog = this.registry.register(
    new GaugeFamily('slipway_gateway_usage_backlog_entries', 'Usage stream entries not yet trimmed (at most this many unwritten), as this api process last saw it.', []),
  );
  private readonly refusedForBacklog = this.registry.register(
    new CounterFamily(
      'slipway_gateway_usage_backpressure_total',
      'Model calls refused (503 usage_backlog) because their usage record could not be kept: the stream passed GATEWAY_USAGE_BACKLOG_MAX_ENTRIES or Redis was not taking records.',
      [],
    ),
  );

  usageBacklog(entries: number): void {
    this.backlog.set([], entries);
  }

  usageBackPressure(): void {
    this.refusedForBacklog.inc([]);
  }

  /** Counts one finished request. Synchronous and cheap (one map lookup when the label set was seen before): it runs on the hot path. */
  observe(e: UsageEvent): void {
    const s = this.seriesOf(e);
    s.duration.observe(e.latencyMs / 1000);
    if (e.ttftMs !== null) s.ttft.observe(e.ttftMs / 1000);
    if (e.modelServed) {
      s.input.observe(e.inputTokens);
      s.output.observe(e.outputTokens);
    }
    if (e.cacheReadTokens > 0) s.cacheRead.observe(e.cacheReadTokens);
    if (e.cacheWriteTokens > 0) s.cacheWrite.observe(e.cacheWriteTokens);
    s.requests.inc();
    if (e.costMicros > 0) s.cost.inc(e.costMicros);
    if (e.retries > 0) s.retries.inc(e.retries);
    const moves = fallbackCount(e.fallbackChain);
    if (moves > 0) s.fallbacks.inc(moves);
  }

  /** Every series one request touches, looked up once per distinct label set and kept. */
  private seriesOf(e: UsageEvent): RequestSeries {
    const key = `${e.api}\u0000${e.status}\u0000${e.errorCategory ?? ''}\u0000${e.streamed}\u0000${e.provider ?? ''}\u0000${e.modelRequested}\u0000${e.modelServed ?? ''}`;
    let s = this.bundles.get(key);
    if (s) return s;
    const provider = e.provider ? this.providers.value(e.provider) : '';
    const requested = this.models.value(e.modelRequested);
    const served = e.modelServed ? this.models.value(e.modelServed) : '';
    const status = this.statuses.value(String(e.status));
    // error.type: the failure category, else the status of a failed request without one.
    const errorType = e.errorCategory ? this.errorTypes.value(e.errorCategory) : e.status >= 400 ? status : '';
    const model = [OPERATION, provider, requested, served];
    s = {
      duration: this.duration.child([...model, errorType]),
      ttft: this.ttft.child(model),
      input: this.tokens.child([...model, 'input']),
      output: this.tokens.child([...model, 'output']),
      cacheRead: this.tokens.child([...model, 'cache_read']),
      cacheWrite: this.tokens.child([...model, 'cache_write']),
      requests: this.requests.child([e.api, status, errorType, String(e.streamed), provider, requested, served]),
      cost: this.cost.child([provider, requested, served]),
      retries: this.retries.child([provider, requested]),
      fallbacks: this.fallbacks.child([requested]),
    };
    // Bounded like the labels: past the cap, requests still count, through a fresh lookup each time.
    if (this.bundles.size < MAX_BUNDLES) this.bundles.set(key, s);
    return s;
  }

  /** The engine calls this on every breaker transition; `key` is `provider/model`. */
  setBreakerState(key: string, state: BreakerGaugeState): void {
    this.breakers.set([this.breakerKeys.value(key)], BREAKER_VALUE[state]);
  }

  usageEventsDropped(count: number): void {
    if (count > 0) this.dropped.inc([], count);
  }

  /** The text exposition format, as GET /metrics serves it (rendered by prom-client). */
  render(): Promise<string> {
    return this.registry.render();
  }
}

/**
 * How many times a request moved to another route: the chain lists every attempt as
 * `provider/model:outcome`, so a retry repeats the route and a fallback changes it.
 */
export function fallbackCount(chain: readonly string[]): number {
  let moves = 0;
  let previous: string | undefined;
  for (const attempt of chain) {
    const cut = attempt.lastIndexOf(':');
    const route = cut >= 0 ? attempt.slice(0, cut) : attempt;
    if (previous !== undefined && route !== previous) moves++;
    previous = route;
  }
  return moves;
}
