export * from './db';
export * from './nest-context';
