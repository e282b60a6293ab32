import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LATENCY_BUCKETS_MS } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { OtlpClient } from '@slipway/otlp';
import { createDomainTestContext, OtlpReceiver, type DomainTestContext } from '@slipway/testing';
import { seedTrafficTenant, type TrafficTenant } from '../testing/traffic-fixture.int-support';
import { OtlpExportModule } from './otlp-export.module';
import { OtlpExportRepository } from './otlp-export.repository';
import { OtlpExporter } from './otlp-exporter';
import { spanIds } from './gateway-spans';
import { DayPartitionedTable } from '../day-partitioned-table';
import { LOG_TABLE } from '../logs-storage.repository';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- OTLP bodies as a receiver reads them

let ctx: DomainTestContext;
let prisma: PrismaService;
let exporter: OtlpExporter;
let receiver: OtlpReceiver;
let tenant: TrafficTenant;
let other: TrafficTenant;
let orgSlug: string;

beforeAll(async () => {
  receiver = new OtlpReceiver();
  const url = await receiver.start();
  ctx = await createDomainTestContext([DbModule, OtlpExportModule], { OTLP_ENDPOINT: url, OTLP_HEADERS: { authorization: 'Bearer collector-token' }, OTLP_PROTOCOL: 'json' });
  prisma = ctx.app.get(PrismaService);
  exporter = ctx.app.get(OtlpExporter);
  tenant = await seedTrafficTenant(prisma, 2);
  other = await seedTrafficTenant(prisma, 1);
  orgSlug = (await prisma.organization.findUniqueOrThrow({ where: { id: tenant.organizationId } })).slug;
});

afterAll(async () => {
  await ctx?.close();
  await receiver?.stop();
});

beforeEach(async () => {
  receiver.received.length = 0;
  ctx.config.OTLP_PROTOCOL = 'json';
  await prisma.$executeRawUnsafe('TRUNCATE "AppTrafficMinute", "GatewayRequest", "OtlpExportCursor", "AppLogLine"');
});

const MINUTE = 60_000;
const minuteAgo = (m: number) => new Date(Math.floor(Date.now() / MINUTE) * MINUTE - m * MINUTE);

async function seedMinute(t: TrafficTenant, release: number, bucket: Date, statuses: [number, number, number, number], latencyCounts: number[]) {
  const [s2, s3, s4, s5] = statuses;
  await prisma.appTrafficMinute.create({
    data: {
      bucket,
      organizationId: t.organizationId,
      projectId: t.projectId,
      environmentId: t.environmentId,
      releaseId: t.releaseIds[release]!,
      requests: BigInt(s2 + s3 + s4 + s5),
      status2xx: BigInt(s2),
      status3xx: BigInt(s3),
      status4xx: BigInt(s4),
      status5xx: BigInt(s5),
      latencyCounts: latencyCounts.map(BigInt),
    },
  });
}

/** A gateway request stored `storedSecondsAgo` ago (the column's own clock), as the usage consumer writes it. */
async function seedCall(t: TrafficTenant, overrides: Partial<Record<string, unknown>> = {}, storedSecondsAgo = 120): Promise<string> {
  const id = `req_${randomUUID()}`;
  const row = {
    id,
    organizationId: t.organizationId,
    projectId: t.projectId,
    environmentId: t.environmentId,
    releaseId: t.releaseIds[0]!,
    keyId: 'key_1',
    feature: 'summaries',
    api: 'anthropic',
    modelRequested: 'fast',
    modelServed: 'claude-haiku-4-5',
    provider: 'anthropic',
    status: 200,
    errorCategory: null,
    latencyMs: 850,
    ttftMs: 120,
    inputTokens: 1200,
    outputTokens: 300,
    cacheReadTokens: 1000,
    cacheWriteTokens: 0,
    costMicros: 2_500n,
    retries: 0,
    fallbackChain: ['anthropic/claude-haiku-4-5:ok'],
    streamed: true,
    createdAt: new Date(Date.now() - storedSecondsAgo * 1000 - 850),
    ...overrides,
  };
  await prisma.gatewayRequest.create({ data: row as never });
  await prisma.$executeRawUnsafe(`UPDATE "GatewayRequest" SET "storedAt" = LOCALTIMESTAMP - make_interval(secs => $2) WHERE id = $1`, id, storedSecondsAgo);
  return id;
}

