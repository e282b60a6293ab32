import { randomBytes } from 'node:crypto';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@slipway/audit';
import { CONFIG } from '@slipway/config';
import type { TenantScope } from '@slipway/contracts';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { createTestDatabase, type TestDatabase } from '@slipway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsModule } from '../secrets.module';
import { SecretsService } from '../secrets.service';

let db: TestDatabase;
let app: INestApplicationContext;
let secrets: SecretsService;
let scope: TenantScope;
const actor = { userId: 'u-1', email: 'dev@example.com' };

async function newEnvironment(prisma: PrismaService, organizationId: string, slug: string): Promise<string> {
  const project = await prisma.project.create({ data: { organizationId, slug, hostLabel: `${slug}-${organizationId.slice(-8)}`, name: slug } });
  const env = await prisma.environment.create({
    data: {
      organizationId,
      projectId: project.id,
      name: 'production',
      branch: 'main',
      memoryMb: 256,
      cpuMillis: 500,
      replicas: 1,
      healthCheckPath: '/',
    },
  });
  return env.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const config = { DATABASE_URL: db.url, SLIPWAY_MASTER_KEY: randomBytes(32).toString('base64'), SLIPWAY_MASTER_KEY_FILE: '' };

  @Global()
  @Module({ providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] })
  class TestConfigModule {}

  app = await NestFactory.createApplicationContext(
    { module: class Root {}, imports: [TestConfigModule, DbModule, CryptoModule, AuditModule, SecretsModule] },
    { logger: false },
  );
  secrets = app.get(SecretsService);
  const org = await app.get(PrismaService).organization.create({ data: { slug: 'values-at', name: 'Values at' } });
  scope = { organizationId: org.id };
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('SecretsService.valuesAt (what a release pinned)', () => {
  it('returns the pinned versions, not the current values, and only the pinned keys', async () => {
    const env = await newEnvironment(app.get(PrismaService), scope.organizationId, 'pinned');
    await secrets.set(scope, actor, env, 'API_KEY', { value: 'old-secret', secret: true });
    await secrets.set(scope, actor, env, 'MODE', { value: 'one' });
    await secrets.set(scope, actor, env, 'EXTRA', { value: 'x' });
    const pinned = Object.fromEntries(
      (await secrets.resolveForRelease(scope, env)).filter((v) => v.key !== 'EXTRA').map((v) => [v.key, v.version]),
    );

    await secrets.set(scope, actor, env, 'API_KEY', { value: 'new-secret', secret: true });
    await secrets.remove(scope, actor, env, 'MODE');

    expect(await secrets.valuesAt(scope, env, pinned)).toEqual({ API_KEY: 'old-secret', MODE: 'one' });
    expect(await secrets.valuesAt(scope, env, { API_KEY: 2 })).toEqual({ API_KEY: 'new-secret' });
    expect(await secrets.valuesAt(scope, env, {})).toEqual({});
  });

  it('secretValuesAt gives the secret values of the pinned versions only (what a deployment redacts after a rotation)', async () => {
    const env = await newEnvironment(app.get(PrismaService), scope.organizationId, 'redact');
    await secrets.set(scope, actor, env, 'TOKEN', { value: 'pinned-token', secret: true });
    await secrets.set(scope, actor, env, 'NODE_ENV', { value: 'production' });
    const pinned = Object.fromEntries((await secrets.resolveForRelease(scope, env)).map((v) => [v.key, v.version]));
    await secrets.set(scope, actor, env, 'TOKEN', { value: 'rotated-token', secret: true });

    expect(await secrets.secretValuesAt(scope, env, pinned)).toEqual(['pinned-token']);
    expect(await secrets.secretValues(scope, env)).toEqual(['rotated-token']);
  });

  it('fails naming the key when a pinned version does not exist or belongs to another tenant', async () => {
    const env = await newEnvironment(app.get(PrismaService), scope.organizationId, 'missing');
    await secrets.set(scope, actor, env, 'A', { value: '1' });
    await expect(secrets.valuesAt(scope, env, { A: 1, B: 3 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('B v3'),
    });
    await secrets.remove(scope, actor, env, 'A'); // version 2 is the deletion: no value to pin
    await expect(secrets.valuesAt(scope, env, { A: 2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(secrets.valuesAt({ organizationId: 'someone-else' }, env, { A: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
