export * from './clock';
export * from './circuit-breaker';
export * from './breaker-registry';
export * from './backoff';
export * from './retry-budget';
export * from './concurrency-limiter';
export * from './client-gone';
