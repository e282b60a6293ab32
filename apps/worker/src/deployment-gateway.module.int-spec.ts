import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { DEPLOYMENT_GATEWAY, DeployRelease, DeploymentsModule, type DeploymentGateway } from '@slipway/deployments';
import { DockerModule } from '@slipway/docker';
import { GitModule } from '@slipway/git';
import { QueueModule } from '@slipway/queue';
import { RedisModule } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { DeploymentGatewayModule } from './deployment-gateway.module';

let ctx: DomainTestContext;

beforeAll(async () => {
  ctx = await createDomainTestContext(
    [DbModule, RedisModule, CryptoModule, AuditModule, DockerModule, GitModule, QueueModule, DeploymentsModule, DeploymentGatewayModule],
    {
      GATEWAY_URL_FOR_APPS: 'http://gateway.internal:4000/',
    },
  );
});

afterAll(async () => {
  await ctx?.close();
});

describe('the worker binds the gateway for deployments', () => {
  it('gives DeploymentsModule a port that hands out the environment key and the configured gateway URL', async () => {
    const prisma = ctx.app.get(PrismaService);
    const org = await prisma.organization.create({ data: { slug: 'acme', name: 'Acme' } });
    const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'web', hostLabel: 'web', name: 'Web' } });
    const env = await prisma.environment.create({
      data: {
        organizationId: org.id,
        projectId: project.id,
        name: 'production',
        branch: 'main',
        memoryMb: 256,
        cpuMillis: 500,
        replicas: 1,
        healthCheckPath: '/',
      },
    });
    // Resolved from inside DeploymentsModule, and the very instance DeployRelease was given.
    const port = ctx.app.select(DeploymentsModule).get<DeploymentGateway>(DEPLOYMENT_GATEWAY);
    expect((ctx.app.get(DeployRelease) as unknown as { gateway?: DeploymentGateway }).gateway).toBe(port);
    const settings = await port.containerSettings({ organizationId: org.id }, env.id);
    expect(settings).toEqual({
      env: {
        ANTHROPIC_BASE_URL: 'http://gateway.internal:4000',
        ANTHROPIC_API_KEY: expect.stringMatching(/^sk-slw-/),
        OPENAI_BASE_URL: 'http://gateway.internal:4000/v1',
        OPENAI_API_KEY: settings.env.ANTHROPIC_API_KEY,
        SLIPWAY_GATEWAY_URL: 'http://gateway.internal:4000',
      },
      extraHosts: [],
      // The values deploy logs redact: the key, whatever form an app prints it in.
      secrets: [settings.env.ANTHROPIC_API_KEY],
    });
    expect(await prisma.gatewayKey.count({ where: { environmentId: env.id, kind: 'ENVIRONMENT' } })).toBe(1);
  });
});
