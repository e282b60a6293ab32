import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import { DbModule, PrismaService } from '@slipway/db';
import { OtlpExportModule } from '@slipway/observability';
import { QueueModule } from '@slipway/queue';
import { createDomainTestContext, OtlpReceiver, type DomainTestContext } from '@slipway/testing';
import { Redis } from 'ioredis';
import { OtlpExportSchedule } from './otlp-export.schedule';

/**
 * The worker's wiring: with OTLP_ENDPOINT set, the `otlp-export` job scheduler runs passes on its
 * own (BullMQ on a Redis database of this file's own) and a stored gateway call reaches the receiver.
 */
const redisUrl = new URL(loadConfig().REDIS_URL);
redisUrl.pathname = '/12';

let ctx: DomainTestContext;
let receiver: OtlpReceiver;

beforeAll(async () => {
  const redis = new Redis(redisUrl.toString());
  await redis.flushdb();
  redis.disconnect();
  receiver = new OtlpReceiver();
  const url = await receiver.start();
  ctx = await createDomainTestContext([DbModule, QueueModule, OtlpExportModule, { module: class Schedules {}, imports: [OtlpExportModule], providers: [OtlpExportSchedule] }], {
    REDIS_URL: redisUrl.toString(),
    OTLP_ENDPOINT: url,
    OTLP_EXPORT_SECONDS: 1,
    OTLP_PROTOCOL: 'protobuf',
  });
});

afterAll(async () => {
  await ctx?.close();
  await receiver?.stop();
});

describe('otlp-export schedule', () => {
  it('exports a gateway call stored after the worker started, within a few passes, once', async () => {
    const prisma = ctx.app.get(PrismaService);
    const tag = randomBytes(4).toString('hex');
    const org = await prisma.organization.create({ data: { slug: `org-${tag}`, name: tag } });
    const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'api', hostLabel: `api-${tag}`, name: 'api' } });
    const id = `req_${randomUUID()}`;
    await prisma.gatewayRequest.create({
      data: {
        id,
        organizationId: org.id,
        projectId: project.id,
        keyId: 'key_dev',
        api: 'openai',
        modelRequested: 'fast',
        status: 200,
        latencyMs: 300,
        inputTokens: 5,
        outputTokens: 7,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costMicros: 10n,
        retries: 0,
        fallbackChain: [],
        streamed: false,
        createdAt: new Date(Date.now() - 60_000),
      },
    });
    // As if stored a minute ago: past the settle delay.
    await prisma.$executeRawUnsafe(`UPDATE "GatewayRequest" SET "storedAt" = LOCALTIMESTAMP - interval '1 minute' WHERE id = $1`, id);

    const deadline = Date.now() + 15_000;
    while (receiver.of('traces').length === 0 && Date.now() < deadline) await sleep(200);
    await sleep(2_500); // two more passes: nothing sent again
    const traces = receiver.of('traces');
    expect(traces).toHaveLength(1);
    expect(traces[0]!.contentType).toBe('application/x-protobuf');
    const resource = (traces[0]!.body['resourceSpans'] as Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> } }>)[0]!.resource.attributes;
    expect(resource).toContainEqual({ key: 'service.name', value: { stringValue: 'api' } });
    expect(resource.find((a) => a.key === 'service.version')).toBeUndefined(); // a call outside any release
  }, 40_000);
});
