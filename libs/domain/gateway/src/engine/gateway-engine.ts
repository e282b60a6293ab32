import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { DEFAULT_RETRY_BUDGET, GATEWAY_ERROR_CODES, type GatewayKeyScope, type WireFormat } from '@slipway/contracts';
import { UpstreamClient } from '@slipway/ai-providers';
import { GatewayCallerResolver, type GatewayCaller } from '../callers';
import { admissionOf, type Admission } from './admission';
import { GatewayLimits, UNLIMITED, attributionOf, mayLimit, reserveWithActions, type LimitSubject } from '../limits';
import { BreakerRegistry, ClientGone, LimiterRegistry, RetryBudget, type CancelSignal } from '../resilience';
import { costMicros, planRoutes, requestNeeds, type RequestNeeds, type RoutePlan } from '../routing';
import { estimateOf } from './reservation-estimate';
import { GatewayMetrics, UsageRecorder } from '../usage';
import { translateErrorBody } from '../translate';
import { ZERO_USAGE, type AttemptInput, type AttemptRoute } from './attempt';
import { statusOfCategory } from './classify';
import { sendError, sendJson, type AnswerMeta, type ErrorAnswer } from './client-response';
import { FaultInjector } from './fault-injector';
import { holdEnd } from './hold-end';
import { keyFrom, parseModelRequest, type ModelRequest } from './parse-request';
import { RequestTrace } from './request-trace';
import { runRoutes, type RunResult, type RunnerDeps } from './route-runner';
import { UPSTREAM_CLIENT, upstreamLimitsOf, type UpstreamLimits } from './upstream-wiring';


/**
 * The model gateway's request path: key → parse → route plan → limits → attempts (retries,
 * fallbacks, breakers) → answer → one usage event. The api hands it raw bodies and node
 * responses, so nothing on this path goes through Nest's pipeline or WHATWG streams.
 */
