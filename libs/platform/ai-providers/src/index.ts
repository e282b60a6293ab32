export * from './upstream-client';
export * from './sse-splitter';
export * from './anthropic-client';
