import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import { API_PREFIX } from '@slipway/contracts';
import { nestLogLevels, type Config } from '@slipway/config';
import { AppModule } from './app.module';
import { GitHttpRoute } from './git/git-http.route';
import { GatewayRoutes } from './gateway/gateway.routes';

/** Builds the api (without listening), so tests and main.ts share one wiring. */
export async function createApi(config: Config): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Honour an incoming X-Request-Id (from the edge) so one id follows a request end to end.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    trustProxy: '127.0.0.1',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger: nestLogLevels(config.LOG_LEVEL),
  });
  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyCookie as never);
  app.get(GitHttpRoute).register(fastify);
  app.get(GatewayRoutes).register(fastify);
  fastify.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  app.setGlobalPrefix(API_PREFIX.slice(1), { exclude: ['healthz', 'readyz', 'metrics', 'api/docs', 'api/docs/openapi.json'] });
  app.enableShutdownHooks();
  return app;
}