@Injectable()
export class GatewayEngine implements OnModuleDestroy {
  private readonly logger = new Logger('gateway');
  readonly breakers = new BreakerRegistry();
  readonly faults = new FaultInjector();
  private readonly limiters: LimiterRegistry;
  /** Each organization's share of a provider origin's connections (route-runner). */
  private readonly shares: LimiterRegistry;
  private readonly upstreamLimits: UpstreamLimits;
  /** Output tokens a request reserves against budgets at most (GATEWAY_BUDGET_RESERVED_OUTPUT_TOKENS). */
  private readonly reservedOutputTokens: number;
  /** Per organization and ratio (`gateway.retryBudget`): one tenant's outage never spends another's retries. */
  private readonly retryBudgets = new Map<string, RetryBudget>();

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(UPSTREAM_CLIENT) private readonly upstream: UpstreamClient,
    private readonly callers: GatewayCallerResolver,
    private readonly limits: GatewayLimits,
    private readonly usage: UsageRecorder,
    metrics: GatewayMetrics,
  ) {
    this.breakers.onTransition((t) => {
      metrics.setBreakerState(t.key, t.to);
      this.logger.warn(`circuit ${t.key}: ${t.from} → ${t.to} (${t.reason})`);
    });
    this.limiters = new LimiterRegistry({ limit: config.GATEWAY_PROVIDER_CONCURRENCY, queueSize: config.GATEWAY_QUEUE_SIZE, queueTimeoutMs: config.GATEWAY_QUEUE_TIMEOUT_MS });
    const share = Math.max(1, Math.floor((upstream.connectionsPerOrigin * config.GATEWAY_ORG_CONNECTION_SHARE) / 100));
    this.shares = new LimiterRegistry({ limit: share, queueSize: config.GATEWAY_QUEUE_SIZE, queueTimeoutMs: config.GATEWAY_QUEUE_TIMEOUT_MS });
    this.upstreamLimits = upstreamLimitsOf(config);
    this.reservedOutputTokens = config.GATEWAY_BUDGET_RESERVED_OUTPUT_TOKENS;
  }

  /** The pooled provider client, shared with the side endpoints. */
  get upstreamClient(): UpstreamClient {
    return this.upstream;
  }

  async onModuleDestroy(): Promise<void> {
    await this.upstream.close();
  }

  /**
   * Judges the key from the headers alone, so a request with a bad key is refused before its
   * body is read. A cached key is judged synchronously (most calls): only a lookup in Postgres
   * returns a promise.
   */
  admit(headers: IncomingHttpHeaders, scope: GatewayKeyScope): Admission | Promise<Admission> {
    const token = keyFrom(headers);
    if (!token) return { refusal: { status: 401, code: GATEWAY_ERROR_CODES.KEY_INVALID, message: 'Missing API key: send it as x-api-key or Authorization: Bearer <key>.' } };
    const cached = this.callers.cached(token);
    if (cached) return admissionOf(cached, scope);
    return this.callers.resolve(token).then(
      (resolved) => admissionOf(resolved, scope),
      (err: unknown): Admission => {
        this.logger.error(`key lookup failed: ${err instanceof Error ? err.message : String(err)}`);
        return { refusal: { status: 503, message: 'The gateway cannot check API keys right now; retry shortly.', retryAfterSeconds: 2 } };
      },
    );
  }

  /** `admit`, answering the client itself when the key is refused (requests with no body to protect). */
  async authenticate(format: WireFormat, headers: IncomingHttpHeaders, scope: GatewayKeyScope, res: ServerResponse, meta: AnswerMeta): Promise<GatewayCaller | null> {
    const admitted = this.admit(headers, scope);
    const { caller, refusal } = admitted instanceof Promise ? await admitted : admitted;
    if (refusal) sendError(res, format, refusal, meta);
    return caller ?? null;
  }

  /** POST /v1/messages (anthropic) and POST /v1/chat/completions (openai), for a caller `admit` let in. */
  async messages(format: WireFormat, headers: IncomingHttpHeaders, raw: Buffer, res: ServerResponse, caller: GatewayCaller): Promise<void> {
    const trace = new RequestTrace(randomUUID(), format);
    const meta: AnswerMeta = { requestId: trace.id };
    const backlog = this.usage.backPressure();
    // Its record could not be kept: refused before it costs anything, and not recorded (that would grow the backlog).
    if (backlog) return sendError(res, format, { status: 503, type: overloaded(format), code: GATEWAY_ERROR_CODES.USAGE_BACKLOG, ...backlog }, meta);
    const gone = new ClientGone();
    // 'close' comes once per response: `on` spares the once-wrapper allocations of every request.
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const release = holdEnd(res);
    try {
      await this.serve(format, headers, raw, res, caller, trace, meta, gone);
    } catch (err) {
      this.logger.error(`request ${trace.id}: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) sendError(res, format, { status: 500, message: `The gateway failed on its side (request ${trace.id}).` }, meta);
      else res.destroy();
      trace.status = 500;
      trace.errorCategory = 'gateway_error';
    }
    await this.usage.recordDurably(trace.toEvent(caller)).then(release); // the answer's end waits for its usage (hold-end.ts)
  }

  private async serve(
    format: WireFormat,
    headers: IncomingHttpHeaders,
    raw: Buffer,
    res: ServerResponse,
    caller: GatewayCaller,
    trace: RequestTrace,
    meta: AnswerMeta,
    signal: CancelSignal,
  ): Promise<void> {
    const fail = (answer: ErrorAnswer, category: Parameters<RequestTrace['reject']>[1]) => {
      sendError(res, format, answer, meta);
      trace.reject(answer.status, category);
    };
    const parsed = parseModelRequest(format, raw, 'messages');
    if (!parsed.ok) return fail(parsed.error, 'invalid_request');
    const request = parsed.request;
    trace.modelRequested = request.model;
    trace.streamed = request.stream;
    trace.attribution = attributionOf(headers, format, request.body);

    const needs = requestNeeds(format, request.body);
    let plan = this.plan(caller, request.model, needs);
    if (!plan.ok) return fail({ status: plan.status, message: plan.message }, 'no_route');
    const subject: LimitSubject = { organizationId: caller.organizationId, projectId: caller.projectId, keyId: caller.keyId, alias: plan.alias, attribution: trace.attribution, monthlyKeyBudgetMicros: caller.monthlyBudgetMicros };
    // Most keys have no budget or rate limit: no Redis round trip for them.
    const reserve = (planned: Extract<RoutePlan, { ok: true }>) =>
      mayLimit(caller.config, subject) ? reserveWithActions(this.limits, caller.config, subject, estimateOf(needs, planned, this.reservedOutputTokens), signal) : UNLIMITED;
    let decision = await reserve(plan);
    if (!decision.ok && decision.action === 'downgrade') {
      plan = this.plan(caller, decision.downgradeTo, needs);
      if (!plan.ok) return fail({ status: plan.status, message: plan.message }, 'no_route');
      subject.alias = plan.alias;
      trace.fallbackChain.push(`downgrade:${decision.limitName}->${decision.downgradeTo}`);
      decision = await reserve(plan);
    }
    if (signal.aborted) {
      // The client left while the request waited for budget room: not a rejection, and nothing spent.
      if (decision.ok) void this.limits.settle(decision.reservation, { costMicros: 0, tokens: 0 });
      trace.status = 499;
      trace.errorCategory = 'client_closed';
      return;
    }
    if (!decision.ok && decision.kind === 'unavailable') {
      const { message, retryAfterSeconds } = decision;
      return fail({ status: 503, type: overloaded(format), code: GATEWAY_ERROR_CODES.METERING_UNAVAILABLE, message, retryAfterSeconds }, 'metering_unavailable');
    }
    if (!decision.ok) {
      const rate = decision.kind === 'rate';
      const message = decision.action === 'block' ? decision.message : `Budget "${decision.limitName}" is spent.`;
      const retryAfterSeconds = decision.action === 'block' ? decision.retryAfterSeconds : 60;
      return fail({ status: 429, message, retryAfterSeconds, shouldRetry: rate }, rate ? 'rate_limited' : 'budget_exceeded');
    }

    const base: AttemptInput = {
      client: format,
      op: 'messages',
      body: request.body,
      stream: request.stream,
      includeUsage: request.includeUsage,
      inputTokensEstimate: needs.inputTokensEstimate,
      clientHeaders: headers,
      res,
      requestId: trace.id,
      signal,
      startedAt: trace.startedAt,
    };
    const deps: RunnerDeps = {
      upstream: this.upstream,
      limits: this.upstreamLimits,
      breakers: this.breakers,
      limiters: this.limiters,
      shares: this.shares,
      retryBudget: this.retryBudgetOf(caller),
      faults: this.faults,
    };
    try {
      const result = await runRoutes(deps, caller.organizationId, plan.routes as AttemptRoute[], base, trace);
      this.conclude(result, format, request, res, meta, trace);
    } finally {
      // Whatever happened, the reservation becomes the real spend (nothing, when nothing was served).
      if (!decision.reservation.empty) {
        const actual = { costMicros: trace.costMicros, tokens: (trace.usage?.inputTokens ?? 0) + (trace.usage?.outputTokens ?? 0) };
        void this.limits.settle(decision.reservation, actual);
      }
    }
  }

  /** Records the outcome on the trace and, when nothing was sent yet, answers with the failure. */
  private conclude(result: RunResult, format: WireFormat, request: ModelRequest, res: ServerResponse, meta: AnswerMeta, trace: RequestTrace): void {
    if (result.kind === 'aborted') {
      trace.status = 499;
      trace.errorCategory = 'client_closed';
      const partial = result.outcome;
      if (partial?.usage && result.route) {
        // What the provider read and generated before the client left is billed by it: it counts here too.
        trace.provider = result.route.provider.name;
        trace.modelServed = partial.servedModel ?? result.route.model;
        trace.usage = partial.usage;
        trace.usageEstimated = partial.estimated === true;
        trace.ttftMs = partial.ttftMs ?? null;
        trace.costMicros = costMicros(partial.usage, result.route.info.prices);
      }
      return;
    }
    if (result.kind === 'answered' || result.kind === 'broken') {
      const { outcome, route } = result;
      trace.provider = route.provider.name;
      trace.modelServed = outcome.servedModel;
      trace.usage = outcome.usage;
      trace.usageEstimated = outcome.estimated;
      trace.ttftMs = outcome.ttftMs;
      trace.costMicros = costMicros(outcome.usage, route.info.prices);
      // A stream that ended in an error event is an error, whatever status line went out first.
      trace.status = outcome.kind === 'broken' ? outcome.status : 200;
      trace.errorCategory = outcome.kind === 'broken' ? outcome.category : null;
      return;
    }
    trace.usage = ZERO_USAGE;
    const { last } = result;
    if (result.capacity && (!last || last.category !== 'client')) {
      trace.reject(429, 'capacity');
      return sendError(res, format, { status: 429, message: `Too many requests in flight for ${request.model}; retry shortly.`, retryAfterSeconds: result.capacity.retryAfterSeconds }, meta);
    }
    if (last?.category === 'auth') {
      // The provider refused the organization's credentials: not the caller's key, and its message may quote ours.
      trace.status = 502;
      trace.errorCategory = 'auth';
      this.logger.warn(`request ${trace.id}: ${last.message} (provider credentials rejected)`);
      return sendError(res, format, { status: 502, type: format === 'anthropic' ? 'api_error' : 'server_error', message: `The provider rejected this organization's credentials (${last.message}). An admin can fix them in the console under Gateway → Providers.` }, meta);
    }
    if (last?.status && last.errorBody !== null && last.status >= 400) {
      // The provider's own error, in the client's shape, with its status and retry hints.
      trace.status = last.status;
      trace.errorCategory = last.category;
      const extra: Record<string, string> = {};
      if (last.retryAfter) extra['retry-after'] = last.retryAfter;
      if (last.shouldRetry) extra['x-should-retry'] = last.shouldRetry;
      return sendJson(res, last.status, translateErrorBody(last.upstreamFormat, format, last.status, last.errorBody), meta, extra);
    }
    if (!last) {
      trace.reject(503, 'no_route');
      const seconds = result.openUntilMs !== null ? result.openUntilMs / 1000 : 1;
      return sendError(res, format, { status: 503, type: format === 'anthropic' ? 'overloaded_error' : 'server_error', message: `Every route for ${request.model} is cooling down after failures (${result.summary}); retry shortly.`, retryAfterSeconds: seconds }, meta);
    }
    trace.status = statusOfCategory(last.category);
    trace.errorCategory = last.category;
    sendError(res, format, { status: trace.status, message: `${request.model}: every route failed (${result.summary}). Last: ${last.message}.` }, meta);
  }

  private retryBudgetOf(caller: GatewayCaller): RetryBudget {
    const ratio = caller.config.retryBudget ?? DEFAULT_RETRY_BUDGET;
    const key = `${caller.organizationId}|${ratio}`;
    let budget = this.retryBudgets.get(key);
    if (!budget) {
      budget = new RetryBudget({ ratio });
      this.retryBudgets.set(key, budget);
    }
    return budget;
  }

  private plan(caller: GatewayCaller, model: string, needs: RequestNeeds): RoutePlan {
    return planRoutes({ config: caller.config, model, needs, providers: caller.providers });
  }
}


/** The error type SDKs treat as a temporary refusal worth retrying after `retry-after`. */
function overloaded(format: WireFormat): string {
  return format === 'anthropic' ? 'overloaded_error' : 'server_error';
}
