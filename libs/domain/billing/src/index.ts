export * from './billing-payments.exports';
