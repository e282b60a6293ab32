export * from './envelope';
export * from './password-hasher';
export * from './tokens';
export * from './crypto.module';
export * from './signed-tokens';
