export * from './db';
export * from './nest-context';
export * from './fake-docker-engine';
export * from './sample-apps';
export * from './mock-llm';
export * from './gateway-usage-events';
export * from './container-client';
export * from './dns-stub';
