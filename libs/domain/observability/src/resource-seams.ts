import { Injectable } from '@nestjs/common';
import type { MarkerDto, TenantScope } from '@slipway/contracts';
import { ResourcesService } from './resources.service';
import type { ExtraMarkerSource, ReleaseResourceAverages, ReleaseResourcesProvider } from './seams';

/** Replica restarts and OOM kills as markers, beside the deployments' (the markers endpoint's extra source). */
@Injectable()
export class ReplicaMarkerSource implements ExtraMarkerSource {
  constructor(private readonly resources: ResourcesService) {}

  markers(scope: TenantScope, environmentId: string, from: Date, to: Date): Promise<MarkerDto[]> {
    return this.resources.listReplicaMarkers(scope, environmentId, from, to);
  }
}

/** CPU and memory of a release over a window, for the verdict's comparison (shown, never decisive). */
@Injectable()
export class ReleaseResourceAveragesProvider implements ReleaseResourcesProvider {
  constructor(private readonly resources: ResourcesService) {}

  async averages(_scope: TenantScope, _environmentId: string, releaseId: string, from: Date, to: Date): Promise<ReleaseResourceAverages> {
    const { cpuPercent, memoryBytes } = await this.resources.releaseResourceAverages(releaseId, from, to);
    return { cpuPercent, memoryBytes };
  }
}
