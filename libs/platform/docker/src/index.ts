export * from './container-runtime';
export * from './container-metrics';
export * from './docker.errors';
export * from './docker-engine';
export * from './docker.module';
export * from './labels';
export * from './machine-info';
export { cutLine } from './docker-internals';
export { unixSeconds } from './timestamped-logs';
