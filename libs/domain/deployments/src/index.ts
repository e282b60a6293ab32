export * from './deployments.module';
export * from './deployments.service';
export * from './deploy-options';
export * from './deploy-release';
export * from './route-table';
export * from './health-check';
export { readReleaseRuntime, type ReleaseRuntime } from './release-runtime';
export type { DeploymentEventListener, DeploymentTimelineEvent } from './timeline';
export type { LiveEnvironmentRoute } from './deployments.repository';
