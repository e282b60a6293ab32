export * from './upstream-client';
export * from './upstream-error';
export * from './upstream-address-policy';
export * from './upstream-allow-list';
export * from './address-class';
export * from './host-resolver';
export * from './anthropic-client';
