export * from './redis.service';
export * from './rate-limiter';
export * from './redis.module';
export * from './route-table-store';
export * from './route-table-subscriber';
export * from './route-table-upstreams';
export * from './metrics-stream';
export * from './lua-script';
