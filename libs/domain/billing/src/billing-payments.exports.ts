// What the payments part of @slipway/billing offers the api and the worker (re-exported by index.ts).
export * from './billing-payments.module';
export * from './payments/payments.service';
export * from './payouts/payouts.service';
export * from './payouts/payout-math';
export * from './exports/exports.service';
export * from './analytics/analytics.service';
