import type { MarkerDto, TenantScope } from '@slipway/contracts';

/**
 * Seams for the parts built beside this one (replica resources and events). Each is optional:
 * without a provider the markers are the deployments' only, and the verdict leaves CPU and
 * memory out. The api and the worker bind them with `{ provide: TOKEN, useExisting: … }`.
 */

/** More markers for an environment's time range (restarts, OOM kills…), merged with the deployments'. */
export interface ExtraMarkerSource {
  markers(scope: TenantScope, environmentId: string, from: Date, to: Date): Promise<MarkerDto[]>;
}
export const EXTRA_MARKER_SOURCE = Symbol('EXTRA_MARKER_SOURCE');

/** Per-release averages over a window; a measure it cannot give is left undefined (and absent from the verdict). */
export interface ReleaseResourceAverages {
  cpuPercent?: number | null;
  memoryBytes?: number | null;
}
export interface ReleaseResourcesProvider {
  averages(scope: TenantScope, environmentId: string, releaseId: string, from: Date, to: Date): Promise<ReleaseResourceAverages>;
}
export const RELEASE_RESOURCES_PROVIDER = Symbol('RELEASE_RESOURCES_PROVIDER');
