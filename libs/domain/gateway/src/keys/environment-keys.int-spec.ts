import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Envelope, sha256Hex } from '@slipway/crypto';
import { GatewayAppEnvironment } from './gateway-app-environment';
import { environmentKeyAad } from './gateway-keys.service';
import { ProvidersService } from '../providers/providers.service';
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

describe('environment keys and routing changes', () => {
  it('mints one sealed key per environment, gives it to deployments, and mints a new one after a revoke', async () => {
    const appEnv = ctx.app.get(GatewayAppEnvironment);
    const settings = await appEnv.containerSettings(actor, environmentId);
    const token = settings.env.ANTHROPIC_API_KEY!;
    expect(settings).toEqual({
      env: {
        ANTHROPIC_BASE_URL: `http://host.docker.internal:${ctx.config.API_PORT}`,
        ANTHROPIC_API_KEY: token,
        OPENAI_BASE_URL: `http://host.docker.internal:${ctx.config.API_PORT}/v1`,
        OPENAI_API_KEY: token,
        SLIPWAY_GATEWAY_URL: `http://host.docker.internal:${ctx.config.API_PORT}`,
      },
      extraHosts: ['host.docker.internal:host-gateway'],
    });
    expect(await keys.ensureEnvironmentKey(actor, environmentId)).toBe(token);

    const row = await prisma.gatewayKey.findFirstOrThrow({ where: { tokenHash: sha256Hex(token) }, omit: { sealedToken: false } });
    expect(row).toMatchObject({ kind: 'ENVIRONMENT', environmentId, projectId, revokedAt: null });
    expect(row.sealedToken).not.toContain(token);
    expect(ctx.app.get(Envelope).open(row.sealedToken!, environmentKeyAad(row.id))).toBe(token);
    const listed = (await keys.list(actor, projectId)).find((k) => k.id === row.id);
    expect(listed).toMatchObject({ kind: 'ENVIRONMENT', label: 'environment key (injected into deployments)', environment: 'production' });

    await keys.revoke(actor, projectId, row.id);
    const next = await keys.ensureEnvironmentKey(actor, environmentId);
    expect(next).not.toBe(token);
    expect(await resolver.resolve(token)).toEqual({ ok: false, reason: 'revoked' });
    expect(await resolver.resolve(next)).toMatchObject({ ok: true, caller: { environmentId } });
  });

  it('follows the live release and provider changes at once in another process', async () => {
    const token = await keys.ensureEnvironmentKey(actor, environmentId);
    expect(await other.resolver.resolve(token)).toMatchObject({
      ok: true,
      caller: { releaseId: null, routingFrom: { source: 'built-in' } },
    });

    const build = await prisma.build.create({
      data: {
        organizationId: actor.organizationId,
        projectId,
        environmentId,
        commitSha: 'c0ffee',
        branch: 'main',
        authorName: 'Ada',
        authorEmail: 'ada@example.test',
        message: 'routing',
        status: 'SUCCEEDED',
      },
    });
    const gateway = { models: { chat: { routes: [{ provider: 'mock', model: 'mock-fast' }] } } };
    const release = await prisma.release.create({
      data: {
        organizationId: actor.organizationId,
        projectId,
        environmentId,
        buildId: build.id,
        number: 7,
        imageId: 'img',
        commitSha: 'c0ffee',
        authorName: 'Ada',
        message: 'routing',
        envVarVersions: {},
        slipwayConfig: { gateway },
        runtime: {},
      },
    });
    await prisma.environment.update({ where: { id: environmentId }, data: { liveReleaseId: release.id } });
    await ctx.app.get(GatewayAppEnvironment).liveReleaseChanged(actor, environmentId);
    await vi.waitFor(
      async () =>
        expect(await other.resolver.resolve(token)).toMatchObject({
          ok: true,
          caller: {
            releaseId: release.id,
            routingFrom: { source: 'release', releaseId: release.id, releaseNumber: 7 },
            config: { models: gateway.models },
          },
        }),
      { timeout: 2_000, interval: 20 },
    );

    await ctx.app.get(ProvidersService).create(actor, { name: 'anthropic', kind: 'ANTHROPIC', apiKey: 'sk-ant-test-0000-abcd' });
    await vi.waitFor(
      async () => {
        const res = await other.resolver.resolve(token);
        expect(res.ok && res.caller.providers.map((p) => `${p.name}:${p.apiKey}`)).toEqual([
          'mock:mock',
          'anthropic:sk-ant-test-0000-abcd',
        ]);
      },
      { timeout: 2_000, interval: 20 },
    );
  });

  it('treats the key of a deleted environment as revoked', async () => {
    const env = await prisma.environment.create({
      data: {
        organizationId: actor.organizationId,
        projectId,
        name: 'preview',
        branch: 'preview',
        memoryMb: 256,
        cpuMillis: 500,
        replicas: 1,
        healthCheckPath: '/',
      },
    });
    const token = await keys.ensureEnvironmentKey(actor, env.id);
    await prisma.environment.delete({ where: { id: env.id } });
    const fresh = f.newResolver(other.redis);
    try {
      expect(await fresh.resolver.resolve(token)).toEqual({ ok: false, reason: 'revoked' });
    } finally {
      fresh.resolver.onModuleDestroy();
    }
  });
});
