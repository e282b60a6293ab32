import { appHostName, type EnvironmentDto } from '@slipway/contracts';
import type { ProjectUrls } from './urls';

/** An environment row with its generated host (the HostReservation of kind APP, when there is one). */
export interface EnvironmentWithHost {
  id: string;
  name: string;
  branch: string;
  memoryMb: number;
  cpuMillis: number;
  replicas: number;
  healthCheckPath: string;
  autoRollback: boolean;
  createdAt: Date;
  hosts?: { host: string; note: string | null }[];
}

/**
 * The URL is the environment's reserved host, which is what the edge serves. An environment
 * without one (only rows written around the service, as test fixtures do, or one whose
 * reservation is being written in this very transaction) shows what the naming rule gives.
 */
export const toEnvironmentDto = (e: EnvironmentWithHost, hostLabel: string, urls: ProjectUrls): EnvironmentDto => {
  const reserved = e.hosts?.[0];
  return {
    id: e.id,
    name: e.name,
    branch: e.branch,
    memoryMb: e.memoryMb,
    cpuMillis: e.cpuMillis,
    replicas: e.replicas,
    healthCheckPath: e.healthCheckPath,
    autoRollback: e.autoRollback,
    url: urls.app(reserved?.host ?? appHostName(hostLabel, e.name)),
    urlNote: reserved?.note ?? null,
    createdAt: e.createdAt.toISOString(),
  };
};
