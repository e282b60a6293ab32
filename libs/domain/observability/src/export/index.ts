export * from './otlp-export.module';
export * from './otlp-exporter';
export * from './replica-logs';
export * from './gateway-spans';
export * from './traffic-metrics';
export * from './otlp-resource';
export { FIRST_EXPORT_LOOKBACK_MS, MINUTE_SETTLE_MS, GATEWAY_SETTLE_SECONDS, BATCH_LIMITS } from './signal-readers';
