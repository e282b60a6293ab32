import { describe, expect, it } from 'vitest';
import { gatewaySpan, spanIds, type GatewayRequestRow } from './gateway-spans';

const row: GatewayRequestRow = {
  id: 'req_1',
  projectId: 'p1',
  environmentId: 'e1',
  releaseId: 'r1',
  feature: null,
  api: 'openai',
  modelRequested: 'smart',
  modelServed: 'gpt-5',
  provider: 'openai',
  status: 200,
  errorCategory: null,
  latencyMs: 1234,
  ttftMs: null,
  inputTokens: 10,
  outputTokens: 20,
  cacheReadTokens: 0,
  cacheWriteTokens: 5,
  costMicros: 1_500_000,
  retries: 1,
  fallbackChain: ['openai/gpt-5:overloaded', 'openai/gpt-5:ok'],
  streamed: false,
  createdAt: new Date('2026-12-07T14:00:00Z'),
};

describe('gatewaySpan', () => {
  it('names the span after the operation and requested model, with GenAI and HTTP attributes', () => {
    const span = gatewaySpan(row, {});
    expect(span).toMatchObject({ name: 'chat smart', kind: 'server', startMs: row.createdAt.getTime(), endMs: row.createdAt.getTime() + 1234, status: { code: 'unset' } });
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'smart',
      'gen_ai.response.model': 'gpt-5',
      'gen_ai.usage.cache_creation.input_tokens': 5,
      'http.response.status_code': 200,
      'slipway.gateway.cost_usd': 1.5,
      'slipway.gateway.retries': 1,
      'slipway.gateway.fallbacks': 1,
    });
    expect(span.attributes).not.toHaveProperty('error.type');
    expect(span.attributes).not.toHaveProperty('slipway.gateway.feature');
  });

  it('marks failures as errors with their category, also a refusal before any provider (no provider, no served model)', () => {
    const refused = gatewaySpan({ ...row, status: 402, errorCategory: 'budget_exceeded', provider: null, modelServed: null, fallbackChain: [] }, {});
    expect(refused.status).toEqual({ code: 'error', message: 'budget_exceeded' });
    expect(refused.attributes).toMatchObject({ 'error.type': 'budget_exceeded', 'slipway.gateway.fallbacks': 0 });
    expect(refused.attributes).not.toHaveProperty('gen_ai.provider.name');
    expect(gatewaySpan({ ...row, status: 502 }, {}).status).toEqual({ code: 'error', message: 'HTTP 502' });
  });

  it('derives stable W3C-sized ids from the request id (a span sent again is the same span)', () => {
    expect(spanIds('req_1')).toEqual(spanIds('req_1'));
    expect(spanIds('req_1').traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spanIds('req_1').spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanIds('req_2').spanId).not.toBe(spanIds('req_1').spanId);
  });
});
