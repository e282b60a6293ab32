import { describe, expect, it, vi } from 'vitest';
import { API_TOKEN_PREFIX, GATEWAY_KEY_PREFIX, type OrgActor } from '@slipway/contracts';
import { generateSecretToken, sha256Hex } from '@slipway/crypto';
import { GatewayInvalidation } from '@slipway/redis';
import { CallersRepository } from './callers.repository';
import { useGatewayFixture } from '../testing/gateway-fixture.int-support';

const f = useGatewayFixture();

describe('user keys', () => {
  it('shows the key once, stores only its SHA-256, and resolves it to its project with both scopes', async () => {
    const created = await f.keys.create(f.actor, f.projectId, { name: 'sdk' });
    expect(created.token).toMatch(/^sk-slw-[0-9A-Za-z]{49}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created).toMatchObject({
      kind: 'USER',
      environment: null,
      scopes: ['messages', 'models'],
      expiresAt: null,
      monthlyBudgetUsd: null,
    });

    const [raw] = await f.prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM "GatewayKey" WHERE id = ${created.id}`;
    expect(raw!.tokenHash).toBe(sha256Hex(created.token));
    expect(raw!.sealedToken).toBeNull();
    expect(JSON.stringify(raw)).not.toContain(created.token.slice(GATEWAY_KEY_PREFIX.length));
    expect(JSON.stringify(await f.keys.list(f.actor, f.projectId))).not.toContain(created.token);

    const res = await f.resolver.resolve(created.token);
    expect(res).toMatchObject({
      ok: true,
      caller: {
        keyId: created.id,
        organizationId: f.actor.organizationId,
        projectId: f.projectId,
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
    await vi.waitFor(async () => expect((await f.keys.list(f.actor, f.projectId)).find((k) => k.id === created.id)?.lastUsedAt).not.toBeNull());
  });

  it('keeps the budget and scopes asked for', async () => {
    const created = await f.keys.create(f.actor, f.projectId, {
      name: 'models-only',
      scopes: ['models'],
      monthlyBudgetUsd: 12.5,
      environment: 'production',
    });
    expect(created).toMatchObject({ scopes: ['models'], monthlyBudgetUsd: 12.5, environment: 'production' });
    expect(await f.resolver.resolve(created.token)).toMatchObject({
      ok: true,
      caller: { scopes: ['models'], monthlyBudgetMicros: 12_500_000, environmentId: f.environmentId },
    });
    await expect(f.keys.create(f.actor, f.projectId, { name: 'x', environment: 'staging' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(f.keys.create(f.actor, f.projectId, { name: 'x', scopes: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(f.keys.create(f.actor, f.projectId, { name: 'x', scopes: ['admin' as never] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('answers revoked at once, in this process and in another one that had it cached', async () => {
    const created = await f.keys.create(f.actor, f.projectId, { name: 'to-revoke' });
    expect((await f.resolver.resolve(created.token)).ok).toBe(true);
    expect((await f.other.resolver.resolve(created.token)).ok).toBe(true);

    await f.keys.revoke(f.actor, f.projectId, created.id);

    expect(await f.resolver.resolve(created.token)).toEqual({ ok: false, reason: 'revoked' });
    // Through Redis pub/sub: well within the 30 s the cache would otherwise keep it.
    await vi.waitFor(async () => expect(await f.other.resolver.resolve(created.token)).toEqual({ ok: false, reason: 'revoked' }), {
      timeout: 2_000,
      interval: 20,
    });
    const listed = (await f.keys.list(f.actor, f.projectId)).find((k) => k.id === created.id);
    expect(listed?.revokedAt).not.toBeNull();
    await f.keys.revoke(f.actor, f.projectId, created.id); // twice is fine
  });

  it('answers expired for a key past its expiry', async () => {
    const created = await f.keys.create(f.actor, f.projectId, { name: 'short', expiresInDays: 1 });
    await f.prisma.gatewayKey.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await f.resolver.resolve(created.token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('answers invalid for malformed, unknown and other kinds of tokens, without caching them as callers', async () => {
    const unknown = generateSecretToken(GATEWAY_KEY_PREFIX);
    for (const token of ['', 'sk-slw-nope', `${GATEWAY_KEY_PREFIX}${'x'.repeat(49)}`, unknown, generateSecretToken(API_TOKEN_PREFIX)]) {
      expect(await f.resolver.resolve(token), token).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('reads Postgres once for concurrent first uses of a key, then serves it from memory', async () => {
    const created = await f.keys.create(f.actor, f.projectId, { name: 'burst' });
    const fresh = f.newResolver(f.other.redis);
    const reads = vi.spyOn(f.ctx.app.get(CallersRepository, { strict: false }), 'findByTokenHash');
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
    const created = await f.keys.create(f.actor, f.projectId, { name: 'mine' });
    const stranger: OrgActor = {
      ...f.actor,
      organizationId: (await f.prisma.organization.create({ data: { slug: 'evil', name: 'Evil' } })).id,
    };
    await expect(f.keys.revoke(stranger, f.projectId, created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await f.keys.list(stranger, f.projectId)).toEqual([]);
    expect((await f.resolver.resolve(created.token)).ok).toBe(true);
  });

  it("refuses a deleted environment's key at once in another process that had it cached, saying why", async () => {
    const env = await f.prisma.environment.create({
      data: { organizationId: f.actor.organizationId, projectId: f.projectId, name: 'doomed', branch: 'doomed', memoryMb: 256, cpuMillis: 500, replicas: 1, healthCheckPath: '/' },
    });
    const created = await f.keys.create(f.actor, f.projectId, { name: 'env-key', environment: 'doomed' });
    expect((await f.other.resolver.resolve(created.token)).ok).toBe(true);
    await f.prisma.environment.delete({ where: { id: env.id } });
    // What EnvironmentsService.delete announces after its commit (projects.int-spec proves it does).
    await f.ctx.app.get(GatewayInvalidation).announce({ environmentId: env.id });
    await vi.waitFor(async () => expect(await f.other.resolver.resolve(created.token)).toEqual({ ok: false, reason: 'environment_deleted' }), {
      timeout: 2_000,
      interval: 20,
    });
  });

  it("refuses a deleted project's keys at once in another process that had them cached", async () => {
    const project = await f.prisma.project.create({ data: { organizationId: f.actor.organizationId, slug: 'gone', hostLabel: 'gone', name: 'Gone' } });
    const created = await f.keys.create(f.actor, project.id, { name: 'project-key' });
    const kept = await f.keys.create(f.actor, f.projectId, { name: 'other-project-key' });
    expect((await f.other.resolver.resolve(created.token)).ok).toBe(true);
    expect((await f.other.resolver.resolve(kept.token)).ok).toBe(true);
    await f.prisma.project.delete({ where: { id: project.id } }); // the keys go with it (cascade)
    await f.ctx.app.get(GatewayInvalidation).announce({ projectId: project.id });
    await vi.waitFor(async () => expect(await f.other.resolver.resolve(created.token)).toEqual({ ok: false, reason: 'invalid' }), { timeout: 2_000, interval: 20 });
    expect((f.other.resolver.cached(kept.token) as { ok: boolean } | undefined)?.ok).toBe(true); // other projects' keys stay cached
  });
});
