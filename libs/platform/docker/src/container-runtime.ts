/**
 * The port the domain types against to build images and run containers. `DockerEngine`
 * implements it on a real dockerd; `FakeDockerEngine` (@slipway/testing) in memory.
 *
 * Every id it returns is Docker's full id. Everything it creates carries the label
 * `slipway.managed=1` on top of the caller's labels (see labels.ts).
 */
export interface ContainerRuntime {
  /** True when the engine answers within a second; never throws. */
  ping(): Promise<boolean>;

  /** The image id (`sha256:…`) of a local image reference, or null when absent. */
  findImage(ref: string): Promise<string | null>;

  /**
   * Builds an image from a folder, with the layer cache. Streams every output line to
   * `onLog` as it arrives (cut at BUILD_LOG_LINE_MAX_CHARS). Steps run on `network` within the
   * BUILD_MEMORY_MB, BUILD_CPU_MILLIS, BUILD_PIDS_LIMIT and BUILD_DISK_MB limits (see README).
   * Rejects with `BuildFailedError` (message: docker's error line, or the limit that stopped
   * it) when the build fails, `BuildCancelledError` when `signal` fires.
   */
  buildImage(options: BuildImageOptions): Promise<BuildImageResult>;

  /**
   * Creates the bridge network `name` unless it exists; returns its id. Idempotent: an existing
   * network is kept as it is, whatever its subnet. With `ipam`, a new network gets exactly that
   * subnet and gateway (IPAM.Config) instead of one from the engine's default address pools.
   */
  ensureNetwork(name: string, labels: Record<string, string>, ipam?: NetworkIpam): Promise<string>;

  /** The network by name (exact), or null when it does not exist. */
  inspectNetwork(name: string): Promise<NetworkInfo | null>;

  /** Every IPv4 subnet the engine's networks use (any owner), so a new one overlaps none of them. */
  listNetworkSubnets(): Promise<string[]>;

  /**
   * Creates and starts a confined container (see README: limits, no-new-privileges, all
   * capabilities dropped, port published on 127.0.0.1 only). Rejects with
   * `ContainerStartError` (leaving no container) when the engine refuses to create or
   * start it: missing image or network, name taken, invalid limits. A process that starts
   * and then exits (even a missing executable, reported by the init process with exit code
   * 127) is not an error here: `getContainer` shows the exit code, `tailLogs` the reason.
   * `hostPort` is 0 when the process exited before the engine reported the port.
   */
  runContainer(options: RunContainerOptions): Promise<RunningContainer>;

  /** SIGTERM, then SIGKILL after `timeoutSeconds`. A missing or stopped container is fine. */
  stopContainer(id: string, options: { timeoutSeconds: number }): Promise<void>;
  /** Starts a stopped (e.g. crashed) container again, with its own configuration; its host port may change. */
  startContainer(id: string): Promise<void>;

  /** Removes the container (and its anonymous volumes). A missing container is fine. */
  removeContainer(id: string, options: { force: boolean }): Promise<void>;

  /** The container, or null when it does not exist. */
  getContainer(id: string): Promise<ContainerInfo | null>;

  /** Containers carrying every given label (`all: false` = running only). */
  listContainers(labels: Record<string, string>, options: { all: boolean }): Promise<ContainerInfo[]>;

  /** The last `lines` lines of stdout and stderr, in order; [] for a missing container. */
  tailLogs(id: string, lines: number): Promise<string[]>;

  /**
   * Lines of stdout and stderr written at or after `since` (Docker's timestamp of a line, as it
   * wrote it: RFC 3339 with nanoseconds; omitted: from the start), oldest first, each with its
   * stream and timestamp. Running and exited containers alike; [] for a missing container.
   */
  readLogs(id: string, options: { since?: string }): Promise<TimestampedLogLine[]>;

  /** Removes an image by reference or id. A missing image is fine; one in use is an error. */
  removeImage(ref: string): Promise<void>;

  /**
   * Managed images carrying every given label (dangling ones included), e.g. all images of a
   * project (`slipway.project`). Only images Slipway built are ever listed.
   */
  listImages(labels: Record<string, string>): Promise<ImageInfo[]>;

  /**
   * Trims the engine's build cache to at most `keepBytes`, least recently used records first
   * (`docker builder prune --all --keep-storage`). Returns the bytes the engine reclaimed.
   */
  pruneBuildCache(keepBytes: number): Promise<{ reclaimedBytes: number }>;

  /** Bytes the engine's build cache holds now. */
  buildCacheBytes(): Promise<number>;

  /** Removes a network. A missing network is fine; one with containers attached is an error. */
  removeNetwork(name: string): Promise<void>;

  /**
   * Makes sure the network's gateway relay runs (see README, "Gateway relay"): a confined
   * container that forwards `alias:port` on `network` to the api's Unix socket and nothing
   * else. Idempotent and safe to call concurrently (also from several processes); a relay that
   * is missing, stopped, or made with another image or settings is replaced. Rejects with
   * `ContainerStartError` when the engine refuses it (missing image or network…).
   */
  ensureGatewayRelay(options: GatewayRelayOptions): Promise<GatewayRelayResult>;
}

