import { afterAll, beforeAll } from 'vitest';
import { AuditModule } from '@slipway/audit';
import type { OrgActor } from '@slipway/contracts';
import { CryptoModule, Envelope } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { GatewayInvalidation, RedisModule, RedisService } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { CallersRepository } from '../callers/callers.repository';
import { GatewayCallerResolver } from '../callers/gateway-caller-resolver';
import { GatewayModule } from '../gateway.module';
import { GatewayKeysService } from '../keys/gateway-keys.service';

/** A resolver as another api process has it: its own Redis connections and cache, the same database. */
export interface OtherProcess {
  resolver: GatewayCallerResolver;
  redis: RedisService;
  invalidation: GatewayInvalidation;
}

export interface GatewayFixture {
  ctx: DomainTestContext;
  prisma: PrismaService;
  keys: GatewayKeysService;
  resolver: GatewayCallerResolver;
  /** The owner of organization `acme`, which has project `chat` with a `production` environment. */
  actor: OrgActor;
  projectId: string;
  environmentId: string;
  other: OtherProcess;
  newResolver(redis: RedisService): Omit<OtherProcess, 'redis'>;
  close(): Promise<void>;
}

/** The gateway module on a fresh database with one organization, project and environment, and a second "process". */
export async function createGatewayFixture(): Promise<GatewayFixture> {
  const ctx = await createDomainTestContext([DbModule, CryptoModule, AuditModule, RedisModule, GatewayModule], { GATEWAY_MOCK_URL: 'http://127.0.0.1:4999' });
  await ctx.app.init();
  const prisma = ctx.app.get(PrismaService);
  const user = await prisma.user.create({ data: { email: 'ada@example.test', name: 'Ada', passwordHash: 'x' } });
  const org = await prisma.organization.create({ data: { slug: 'acme', name: 'Acme' } });
  const actor: OrgActor = { userId: user.id, email: user.email, organizationId: org.id, organizationSlug: org.slug, role: 'OWNER' };
  const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'chat', hostLabel: 'chat', name: 'Chat' } });
  const env = await prisma.environment.create({
    data: { organizationId: org.id, projectId: project.id, name: 'production', branch: 'main', memoryMb: 256, cpuMillis: 500, replicas: 1, healthCheckPath: '/' },
  });
  const newResolver = (redis: RedisService) => {
    const invalidation = new GatewayInvalidation(redis);
    const resolver = new GatewayCallerResolver(ctx.app.get(CallersRepository, { strict: false }), ctx.app.get(Envelope), invalidation, ctx.config);
    resolver.onModuleInit();
    return { resolver, invalidation };
  };
  const redis = new RedisService(ctx.config);
  const other = { ...newResolver(redis), redis };
  await Promise.all([other.invalidation.ready(), ctx.app.get(GatewayInvalidation).ready()]);
  return {
    ctx,
    prisma,
    keys: ctx.app.get(GatewayKeysService),
    resolver: ctx.app.get(GatewayCallerResolver),
    actor,
    projectId: project.id,
    environmentId: env.id,
    other,
    newResolver,
    async close() {
      other.resolver.onModuleDestroy();
      other.invalidation.onModuleDestroy();
      await other.redis.onModuleDestroy();
      await ctx.close();
    },
  };
}

/** The fixture for a whole spec file: created before its tests, closed after them. Call at the top level. */
export function useGatewayFixture(): GatewayFixture {
  const f = {} as GatewayFixture;
  beforeAll(async () => {
    Object.assign(f, await createGatewayFixture());
  });
  afterAll(async () => f.close?.());
  return f;
}
