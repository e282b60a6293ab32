import { Global, Module } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { ManualPaymentProvider } from './manual-provider';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider';
import { StripePaymentProvider } from './stripe/stripe-provider';

/** The installation's payment provider: Stripe when the operator set STRIPE_SECRET_KEY, else manual (offline). */
export function paymentProviderFor(config: Config): PaymentProvider {
  if (!config.STRIPE_SECRET_KEY) return new ManualPaymentProvider(config.MARKETPLACE_BANK_TRANSFER_INSTRUCTIONS);
  return new StripePaymentProvider({
    secretKey: config.STRIPE_SECRET_KEY,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? null,
    connectEnabled: config.STRIPE_CONNECT_ENABLED,
  });
}

@Global()
@Module({
  providers: [{ provide: PAYMENT_PROVIDER, inject: [CONFIG], useFactory: paymentProviderFor }],
  exports: [PAYMENT_PROVIDER],
})
export class PaymentsModule {}
