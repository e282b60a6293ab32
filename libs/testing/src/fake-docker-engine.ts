import { createHash } from 'node:crypto';
import {
  BuildCancelledError,
  BuildFailedError,
  ContainerStartError,
  DockerOperationError,
  DockerUnavailableError,
  LABELS,
  RELAY_SPEC_LABEL,
  ROLES,
  relaySpecDigest,
  type BuildImageOptions,
  type BuildImageResult,
  type ContainerInfo,
  type ContainerRuntime,
  type GatewayRelayOptions,
  type GatewayRelayResult,
  type NetworkInfo,
  type NetworkIpam,
  type ImageInfo,
  type RunContainerOptions,
  type RunningContainer,
  type TimestampedLogLine,
} from '@slipway/docker';

/** What the next `buildImage` does; builds without a script succeed with two lines. */
export interface FakeBuildScript {
  /** Lines sent to onLog, one per tick (so a test can cancel in between). */
  lines?: string[];
  /** Fail with this docker error line (it is also logged, as docker does). */
  fail?: string;
  /** The build holds after its lines until this settles (cancel and timeout tests). */
  until?: Promise<unknown>;
  imageId?: string;
}

export interface FakeContainer extends ContainerInfo {
  spec: RunContainerOptions;
  network: string;
  logs: string[];
  /** Set on gateway relays: the options they were made with. */
  relay?: GatewayRelayOptions;
}

export interface FakeCall {
  method: keyof ContainerRuntime;
  args: unknown[];
}

const MANAGED = { [LABELS.managed]: '1' };
const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * In-memory ContainerRuntime for unit tests of build and deploy logic. It keeps the real
 * engine's contract (idempotent stop/remove, errors by type, managed label, unique names,
 * image and network must exist) and lets a test script builds, make a run fail, make a
 * container exit, or take the whole engine down. `calls` records every call in order.
 */
export class FakeDockerEngine implements ContainerRuntime {
  readonly calls: FakeCall[] = [];
  /** Image reference (tag or id) → image id. */
  readonly images = new Map<string, string>();
  /** Image id → its labels (built images carry the build's labels and the managed label). */
  readonly imageLabels = new Map<string, Record<string, string>>();
  /** What the build cache holds; pruneBuildCache trims it to the budget. */
  buildCache = 0;
  readonly networks = new Map<string, { id: string; labels: Record<string, string>; subnets: string[] }>();
  readonly containers = new Map<string, FakeContainer>();
  /** Options of every build, in order. */
  readonly builds: BuildImageOptions[] = [];
  private readonly buildScripts: FakeBuildScript[] = [];
  private readonly runFailures: string[] = [];
  private readonly runHooks: Array<(container: FakeContainer) => void> = [];
  private reachable = true;
  private seq = 0;
  private nextPort = 40_000;

  // ---- scripting -------------------------------------------------------------------

  /** Adds a local image (e.g. the base images or an earlier release's image); returns its id. */
  addImage(ref: string, id = this.newId('sha256:'), labels?: Record<string, string>): string {
    this.images.set(ref, id);
    this.images.set(id, id);
    if (labels) this.imageLabels.set(id, { ...labels, ...MANAGED });
    return id;
  }

  /** Queues what the next build does. */
  scriptBuild(script: FakeBuildScript): this {
    this.buildScripts.push(script);
    return this;
  }

  /** The next runContainer rejects with ContainerStartError(message) and leaves nothing. */
  failNextRun(message = 'fake: the engine refused to start the container'): this {
    this.runFailures.push(message);
    return this;
  }

  /** Runs after each successful runContainer, e.g. `c => c.spec.image === bad && fake.exitContainer(c.id, 1)`. */
  onRun(hook: (container: FakeContainer) => void): this {
    this.runHooks.push(hook);
    return this;
  }

  /** The container's process ends (crash or clean exit); optional last log lines. */
  exitContainer(id: string, exitCode: number, logLines: string[] = []): void {
    const c = this.mustFind(id);
    c.logs.push(...logLines);
    this.markExited(c, exitCode);
  }

