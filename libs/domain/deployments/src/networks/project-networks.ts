import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { TenantScope } from '@slipway/contracts';
import { CONTAINER_RUNTIME, DockerOperationError, LABELS, ROLES, type ContainerRuntime } from '@slipway/docker';
import { AppError } from '@slipway/errors';
import { projectNetwork } from '../project-network';
import { ProjectNetworksRepository } from './project-networks.repository';
import { blockOf, firstFreeSubnet, formatBlock, gatewayOf, parseBlock, subnetCount, type Ipv4Block } from './subnet-pool';

/** dockerd: `Pool overlaps with other one on this address space`. */
const OVERLAP = /overlaps/i;
const OVERLAP_RETRIES = 5;

type NetworkSettings = Pick<Config, 'PROJECT_NETWORK_POOL' | 'PROJECT_NETWORK_PREFIX'>;

/**
 * Each project's Docker network on its own small subnet of PROJECT_NETWORK_POOL (docs/capacity.md,
 * "Project networks"), instead of a /16–/20 from the engine's default pools, which hold about 31
 * networks. The subnet is recorded in PostgreSQL before the network is created and freed only once
 * the network is gone. A project whose network predates the pool keeps it (adopted as it is).
 */
@Injectable()
export class ProjectNetworks {
  private readonly logger = new Logger('project-networks');

  constructor(
    @Inject(CONFIG) private readonly config: NetworkSettings,
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Inject(ProjectNetworksRepository) private readonly repository: ProjectNetworksRepository,
  ) {}

  /**
   * Makes sure the project's network exists and returns its name. Throws NETWORK_POOL_EXHAUSTED
   * (before anything else of the deployment happens) when no subnet of the pool is free.
   */
  async ensure(scope: TenantScope, projectId: string, labels: Record<string, string> = {}): Promise<string> {
    const name = projectNetwork(projectId);
    for (let attempt = 1; ; attempt++) {
      let subnet = await this.repository.find(scope, projectId);
      if (!subnet) {
        // Adopt a network created before the pool existed: its containers and relay keep working.
        if (await this.runtime.inspectNetwork(name)) return name;
        subnet = await this.allocate(scope, projectId);
      }
      try {
        await this.runtime.ensureNetwork(
          name,
          { ...labels, [LABELS.project]: projectId },
          { subnet, gateway: gatewayOf(parseBlock(subnet)!) },
        );
        return name;
      } catch (err) {
        // Someone else on a shared engine (another installation, a hand-made network) took an
        // overlapping range after we looked: give this subnet up and take the next free one.
        if (!(err instanceof DockerOperationError && OVERLAP.test(err.message)) || attempt >= OVERLAP_RETRIES) throw err;
        this.logger.warn(`subnet ${subnet} of project ${projectId} overlaps a network made elsewhere on the engine; taking another`);
        await this.repository.free(scope, projectId);
      }
    }
  }

  /** After the project's network was removed: its subnet goes back to the pool. */
  async free(scope: TenantScope, projectId: string): Promise<void> {
    await this.repository.free(scope, projectId);
  }

  /**
   * The reconciler's sweep: networks this database allocated for projects that no longer exist
   * (their teardown failed or never ran). The project's gateway relay goes first (it exists
   * only for that network); a network that still has other containers attached is left for a
   * later pass. Only networks labelled `slipway.managed=1` and `slipway.project=<id>` are
   * removed: a same-named network someone else made is never touched (its subnet is freed in
   * our books; the engine's own overlap check keeps it out of later allocations).
   * Returns how many networks were removed.
   */
  async removeOrphans(): Promise<number> {
    let removed = 0;
    for (const orphan of await this.repository.orphans()) {
      const name = projectNetwork(orphan.projectId);
      const network = await this.runtime.inspectNetwork(name);
      const ours = network?.labels[LABELS.managed] === '1' && network.labels[LABELS.project] === orphan.projectId;
      if (network && ours) {
        const relays = await this.runtime.listContainers(
          { [LABELS.project]: orphan.projectId, [LABELS.role]: ROLES.gatewayRelay },
          { all: true },
        );
        for (const relay of relays) await this.runtime.removeContainer(relay.id, { force: true });
        if ((await this.runtime.inspectNetwork(name))?.containers) continue;
        await this.runtime.removeNetwork(name);
        removed++;
      }
      await this.repository.freeOrphan(orphan.projectId);
    }
    return removed;
  }

  private async allocate(scope: TenantScope, projectId: string): Promise<string> {
    const pool = parseBlock(this.config.PROJECT_NETWORK_POOL)!; // validated at boot
    const prefix = this.config.PROJECT_NETWORK_PREFIX;
    // Every subnet on the engine counts, whoever made it: Docker refuses overlapping bridges.
    const onEngine = (await this.runtime.listNetworkSubnets()).map(blockOf).filter((b): b is Ipv4Block => b !== null);
    const result = await this.repository.allocate(scope, projectId, (taken) => {
      const free = firstFreeSubnet(pool, prefix, [...onEngine, ...taken.map(blockOf).filter((b): b is Ipv4Block => b !== null)]);
      return free && formatBlock(free);
    });
    if (result === 'NO_PROJECT') throw new AppError('NOT_FOUND', `Project ${projectId} no longer exists.`);
    if (result === 'POOL_FULL') {
      this.logger.warn(`project network pool ${this.config.PROJECT_NETWORK_POOL} is full`);
      throw new AppError(
        'NETWORK_POOL_EXHAUSTED',
        `No project network is free: all ${subnetCount(pool, prefix)} /${prefix} subnets of PROJECT_NETWORK_POOL=${this.config.PROJECT_NETWORK_POOL} are in use (by projects or other networks on the Docker engine). Widen PROJECT_NETWORK_POOL (each bit shorter doubles it) or raise PROJECT_NETWORK_PREFIX, or delete unused projects; nothing was changed.`,
      );
    }
    return result.subnet;
  }
}
