import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG } from '@slipway/config';
import { createTestDatabase, type TestDatabase } from '@slipway/testing';
import { DbModule, isNotFound, isUniqueViolation, PrismaService } from './index';

describe('PrismaService', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let prisma: PrismaService;

  beforeAll(async () => {
    db = await createTestDatabase();
    @Global()
    @Module({ providers: [{ provide: CONFIG, useValue: { DATABASE_URL: db.url } }], exports: [CONFIG] })
    class TestConfigModule {}
    @Module({ imports: [TestConfigModule, DbModule] })
    class AppModule {}
    app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    prisma = app.get(PrismaService);
  });

  afterAll(async () => {
    await app?.close(); // runs onModuleDestroy → $disconnect
    await db?.drop();
  });

  it('connects on first use', async () => {
    await expect(prisma.ping()).resolves.toBeUndefined();
  });

  it('never returns secret columns unless a query asks for them', async () => {
    const created = await prisma.user.create({ data: { email: 'ada@example.com', name: 'Ada', passwordHash: 'argon2id$secret' } });
    expect(created).not.toHaveProperty('passwordHash');
    expect(await prisma.user.findUnique({ where: { id: created.id } })).not.toHaveProperty('passwordHash');
    expect(await prisma.$transaction((tx) => tx.user.findMany())).toEqual([expect.not.objectContaining({ passwordHash: expect.anything() })]);

    const withHash = await prisma.user.findUnique({ where: { id: created.id }, omit: { passwordHash: false } });
    expect(withHash?.passwordHash).toBe('argon2id$secret');
  });

  it('recognises unique violations, by field', async () => {
    const err = await prisma.user.create({ data: { email: 'ada@example.com', name: 'Other', passwordHash: 'x' } }).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, 'email')).toBe(true);
    expect(isUniqueViolation(err, 'name')).toBe(false);
    expect(isNotFound(err)).toBe(false);

    const org = await prisma.organization.create({ data: { slug: 'acme', name: 'Acme' } });
    await prisma.project.create({ data: { organizationId: org.id, slug: 'web', hostLabel: 'web', name: 'Web' } });
    const dup = await prisma.project.create({ data: { organizationId: org.id, slug: 'web', hostLabel: 'web-2', name: 'Web 2' } }).catch((e: unknown) => e);
    expect(isUniqueViolation(dup, 'slug')).toBe(true);
    expect(isUniqueViolation(dup, 'organizationId')).toBe(true);
  });

  it('recognises a missing row', async () => {
    const err = await prisma.user.update({ where: { id: 'missing' }, data: { name: 'x' } }).catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect(isUniqueViolation(err)).toBe(false);
  });

  it('rolls back an interactive transaction that throws', async () => {
    const failed = prisma.$transaction(async (tx) => {
      await tx.organization.create({ data: { slug: 'ghost', name: 'Ghost' } });
      throw new Error('abort');
    });
    await expect(failed).rejects.toThrow('abort');
    expect(await prisma.organization.findUnique({ where: { slug: 'ghost' } })).toBeNull();
  });
});
