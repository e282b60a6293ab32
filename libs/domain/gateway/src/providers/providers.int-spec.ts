import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import type { OrgActor } from '@slipway/contracts';
import { CryptoModule, Envelope } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { RedisModule } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { GatewayDefaultsService } from '../defaults/gateway-defaults.service';
import { GatewayModule } from '../gateway.module';
import { providerCredentialAad } from './provider-sealing';
import { ProvidersService } from './providers.service';

const API_KEY = 'sk-ant-api03-secret-value-WXYZ';

let ctx: DomainTestContext;
let prisma: PrismaService;
let providers: ProvidersService;
let defaults: GatewayDefaultsService;
let actor: OrgActor;
let stranger: OrgActor;
let environmentId: string;

async function orgActor(slug: string): Promise<OrgActor> {
  const user = await prisma.user.create({ data: { email: `${slug}@example.test`, name: slug, passwordHash: 'x' } });
  const org = await prisma.organization.create({ data: { slug, name: slug } });
  return { userId: user.id, email: user.email, organizationId: org.id, organizationSlug: org.slug, role: 'OWNER' };
}

const auditOf = (organizationId: string) =>
  prisma.auditLog.findMany({ where: { organizationId }, orderBy: { id: 'asc' }, select: { action: true, target: true, metadata: true } });

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, CryptoModule, AuditModule, RedisModule, GatewayModule], {
    GATEWAY_MOCK_URL: 'http://127.0.0.1:4999',
    // An operator's internal upstream, allowed on purpose; every other internal address is refused.
    GATEWAY_UPSTREAM_ALLOW: ['10.20.0.0/16'],
  });
  prisma = ctx.app.get(PrismaService);
  providers = ctx.app.get(ProvidersService);
  defaults = ctx.app.get(GatewayDefaultsService);
  actor = await orgActor('acme');
  stranger = await orgActor('other');
  const project = await prisma.project.create({
    data: { organizationId: actor.organizationId, slug: 'chat', hostLabel: 'chat', name: 'Chat' },
  });
  environmentId = (
    await prisma.environment.create({
      data: {
        organizationId: actor.organizationId,
        projectId: project.id,
        name: 'production',
        branch: 'main',
        memoryMb: 256,
        cpuMillis: 500,
        replicas: 1,
        healthCheckPath: '/',
      },
    })
  ).id;
});

afterAll(async () => {
  await ctx?.close();
});

