import { describe, expect, it, vi } from 'vitest';
import { Envelope, sha256Hex } from '@slipway/crypto';
import { GatewayAppEnvironment } from './gateway-app-environment';
import { environmentKeyAad } from './gateway-keys.service';
import { ProvidersService } from '../providers/providers.service';
import { useGatewayFixture } from '../testing/gateway-fixture.int-support';

const f = useGatewayFixture();

describe('environment keys and routing changes', () => {
  it('mints one sealed key per environment, gives it to deployments, and mints a new one after a revoke', async () => {
    const appEnv = f.ctx.app.get(GatewayAppEnvironment);
    const settings = await appEnv.containerSettings(f.actor, f.environmentId);
    const token = settings.env.ANTHROPIC_API_KEY!;
    // GATEWAY_URL_FOR_APPS unset: the relay on the project network, and no hosts entry.
    expect(settings).toEqual({
      env: {
        ANTHROPIC_BASE_URL: 'http://slipway-gateway:4000',
        ANTHROPIC_API_KEY: token,
        OPENAI_BASE_URL: 'http://slipway-gateway:4000/v1',
        OPENAI_API_KEY: token,
        SLIPWAY_GATEWAY_URL: 'http://slipway-gateway:4000',
      },
      extraHosts: [],
      // The values deploy logs redact: the key, whatever form an app prints it in.
      secrets: [token],
    });
    expect(await f.keys.ensureEnvironmentKey(f.actor, f.environmentId)).toBe(token);

    const row = await f.prisma.gatewayKey.findFirstOrThrow({ where: { tokenHash: sha256Hex(token) }, omit: { sealedToken: false } });
    expect(row).toMatchObject({ kind: 'ENVIRONMENT', environmentId: f.environmentId, projectId: f.projectId, revokedAt: null });
    expect(row.sealedToken).not.toContain(token);
    expect(f.ctx.app.get(Envelope).open(row.sealedToken!, environmentKeyAad(row.id))).toBe(token);
    const listed = (await f.keys.list(f.actor, f.projectId)).find((k) => k.id === row.id);
    expect(listed).toMatchObject({ kind: 'ENVIRONMENT', label: 'environment key (injected into deployments)', environment: 'production' });

    await f.keys.revoke(f.actor, f.projectId, row.id);
    const next = await f.keys.ensureEnvironmentKey(f.actor, f.environmentId);
    expect(next).not.toBe(token);
    expect(await f.resolver.resolve(token)).toEqual({ ok: false, reason: 'revoked' });
    expect(await f.resolver.resolve(next)).toMatchObject({ ok: true, caller: { environmentId: f.environmentId } });
  });

  it('follows the live release and provider changes at once in another process', async () => {
    const token = await f.keys.ensureEnvironmentKey(f.actor, f.environmentId);
    expect(await f.other.resolver.resolve(token)).toMatchObject({
      ok: true,
      caller: { releaseId: null, routingFrom: { source: 'built-in' } },
    });

    const build = await f.prisma.build.create({
      data: {
        organizationId: f.actor.organizationId,
        projectId: f.projectId,
        environmentId: f.environmentId,
        commitSha: 'c0ffee',
        branch: 'main',
        authorName: 'Ada',
        authorEmail: 'ada@example.test',
        message: 'routing',
        status: 'SUCCEEDED',
      },
    });
    const gateway = { models: { chat: { routes: [{ provider: 'mock', model: 'mock-fast' }] } } };
    const release = await f.prisma.release.create({
      data: {
        organizationId: f.actor.organizationId,
        projectId: f.projectId,
        environmentId: f.environmentId,
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
    await f.prisma.environment.update({ where: { id: f.environmentId }, data: { liveReleaseId: release.id } });
    await f.ctx.app.get(GatewayAppEnvironment).liveReleaseChanged(f.actor, f.environmentId);
    await vi.waitFor(
      async () =>
        expect(await f.other.resolver.resolve(token)).toMatchObject({
          ok: true,
          caller: {
            releaseId: release.id,
            routingFrom: { source: 'release', releaseId: release.id, releaseNumber: 7 },
            config: { models: gateway.models },
          },
        }),
      { timeout: 2_000, interval: 20 },
    );

    await f.ctx.app.get(ProvidersService).create(f.actor, { name: 'anthropic', kind: 'ANTHROPIC', apiKey: 'sk-ant-test-0000-abcd' });
    await vi.waitFor(
      async () => {
        const res = await f.other.resolver.resolve(token);
        expect(res.ok && res.caller.providers.map((p) => `${p.name}:${p.apiKey}`)).toEqual([
          'mock:mock',
          'anthropic:sk-ant-test-0000-abcd',
        ]);
      },
      { timeout: 2_000, interval: 20 },
    );
  });

  it('refuses the key of a deleted environment, saying so', async () => {
    const env = await f.prisma.environment.create({
      data: {
        organizationId: f.actor.organizationId,
        projectId: f.projectId,
        name: 'preview',
        branch: 'preview',
        memoryMb: 256,
        cpuMillis: 500,
        replicas: 1,
        healthCheckPath: '/',
      },
    });
    const token = await f.keys.ensureEnvironmentKey(f.actor, env.id);
    await f.prisma.environment.delete({ where: { id: env.id } });
    const fresh = f.newResolver(f.other.redis);
    try {
      expect(await fresh.resolver.resolve(token)).toEqual({ ok: false, reason: 'environment_deleted' });
    } finally {
      fresh.resolver.onModuleDestroy();
    }
  });
});
