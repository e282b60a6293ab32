import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { DEFAULT_RESOURCES, type OrgQuotaDto, type TenantScope } from '@slipway/contracts';
import type { Tx } from '@slipway/db';
import {
  assertWithinQuotas,
  footprintOf,
  toQuotaDtos,
  usageOf,
  type Footprint,
  type QuotaLimits,
  type QuotaUsage,
  type Resources,
} from './org-quotas';
import { QuotasRepository, type EnvironmentResources } from './quotas.repository';

/** A change to one environment's resources: new settings (merged over today's), or a release about to run. */
export interface EnvironmentChange {
  /** Absent for an environment being created. */
  environmentId?: string;
  settings?: Partial<Resources>;
  release?: Resources;
}

/**
 * The organization quotas (ORG_MAX_PROJECTS, ORG_MAX_REPLICAS, ORG_MAX_MEMORY_MB). Every check
 * runs inside the caller's transaction, after taking the organization's row lock, so the use it
 * reads cannot change before the caller's write commits: two parallel creations never both fit.
 */
@Injectable()
export class OrgQuotas {
  constructor(
    @Inject(CONFIG) private readonly config: Pick<Config, 'ORG_MAX_PROJECTS' | 'ORG_MAX_REPLICAS' | 'ORG_MAX_MEMORY_MB'>,
    @Inject(QuotasRepository) private readonly repository: QuotasRepository,
  ) {}

  get limits(): QuotaLimits {
    return { projects: this.config.ORG_MAX_PROJECTS, replicas: this.config.ORG_MAX_REPLICAS, memoryMb: this.config.ORG_MAX_MEMORY_MB };
  }

  /** Use and limit of each quota, for the console and the API. */
  async show(scope: TenantScope): Promise<OrgQuotaDto[]> {
    const [projects, envs] = await Promise.all([this.repository.projectCount(scope), this.repository.environments(scope)]);
    return toQuotaDtos(usageOf(projects, envs.map(footprintOfEnvironment)), this.limits);
  }

  /** A new project, with its production environment at the default resources. */
  async assertProjectFits(scope: TenantScope, tx: Tx): Promise<void> {
    const { before, footprints } = await this.lockedUsage(scope, tx);
    const after = usageOf(before.projects + 1, [...footprints.values(), footprintOf(DEFAULT_RESOURCES)]);
    assertWithinQuotas(before, after, this.limits);
  }

  /** A new environment, new settings of one, or a release about to run in one. */
  async assertEnvironmentFits(scope: TenantScope, change: EnvironmentChange, tx: Tx): Promise<void> {
    const { before, footprints, envs } = await this.lockedUsage(scope, tx);
    const current = change.environmentId ? envs.find((e) => e.id === change.environmentId) : undefined;
    const settings = {
      ...DEFAULT_RESOURCES,
      ...(current ? { replicas: current.replicas, memoryMb: current.memoryMb } : {}),
      ...definedOf(change.settings),
    };
    const after = new Map(footprints);
    after.set(current?.id ?? 'new', footprintOf(settings, current && runtimeResources(current.liveRuntime), change.release));
    assertWithinQuotas(before, usageOf(before.projects, after.values()), this.limits);
  }

  private async lockedUsage(
    scope: TenantScope,
    tx: Tx,
  ): Promise<{ before: QuotaUsage; footprints: Map<string, Footprint>; envs: EnvironmentResources[] }> {
    await this.repository.lockOrganization(scope, tx);
    const [projects, envs] = await Promise.all([this.repository.projectCount(scope, tx), this.repository.environments(scope, tx)]);
    const footprints = new Map(envs.map((e) => [e.id, footprintOfEnvironment(e)]));
    return { before: usageOf(projects, footprints.values()), footprints, envs };
  }
}

const footprintOfEnvironment = (e: EnvironmentResources): Footprint => footprintOf(e, runtimeResources(e.liveRuntime));

/** Replicas and memory from a release's stored `runtime` JSON; null when it holds none. */
function runtimeResources(runtime: unknown): Resources | null {
  const r = runtime as { replicas?: unknown; memoryMb?: unknown } | null;
  return r && typeof r.replicas === 'number' && typeof r.memoryMb === 'number' ? { replicas: r.replicas, memoryMb: r.memoryMb } : null;
}

const definedOf = (settings: Partial<Resources> = {}): Partial<Resources> =>
  Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<Resources>;
