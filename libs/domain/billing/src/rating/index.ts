export * from './money';
export * from './tiers';
export * from './rate-period';
export * from './version-spans';
