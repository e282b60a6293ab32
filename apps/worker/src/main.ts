import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, nestLogLevels } from '@slipway/config';
import { keepRunningOnUnhandledRejections } from '@slipway/errors';
import { PrismaService } from '@slipway/db';
import { RedisService } from '@slipway/redis';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig(); // fail fast with every configuration problem listed
  // A rejection nothing handled is a bug to log, not a reason to drop every build this worker runs.
  keepRunningOnUnhandledRejections((message) => new Logger('process').error(message));
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: nestLogLevels(config.LOG_LEVEL) });
  app.enableShutdownHooks();
  await app.get(PrismaService).$queryRaw`SELECT 1`;
  if (!(await app.get(RedisService).ping())) throw new Error('Redis does not answer at REDIS_URL.');
  // Printed whatever LOG_LEVEL is: `npm start` waits for this line.
  console.log('worker ready');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
