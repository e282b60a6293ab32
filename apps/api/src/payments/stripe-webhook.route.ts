import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PaymentsService } from '@slipway/billing';
import { API_PREFIX, ERROR_CODES, problemType, type ErrorCode } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { PAYMENT_PROVIDER, StripePaymentProvider, WebhookSignatureError, type PaymentProvider } from '@slipway/payments';

export const STRIPE_WEBHOOK_PATH = `${API_PREFIX}/webhooks/stripe`;
/** Stripe's events are a few KB; anything larger is not one. */
const MAX_EVENT_BYTES = 256 * 1024;

/**
 * `POST /api/v1/webhooks/stripe`: Stripe's events about payments. A raw Fastify route (like the
 * git routes) because the signature is computed over the exact bytes Stripe sent: the body is
 * kept as a Buffer in this route's own plugin scope, never parsed as JSON before it verifies.
 * No session: the signature (STRIPE_WEBHOOK_SECRET) is the authentication. Answers 404 when the
 * operator has not configured Stripe.
 */
@Injectable()
export class StripeWebhookRoute {
  private readonly logger = new Logger('stripe-webhook');

  constructor(
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(PaymentsService) private readonly payments: PaymentsService,
  ) {}

  register(fastify: FastifyInstance): void {
    void fastify.register(async (scope) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_EVENT_BYTES }, (_req, body, done) => done(null, body));
      scope.post(STRIPE_WEBHOOK_PATH, (req, reply) => this.handle(req, reply));
    });
  }

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (!(this.provider instanceof StripePaymentProvider)) return problem(reply, 'ROUTE_NOT_FOUND', 'Stripe is not configured on this installation (STRIPE_SECRET_KEY).');
    if (!Buffer.isBuffer(req.body)) return problem(reply, 'UNSUPPORTED_MEDIA_TYPE', 'Stripe sends events as application/json.');
    const signature = req.headers['stripe-signature'];
    try {
      const event = this.provider.parseWebhook(req.body, typeof signature === 'string' ? signature : undefined);
      const outcome = await this.payments.applyProviderEvent(event);
      return reply.status(200).send({ received: true, outcome });
    } catch (err) {
      if (err instanceof WebhookSignatureError) {
        this.logger.warn(`webhook refused: ${err.message}`);
        return problem(reply, 'WEBHOOK_SIGNATURE_INVALID', err.message);
      }
      if (err instanceof AppError) return problem(reply, err.code, err.message);
      throw err;
    }
  }
}

function problem(reply: FastifyReply, code: ErrorCode, detail: string): FastifyReply {
  const { status, title } = ERROR_CODES[code];
  return reply.status(status).header('content-type', 'application/problem+json').send({ type: problemType(code), title, status, code, detail });
}