describe('providers', () => {
  it('lists the built-in mock, read-only and labelled, before any provider exists', async () => {
    expect(await providers.list(actor)).toEqual([
      {
        id: null,
        name: 'mock',
        kind: 'MOCK',
        baseUrl: 'http://127.0.0.1:4999',
        credentialHint: null,
        builtIn: true,
        label: 'Mock provider — deterministic answers, no real model',
        createdAt: null,
        updatedAt: null,
      },
    ]);
  });

  it('seals the API key to the provider row and never returns or audits it', async () => {
    const created = await providers.create(actor, { name: 'anthropic', kind: 'ANTHROPIC', apiKey: API_KEY });
    expect(created).toMatchObject({
      name: 'anthropic',
      kind: 'ANTHROPIC',
      baseUrl: 'https://api.anthropic.com',
      credentialHint: 'WXYZ',
      builtIn: false,
    });
    expect(JSON.stringify(created)).not.toContain(API_KEY);
    expect(JSON.stringify(await providers.list(actor))).not.toContain('secret-value');

    const [raw] = await prisma.$queryRaw<
      { sealedCredential: string }[]
    >`SELECT "sealedCredential" FROM "Provider" WHERE id = ${created.id}`;
    expect(raw!.sealedCredential).toMatch(/^v1\./);
    expect(raw!.sealedCredential).not.toContain('secret-value');
    const envelope = ctx.app.get(Envelope);
    expect(envelope.open(raw!.sealedCredential, providerCredentialAad(created.id!))).toBe(API_KEY);
    // Bound to its row: the same sealed string does not open as another provider's.
    expect(() => envelope.open(raw!.sealedCredential, providerCredentialAad('another-id'))).toThrow();

    await providers.update(actor, 'anthropic', { apiKey: 'sk-ant-rotated-key-0042' });
    const [rotated] = await prisma.$queryRaw<
      { sealedCredential: string }[]
    >`SELECT "sealedCredential" FROM "Provider" WHERE id = ${created.id}`;
    expect(envelope.open(rotated!.sealedCredential, providerCredentialAad(created.id!))).toBe('sk-ant-rotated-key-0042');
    expect((await providers.list(actor)).find((p) => p.name === 'anthropic')?.credentialHint).toBe('0042');

    const audit = await auditOf(actor.organizationId);
    expect(audit.map((a) => a.action)).toEqual(['gateway.provider_created', 'gateway.provider_updated']);
    expect(JSON.stringify(audit)).not.toMatch(/secret-value|rotated-key/);
  });

  it('defaults the base URL per kind and needs one for an OpenAI-compatible provider', async () => {
    expect(await providers.create(actor, { name: 'openai', kind: 'OPENAI', apiKey: 'sk-openai-123456' })).toMatchObject({
      baseUrl: 'https://api.openai.com',
    });
    expect(
      await providers.create(actor, {
        name: 'vllm-eu',
        kind: 'OPENAI_COMPATIBLE',
        baseUrl: 'http://10.20.0.5:8000/',
        apiKey: 'token-123456',
      }),
    ).toMatchObject({ baseUrl: 'http://10.20.0.5:8000' });
    const bad = [
      { name: 'compat', kind: 'OPENAI_COMPATIBLE', apiKey: 'token-123456' },
      { name: 'ftp', kind: 'OPENAI_COMPATIBLE', baseUrl: 'ftp://files.example.com', apiKey: 'token-123456' },
      { name: 'creds', kind: 'OPENAI_COMPATIBLE', baseUrl: 'https://user:pw@llm.example.com', apiKey: 'token-123456' },
      { name: 'Upper Case', kind: 'OPENAI', apiKey: 'sk-openai-123456' },
      { name: 'nokey', kind: 'OPENAI', apiKey: '' },
      { name: 'cohere', kind: 'COHERE', apiKey: 'sk-openai-123456' },
    ];
    for (const input of bad)
      await expect(providers.create(actor, input as never), input.name).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses a base URL pointing inside the network, naming the address class, and saves nothing', async () => {
    const refused: [string, string][] = [
      ['http://127.0.0.1:4000', '127.0.0.1 is a loopback address'],
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a link-local address'],
      ['http://10.0.0.1:8000', '10.0.0.1 is a private address'],
      ['http://[::1]:4000', '::1 is a loopback address'],
      ['http://[::ffff:127.0.0.1]:4000', '::ffff:7f00:1 is a loopback address'],
      ['http://0.0.0.0:4000', '0.0.0.0 is an unspecified address'],
      ['http://100.64.1.1', '100.64.1.1 is a carrier-grade NAT address'],
      ['http://localhost:4000', 'localhost resolves to a loopback address'],
    ];
    for (const [baseUrl, message] of refused) {
      const err = await providers.create(actor, { name: 'sneaky', kind: 'OPENAI_COMPATIBLE', baseUrl, apiKey: 'token-123456' }).catch((e: unknown) => e);
      expect(err, baseUrl).toMatchObject({ code: 'PROVIDER_ADDRESS_FORBIDDEN', errors: [{ path: 'baseUrl', message: expect.stringContaining(message) }] });
    }
    await expect(providers.update(actor, 'vllm-eu', { baseUrl: 'http://192.168.1.10:8000' })).rejects.toMatchObject({ code: 'PROVIDER_ADDRESS_FORBIDDEN' });
    expect(await prisma.provider.count({ where: { name: 'sneaky' } })).toBe(0);
    expect((await providers.list(actor)).find((p) => p.name === 'vllm-eu')?.baseUrl).toBe('http://10.20.0.5:8000');
  });

  it('refuses the reserved name and a name already used, and cannot change the mock', async () => {
    await expect(providers.create(actor, { name: 'mock', kind: 'OPENAI', apiKey: 'sk-openai-123456' })).rejects.toMatchObject({
      code: 'PROVIDER_NAME_RESERVED',
    });
    await expect(providers.create(actor, { name: 'openai', kind: 'OPENAI', apiKey: 'sk-openai-123456' })).rejects.toMatchObject({
      code: 'PROVIDER_NAME_TAKEN',
    });
    await expect(providers.update(actor, 'mock', { baseUrl: 'http://evil.example.com' })).rejects.toMatchObject({
      code: 'PROVIDER_NAME_RESERVED',
    });
    await expect(providers.remove(actor, 'mock')).rejects.toMatchObject({ code: 'PROVIDER_NAME_RESERVED' });
    // Another organization may use the same name.
    expect(await providers.create(stranger, { name: 'openai', kind: 'OPENAI', apiKey: 'sk-openai-654321' })).toMatchObject({
      name: 'openai',
    });
  });

  it("keeps organizations apart and deletes a provider's row with its credential", async () => {
    expect((await providers.list(stranger)).map((p) => p.name)).toEqual(['mock', 'openai']);
    await expect(providers.update(stranger, 'anthropic', { apiKey: 'sk-ant-takeover-0000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(providers.remove(stranger, 'vllm-eu')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await providers.remove(actor, 'vllm-eu');
    expect((await providers.list(actor)).map((p) => p.name)).toEqual(['mock', 'anthropic', 'openai']);
    expect(await prisma.provider.count({ where: { name: 'vllm-eu' } })).toBe(0);
  });
});

describe('routing defaults and effective routing', () => {
  it('rejects invalid defaults with every problem and its path, saving nothing', async () => {
    const invalid = {
      models: { chat: { routes: [{ provider: 'mock' }] } },
      budgets: [{ scope: 'project', period: 'week', limitUsd: 5 }],
      colour: 'blue',
    };
    const err = await defaults.set(actor, { config: invalid }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
    const paths = (err as { errors: { path: string; message: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['config.models.chat.routes.0.model', 'config.budgets.0.period', 'config.colour']));
    await expect(defaults.set(actor, { config: 'models: chat' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await defaults.get(actor)).toEqual({ config: {}, updatedAt: null });
  });

  it('saves valid defaults, audits them, and applies them where no release routes', async () => {
    expect(await defaults.effective(actor, environmentId)).toMatchObject({ from: { source: 'built-in' } });
    const config = {
      models: {
        chat: {
          routes: [
            { provider: 'anthropic', model: 'claude-haiku-4-5' },
            { provider: 'mock', model: 'mock-fast' },
          ],
        },
      },
    };
    const saved = await defaults.set(actor, { config });
    expect(saved.config).toEqual(config);
    expect(await defaults.get(actor)).toEqual(saved);
    expect((await auditOf(actor.organizationId)).at(-1)).toMatchObject({
      action: 'gateway.defaults_updated',
      metadata: { aliases: ['chat'] },
    });

    const effective = await defaults.effective(actor, environmentId);
    expect(effective).toMatchObject({ config: { models: config.models }, from: { source: 'organization' } });
    expect(effective.providers.map((p) => p.name)).toEqual(['mock', 'anthropic', 'openai']);
    expect(JSON.stringify(effective)).not.toContain('rotated-key');
    // Another organization's defaults are its own.
    expect(await defaults.effective(stranger, environmentId)).toMatchObject({ from: { source: 'built-in' } });
  });

  it('shows the live release the routing came from', async () => {
    const env = await prisma.environment.findUniqueOrThrow({ where: { id: environmentId } });
    const build = await prisma.build.create({
      data: {
        organizationId: env.organizationId,
        projectId: env.projectId,
        environmentId,
        commitSha: 'abc',
        branch: 'main',
        authorName: 'Ada',
        authorEmail: 'a@example.test',
        message: 'm',
        status: 'SUCCEEDED',
      },
    });
    const gateway = { models: { support: { routes: [{ provider: 'openai', model: 'gpt-5-mini' }] } } };
    const release = await prisma.release.create({
      data: {
        organizationId: env.organizationId,
        projectId: env.projectId,
        environmentId,
        buildId: build.id,
        number: 3,
        imageId: 'img',
        commitSha: 'abc',
        authorName: 'Ada',
        message: 'm',
        envVarVersions: {},
        slipwayConfig: { gateway },
        runtime: {},
      },
    });
    await prisma.environment.update({ where: { id: environmentId }, data: { liveReleaseId: release.id } });
    expect(await defaults.effective(actor, environmentId)).toMatchObject({
      config: { models: gateway.models },
      from: { source: 'release', releaseId: release.id, releaseNumber: 3 },
    });
  });
});
