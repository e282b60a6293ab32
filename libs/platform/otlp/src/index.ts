export * from './otlp-records';
export * from './otlp-encode';
export * from './otlp-delivery';
export * from './otlp-client';
export * from './otlp.module';
