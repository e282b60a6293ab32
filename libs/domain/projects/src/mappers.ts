import type { EnvironmentDto } from '@slipway/contracts';

export const toEnvironmentDto = (
  e: { id: string; name: string; branch: string; memoryMb: number; cpuMillis: number; replicas: number; healthCheckPath: string; createdAt: Date },
  url: string,
): EnvironmentDto => ({
  id: e.id,
  name: e.name,
  branch: e.branch,
  memoryMb: e.memoryMb,
  cpuMillis: e.cpuMillis,
  replicas: e.replicas,
  healthCheckPath: e.healthCheckPath,
  url,
  createdAt: e.createdAt.toISOString(),
});
