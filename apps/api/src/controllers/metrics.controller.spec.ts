import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG } from '@slipway/config';
import { API_PREFIX, type UsageEvent } from '@slipway/contracts';
import { GatewayMetrics } from '@slipway/gateway';
import { ProblemFilter } from '../http/problem.filter';
import { MetricsController } from './metrics.controller';

const TOKEN = 'scrape-token-0123456789abcdef';
let app: NestFastifyApplication | undefined;

/** The controller in a Fastify app prefixed like the real api (bootstrap excludes `metrics`). */
async function start(metricsToken?: string): Promise<{ app: NestFastifyApplication; metrics: GatewayMetrics }> {
  @Module({
    controllers: [MetricsController],
    providers: [
      { provide: CONFIG, useValue: { METRICS_TOKEN: metricsToken } },
      GatewayMetrics,
      { provide: APP_FILTER, useClass: ProblemFilter },
    ],
  })
  class TestModule {}
  app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), { logger: false });
  app.setGlobalPrefix(API_PREFIX.slice(1), { exclude: ['metrics'] });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, metrics: app.get(GatewayMetrics) };
}

afterEach(async () => {
  await app?.close();
  app = undefined;
});

const scrape = (a: NestFastifyApplication, opts: { remoteAddress?: string; authorization?: string } = {}) =>
  a
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: opts.remoteAddress,
      headers: opts.authorization ? { authorization: opts.authorization } : {},
    });

const answered: UsageEvent = {
  id: 'r1',
  at: '2026-01-01T00:00:00.000Z',
  organizationId: 'o',
  projectId: 'p',
  environmentId: null,
  releaseId: null,
  keyId: 'k',
  feature: null,
  customer: null,
  api: 'openai',
  modelRequested: 'fast',
  modelServed: 'mock-fast',
  provider: 'mock',
  status: 200,
  errorCategory: null,
  latencyMs: 42,
  ttftMs: null,
  inputTokens: 12,
  outputTokens: 3,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costMicros: 10,
  retries: 0,
  fallbackChain: ['mock/mock-fast:ok'],
  streamed: false,
};

describe('GET /metrics', () => {
  it('without METRICS_TOKEN, serves loopback clients the exposition and refuses others', async () => {
    const { app: a, metrics } = await start();
    metrics.observe(answered);
    const local = await scrape(a, { remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    expect(local.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(local.body).toContain(
      'gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="mock",gen_ai_request_model="fast",gen_ai_response_model="mock-fast"} 1',
    );
    expect((await scrape(a, { remoteAddress: '::1' })).statusCode).toBe(200);
    const remote = await scrape(a, { remoteAddress: '192.0.2.10' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(remote.body).not.toContain('gen_ai');
  });

  it('with METRICS_TOKEN, answers 401 without the bearer token, even on loopback', async () => {
    const { app: a } = await start(TOKEN);
    expect((await scrape(a, { remoteAddress: '127.0.0.1' })).statusCode).toBe(401);
    expect((await scrape(a, { remoteAddress: '127.0.0.1', authorization: 'Bearer nope' })).statusCode).toBe(401);
    const ok = await scrape(a, { remoteAddress: '198.51.100.4', authorization: `Bearer ${TOKEN}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('# TYPE slipway_gateway_requests_total counter');
  });
});
