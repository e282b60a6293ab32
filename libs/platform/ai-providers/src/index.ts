export * from './upstream-client';
export * from './sse-splitter';
