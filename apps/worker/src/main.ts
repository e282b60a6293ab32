import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@slipway/config';
import { PrismaService } from '@slipway/db';
import { RedisService } from '@slipway/redis';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  loadConfig(); // fail fast with every configuration problem listed
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['log', 'error', 'warn'] });
  app.enableShutdownHooks();
  await app.get(PrismaService).$queryRaw`SELECT 1`;
  if (!(await app.get(RedisService).ping())) throw new Error('Redis does not answer at REDIS_URL.');
  new Logger('worker').log('worker ready');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
