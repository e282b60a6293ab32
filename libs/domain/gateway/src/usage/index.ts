export * from './usage.module';
export * from './usage-stream';
export * from './gateway-metrics';
export * from './usage-recorder';
export * from './usage-consumer';
export * from './gateway-usage.service';
export * from './metrics-access';
export { PROMETHEUS_CONTENT_TYPE } from './prometheus';
export * from './durable-spend';
