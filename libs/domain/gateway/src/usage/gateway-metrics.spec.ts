import { describe, expect, it } from 'vitest';
import type { UsageEvent } from '@slipway/contracts';
import { GatewayMetrics, fallbackCount } from './gateway-metrics';

function event(over: Partial<UsageEvent> = {}): UsageEvent {
  return {
    id: 'req-1',
    at: '2026-03-01T10:00:00.000Z',
    organizationId: 'org',
    projectId: 'proj',
    environmentId: 'env',
    releaseId: null,
    keyId: 'key-secret-id',
    feature: 'summaries',
    customer: 'customer-42',
    api: 'anthropic',
    modelRequested: 'fast',
    modelServed: 'claude-haiku',
    provider: 'anthropic',
    status: 200,
    errorCategory: null,
    latencyMs: 300,
    ttftMs: null,
    inputTokens: 100,
    outputTokens: 20,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costMicros: 1500,
    retries: 0,
    fallbackChain: ['anthropic/claude-haiku:ok'],
    streamed: false,
    ...over,
  };
}

/** The value of one exposition line that has all the given label pairs. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text.split('\n').find((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    return Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`));
  });
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GatewayMetrics', () => {
  it('exposes the OpenTelemetry GenAI histograms with counts, sums and labels', async () => {
    const m = new GatewayMetrics();
    m.observe(event());
    m.observe(
      event({ id: 'req-2', latencyMs: 1500, ttftMs: 120, streamed: true, inputTokens: 50, outputTokens: 10, cacheReadTokens: 400 }),
    );
    const text = await m.render();
    const model = {
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'anthropic',
      gen_ai_request_model: 'fast',
      gen_ai_response_model: 'claude-haiku',
    };

    expect(text).toContain('# TYPE gen_ai_client_operation_duration_seconds histogram');
    expect(sample(text, 'gen_ai_client_operation_duration_seconds_count', model)).toBe(2);
    expect(sample(text, 'gen_ai_client_operation_duration_seconds_sum', model)).toBeCloseTo(1.8);
    // 0.3 s falls in le=0.32, 1.5 s only from le=2.56 on (buckets are cumulative).
    expect(sample(text, 'gen_ai_client_operation_duration_seconds_bucket', { ...model, le: '0.32' })).toBe(1);
    expect(sample(text, 'gen_ai_client_operation_duration_seconds_bucket', { ...model, le: '1.28' })).toBe(1);
    expect(sample(text, 'gen_ai_client_operation_duration_seconds_bucket', { ...model, le: '2.56' })).toBe(2);
    expect(sample(text, 'gen_ai_client_operation_duration_seconds_bucket', { ...model, le: '+Inf' })).toBe(2);

    expect(sample(text, 'gen_ai_client_token_usage_sum', { ...model, gen_ai_token_type: 'input' })).toBe(150);
    expect(sample(text, 'gen_ai_client_token_usage_sum', { ...model, gen_ai_token_type: 'output' })).toBe(30);
    expect(sample(text, 'gen_ai_client_token_usage_count', { ...model, gen_ai_token_type: 'cache_read' })).toBe(1);
    expect(sample(text, 'gen_ai_client_token_usage_count', { ...model, gen_ai_token_type: 'cache_write' })).toBeUndefined();

    expect(sample(text, 'gen_ai_server_time_to_first_token_seconds_count', model)).toBe(1);
    expect(sample(text, 'gen_ai_server_time_to_first_token_seconds_sum', model)).toBeCloseTo(0.12);
  });

  it('counts requests by status and error type, cost in USD, retries and fallbacks', async () => {
    const m = new GatewayMetrics();
    m.observe(event());
    m.observe(event({ id: 'b', costMicros: 2500 }));
    m.observe(
      event({
        id: 'c',
        status: 529,
        errorCategory: 'overloaded',
        modelServed: null,
        costMicros: 0,
        retries: 2,
        fallbackChain: ['anthropic/a:overloaded', 'anthropic/a:overloaded', 'anthropic/a:overloaded'],
      }),
    );
    m.observe(
      event({
        id: 'd',
        provider: 'openai',
        modelServed: 'gpt-mini',
        retries: 1,
        fallbackChain: ['anthropic/a:overloaded', 'anthropic/a:timeout', 'openai/gpt-mini:ok'],
      }),
    );
    const text = await m.render();

    expect(sample(text, 'slipway_gateway_requests_total', { status: '200', gen_ai_provider_name: 'anthropic' })).toBe(2);
    expect(sample(text, 'slipway_gateway_requests_total', { status: '529', error_type: 'overloaded' })).toBe(1);
    expect(sample(text, 'gen_ai_client_operation_duration_seconds_count', { error_type: 'overloaded' })).toBe(1);
    // A request no model answered has no response model and reports no token usage.
    expect(text).not.toMatch(/gen_ai_client_token_usage_count\{[^}]*error_type/);
    expect(
      sample(text, 'slipway_gateway_cost_usd_total', { gen_ai_provider_name: 'anthropic', gen_ai_response_model: 'claude-haiku' }),
    ).toBe(0.004);
    expect(sample(text, 'slipway_gateway_retries_total', { gen_ai_provider_name: 'anthropic' })).toBe(2);
    expect(sample(text, 'slipway_gateway_retries_total', { gen_ai_provider_name: 'openai' })).toBe(1);
    expect(sample(text, 'slipway_gateway_fallbacks_total', { gen_ai_request_model: 'fast' })).toBe(1);
  });

  it('never labels by key, project or customer', async () => {
    const m = new GatewayMetrics();
    m.observe(event());
    const text = await m.render();
    for (const secretish of ['key-secret-id', 'customer-42', 'summaries', 'proj', 'org"']) expect(text).not.toContain(secretish);
  });

  it('caps the distinct model names a client can create', async () => {
    const m = new GatewayMetrics();
    for (let i = 0; i < 400; i++)
      m.observe(
        event({ id: `r${i}`, modelRequested: `made-up-${i}`, modelServed: null, provider: null, status: 404, errorCategory: 'no_route' }),
      );
    const text = await m.render();
    const series = text.split('\n').filter((l) => l.startsWith('slipway_gateway_requests_total{'));
    expect(series.length).toBeLessThanOrEqual(301);
    expect(sample(text, 'slipway_gateway_requests_total', { gen_ai_request_model: 'other' })).toBe(100);
  });

  it('reports breaker states as a gauge per provider/model', async () => {
    const m = new GatewayMetrics();
    m.setBreakerState('anthropic/claude-haiku', 'open');
    m.setBreakerState('openai/gpt-mini', 'closed');
    m.setBreakerState('anthropic/claude-haiku', 'half_open');
    const text = await m.render();
    expect(text).toContain('# TYPE slipway_gateway_circuit_breaker_state gauge');
    expect(sample(text, 'slipway_gateway_circuit_breaker_state', { key: 'anthropic/claude-haiku' })).toBe(2);
    expect(sample(text, 'slipway_gateway_circuit_breaker_state', { key: 'openai/gpt-mini' })).toBe(0);
  });

  it('escapes label values so a model name cannot break the format', async () => {
    const m = new GatewayMetrics();
    m.observe(event({ modelRequested: 'a"b\\c\nd' }));
    expect((await m.render())).toContain('gen_ai_request_model="a\\"b\\\\c\\nd"');
  });
});

describe('fallbackCount', () => {
  it('counts route changes, not retries of the same route', async () => {
    expect(fallbackCount([])).toBe(0);
    expect(fallbackCount(['a/m:timeout', 'a/m:ok'])).toBe(0);
    expect(fallbackCount(['a/m:timeout', 'b/n:server_error', 'a/m:ok'])).toBe(2);
    // Model names may contain colons (`llama3:8b`): only the last one separates the outcome.
    expect(fallbackCount(['ollama/llama3:8b:timeout', 'ollama/llama3:8b:ok'])).toBe(0);
  });
});
