export * from './observability.module';
export * from './traffic.service';
export * from './top-paths.service';
export * from './traffic-collector';
export * from './histogram';
export * from './point-plan';