const attrs = (list: Json[] | undefined): Json => Object.fromEntries((list ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
const num = (v: unknown) => Number(v);

function metricsByRelease(bodies: Json[]): Map<string, Json[]> {
  const out = new Map<string, Json[]>();
  for (const body of bodies)
    for (const rm of body.resourceMetrics) {
      const version = attrs(rm.resource.attributes)['service.version'] as string;
      out.set(version, [...(out.get(version) ?? []), ...rm.scopeMetrics.flatMap((s: Json) => s.metrics)]);
    }
  return out;
}

const spansOf = (bodies: Json[]): Json[] => bodies.flatMap((b) => b.resourceSpans.flatMap((rs: Json) => rs.scopeSpans.flatMap((ss: Json) => ss.spans.map((s: Json) => ({ ...s, resource: attrs(rs.resource.attributes) })))));

describe('OTLP export pass', () => {
  it('sends minute rollups as HTTP metrics per release and one GenAI span per gateway call, with the headers; a second pass sends nothing', async () => {
    const counts1 = [5, 10, 20, 3, 2, 0, 0, 0, 0, 0, 1];
    await seedMinute(tenant, 0, minuteAgo(5), [30, 2, 6, 3], counts1);
    await seedMinute(tenant, 1, minuteAgo(5), [10, 0, 0, 5], [0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 0]);
    await seedMinute(tenant, 0, minuteAgo(4), [1, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await seedMinute(tenant, 0, minuteAgo(0), [7, 0, 0, 0], [7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // still filling: not yet
    const ok = await seedCall(tenant);
    const failed = await seedCall(tenant, { status: 429, errorCategory: 'rate_limited', modelServed: null, provider: 'openai', retries: 2, fallbackChain: ['anthropic/claude-haiku-4-5:overloaded', 'openai/gpt-5-mini:rate_limited'], outputTokens: 0 }, 90);
    await seedCall(tenant, {}, 5); // stored 5 s ago: its transaction may not be the last of its time yet

    const report = await exporter.exportPass();
    expect(report).toMatchObject({ metrics: { exported: 3, dropped: 0 }, traces: { exported: 2, dropped: 0 }, logs: { exported: 0, dropped: 0 } });

    const metricBodies = receiver.of('metrics');
    expect(metricBodies.every((r) => r.headers.authorization === 'Bearer collector-token' && r.contentType === 'application/json')).toBe(true);
    const byRelease = metricsByRelease(metricBodies.map((r) => r.body));
    expect([...byRelease.keys()].sort()).toEqual(['v1', 'v2']);
    const resource = attrs((metricBodies[0]!.body as Json).resourceMetrics[0].resource.attributes);
    expect(resource).toMatchObject({ 'service.name': 'web', 'service.namespace': orgSlug, 'deployment.environment.name': 'production', 'slipway.organization.slug': orgSlug });

    const v1 = byRelease.get('v1')!;
    const durations = v1.filter((m) => m.name === 'http.server.request.duration');
    expect(durations.every((m) => m.unit === 's' && m.histogram.aggregationTemporality === 1)).toBe(true);
    const points = durations.flatMap((m) => m.histogram.dataPoints);
    expect(points).toHaveLength(2); // minutes -5 and -4, not the current one
    const first = points.find((p: Json) => num(p.startTimeUnixNano) / 1e6 === minuteAgo(5).getTime())!;
    expect(first.explicitBounds).toEqual(LATENCY_BUCKETS_MS.map((ms) => ms / 1000));
    expect(first.bucketCounts.map(num)).toEqual(counts1);
    expect(num(first.count)).toBe(41);
    expect(num(first.timeUnixNano) - num(first.startTimeUnixNano)).toBe(60e9);

    const classes = v1
      .filter((m) => m.name === 'slipway.http.server.request.count')
      .flatMap((m) => m.sum.dataPoints)
      .filter((p: Json) => num(p.startTimeUnixNano) / 1e6 === minuteAgo(5).getTime())
      .map((p: Json) => [attrs(p.attributes)['slipway.http.status_class'], num(p.asInt)]);
    expect(Object.fromEntries(classes)).toEqual({ '2xx': 30, '3xx': 2, '4xx': 6, '5xx': 3 });

    const spans = spansOf(receiver.of('traces').map((r) => r.body));
    expect(spans.map((s) => s.spanId).sort()).toEqual([spanIds(ok).spanId, spanIds(failed).spanId].sort());
    const good = spans.find((s) => s.spanId === spanIds(ok).spanId)!;
    expect(good).toMatchObject({ name: 'chat fast', kind: 2, traceId: spanIds(ok).traceId });
    expect(good.status.code ?? 0).toBe(0); // unset on success
    expect(BigInt(good.endTimeUnixNano) - BigInt(good.startTimeUnixNano)).toBe(850_000_000n);
    expect(good.resource).toMatchObject({ 'service.version': 'v1', 'vcs.ref.head.revision': 'c0ffee1' });
    expect(attrs(good.attributes)).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'fast',
      'gen_ai.response.model': 'claude-haiku-4-5',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 1000,
      'slipway.gateway.cost_usd': 0.0025,
      'slipway.gateway.feature': 'summaries',
    });
    const bad = spans.find((s) => s.spanId === spanIds(failed).spanId)!;
    expect(bad.status).toEqual({ code: 2, message: 'rate_limited' });
    expect(attrs(bad.attributes)).toMatchObject({ 'error.type': 'rate_limited', 'http.response.status_code': 429, 'slipway.gateway.retries': 2, 'slipway.gateway.fallbacks': 1 });
    expect(attrs(bad.attributes)['slipway.gateway.fallback_chain']).toEqual({ values: [{ stringValue: 'anthropic/claude-haiku-4-5:overloaded' }, { stringValue: 'openai/gpt-5-mini:rate_limited' }] });

    const before = receiver.received.length;
    expect(await exporter.exportPass()).toMatchObject({ metrics: { exported: 0 }, traces: { exported: 0 } });
    expect(receiver.received.length).toBe(before);
  });

  it('speaks protobuf too: the receiver decodes it with the official proto definitions', async () => {
    ctx.config.OTLP_PROTOCOL = 'protobuf';
    await seedMinute(tenant, 1, minuteAgo(3), [4, 0, 0, 0], [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const id = await seedCall(tenant);
    await exporter.exportPass();
    expect(receiver.received.map((r) => r.contentType)).toEqual(['application/x-protobuf', 'application/x-protobuf']);
    const [point] = metricsByRelease(receiver.of('metrics').map((r) => r.body)).get('v2')!.find((m) => m.name === 'http.server.request.duration')!.histogram.dataPoints;
    expect(point.bucketCounts.map(num)).toEqual([4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const span = spansOf(receiver.of('traces').map((r) => r.body))[0]!;
    expect(span).toMatchObject({ traceId: spanIds(id).traceId, spanId: spanIds(id).spanId, name: 'chat fast' });
    expect(num(attrs(span.attributes)['gen_ai.usage.input_tokens'])).toBe(1200);
  });

  it('on 503 keeps the cursor and waits Retry-After, then delivers each span once', async () => {
    const ids = [await seedCall(tenant), await seedCall(tenant), await seedCall(tenant)];
    receiver.answer({ status: 503, headers: { 'retry-after': '30' } });
    expect((await exporter.exportPass()).traces).toMatchObject({ exported: 0, held: 'retry' });
    const cursor = await prisma.otlpExportCursor.findUniqueOrThrow({ where: { signal: 'traces' } });
    expect(cursor).toMatchObject({ position: '', failures: 1, lastError: expect.stringContaining('HTTP 503') });
    expect(cursor.retryAt!.getTime() - Date.now()).toBeGreaterThan(25_000);

    expect((await exporter.exportPass()).traces).toMatchObject({ held: 'backoff' }); // nothing sent before Retry-After
    expect(receiver.of('traces')).toHaveLength(1);

    const later = () => new Date(Date.now() + 31_000);
    expect((await exporter.exportPass(later)).traces).toMatchObject({ exported: 3 });
    expect((await exporter.exportPass(later)).traces).toMatchObject({ exported: 0 });
    const delivered = spansOf(receiver.of('traces').filter((r) => r.status === 200).map((r) => r.body));
    expect(delivered.map((s) => s.spanId).sort()).toEqual(ids.map((id) => spanIds(id).spanId).sort());
    expect(await prisma.otlpExportCursor.findUniqueOrThrow({ where: { signal: 'traces' } })).toMatchObject({ failures: 0, retryAt: null });
  });

  it('drops and logs a batch the collector refuses with 400, and goes on with the next records', async () => {
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await seedCall(tenant);
    receiver.answer({ status: 400, body: 'bad span' });
    expect((await exporter.exportPass()).traces).toMatchObject({ exported: 0, dropped: 1 });
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/traces: the collector refused a batch of 1 records .*HTTP 400: bad span/));
    error.mockRestore();
    expect((await exporter.exportPass()).traces).toMatchObject({ exported: 0, dropped: 0 });
    const next = await seedCall(tenant, {}, 60);
    expect((await exporter.exportPass()).traces).toMatchObject({ exported: 1 });
    expect(spansOf([receiver.received.at(-1)!.body]).map((s) => s.spanId)).toEqual([spanIds(next).spanId]);
  });

  it('exports only the organizations of OTLP_ORGANIZATIONS when set', async () => {
    await seedCall(tenant);
    await seedCall(other);
    await seedMinute(other, 0, minuteAgo(3), [1, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const filtered = new OtlpExporter(ctx.app.get(OtlpExportRepository), ctx.app.get(OtlpClient), { OTLP_ORGANIZATIONS: [orgSlug] });
    expect(await filtered.exportPass()).toMatchObject({ metrics: { exported: 0 }, traces: { exported: 1 } });
    expect(receiver.of('metrics')).toHaveLength(0);
    expect(spansOf(receiver.of('traces').map((r) => r.body)).map((s) => s.resource['slipway.organization.id'])).toEqual([tenant.organizationId]);
  });

  it('lets one worker export a signal at a time: a held cursor row makes another pass skip it', async () => {
    await seedCall(tenant);
    const repo = ctx.app.get(OtlpExportRepository);
    let inner: unknown;
    await repo.withCursor('traces', async () => {
      inner = (await exporter.exportPass()).traces;
      return { update: { kind: 'unchanged' }, result: null };
    });
    expect(inner).toMatchObject({ exported: 0, held: 'busy' });
    expect(receiver.of('traces')).toHaveLength(0);
  });
  it('sends the replica log lines the collector stored, once each, with their severity and replica; a line stored just now waits', async () => {
    await new DayPartitionedTable(prisma, LOG_TABLE).create(new Date());
    const line = (t: TrafficTenant, secondsAgo: number, stream: string, level: string, message: string) =>
      prisma.$executeRawUnsafe(
        `INSERT INTO "${LOG_TABLE}" (at, "organizationId", "projectId", "environmentId", "releaseId", replica, stream, level, message)
         VALUES ((now() AT TIME ZONE 'UTC') - make_interval(secs => $1), $2, $3, $4, $5, 'web-production-r1-0', $6, $7, $8)`,
        secondsAgo, t.organizationId, t.projectId, t.environmentId, t.releaseIds[0]!, stream, level, message,
      );
    await line(tenant, 60, 'stdout', 'info', 'listening on 3000');
    await line(tenant, 50, 'stderr', 'error', 'checkout failed: card declined');
    await line(tenant, 1, 'stdout', 'info', 'too fresh to export yet');

    const report = await exporter.exportPass();
    expect(report.logs).toMatchObject({ exported: 2, dropped: 0 });
    const records = receiver.of('logs').flatMap((r) => (r.body as Json).resourceLogs.flatMap((rl: Json) => rl.scopeLogs.flatMap((sl: Json) => sl.logRecords.map((lr: Json) => ({ ...lr, resource: attrs(rl.resource.attributes) })))));
    expect(records.map((r) => [r.body.stringValue, r.severityText, r.resource['service.instance.id']])).toEqual([
      ['listening on 3000', 'INFO', 'web-production-r1-0'],
      ['checkout failed: card declined', 'ERROR', 'web-production-r1-0'],
    ]);
    expect(records[0]!.resource['service.version']).toBe('v1');

    receiver.received.length = 0;
    expect((await exporter.exportPass()).logs).toMatchObject({ exported: 0 });
  });
});
