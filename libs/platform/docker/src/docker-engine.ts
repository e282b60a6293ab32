import { Inject, Injectable } from '@nestjs/common';
import Docker from 'dockerode';
import { CONFIG, type Config } from '@slipway/config';
import { AppError } from '@slipway/errors';
import type {
  BuildImageOptions,
  BuildImageResult,
  ContainerInfo,
  ContainerRuntime,
  ContainerState,
  GatewayRelayOptions,
  GatewayRelayResult,
  NetworkInfo,
  NetworkIpam,
  ImageInfo,
  RunContainerOptions,
  RunningContainer,
  TimestampedLogLine,
} from './container-runtime';
import { ContainerStartError, DockerOperationError, DockerUnavailableError } from './docker.errors';
import {
  demuxLogLines,
  dockerDate,
  dockerMessage,
  dockerStatus,
  isUnreachable,
  LOOPBACK,
  listedLoopbackPort,
  loopbackPort,
  parseDockerHost,
  withTimeout,
  type DockerAddress,
} from './docker-internals';
import { ensureGatewayRelay } from './gateway-relay';
import { demuxTimestampedLines, unixSeconds } from './timestamped-logs';
import { buildImage, type BuildSettings } from './image-build';
import { MANAGED_LABELS, labelFilter } from './labels';
import { buildCacheBytes, listManagedImages, pruneBuildCache } from './image-housekeeping';

const MIB = 1024 * 1024;

/** The IPv4 subnets of a network's IPAM configuration (IPv6 ones are not Slipway's concern). */
const ipv4Subnets = (config: Array<{ Subnet?: string }> | null | undefined): string[] =>
  (config ?? []).map((c) => c.Subnet ?? '').filter((subnet) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(subnet));
const DEFAULT_PIDS_LIMIT = 256;

/**
 * ContainerRuntime on a real Docker engine (dockerode, API negotiated by the engine). The
 * only place that imports dockerode. Confinement defaults are fixed here, not by callers:
 * see README.md.
 */
@Injectable()
export class DockerEngine implements ContainerRuntime {
  private readonly docker: Docker;
  private readonly address: DockerAddress;
  /** Concurrent ensureNetwork calls for one name share one creation. */
  private readonly creatingNetworks = new Map<string, Promise<string>>();
  /** Concurrent ensureGatewayRelay calls for one relay share one run. */
  private readonly ensuringRelays = new Map<string, Promise<GatewayRelayResult>>();

  constructor(@Inject(CONFIG) private readonly config: Pick<Config, 'DOCKER_HOST'> & BuildSettings) {
    this.address = parseDockerHost(config.DOCKER_HOST);
    this.docker = new Docker(this.address.modem);
  }

  async ping(): Promise<boolean> {
    try {
      await withTimeout(this.docker.ping(), 1_000);
      return true;
    } catch {
      return false;
    }
  }

  async findImage(ref: string): Promise<string | null> {
    try {
      return (await this.docker.getImage(ref).inspect()).Id;
    } catch (err) {
      if (dockerStatus(err) === 404) return null;
      throw this.translate('image inspect', err);
    }
  }

  async buildImage(options: BuildImageOptions): Promise<BuildImageResult> {
    return buildImage(
      this.docker,
      options,
      {
        translate: (err) => this.translate('build', err),
        findImage: (ref) => this.findImage(ref),
      },
      this.config,
    );
  }

  async ensureNetwork(name: string, labels: Record<string, string>, ipam?: NetworkIpam): Promise<string> {
    const pending = this.creatingNetworks.get(name);
    if (pending) return pending;
    const creation = this.createNetworkOnce(name, labels, ipam).finally(() => this.creatingNetworks.delete(name));
    this.creatingNetworks.set(name, creation);
    return creation;
  }

