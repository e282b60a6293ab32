import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CONFIG, loadConfig, type Config } from '@slipway/config';
import { createTestDatabase, type TestDatabase } from './db';

export interface DomainTestContext {
  app: INestApplicationContext;
  config: Config;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * A Nest application context for a domain integration test: a fresh migrated database, a
 * random master key, a temporary DATA_DIR, and the given modules on top of the real
 * platform modules the caller imports (DbModule, CryptoModule, …).
 */
export async function createDomainTestContext(imports: Array<Type | DynamicModule>, overrides: Partial<Config> = {}): Promise<DomainTestContext> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-it-'));
  const config: Config = {
    ...loadConfig(),
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    SLIPWAY_MASTER_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: dataDir,
    ...overrides,
  };

  @Global()
  @Module({ providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] })
  class TestConfigModule {}

  // abortOnError false: a wiring mistake fails the test with its message instead of aborting the worker.
  const app = await NestFactory.createApplicationContext({ module: class TestRoot {}, imports: [TestConfigModule, ...imports] } as DynamicModule, { logger: false, abortOnError: false });
  return {
    app,
    config,
    db,
    async close() {
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
