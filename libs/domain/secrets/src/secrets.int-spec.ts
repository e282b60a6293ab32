import { randomBytes } from 'node:crypto';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@slipway/audit';
import { CONFIG } from '@slipway/config';
import { MASK, type Actor, type TenantScope } from '@slipway/contracts';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { createTestDatabase, type TestDatabase } from '@slipway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsModule } from './secrets.module';
import { SecretsService } from './secrets.service';

let db: TestDatabase;
let app: INestApplicationContext;
let secrets: SecretsService;
let prisma: PrismaService;

let scope: TenantScope;
let otherScope: TenantScope;
let actor: Actor;
let environmentId: string;
let seq = 0;

/** A fresh environment per test keeps tests independent inside one database. */
async function newEnvironment(organizationId = scope.organizationId): Promise<string> {
  seq += 1;
  const project = await prisma.project.create({
    data: { organizationId, slug: `p${seq}`, hostLabel: `p${seq}`, name: `P${seq}` },
  });
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

const auditActions = async (): Promise<{ action: string; metadata: unknown }[]> =>
  prisma.auditLog.findMany({
    where: { organizationId: scope.organizationId },
    orderBy: { id: 'asc' },
    select: { action: true, metadata: true },
  });

beforeAll(async () => {
  db = await createTestDatabase(); // DATABASE_URL, else the dev server's default
  const config = {
    DATABASE_URL: db.url,
    SLIPWAY_MASTER_KEY: randomBytes(32).toString('base64'),
    SLIPWAY_MASTER_KEY_FILE: '',
  };

  @Global()
  @Module({
    providers: [{ provide: CONFIG, useValue: config }],
    exports: [CONFIG],
  })
  class TestConfigModule {}

  @Module({
    imports: [TestConfigModule, DbModule, CryptoModule, AuditModule, SecretsModule],
  })
  class TestAppModule {}

  app = await NestFactory.createApplicationContext(TestAppModule, {
    logger: false,
  });
  secrets = app.get(SecretsService);
  prisma = app.get(PrismaService);

  const user = await prisma.user.create({
    data: { email: 'dev@example.com', name: 'Dev', passwordHash: 'x' },
  });
  const org = await prisma.organization.create({
    data: { slug: 'acme', name: 'Acme' },
  });
  const other = await prisma.organization.create({
    data: { slug: 'other', name: 'Other' },
  });
  scope = { organizationId: org.id };
  otherScope = { organizationId: other.id };
  actor = { userId: user.id, email: user.email, ip: '127.0.0.1' };
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('SecretsService against PostgreSQL', () => {
  beforeAll(async () => {
    environmentId = await newEnvironment();
  });

  it('sets, lists with secrets masked, and reveals', async () => {
    const plain = await secrets.set(scope, actor, environmentId, 'PORT', {
      value: '3000',
    });
    expect(plain).toMatchObject({
      key: 'PORT',
      value: '3000',
      secret: false,
      version: 1,
      updatedBy: 'dev@example.com',
    });
    const secret = await secrets.set(scope, actor, environmentId, 'API_KEY', {
      value: 'sk-live-abc',
      secret: true,
    });
    expect(secret).toMatchObject({
      key: 'API_KEY',
      value: MASK,
      secret: true,
      version: 1,
    });

    const list = await secrets.list(scope, environmentId);
    expect(list.map((v) => [v.key, v.value, v.version, v.updatedBy])).toEqual([
      ['API_KEY', MASK, 1, 'dev@example.com'],
      ['PORT', '3000', 1, 'dev@example.com'],
    ]);
    expect(new Date(list[0]?.updatedAt ?? '').getTime()).toBeGreaterThan(0);

    expect(await secrets.reveal(scope, actor, environmentId, 'API_KEY')).toEqual({ key: 'API_KEY', value: 'sk-live-abc', version: 1 });
    const audit = await auditActions();
    expect(audit.map((a) => a.action)).toEqual(['secret.set', 'secret.set', 'secret.revealed']);
    expect(audit[1]?.metadata).toEqual({
      environmentId,
      key: 'API_KEY',
      version: 1,
      secret: true,
    });
  });

  it('versions only on change: same value and flag write nothing', async () => {
    const before = (await auditActions()).length;
    const same = await secrets.set(scope, actor, environmentId, 'PORT', {
      value: '3000',
    });
    expect(same).toMatchObject({
      version: 1,
      value: '3000',
      updatedBy: 'dev@example.com',
    });
    expect(await secrets.versions(scope, environmentId, 'PORT')).toHaveLength(1);
    expect(await auditActions()).toHaveLength(before);

    expect(
      (
        await secrets.set(scope, actor, environmentId, 'PORT', {
          value: '8080',
        })
      ).version,
    ).toBe(2);
    expect(
      (
        await secrets.set(scope, actor, environmentId, 'PORT', {
          value: '8080',
          secret: true,
        })
      ).version,
    ).toBe(3);
    const versions = await secrets.versions(scope, environmentId, 'PORT');
    expect(versions.map((v) => [v.version, v.secret, v.deleted, v.createdBy])).toEqual([
      [3, true, false, 'dev@example.com'],
      [2, false, false, 'dev@example.com'],
      [1, false, false, 'dev@example.com'],
    ]);
    expect(versions[0]).not.toHaveProperty('value');
    expect((await secrets.list(scope, environmentId)).find((v) => v.key === 'PORT')).toMatchObject({
      value: MASK,
      secret: true,
      version: 3,
    });
  });

  it('deletes with a tombstone version and continues numbering when re-created', async () => {
    await secrets.set(scope, actor, environmentId, 'TEMP', { value: 'a' });
    await secrets.set(scope, actor, environmentId, 'TEMP', { value: 'b' });
    await secrets.remove(scope, actor, environmentId, 'TEMP');

    expect((await secrets.list(scope, environmentId)).map((v) => v.key)).not.toContain('TEMP');
    await expect(secrets.reveal(scope, actor, environmentId, 'TEMP')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Variable TEMP was not found.',
    });
    await expect(secrets.remove(scope, actor, environmentId, 'TEMP')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(secrets.remove(scope, actor, environmentId, 'NEVER_SET')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Variable NEVER_SET was not found.',
    });
    expect((await secrets.versions(scope, environmentId, 'TEMP')).map((v) => [v.version, v.deleted])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect((await secrets.resolveForRelease(scope, environmentId)).map((v) => v.key)).not.toContain('TEMP');

    const again = await secrets.set(scope, actor, environmentId, 'TEMP', {
      value: 'b',
    });
    expect(again).toMatchObject({ version: 4, value: 'b' });
    expect((await auditActions()).filter((a) => a.action === 'secret.deleted')).toHaveLength(1);
  });

  it('rejects invalid input with field errors', async () => {
    await expect(secrets.set(scope, actor, environmentId, 'bad-key', { value: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'key', message: expect.any(String) }],
    });
    await expect(
      secrets.set(scope, actor, environmentId, 'EMPTY_SECRET', {
        value: '',
        secret: true,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('stores only ciphertext: no plaintext in EnvVarVersion rows or audit metadata', async () => {
    const rows = await prisma.$queryRaw<
      { sealedValue: string | null; deleted: boolean }[]
    >`SELECT "sealedValue", "deleted" FROM "EnvVarVersion"`;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      if (row.deleted) {
        expect(row.sealedValue).toBeNull();
        continue;
      }
      expect(row.sealedValue).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
      for (const plaintext of ['sk-live-abc', '3000', '8080']) expect(row.sealedValue).not.toContain(plaintext);
    }
    const audit = JSON.stringify(await prisma.$queryRaw`SELECT "metadata", "target" FROM "AuditLog"`);
    expect(audit).not.toContain('sk-live-abc');
  });

  it('never returns sealedValue from ordinary queries (global omit)', async () => {
    const row = await prisma.envVarVersion.findFirst({});
    expect(row).not.toBeNull();
    expect(row).not.toHaveProperty('sealedValue');
  });

  it('a ciphertext moved to another row does not open there', async () => {
    const env = await newEnvironment();
    await secrets.set(scope, actor, env, 'A', { value: 'alpha', secret: true });
    await secrets.set(scope, actor, env, 'B', { value: 'beta', secret: true });
    const [a] = await prisma.$queryRaw<{ sealedValue: string }[]>`
      SELECT v."sealedValue" FROM "EnvVarVersion" v JOIN "EnvVar" e ON e.id = v."envVarId" WHERE e."environmentId" = ${env} AND e.key = 'A'`;
    await prisma.$executeRaw`
      UPDATE "EnvVarVersion" SET "sealedValue" = ${a?.sealedValue} FROM "EnvVar" e
      WHERE e.id = "EnvVarVersion"."envVarId" AND e."environmentId" = ${env} AND e.key = 'B'`;
    await expect(secrets.reveal(scope, actor, env, 'B')).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.not.stringContaining('v1.'),
    });
  });

  it('bulk: one bad line writes nothing and lists every bad line', async () => {
    const env = await newEnvironment();
    const countBefore = await prisma.envVarVersion.count();
    const auditBefore = (await auditActions()).length;
    await expect(
      secrets.bulk(scope, actor, env, {
        dotenv: 'GOOD=1\nALSO_GOOD=2\nnot valid\n3BAD=x',
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { path: 'line 3', message: 'Expected KEY=value.' },
        { path: 'line 4', message: expect.stringMatching(/not a valid name/) },
      ],
    });
    expect(await prisma.envVarVersion.count()).toBe(countBefore);
    expect(await secrets.list(scope, env)).toEqual([]);
    expect(await auditActions()).toHaveLength(auditBefore);
  });

  it('bulk: imports in one go, counts created/updated/unchanged, audits once, never downgrades a secret', async () => {
    const env = await newEnvironment();
    await secrets.set(scope, actor, env, 'KEEP', { value: 'same' });
    await secrets.set(scope, actor, env, 'CHANGE', { value: 'old' });
    await secrets.set(scope, actor, env, 'TOKEN', {
      value: 'tok-1',
      secret: true,
    });
    const auditBefore = (await auditActions()).length;

    const result = await secrets.bulk(scope, actor, env, {
      dotenv: '# pasted\nKEEP=same\nCHANGE=new\nNEW="multi\\nline"\nexport TOKEN=tok-2\n',
    });
    expect(result).toEqual({ created: 1, updated: 2, unchanged: 1 });

    const audit = (await auditActions()).slice(auditBefore);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'secret.bulk_imported',
      metadata: {
        environmentId: env,
        created: ['NEW'],
        updated: ['CHANGE', 'TOKEN'],
        counts: { created: 1, updated: 2, unchanged: 1 },
      },
    });

    const list = await secrets.list(scope, env);
    expect(list.map((v) => [v.key, v.value, v.version])).toEqual([
      ['CHANGE', 'new', 2],
      ['KEEP', 'same', 1],
      ['NEW', 'multi\nline', 1],
      ['TOKEN', MASK, 2],
    ]);
    expect(await secrets.resolveForRelease(scope, env)).toEqual([
      { key: 'CHANGE', value: 'new', version: 2, secret: false },
      { key: 'KEEP', value: 'same', version: 1, secret: false },
      { key: 'NEW', value: 'multi\nline', version: 1, secret: false },
      { key: 'TOKEN', value: 'tok-2', version: 2, secret: true },
    ]);
    expect(await secrets.secretValues(scope, env)).toEqual(['tok-2']);

    const imported = await secrets.bulk(scope, actor, env, {
      dotenv: 'S1=one\nS2=two',
      secret: true,
    });
    expect(imported).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await secrets.secretValues(scope, env)).sort()).toEqual(['one', 'tok-2', 'two']);
  });

  it('concurrent writers of one key all land as distinct versions', async () => {
    const env = await newEnvironment();
    const results = await Promise.all(['a', 'b', 'c'].map((value) => secrets.set(scope, actor, env, 'RACE', { value })));
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3]);
    expect((await secrets.versions(scope, env, 'RACE')).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it("another organization's scope cannot see or change the variables", async () => {
    expect(await secrets.list(otherScope, environmentId)).toEqual([]);
    expect(await secrets.resolveForRelease(otherScope, environmentId)).toEqual([]);
    expect(await secrets.secretValues(otherScope, environmentId)).toEqual([]);
    await expect(secrets.reveal(otherScope, actor, environmentId, 'API_KEY')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(secrets.versions(otherScope, environmentId, 'API_KEY')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(secrets.remove(otherScope, actor, environmentId, 'API_KEY')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      secrets.set(otherScope, actor, environmentId, 'API_KEY', {
        value: 'hijack',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(secrets.set(otherScope, actor, environmentId, 'INJECTED', { value: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(secrets.bulk(otherScope, actor, environmentId, { dotenv: 'INJECTED=x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    expect(await secrets.reveal(scope, actor, environmentId, 'API_KEY')).toMatchObject({ value: 'sk-live-abc' });
    expect((await secrets.list(scope, environmentId)).map((v) => v.key)).not.toContain('INJECTED');
  });
});
