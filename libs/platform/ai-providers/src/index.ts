export * from './upstream-client';
export * from './anthropic-client';
