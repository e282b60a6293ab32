import { Inject, Injectable } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG, type Config } from '@slipway/config';
import type { WireFormat } from '@slipway/contracts';
import { GatewayEngine, GatewaySideEndpoints, sendGatewayError } from '@slipway/gateway';

/**
 * The model gateway's wire endpoints, `/v1/…` as the Anthropic and OpenAI SDKs call them.
 * Registered on Fastify directly (not as Nest controllers): the body stays raw bytes up to
 * GATEWAY_MAX_BODY_BYTES, and the engine writes to the node response itself, so streams are
 * never buffered and no per-request framework work is added to the hot path.
 */
@Injectable()
export class GatewayRoutes {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly engine: GatewayEngine,
    private readonly side: GatewaySideEndpoints,
  ) {}

  register(fastify: FastifyInstance): void {
    void fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: this.config.GATEWAY_MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
      scope.setErrorHandler((err: FastifyError, req, reply) => this.frameworkError(err, req, reply));
      scope.post('/v1/messages', (req, reply) => {
        reply.hijack();
        return this.engine.messages('anthropic', req.headers, bodyOf(req), reply.raw);
      });
      scope.post('/v1/chat/completions', (req, reply) => {
        reply.hijack();
        return this.engine.messages('openai', req.headers, bodyOf(req), reply.raw);
      });
      scope.post('/v1/messages/count_tokens', (req, reply) => {
        reply.hijack();
        return this.side.countTokens(req.headers, bodyOf(req), reply.raw);
      });
      scope.get('/v1/models', (req, reply) => {
        reply.hijack();
        return this.side.models(req.headers, reply.raw);
      });
    });
  }

  /** Fastify rejects oversized bodies before our handler runs; answer in the SDK's error shape all the same. */
  private frameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
    const format: WireFormat = req.url.startsWith('/v1/chat/') ? 'openai' : 'anthropic';
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const message =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `The request body is larger than ${Math.round(this.config.GATEWAY_MAX_BODY_BYTES / 1024 / 1024)} MB.`
        : status === 500
          ? 'The gateway failed on its side.'
          : err.message;
    reply.hijack();
    if (status === 413) reply.raw.setHeader('connection', 'close');
    sendGatewayError(reply.raw, format, { status, message }, String(req.id));
  }
}

function bodyOf(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
