import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import { API_PREFIX } from '@slipway/contracts';
import { nestLogLevels, type Config } from '@slipway/config';
import { AppModule } from './app.module';
import { GitHttpRoute } from './git/git-http.route';
import { GatewayRoutes } from './gateway/gateway.routes';
import { StripeWebhookRoute } from './payments/stripe-webhook.route';

/** Builds the api (without listening), so tests and main.ts share one wiring. */
export async function createApi(config: Config): Promise<NestFastifyApplication> {
  // Three routers, by measurement: the model gateway's /v1/* calls are answered by node:http
  // before Fastify (its hot path skips the framework; the handler exists once Nest has built the
  // app, below), git smart-HTTP is a raw Fastify route (GitHttpRoute), and REST is Nest. The
  // gateway alone also answers on a Unix socket for the project relays (GatewaySocketServer,
  // listening from main.ts). http/route-coverage.spec.ts knows all of them.
  let gateway: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  const adapter = new FastifyAdapter({
    serverFactory: (fastifyHandler: (req: IncomingMessage, res: ServerResponse) => void) => createServer((req, res) => gateway?.(req, res) || fastifyHandler(req, res)),
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Honour an incoming X-Request-Id (from the edge) so one id follows a request end to end.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    // X-Forwarded-For is believed only from TRUSTED_PROXIES (the console, a reverse proxy): the
    // client address feeds per-address login and sign-up limits, so a client that reaches the api
    // directly is counted under its socket address, whatever header it sends.
    trustProxy: config.TRUSTED_PROXIES.length ? config.TRUSTED_PROXIES : false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.withConfig(config), adapter, {
    logger: nestLogLevels(config.LOG_LEVEL),
  });
  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyCookie as never);
  app.get(GitHttpRoute).register(fastify);
  app.get(StripeWebhookRoute).register(fastify);
  const gatewayRoutes = app.get(GatewayRoutes);
  gateway = (req, res) => gatewayRoutes.handle(req, res);
  fastify.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  app.setGlobalPrefix(API_PREFIX.slice(1), { exclude: ['healthz', 'readyz', 'metrics', 'api/docs', 'api/docs/openapi.json'] });
  app.enableShutdownHooks();
  return app;
}
