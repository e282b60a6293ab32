import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_TOKEN_PREFIX, GATEWAY_KEY_PREFIX, type OrgActor } from '@slipway/contracts';
import { generateSecretToken, sha256Hex } from '@slipway/crypto';
import { CallersRepository } from './callers.repository';
import { createGatewayFixture, type GatewayFixture } from '../testing/gateway-fixture.int-support';

let f: GatewayFixture;
let ctx: GatewayFixture['ctx'];
let prisma: GatewayFixture['prisma'];
let keys: GatewayFixture['keys'];
let resolver: GatewayFixture['resolver'];
let actor: GatewayFixture['actor'];
let projectId: string;
let environmentId: string;
let other: GatewayFixture['other'];

beforeAll(async () => {
  f = await createGatewayFixture();
  ({ ctx, prisma, keys, resolver, actor, projectId, environmentId, other } = f);
});
afterAll(async () => f?.close());

describe('user keys', () => {
  it('shows the key once, stores only its SHA-256, and resolves it to its project with both scopes', async () => {
    const created = await keys.create(actor, projectId, { name: 'sdk' });
    expect(created.token).toMatch(/^sk-slw-[0-9A-Za-z]{49}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created).toMatchObject({
      kind: 'USER',
      environment: null,
      scopes: ['messages', 'models'],
      expiresAt: null,
      monthlyBudgetUsd: null,
    });

    const [raw] = await prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM "GatewayKey" WHERE id = ${created.id}`;
    expect(raw!.tokenHash).toBe(sha256Hex(created.token));
    expect(raw!.sealedToken).toBeNull();
    expect(JSON.stringify(raw)).not.toContain(created.token.slice(GATEWAY_KEY_PREFIX.length));
    expect(JSON.stringify(await keys.list(actor, projectId))).not.toContain(created.token);

    const res = await resolver.resolve(created.token);
    expect(res).toMatchObject({
      ok: true,
      caller: {
        keyId: created.id,
        organizationId: actor.organizationId,
        projectId,
        environmentId: null,
        releaseId: null,
        scopes: ['messages', 'models'],
        monthlyBudgetMicros: null,
        routingFrom: { source: 'built-in' },
      },
    });
    if (!res.ok) throw new Error('unreachable');
    // No provider configured: the mock, with the configured URL, serves the built-in aliases.
    expect(res.caller.providers).toEqual([{ name: 'mock', kind: 'MOCK', baseUrl: 'http://127.0.0.1:4999', apiKey: 'mock' }]);
    expect(Object.keys(res.caller.config.models ?? {})).toEqual(expect.arrayContaining(['default', 'fast', 'smart']));
    // Last use reaches the console, off the request path.
    await vi.waitFor(async () => expect((await keys.list(actor, projectId)).find((k) => k.id === created.id)?.lastUsedAt).not.toBeNull());
  });

  it('keeps the budget and scopes asked for', async () => {
    const created = await keys.create(actor, projectId, {
      name: 'models-only',
      scopes: ['models'],
      monthlyBudgetUsd: 12.5,
      environment: 'production',
    });
    expect(created).toMatchObject({ scopes: ['models'], monthlyBudgetUsd: 12.5, environment: 'production' });
    expect(await resolver.resolve(created.token)).toMatchObject({
      ok: true,
      caller: { scopes: ['models'], monthlyBudgetMicros: 12_500_000, environmentId },
    });
    await expect(keys.create(actor, projectId, { name: 'x', environment: 'staging' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(keys.create(actor, projectId, { name: 'x', scopes: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(keys.create(actor, projectId, { name: 'x', scopes: ['admin' as never] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('answers revoked at once, in this process and in another one that had it cached', async () => {
    const created = await keys.create(actor, projectId, { name: 'to-revoke' });
    expect((await resolver.resolve(created.token)).ok).toBe(true);
    expect((await other.resolver.resolve(created.token)).ok).toBe(true);

    await keys.revoke(actor, projectId, created.id);

    expect(await resolver.resolve(created.token)).toEqual({ ok: false, reason: 'revoked' });
    // Through Redis pub/sub: well within the 30 s the cache would otherwise keep it.
    await vi.waitFor(async () => expect(await other.resolver.resolve(created.token)).toEqual({ ok: false, reason: 'revoked' }), {
      timeout: 2_000,
      interval: 20,
    });
    const listed = (await keys.list(actor, projectId)).find((k) => k.id === created.id);
    expect(listed?.revokedAt).not.toBeNull();
    await keys.revoke(actor, projectId, created.id); // twice is fine
  });

  it('answers expired for a key past its expiry', async () => {
    const created = await keys.create(actor, projectId, { name: 'short', expiresInDays: 1 });
    await prisma.gatewayKey.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await resolver.resolve(created.token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('answers invalid for malformed, unknown and other kinds of tokens, without caching them as callers', async () => {
    const unknown = generateSecretToken(GATEWAY_KEY_PREFIX);
    for (const token of ['', 'sk-slw-nope', `${GATEWAY_KEY_PREFIX}${'x'.repeat(49)}`, unknown, generateSecretToken(API_TOKEN_PREFIX)]) {
      expect(await resolver.resolve(token), token).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('reads Postgres once for concurrent first uses of a key, then serves it from memory', async () => {
    const created = await keys.create(actor, projectId, { name: 'burst' });
    const fresh = f.newResolver(other.redis);
    const reads = vi.spyOn(ctx.app.get(CallersRepository, { strict: false }), 'findByTokenHash');
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => fresh.resolver.resolve(created.token)));
      expect(results.every((r) => r.ok)).toBe(true);
      await fresh.resolver.resolve(created.token);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
      fresh.resolver.onModuleDestroy();
    }
  });

  it('cannot revoke or see a key from another organization', async () => {
    const created = await keys.create(actor, projectId, { name: 'mine' });
    const stranger: OrgActor = {
      ...actor,
      organizationId: (await prisma.organization.create({ data: { slug: 'evil', name: 'Evil' } })).id,
    };
    await expect(keys.revoke(stranger, projectId, created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await keys.list(stranger, projectId)).toEqual([]);
    expect((await resolver.resolve(created.token)).ok).toBe(true);
  });
});
