export * from './payment-provider';
export * from './manual-provider';
export * from './stripe/stripe-provider';
export * from './payments.module';