  private async createNetworkOnce(name: string, labels: Record<string, string>, ipam?: NetworkIpam): Promise<string> {
    const existing = await this.findNetwork(name);
    if (existing) return existing;
    try {
      const network = await this.docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        // Apps may reach out; Docker's isolation rules keep separate bridge networks apart.
        Internal: false,
        CheckDuplicate: true,
        Labels: { ...labels, ...MANAGED_LABELS },
        // Without it the engine draws from its default pools, which hold about 31 networks.
        ...(ipam && { IPAM: { Driver: 'default', Config: [{ Subnet: ipam.subnet, Gateway: ipam.gateway }] } }),
      });
      return network.id;
    } catch (err) {
      if (dockerStatus(err) === 409) {
        const created = await this.findNetwork(name); // another process won the race
        if (created) return created;
      }
      throw this.translate('network create', err);
    }
  }

  async inspectNetwork(name: string): Promise<NetworkInfo | null> {
    if (!(await this.findNetwork(name))) return null; // by exact name: inspect would also match an id prefix
    try {
      const n = await this.docker.getNetwork(name).inspect();
      return {
        id: n.Id,
        name: n.Name,
        labels: n.Labels ?? {},
        subnets: ipv4Subnets(n.IPAM?.Config),
        containers: Object.keys(n.Containers ?? {}).length,
      };
    } catch (err) {
      if (dockerStatus(err) === 404) return null;
      throw this.translate('network inspect', err);
    }
  }

  async listNetworkSubnets(): Promise<string[]> {
    const networks = await this.call('network list', () => this.docker.listNetworks());
    return networks.flatMap((n) => ipv4Subnets(n.IPAM?.Config));
  }

  private async findNetwork(name: string): Promise<string | null> {
    const found = await this.call('network list', () => this.docker.listNetworks({ filters: { name: [name] } }));
    return found.find((n) => n.Name === name)?.Id ?? null; // the name filter matches substrings
  }

  async runContainer(options: RunContainerOptions): Promise<RunningContainer> {
    const portKey = `${options.containerPort}/tcp`;
    const container = await this.startFailure(options.name, () =>
      this.docker.createContainer({
        name: options.name,
        Image: options.image,
        Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`),
        Cmd: options.command,
        Labels: { ...options.labels, ...MANAGED_LABELS },
        ExposedPorts: { [portKey]: {} },
        HostConfig: {
          // HostPort '' = a free port chosen by the engine, on loopback only.
          PortBindings: { [portKey]: [{ HostIp: LOOPBACK, HostPort: '' }] },
          NetworkMode: options.network,
          ExtraHosts: options.extraHosts ?? [],
          Memory: options.memoryMb * MIB,
          MemorySwap: options.memoryMb * MIB, // no swap beyond the memory limit
          NanoCpus: options.cpuMillis * 1_000_000,
          PidsLimit: options.pidsLimit ?? DEFAULT_PIDS_LIMIT,
          SecurityOpt: ['no-new-privileges'],
          CapDrop: ['ALL'],
          CapAdd: options.capAdd ?? [],
          Privileged: false,
          ReadonlyRootfs: false,
          // No bind mounts or volumes at all: in particular never the Docker socket.
          Binds: [],
          Mounts: [],
          // The reconciler restarts crashed replicas (with backoff, visibly), not the engine.
          RestartPolicy: { Name: 'no' },
          // A real PID 1 forwards SIGTERM, so apps that ignore signals still stop promptly.
          Init: true,
          LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
        },
      }),
    );
    try {
      await this.startFailure(options.name, () => container.start());
    } catch (err) {
      await container.remove({ force: true }).catch(() => undefined);
      throw err;
    }
    const info = await this.call('container inspect', () => container.inspect());
    // 0 when the process exited before the engine reported the port (getContainer says why).
    return { id: info.Id, hostPort: loopbackPort(info.NetworkSettings.Ports) ?? 0 };
  }

  async stopContainer(id: string, options: { timeoutSeconds: number }): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: options.timeoutSeconds });
    } catch (err) {
      const status = dockerStatus(err);
      if (status === 304 || status === 404) return; // already stopped / gone
      throw this.translate('container stop', err);
    }
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (err) {
      if (dockerStatus(err) === 304) return; // already running
      throw this.translate('container start', err);
    }
  }

  async removeContainer(id: string, options: { force: boolean }): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: options.force, v: true });
    } catch (err) {
      const status = dockerStatus(err);
      if (status === 404) return;
      if (status === 409 && /already in progress/i.test(dockerMessage(err))) return;
      throw this.translate('container remove', err);
    }
  }

  async getContainer(id: string): Promise<ContainerInfo | null> {
    const [found] = await this.describe({ all: true, filters: { id: [id], label: labelFilter(MANAGED_LABELS) } }, { inspectRunning: true });
    return found && (found.id === id || found.id.startsWith(id) || found.name === id) ? found : null;
  }

  async listContainers(labels: Record<string, string>, options: { all: boolean }): Promise<ContainerInfo[]> {
    return this.describe({ all: options.all, filters: { label: labelFilter({ ...labels, ...MANAGED_LABELS }) } }, { inspectRunning: false });
  }

  /**
   * The list call gives id, name, image, state, status, labels, published ports and creation
   * time; only containers that are not running are inspected as well (exit code, start and end
   * times). A list of hundreds of idle apps is one request, not one per container: the worker's
   * passes list every few seconds (docs/capacity.md).
   */
  private async describe(query: Docker.ContainerListOptions, options: { inspectRunning: boolean }): Promise<ContainerInfo[]> {
    const summaries = await this.call('container list', () => this.docker.listContainers(query));
    const infos = await Promise.all(
      summaries.map(async (s): Promise<ContainerInfo | null> => {
        const listed: ContainerInfo = {
          id: s.Id,
          name: (s.Names[0] ?? '').replace(/^\//, ''),
          image: s.ImageID,
          state: s.State as ContainerState,
          status: s.Status,
          labels: s.Labels ?? {},
          hostPort: listedLoopbackPort(s.Ports),
          createdAt: new Date(s.Created * 1000),
        };
        if (listed.state === 'running' && !options.inspectRunning) return listed;
        let i: Docker.ContainerInspectInfo;
        try {
          i = await this.docker.getContainer(s.Id).inspect();
        } catch (err) {
          if (dockerStatus(err) === 404) return null; // removed since the list
          throw this.translate('container inspect', err);
        }
        const state = i.State.Status as ContainerState;
        const ended = state === 'exited' || state === 'dead';
        return {
          ...listed,
          state,
          labels: i.Config.Labels ?? {},
          hostPort: loopbackPort(i.NetworkSettings.Ports),
          exitCode: ended ? i.State.ExitCode : undefined,
          startedAt: dockerDate(i.State.StartedAt),
          finishedAt: ended ? dockerDate(i.State.FinishedAt) : undefined,
        };
      }),
    );
    return infos.filter((x): x is ContainerInfo => x !== null);
  }

  async tailLogs(id: string, lines: number): Promise<string[]> {
    try {
      const body = await this.docker.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false });
      return demuxLogLines(Buffer.isBuffer(body) ? body : Buffer.from(String(body))).slice(-lines);
    } catch (err) {
      if (dockerStatus(err) === 404) return [];
      throw this.translate('container logs', err);
    }
  }

  async readLogs(id: string, options: { since?: string }): Promise<TimestampedLogLine[]> {
    try {
      const body = await this.docker.getContainer(id).logs({
        stdout: true,
        stderr: true,
        timestamps: true,
        follow: false,
        // The API takes `since` as Unix seconds with up to 9 decimals; the line at exactly that
        // instant is included (the caller skips what it already has).
        ...(options.since ? { since: unixSeconds(options.since) as unknown as number } : {}),
      });
      return demuxTimestampedLines(Buffer.isBuffer(body) ? body : Buffer.from(String(body)));
    } catch (err) {
      if (dockerStatus(err) === 404) return [];
      throw this.translate('container logs', err);
    }
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.docker.getImage(ref).remove();
    } catch (err) {
      if (dockerStatus(err) === 404) return;
      throw this.translate('image remove', err);
    }
  }

  async listImages(labels: Record<string, string>): Promise<ImageInfo[]> {
    return this.call('image list', () => listManagedImages(this.docker, labels));
  }

  async pruneBuildCache(keepBytes: number): Promise<{ reclaimedBytes: number }> {
    return this.call('build cache prune', () => pruneBuildCache(this.docker, keepBytes));
  }

  async buildCacheBytes(): Promise<number> {
    return this.call('system df', () => buildCacheBytes(this.docker));
  }

  async removeNetwork(name: string): Promise<void> {
    try {
      await this.docker.getNetwork(name).remove();
    } catch (err) {
      if (dockerStatus(err) === 404) return;
      throw this.translate('network remove', err);
    }
  }

  async ensureGatewayRelay(options: GatewayRelayOptions): Promise<GatewayRelayResult> {
    const pending = this.ensuringRelays.get(options.name);
    if (pending) return pending;
    const run = ensureGatewayRelay(this.docker, options, {
      findImage: (ref) => this.findImage(ref),
      translate: (operation, err) => this.translate(operation, err),
    }).finally(() => this.ensuringRelays.delete(options.name));
    this.ensuringRelays.set(options.name, run);
    return run;
  }

  /** Refusals to create or start (missing image, name taken, bad limits…) are ContainerStartError. */
  private async startFailure<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isUnreachable(err)) throw this.translate('container run', err);
      throw new ContainerStartError(name, dockerMessage(err));
    }
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(operation, err);
    }
  }

  private translate(operation: string, err: unknown): Error {
    if (err instanceof AppError) return err;
    if (isUnreachable(err)) return new DockerUnavailableError(this.address.label, err.code ?? 'unreachable');
    return new DockerOperationError(operation, dockerStatus(err), dockerMessage(err));
  }
}