  appendLogs(id: string, ...lines: string[]): void {
    this.mustFind(id).logs.push(...lines);
  }

  /** false: ping answers false and every other call rejects with DockerUnavailableError. */
  setReachable(reachable: boolean): void {
    this.reachable = reachable;
  }

  callsOf(method: keyof ContainerRuntime): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Containers in a given state, e.g. `running()` to assert what is live. */
  running(): FakeContainer[] {
    return [...this.containers.values()].filter((c) => c.state === 'running');
  }

  // ---- ContainerRuntime --------------------------------------------------------------

  async ping(): Promise<boolean> {
    this.calls.push({ method: 'ping', args: [] });
    return this.reachable;
  }

  async findImage(ref: string): Promise<string | null> {
    this.enter('findImage', [ref]);
    return this.images.get(ref) ?? null;
  }

  async buildImage(options: BuildImageOptions): Promise<BuildImageResult> {
    this.enter('buildImage', [options]);
    // As the engine: builds never run on a network that reaches the host or other containers.
    if (['host', 'none', 'bridge', 'default'].includes(options.network) || options.network.startsWith('container:')) {
      throw new DockerOperationError('build', 400, `builds never run on the "${options.network}" network`);
    }
    if (!this.networks.has(options.network)) this.networks.set(options.network, { id: this.newId(''), labels: { ...MANAGED }, subnets: [] });
    this.builds.push(options);
    const script = this.buildScripts.shift() ?? {};
    const { signal } = options;
    const cancelled = () =>
      new BuildCancelledError((signal?.reason as { name?: string } | undefined)?.name === 'TimeoutError' ? 'timeout' : 'cancelled');
    const lines = script.lines ?? ['Step 1/1 : FROM fake', `Successfully tagged ${options.tags.join(', ')}`];
    for (const line of lines) {
      if (signal?.aborted) throw cancelled();
      options.onLog(line);
      await tick();
    }
    if (script.until) {
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(cancelled());
        signal?.addEventListener('abort', () => reject(cancelled()), { once: true });
        script.until!.then(
          () => resolve(),
          () => resolve(),
        );
      });
    }
    if (signal?.aborted) throw cancelled();
    if (script.fail) {
      options.onLog(script.fail);
      throw new BuildFailedError(script.fail);
    }
    const imageId = script.imageId ?? this.newId('sha256:');
    this.images.set(imageId, imageId);
    for (const tag of options.tags) this.images.set(tag, imageId);
    this.imageLabels.set(imageId, { ...options.labels, ...MANAGED });
    return { imageId };
  }

  async ensureNetwork(name: string, labels: Record<string, string>, ipam?: NetworkIpam): Promise<string> {
    this.enter('ensureNetwork', ipam ? [name, labels, ipam] : [name, labels]);
    const existing = this.networks.get(name);
    if (existing) return existing.id;
    // As the engine: an explicit subnet may not overlap another network's (same-prefix equality is enough for the fake).
    if (ipam && [...this.networks.values()].some((n) => n.subnets.includes(ipam.subnet)))
      throw new DockerOperationError('network create', 403, `Pool overlaps with other one on this address space`);
    const id = this.newId('');
    this.networks.set(name, { id, labels: { ...labels, ...MANAGED }, subnets: ipam ? [ipam.subnet] : [] });
    return id;
  }

  async inspectNetwork(name: string): Promise<NetworkInfo | null> {
    this.enter('inspectNetwork', [name]);
    const n = this.networks.get(name);
    if (!n) return null;
    return { id: n.id, name, labels: { ...n.labels }, subnets: [...n.subnets], containers: [...this.containers.values()].filter((c) => c.network === name).length };
  }

  async listNetworkSubnets(): Promise<string[]> {
    this.enter('listNetworkSubnets', []);
    return [...this.networks.values()].flatMap((n) => n.subnets);
  }

  async runContainer(options: RunContainerOptions): Promise<RunningContainer> {
    this.enter('runContainer', [options]);
    const failure = this.runFailures.shift();
    if (failure) throw new ContainerStartError(options.name, failure);
    const image = this.images.get(options.image);
    if (!image) throw new ContainerStartError(options.name, `No such image: ${options.image}`);
    if (!this.networks.has(options.network)) throw new ContainerStartError(options.name, `network ${options.network} not found`);
    if ([...this.containers.values()].some((c) => c.name === options.name)) {
      throw new ContainerStartError(options.name, `Conflict. The container name "/${options.name}" is already in use`);
    }
    const container: FakeContainer = {
      id: this.newId(''),
      name: options.name,
      image,
      state: 'running',
      status: 'Up Less than a second',
      labels: { ...options.labels, ...MANAGED },
      hostPort: this.nextPort++,
      createdAt: new Date(),
      startedAt: new Date(),
      spec: options,
      network: options.network,
      logs: [],
    };
    this.containers.set(container.id, container);
    for (const hook of this.runHooks) hook(container);
    return { id: container.id, hostPort: container.hostPort ?? 0 };
  }

  async stopContainer(id: string, options: { timeoutSeconds: number }): Promise<void> {
    this.enter('stopContainer', [id, options]);
    const c = this.find(id);
    if (c?.state === 'running') this.markExited(c, 0);
  }

  async startContainer(id: string): Promise<void> {
    this.enter('startContainer', [id]);
    const c = this.find(id);
    if (!c) throw new DockerOperationError('container start', 404, `No such container: ${id}`);
    if (c.state === 'running') return;
    c.state = 'running';
    c.hostPort = this.nextPort++;
    c.startedAt = new Date();
    c.exitCode = undefined;
  }

  async removeContainer(id: string, options: { force: boolean }): Promise<void> {
    this.enter('removeContainer', [id, options]);
    const c = this.find(id);
    if (!c) return;
    if (c.state === 'running' && !options.force) {
      throw new DockerOperationError(
        'container remove',
        409,
        `You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`,
      );
    }
    this.containers.delete(c.id);
  }

  async getContainer(id: string): Promise<ContainerInfo | null> {
    this.enter('getContainer', [id]);
    const c = this.find(id);
    return c ? info(c) : null;
  }

  async listContainers(labels: Record<string, string>, options: { all: boolean }): Promise<ContainerInfo[]> {
    this.enter('listContainers', [labels, options]);
    const wanted = Object.entries({ ...labels, ...MANAGED });
    return [...this.containers.values()]
      .filter((c) => (options.all || c.state === 'running') && wanted.every(([k, v]) => c.labels[k] === v))
      .map(info);
  }

  async tailLogs(id: string, lines: number): Promise<string[]> {
    this.enter('tailLogs', [id, lines]);
    return this.find(id)?.logs.slice(-lines) ?? [];
  }

  /** The fake's lines carry no times: all of them as stdout at the epoch, then nothing new. */
  async readLogs(id: string, options: { since?: string }): Promise<TimestampedLogLine[]> {
    this.enter('readLogs', [id, options]);
    if (options.since) return [];
    return (this.find(id)?.logs ?? []).map((text) => ({ stream: 'stdout' as const, timestamp: '1970-01-01T00:00:00.000000000Z', text }));
  }

  async removeImage(ref: string): Promise<void> {
    this.enter('removeImage', [ref]);
    const id = this.images.get(ref);
    if (!id) return;
    const user = [...this.containers.values()].find((c) => c.image === id);
    if (user)
      throw new DockerOperationError(
        'image remove',
        409,
        `conflict: unable to remove ${ref} - container ${user.id.slice(0, 12)} is using it`,
      );
    // Removing by id removes every tag; removing the last tag removes the image.
    if (ref === id) for (const [k, v] of this.images) if (v === id) this.images.delete(k);
    this.images.delete(ref);
    if (![...this.images].some(([k, v]) => v === id && k !== id)) this.images.delete(id);
  }

  async listImages(labels: Record<string, string>): Promise<ImageInfo[]> {
    this.enter('listImages', [labels]);
    const wanted = Object.entries({ ...labels, ...MANAGED });
    return [...this.imageLabels]
      .filter(([id, own]) => this.images.has(id) && wanted.every(([k, v]) => own[k] === v))
      .map(([id, own]) => ({
        id,
        tags: [...this.images].filter(([ref, to]) => to === id && ref !== id).map(([ref]) => ref),
        labels: own,
        sizeBytes: 0,
        createdAt: new Date(0),
      }));
  }

  async pruneBuildCache(keepBytes: number): Promise<{ reclaimedBytes: number }> {
    this.enter('pruneBuildCache', [keepBytes]);
    const reclaimedBytes = Math.max(0, this.buildCache - keepBytes);
    this.buildCache -= reclaimedBytes;
    return { reclaimedBytes };
  }

  async buildCacheBytes(): Promise<number> {
    this.enter('buildCacheBytes', []);
    return this.buildCache;
  }

  async removeNetwork(name: string): Promise<void> {
    this.enter('removeNetwork', [name]);
    if (!this.networks.has(name)) return;
    if (this.running().some((c) => c.network === name))
      throw new DockerOperationError('network remove', 403, `error while removing network: network ${name} has active endpoints`);
    this.networks.delete(name);
  }

  async ensureGatewayRelay(options: GatewayRelayOptions): Promise<GatewayRelayResult> {
    this.enter('ensureGatewayRelay', [options]);
    const image = this.images.get(options.image);
    if (!image) throw new ContainerStartError(options.name, `No such image: ${options.image}`);
    if (!this.networks.has(options.network)) throw new ContainerStartError(options.name, `network ${options.network} not found`);
    const existing = this.find(options.name);
    if (existing?.state === 'running' && existing.image === image && JSON.stringify(existing.relay) === JSON.stringify(options)) return { id: existing.id, created: false };
    if (existing) this.containers.delete(existing.id); // stopped, or made from another image or settings
    const relay: FakeContainer = {
      id: this.newId(''),
      name: options.name,
      image,
      state: 'running',
      status: 'Up Less than a second',
      // As the engine: the spec digest lets a reconcile pass tell a current relay from the list.
      labels: { ...options.labels, [LABELS.role]: ROLES.gatewayRelay, [RELAY_SPEC_LABEL]: relaySpecDigest(options, image), ...MANAGED },
      createdAt: new Date(),
      startedAt: new Date(),
      spec: { name: options.name, image: options.image, env: {}, containerPort: options.port, labels: options.labels, memoryMb: 64, cpuMillis: 500, network: options.network },
      network: options.network,
      logs: [],
      relay: options,
    };
    this.containers.set(relay.id, relay);
    return { id: relay.id, created: true };
  }

  // ---- internals ---------------------------------------------------------------------

  private enter(method: keyof ContainerRuntime, args: unknown[]): void {
    this.calls.push({ method, args });
    if (!this.reachable) throw new DockerUnavailableError('fake engine', 'ECONNREFUSED');
  }

  private find(idOrName: string): FakeContainer | undefined {
    return this.containers.get(idOrName) ?? [...this.containers.values()].find((c) => c.name === idOrName || c.id.startsWith(idOrName));
  }

  private mustFind(id: string): FakeContainer {
    const c = this.find(id);
    if (!c) throw new Error(`FakeDockerEngine: no container ${id}`);
    return c;
  }

  private markExited(c: FakeContainer, exitCode: number): void {
    c.state = 'exited';
    c.exitCode = exitCode;
    c.status = `Exited (${exitCode}) Less than a second ago`;
    c.finishedAt = new Date();
    c.hostPort = undefined;
  }

  private newId(prefix: string): string {
    return prefix + createHash('sha256').update(`fake-${++this.seq}`).digest('hex');
  }
}

/** A copy without the fake's bookkeeping, as the real engine returns it. */
function info(c: FakeContainer): ContainerInfo {
  const { spec: _spec, network: _network, logs: _logs, relay: _relay, ...rest } = c;
  return { ...rest, labels: { ...rest.labels } };
}
