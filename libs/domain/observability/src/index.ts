export * from './observability.module';
export * from './traffic.service';
export * from './traffic-collector';
export * from './histogram';
export * from './point-plan';
export * from './logs.service';
export * from './logs-collector';
export * from './log-level';
