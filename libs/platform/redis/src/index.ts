export * from './redis.service';
export * from './rate-limiter';
export * from './redis.module';
