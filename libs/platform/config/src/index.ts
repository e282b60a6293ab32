export * from './schema';
export * from './load-config';
export * from './config.module';
export * from './master-key';
export * from './log-levels';
export * from './child-env';
export * from './platform-urls';
export * from './gateway-socket';
