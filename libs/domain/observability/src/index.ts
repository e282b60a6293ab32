export * from './observability.module';
export * from './traffic.service';
export * from './traffic-collector';
export * from './histogram';
export * from './point-plan';
export * from './resource-sampler';
export * from './resources.service';
export * from './model-traffic.service';
export type { ResourceAverages } from './resources.repository';
