import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbModule, PrismaService } from '@slipway/db';
import { RedisModule } from '@slipway/redis';
import { createDomainTestContext, usageEvent, type DomainTestContext } from '@slipway/testing';
import { UsageModule } from './usage.module';
import { UsageRepository } from './usage.repository';

/** Per-token plans of published APIs sum the model calls an API call made: the link is stored with the request. */
let ctx: DomainTestContext;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, UsageModule]);
});
afterAll(async () => ctx?.close());

describe('GatewayRequest.apiCallId', () => {
  it('keeps the slipway-call-id of the published-API call, and null for other requests (and events of older gateways)', async () => {
    const callId = randomUUID();
    const linked = usageEvent({ apiCallId: callId });
    const plain = usageEvent({ apiCallId: null });
    const older = usageEvent();
    delete (older as { apiCallId?: unknown }).apiCallId;
    await ctx.app.get(UsageRepository).ingest([linked, plain, older]);
    const rows = await ctx.app.get(PrismaService).gatewayRequest.findMany({ where: { id: { in: [linked.id, plain.id, older.id] } }, select: { id: true, apiCallId: true } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.apiCallId]))).toEqual({ [linked.id]: callId, [plain.id]: null, [older.id]: null });
  });
});