/** Injection token bound to the ContainerRuntime implementation (DockerModule: DockerEngine). */
export const CONTAINER_RUNTIME = Symbol('CONTAINER_RUNTIME');

export interface BuildImageOptions {
  /** Folder sent as the build context (e.g. a `git archive` extraction). */
  contextDir: string;
  /** Path of the Dockerfile inside the context, e.g. `Dockerfile` or `docker/web.Dockerfile`. */
  dockerfile: string;
  /** Image references to tag the result with, e.g. `slipway/<project>:<commit>`. */
  tags: string[];
  labels: Record<string, string>;
  buildArgs?: Record<string, string>;
  /**
   * Docker network of the build steps (BUILD_NETWORK), created when missing as a bridge with
   * no traffic between its containers; `host`, `none`, `bridge` and `default` are refused.
   */
  network: string;
  /** Called once per output line (no trailing newline), as the engine emits it. */
  onLog: (line: string) => void;
  /** Aborting cancels the build on the engine (cancel button, build timeout). */
  signal?: AbortSignal;
}

export interface BuildImageResult {
  imageId: string;
}

export interface RunContainerOptions {
  /** Unique container name, e.g. `slipway-<project>-<env>-<release>-<replica>`. */
  name: string;
  image: string;
  /** The complete environment (the caller injects PORT and SLIPWAY_* itself). */
  env: Record<string, string>;
  /** The port the app listens on inside the container; published on 127.0.0.1:<free port>. */
  containerPort: number;
  labels: Record<string, string>;
  memoryMb: number;
  /** 1000 = one CPU. */
  cpuMillis: number;
  /** Maximum number of processes/threads; 256 when unset. */
  pidsLimit?: number;
  /** Name of the project's network (ensureNetwork). */
  network: string;
  /** Capabilities to keep after dropping ALL (project opt-in), e.g. ['NET_BIND_SERVICE']. */
  capAdd?: string[];
  /** Overrides the image's CMD. */
  command?: string[];
  /** Extra /etc/hosts entries, `name:address` (`host.docker.internal:host-gateway` reaches the host). */
  extraHosts?: string[];
}

export interface GatewayRelayOptions {
  /** Unique container name, e.g. `slipway-relay-<projectId>`. */
  name: string;
  /** An image with `socat` on its PATH (SLIPWAY_RELAY_IMAGE). */
  image: string;
  /** The project network it joins (and no other). */
  network: string;
  /** Its DNS name on that network, e.g. `slipway-gateway`. */
  alias: string;
  /** The TCP port it listens on there. */
  port: number;
  /** Absolute host folder (bind) or Docker volume name holding the socket; mounted read-only. */
  socketMount: string;
  /** The socket's file name inside `socketMount`. */
  socketName: string;
  labels: Record<string, string>;
}

export interface GatewayRelayResult {
  id: string;
  /** True when this call (re)created it; false when it was already running as asked. */
  created: boolean;
}

/** An explicit address range for a network (IPAM.Config). */
export interface NetworkIpam {
  /** e.g. `10.73.0.64/26`. */
  subnet: string;
  /** The bridge's address on it, e.g. `10.73.0.65`. */
  gateway: string;
}

export interface NetworkInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** IPv4 subnets of its IPAM configuration. */
  subnets: string[];
  /** Containers attached now (running or not). */
  containers: number;
}

export interface RunningContainer {
  id: string;
  /** The port on 127.0.0.1 that reaches `containerPort`. */
  hostPort: number;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** One line of a container's output as the engine stored it. */
export interface TimestampedLogLine {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, exactly as the engine wrote it (ordered as strings within one container). */
  timestamp: string;
  text: string;
}

export interface ImageInfo {
  /** `sha256:…` */
  id: string;
  /** Its repository tags (empty for a dangling image). */
  tags: string[];
  labels: Record<string, string>;
  sizeBytes: number;
  createdAt: Date;
}

export interface ContainerInfo {
  id: string;
  name: string;
  /** Image id the container runs. */
  image: string;
  state: ContainerState;
  /** Human-readable status, e.g. `Up 3 seconds`, `Exited (1) 2 minutes ago`. */
  status: string;
  labels: Record<string, string>;
  /** Published port on 127.0.0.1, while running. */
  hostPort?: number;
  /** When the engine created the container (from the list: known for every container). */
  createdAt: Date;
  /**
   * Exit code, start and end times come from inspect, which `listContainers` calls only for
   * containers that are not running (one request per container would make every pass O(apps)
   * round-trips); `getContainer` always fills them. exitCode and finishedAt once it has exited.
   */
  exitCode?: number;
  startedAt?: Date;
  finishedAt?: Date;
}
