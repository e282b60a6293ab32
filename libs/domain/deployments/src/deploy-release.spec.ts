import type { Config } from '@slipway/config';
import type { TenantScope } from '@slipway/contracts';
import { AppError, SupersededAttemptError } from '@slipway/errors';
import { FakeDockerEngine } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeploymentBusyError, type DeploymentGateway, type LiveReleaseEvent, type ReleaseLiveHook } from './deploy-options';
import { DeployRelease } from './deploy-release';
import { GatewayRelays } from './gateway-relays';
import type { ProjectNetworks } from './networks/project-networks';
import type { DeploymentClaim, DeploymentsRepository, TimelineEntry } from './deployments.repository';
import { LOGS_UNREADABLE, waitHealthy, type HealthProbe } from './health-check';
import { WITHHELD } from '@slipway/secrets';
import type { PublishedRouteTable, RouteTablePublisher } from './route-table';

const scope: TenantScope = { organizationId: 'org' };
type Row = Record<string, unknown> & { id: string };

/** The slice of DeploymentsRepository DeployRelease uses, in memory (Postgres is covered by the int spec). */
class MemoryRepository {
  deployments = new Map<string, Row>();
  releases = new Map<string, Row>();
  replicas: Row[] = [];
  timeline: (TimelineEntry & { deploymentId: string })[] = [];
  env = { id: 'env', name: 'production', liveReleaseId: null as string | null, project: { id: 'proj', slug: 'web' } };
  private seq = 0;

  addRelease(number: number, image: string, runtime: Record<string, unknown> = {}): string {
    const id = `rel${number}`;
    this.releases.set(id, {
      id,
      number,
      imageId: image,
      commitSha: `c0ffee${number}`,
      envVarVersions: { API_KEY: 1 },
      slipwayConfig: {},
      runtime: {
        port: 3000,
        healthCheckPath: '/healthz',
        healthCheckTimeoutSeconds: 2,
        memoryMb: 128,
        cpuMillis: 500,
        replicas: 2,
        capAdd: [],
        command: null,
        ...runtime,
      },
    });
    return id;
  }
  addDeployment(releaseId: string, status = 'QUEUED'): string {
    const id = `dep${++this.seq}`;
    this.deployments.set(id, { id, releaseId, environmentId: 'env', status, attempt: status === 'QUEUED' ? 0 : 1 });
    return id;
  }
  async find(_s: TenantScope, id: string) {
    return this.deployments.get(id) ?? null;
  }
  async findForRun(_s: TenantScope, id: string) {
    const d = this.deployments.get(id);
    return d ? { ...d, release: this.releases.get(d.releaseId as string), environment: this.env } : null;
  }
  async transaction<T>(fn: (tx: unknown) => Promise<T>) {
    return fn({});
  }
  /** The attempt fence, as Postgres enforces it: a write of an attempt that no longer owns the row throws. */
  private own(claim: DeploymentClaim) {
    if (this.deployments.get(claim.deploymentId)?.attempt !== claim.attempt) throw new SupersededAttemptError(`deployment ${claim.deploymentId}`, claim.attempt);
  }
  async stillOwned(_s: TenantScope, claim: DeploymentClaim) {
    this.own(claim);
  }
  async asOwner<T>(_s: TenantScope, claim: DeploymentClaim, fn: (tx: unknown) => Promise<T>) {
    this.own(claim);
    return fn({});
  }
  async markRunning(_s: TenantScope, id: string) {
    if ([...this.deployments.values()].some((d) => d.status === 'RUNNING' && d.id !== id)) return 'BUSY';
    const d = this.deployments.get(id)!;
    if (d.status !== 'QUEUED') return 'NOT_QUEUED';
    Object.assign(d, { status: 'RUNNING', previousReleaseId: this.env.liveReleaseId, attempt: (d.attempt as number) + 1 });
    return { deploymentId: id, attempt: d.attempt as number };
  }
  async resume(_s: TenantScope, id: string) {
    const d = this.deployments.get(id)!;
    if (d.status !== 'RUNNING') return null;
    d.attempt = (d.attempt as number) + 1;
    return { deploymentId: id, attempt: d.attempt };
  }
  async finish(_s: TenantScope, claim: DeploymentClaim, data: Record<string, unknown>) {
    this.own(claim);
    Object.assign(this.deployments.get(claim.deploymentId)!, data);
  }
  async appendEvent(_s: TenantScope, claim: DeploymentClaim, entry: TimelineEntry) {
    this.own(claim);
    this.timeline.push({ ...entry, deploymentId: claim.deploymentId });
    return null;
  }
  async events(_s: TenantScope, deploymentId: string) {
    return this.timeline.filter((e) => e.deploymentId === deploymentId);
  }
  async createReplica(_s: TenantScope, claim: DeploymentClaim, data: Record<string, unknown>) {
    this.own(claim);
    const row = { id: `r${++this.seq}`, ...data, deploymentId: claim.deploymentId, containerId: null, hostPort: null, state: 'STARTING' };
    this.replicas.push(row);
    return row;
  }
  async setReplicaContainer(_s: TenantScope, claim: DeploymentClaim, id: string, data: Record<string, unknown>) {
    this.own(claim);
    Object.assign(
      this.replicas.find((r) => r.id === id)!,
      data,
    );
  }
  async setReplicaState(_s: TenantScope, claim: DeploymentClaim, ids: string[], state: string, extra: Record<string, unknown> = {}) {
    this.own(claim);
    for (const r of this.replicas) if (ids.includes(r.id)) Object.assign(r, { state, ...extra });
  }
  async replicasOfDeployment(_s: TenantScope, deploymentId: string, states?: string[]) {
    return this.replicas.filter((r) => r.deploymentId === deploymentId && (!states || states.includes(r.state as string)));
  }
  async runningReplicasNotOf(_s: TenantScope, _env: string, deploymentId: string) {
    return this.replicas.filter(
      (r) => r.deploymentId !== deploymentId && ['STARTING', 'HEALTHY', 'CRASHED', 'DRAINING'].includes(r.state as string),
    );
  }
  async setLiveRelease(_s: TenantScope, _env: string, releaseId: string) {
    this.env.liveReleaseId = releaseId;
  }
  async findRelease(_s: TenantScope, id: string) {
    return this.releases.get(id) ?? null;
  }
}

let docker: FakeDockerEngine;
let repo: MemoryRepository;
let order: string[];
let published: number;
/** Containers whose image is in here answer 500; everything else 200. */
let unhealthyImages: Set<string>;

/** Today's secret values; the pinned ones are `variables` (the release's versions). null: the secrets cannot be read. */
let todaysSecrets: string[] | null;

function deployer(gateway?: DeploymentGateway, variables: Record<string, string> = { API_KEY: 'sk-pinned-value' }, relays?: GatewayRelays, networks?: ProjectNetworks, releaseLive?: ReleaseLiveHook): DeployRelease {
  const routes: RouteTablePublisher = {
    publish: async () => {
      published++;
      order.push(`publish(live=${repo.env.liveReleaseId})`);
      const upstreams = repo.replicas
        .filter((r) => r.releaseId === repo.env.liveReleaseId && r.state === 'HEALTHY')
        .map((r) => ({ host: '127.0.0.1' as const, port: Number(r.hostPort), containerId: String(r.containerId) }));
      const route = { hosts: ['shop.localhost'], organizationId: 'o', projectId: 'p', environmentId: repo.env.id, releaseId: repo.env.liveReleaseId ?? '', upstreams };
      return { previous: null, table: { version: 1, generatedAt: '', routes: [route, { ...route, hosts: ['shop.api.localhost'], listing: {} as never }] } } as PublishedRouteTable;
    },
  };
  const probe: HealthProbe = async (port) => {
    const c = [...docker.containers.values()].find((x) => x.hostPort === port);
    return c && !unhealthyImages.has(c.spec.image) ? { status: 200 } : { status: 500 };
  };
  const unreadable = async (): Promise<never> => {
    throw new Error('the master key cannot open the sealed values');
  };
  const secrets = {
    valuesAt: async () => variables,
    secretValuesAt: async () => (todaysSecrets === null ? unreadable() : Object.values(variables)),
    secretValues: async () => (todaysSecrets === null ? unreadable() : todaysSecrets),
  };
  return new DeployRelease(
    { APPS_DOMAIN: 'localhost' } as Config,
    docker,
    repo as unknown as DeploymentsRepository,
    secrets as never,
    routes,
    (rt, o) => waitHealthy(rt, { ...o, intervalMs: 5, probe }),
    { drainSeconds: 0 },
    gateway,
    relays,
    undefined,
    networks,
    undefined,
    releaseLive,
  );
}

beforeEach(() => {
  docker = new FakeDockerEngine();
  repo = new MemoryRepository();
  order = [];
  published = 0;
  unhealthyImages = new Set();
  todaysSecrets = ['sk-pinned-value'];
  docker.addImage('img-v1');
  docker.addImage('img-v2');
  docker.addImage('img-bad');
});

/** Deploys release `number` (image `img`) to success, returning the deployment id. */
async function deployed(number: number, image: string): Promise<string> {
  const rel = repo.addRelease(number, image);
  const id = repo.addDeployment(rel);
  expect(await deployer().execute(scope, id)).toMatchObject({ status: 'SUCCEEDED' });
  return id;
}

const trace = () =>
  docker.calls
    .filter((c) => ['runContainer', 'stopContainer', 'removeContainer'].includes(c.method))
    .map((c) => `${c.method}(${c.method === 'runContainer' ? (c.args[0] as { image: string }).image : 'x'})`);

describe('DeployRelease', () => {
  it('tells the release-live hook the new release and its own upstreams, and a failing hook does not fail the deployment', async () => {
    const told: LiveReleaseEvent[] = [];
    const rel = repo.addRelease(1, 'img-v1');
    const outcome = await deployer(undefined, undefined, undefined, undefined, { releaseLive: async (_s, e) => void told.push(e) }).execute(scope, repo.addDeployment(rel));
    expect(outcome).toMatchObject({ status: 'SUCCEEDED' });
    const ports = docker.running().map((c) => c.hostPort);
    expect(told).toEqual([{ environmentId: 'env', releaseId: rel, upstreams: ports.map((port) => ({ host: '127.0.0.1', port })) }]);

    const rel2 = repo.addRelease(2, 'img-v2');
    const failing: ReleaseLiveHook = { releaseLive: async () => Promise.reject(new Error('document server down')) };
    expect(await deployer(undefined, undefined, undefined, undefined, failing).execute(scope, repo.addDeployment(rel2))).toMatchObject({ status: 'SUCCEEDED', releaseId: rel2 });
    expect(repo.env.liveReleaseId).toBe(rel2);
  });

  it('starts the new replicas beside the old ones, switches the route table, then stops the old ones', async () => {
    await deployed(1, 'img-v1');
    const v1 = docker.running().map((c) => c.id);
    expect(v1).toHaveLength(2);
    docker.calls.length = 0;
    order.length = 0;

    const rel2 = repo.addRelease(2, 'img-v2');
    const dep2 = repo.addDeployment(rel2);
    const events: string[] = [];
    const outcome = await deployer().execute(scope, dep2, { onEvent: (_id, e) => events.push(e.message) });

    expect(outcome).toMatchObject({ status: 'SUCCEEDED', releaseId: rel2 });
    // Every start happens before the first stop; the publish (with v2 live) sits between.
    const calls = docker.calls.map((c) => c.method);
    const lastRun = calls.lastIndexOf('runContainer');
    const firstStop = calls.indexOf('stopContainer');
    expect(lastRun).toBeLessThan(firstStop);
    expect(trace().slice(0, 2)).toEqual(['runContainer(img-v2)', 'runContainer(img-v2)']);
    expect(order).toEqual([`publish(live=${rel2})`]);
    expect(docker.running().map((c) => c.spec.image)).toEqual(['img-v2', 'img-v2']);
    expect(v1.every((id) => !docker.containers.has(id))).toBe(true);
    expect(repo.env.liveReleaseId).toBe(rel2);
    expect(repo.replicas.filter((r) => r.releaseId === 'rel1').map((r) => r.state)).toEqual(['STOPPED', 'STOPPED']);
    expect(repo.replicas.filter((r) => r.releaseId === rel2).map((r) => r.state)).toEqual(['HEALTHY', 'HEALTHY']);
    expect(events).toEqual([
      'starting 2 replicas of v2',
      expect.stringMatching(/^replica \d healthy in \d+\.\d s$/),
      expect.stringMatching(/^replica \d healthy in \d+\.\d s$/),
      'switching traffic to v2',
      'draining v1 (2 replicas) for 0 s',
      'stopped v1 (2 replicas)',
      expect.stringMatching(/^deployment succeeded in \d+\.\d s$/),
    ]);

    // What the containers got: pinned variables, PORT and metadata, limits, labels, a unique name.
    const spec = docker.running()[0]!.spec;
    expect(spec.env).toMatchObject({
      API_KEY: 'sk-pinned-value',
      PORT: '3000',
      SLIPWAY_PROJECT: 'web',
      SLIPWAY_ENVIRONMENT: 'production',
      SLIPWAY_RELEASE: 'v2',
      SLIPWAY_COMMIT: 'c0ffee2',
      SLIPWAY_DEPLOYMENT: dep2,
    });
    expect(spec).toMatchObject({
      memoryMb: 128,
      cpuMillis: 500,
      pidsLimit: 256,
      network: 'slipway-proj',
      capAdd: [],
      labels: { 'slipway.release': rel2, 'slipway.deployment': dep2, 'slipway.environment': 'env', 'slipway.project': 'proj' },
    });
    expect(spec.name).toMatch(/^slipway-web-production-v2-[01]-[0-9a-f]{4}$/);
  });

  it('keeps the old release live and removes the new containers when a health check fails', async () => {
    await deployed(1, 'img-v1');
    const v1 = docker.running().map((c) => c.id);
    unhealthyImages.add('img-bad');
    docker.onRun(
      (c) => c.spec.image === 'img-bad' && docker.appendLogs(c.id, 'listening on 3000', 'GET /healthz 500: cannot reach the database'),
    );
    const bad = repo.addDeployment(repo.addRelease(2, 'img-bad'));
    published = 0;

    const outcome = await deployer().execute(scope, bad);

    expect(outcome).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('failed its health check (GET /healthz)'),
      logs: expect.arrayContaining(['GET /healthz 500: cannot reach the database']),
    });
    expect(published).toBe(0);
    expect(repo.env.liveReleaseId).toBe('rel1');
    expect(docker.running().map((c) => c.id)).toEqual(v1);
    expect([...docker.containers.values()].filter((c) => c.spec.image === 'img-bad')).toEqual([]);
    expect(repo.replicas.filter((r) => r.releaseId === 'rel2').map((r) => r.state)).toEqual(['FAILED', 'FAILED']);
    expect(repo.deployments.get(bad)).toMatchObject({
      status: 'FAILED',
      failedReplicaLogs: expect.stringContaining('cannot reach the database'),
    });
  });

  it('detects a crash on start early, with the exit code and the last lines, and redacts secrets from them', async () => {
    await deployed(1, 'img-v1');
    docker.onRun((c) => c.spec.image === 'img-bad' && docker.exitContainer(c.id, 1, ['fatal: API_KEY=sk-pinned-value rejected']));
    const rel = repo.addRelease(2, 'img-bad', { healthCheckTimeoutSeconds: 60, replicas: 1 });
    const started = Date.now();
    const outcome = await deployer().execute(scope, repo.addDeployment(rel));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outcome).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('exited with code 1'),
      logs: ['fatal: API_KEY=[redacted] rejected'],
    });
    expect(repo.replicas.find((r) => r.releaseId === rel)).toMatchObject({ state: 'FAILED', lastExitCode: 1 });
    expect([...docker.containers.values()].filter((c) => c.spec.image === 'img-bad')).toEqual([]);
    expect(repo.env.liveReleaseId).toBe('rel1');
  });

  it('redacts the pinned value of a secret rotated since, the gateway key, and their encoded forms from the stored log', async () => {
    todaysSecrets = ['sk-rotated-today'];
    const key = 'sk-slw-environment-gateway-key';
    const gateway: DeploymentGateway = {
      containerSettings: async () => ({ env: { ANTHROPIC_API_KEY: key, OPENAI_API_KEY: key }, extraHosts: [], secrets: [key] }),
      liveReleaseChanged: async () => undefined,
    };
    const printed = [
      `{ ANTHROPIC_API_KEY: '${key}', API_KEY: 'sk-pinned-value' }`,
      `b64=${Buffer.from('sk-pinned-value').toString('base64')} url=${encodeURIComponent(key)} hex=${Buffer.from(key).toString('hex')}`,
      `json=${JSON.stringify({ k: 'sk-rotated-today' })}`,
    ];
    docker.onRun((c) => c.spec.image === 'img-bad' && docker.exitContainer(c.id, 1, printed));
    const outcome = await deployer(gateway).execute(scope, repo.addDeployment(repo.addRelease(1, 'img-bad', { replicas: 1 })));
    expect(outcome.status).toBe('FAILED');
    const stored = String(repo.deployments.values().next().value!.failedReplicaLogs);
    for (const leak of ['sk-pinned-value', key, 'sk-rotated-today', Buffer.from('sk-pinned-value').toString('base64'), encodeURIComponent(key), Buffer.from(key).toString('hex')]) {
      expect(stored).not.toContain(leak);
    }
    expect(stored).toContain('[redacted]');
  });

  it('withholds the failure text when the secret values cannot be read (fail closed)', async () => {
    todaysSecrets = null;
    docker.onRun((c) => c.spec.image === 'img-bad' && docker.exitContainer(c.id, 1, ['API_KEY=sk-pinned-value']));
    const outcome = await deployer().execute(scope, repo.addDeployment(repo.addRelease(1, 'img-bad', { replicas: 1 })));
    expect(outcome).toMatchObject({ status: 'FAILED', reason: WITHHELD, logs: [WITHHELD] });
    const row = repo.deployments.values().next().value!;
    expect(row).toMatchObject({ failureReason: WITHHELD, failedReplicaLogs: WITHHELD });
    expect(JSON.stringify(repo.timeline)).not.toContain('sk-pinned-value');
  });

  it('says the logs could not be read when the engine does not give them, instead of an empty log', async () => {
    docker.onRun((c) => {
      if (c.spec.image !== 'img-bad') return;
      docker.exitContainer(c.id, 1, ['anything']);
      docker.tailLogs = async () => {
        throw new Error('engine: logs unavailable');
      };
    });
    const outcome = await deployer().execute(scope, repo.addDeployment(repo.addRelease(1, 'img-bad', { replicas: 1 })));
    expect(outcome).toMatchObject({ status: 'FAILED', logs: [LOGS_UNREADABLE] });
  });

  it('fails with a clear reason when the engine cannot start the container (image gone)', async () => {
    const rel = repo.addRelease(1, 'img-missing');
    const outcome = await deployer().execute(scope, repo.addDeployment(rel));
    expect(outcome).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('No such image') });
    expect(docker.containers.size).toBe(0);
  });

  it('fails with NETWORK_POOL_EXHAUSTED before starting or stopping anything when no project network is free', async () => {
    await deployed(1, 'img-v1');
    const v1 = docker.running().map((c) => c.id);
    docker.calls.length = 0;
    const full = {
      ensure: async () => {
        throw new AppError('NETWORK_POOL_EXHAUSTED', 'No project network is free: all 4 /30 subnets of PROJECT_NETWORK_POOL=10.73.0.0/28 are in use.');
      },
    } as unknown as ProjectNetworks;
    const outcome = await deployer(undefined, undefined, undefined, full).execute(scope, repo.addDeployment(repo.addRelease(2, 'img-v2')));
    expect(outcome).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('PROJECT_NETWORK_POOL=10.73.0.0/28') });
    expect(trace()).toEqual([]);
    expect(docker.running().map((c) => c.id)).toEqual(v1);
    expect(repo.env.liveReleaseId).toBe('rel1');
  });

  it('skips finished deployments, waits behind a running one, and resumes its own interrupted run', async () => {
    const first = await deployed(1, 'img-v1');
    expect(await deployer().execute(scope, first)).toEqual({ status: 'SKIPPED' });

    // A worker died while starting v2: a RUNNING row with one STARTING replica and its container.
    const rel2 = repo.addRelease(2, 'img-v2');
    const crashed = repo.addDeployment(rel2, 'RUNNING');
    const orphanRow = await repo.createReplica(scope, { deploymentId: crashed, attempt: 1 }, {
      releaseId: rel2,
      environmentId: 'env',
      index: 0,
      containerName: 'slipway-web-production-v2-0-dead',
    });
    await docker.ensureNetwork('slipway-proj', {});
    await docker.runContainer({
      name: 'slipway-web-production-v2-0-dead',
      image: 'img-v2',
      env: {},
      containerPort: 3000,
      labels: {},
      memoryMb: 128,
      cpuMillis: 500,
      network: 'slipway-proj',
    });

    const queued = repo.addDeployment(repo.addRelease(3, 'img-v2'));
    await expect(deployer().execute(scope, queued)).rejects.toBeInstanceOf(DeploymentBusyError);

    expect(await deployer().execute(scope, crashed)).toMatchObject({ status: 'SUCCEEDED' });
    expect(orphanRow.state).toBe('FAILED');
    expect([...docker.containers.values()].some((c) => c.name === 'slipway-web-production-v2-0-dead')).toBe(false);
    expect(docker.running().map((c) => c.spec.image)).toEqual(['img-v2', 'img-v2']);
    expect(repo.timeline.find((e) => e.deploymentId === crashed)?.step).toBe('resume');
  });

  it('stops a run the moment a newer run claims its deployment: it writes nothing more and removes only the containers it started', async () => {
    await deployed(1, 'img-v1');
    const v1 = docker.running().map((c) => c.id);
    const id = repo.addDeployment(repo.addRelease(2, 'img-v2'));
    let newer: Promise<unknown> | undefined;
    // The first run's queue lock lapses while its replicas start: the job runs again beside it.
    const first = deployer().execute(scope, id, {
      onEvent: (_id, e) => {
        if (e.step === 'start') newer ??= deployer().execute(scope, id);
      },
    });
    expect(await first).toEqual({ status: 'SKIPPED' });
    expect(await newer).toMatchObject({ status: 'SUCCEEDED' });
    // One run's replicas serve, and nothing of the first run is left.
    const serving = docker.running().map((c) => c.spec.image);
    expect(serving).toEqual(['img-v2', 'img-v2']);
    expect(v1.every((c) => !docker.containers.has(c))).toBe(true);
    const healthy = repo.replicas.filter((r) => r.releaseId === 'rel2' && r.state === 'HEALTHY');
    expect(healthy.map((r) => r.containerId).sort()).toEqual(docker.running().map((c) => c.id).sort());
    expect(repo.timeline.filter((e) => e.deploymentId === id).map((e) => e.step)).toEqual(['start', 'resume', 'start', 'health', 'health', 'switch', 'drain', 'stop', 'done']);
  });

  it('points the SDKs of every container at the model gateway with the environment key, unless the environment sets them', async () => {
    const told: string[] = [];
    const gateway: DeploymentGateway = {
      // An operator's GATEWAY_URL_FOR_APPS on the Docker host: its hosts entry is passed on.
      containerSettings: async (_s, environmentId) => ({
        env: {
          ANTHROPIC_BASE_URL: 'http://host.docker.internal:4000',
          ANTHROPIC_API_KEY: `sk-slw-key-of-${environmentId}`,
          OPENAI_BASE_URL: 'http://host.docker.internal:4000/v1',
          OPENAI_API_KEY: `sk-slw-key-of-${environmentId}`,
          SLIPWAY_GATEWAY_URL: 'http://host.docker.internal:4000',
        },
        extraHosts: ['host.docker.internal:host-gateway'],
      }),
      liveReleaseChanged: async (_s, environmentId) => void told.push(`${environmentId}: live ${repo.env.liveReleaseId}`),
    };
    const rel = repo.addRelease(1, 'img-v1', { replicas: 1 });
    const variables = { API_KEY: 'sk-pinned-value', OPENAI_API_KEY: 'sk-team-real-openai-key', OPENAI_BASE_URL: 'https://api.openai.com/v1' };
    expect(await deployer(gateway, variables).execute(scope, repo.addDeployment(rel))).toMatchObject({ status: 'SUCCEEDED' });

    const spec = docker.running()[0]!.spec;
    expect(spec.env).toMatchObject({
      ANTHROPIC_BASE_URL: 'http://host.docker.internal:4000',
      ANTHROPIC_API_KEY: 'sk-slw-key-of-env',
      SLIPWAY_GATEWAY_URL: 'http://host.docker.internal:4000',
      // Set by the team: their real provider, not the gateway.
      OPENAI_API_KEY: 'sk-team-real-openai-key',
      OPENAI_BASE_URL: 'https://api.openai.com/v1',
      API_KEY: 'sk-pinned-value',
    });
    expect(spec.extraHosts).toEqual(['host.docker.internal:host-gateway']);
    // The gateway hears of the switch after the new release is live.
    expect(told).toEqual([`env: live ${rel}`]);
  });

  it('starts containers without gateway variables when no gateway is bound', async () => {
    await deployed(1, 'img-v1');
    const spec = docker.running()[0]!.spec;
    expect(Object.keys(spec.env).filter((k) => k.includes('ANTHROPIC') || k.includes('OPENAI'))).toEqual([]);
    expect(spec.extraHosts).toBeUndefined();
  });
});

describe('the gateway relay of the project network', () => {
  const relayGateway: DeploymentGateway = {
    containerSettings: async () => ({ env: { ANTHROPIC_BASE_URL: 'http://slipway-gateway:4000' }, extraHosts: [] }),
    liveReleaseChanged: async () => undefined,
  };
  const relayConfig = (over: Partial<Config> = {}) => ({ SLIPWAY_RELAY_IMAGE: 'slipway/relay:1', GATEWAY_SOCKET_PATH: '/srv/slipway/run/gateway.sock', ...over }) as Config;
  const relays = (over: Partial<Config> = {}, gateway: DeploymentGateway | null = relayGateway) => new GatewayRelays(relayConfig(over), docker, gateway ?? undefined, {});
  const deployWith = async (r: GatewayRelays, number: number) => {
    const id = repo.addDeployment(repo.addRelease(number, 'img-v1', { replicas: 1 }));
    expect(await deployer(relayGateway, undefined, r).execute(scope, id)).toMatchObject({ status: 'SUCCEEDED' });
    return repo.timeline.filter((e) => e.deploymentId === id && e.step === 'relay');
  };

  it('starts the relay on the project network before the replicas, once, and replaces it when it stopped', async () => {
    docker.addImage('slipway/relay:1');
    const r = relays();
    const first = await deployWith(r, 1);
    const methods = docker.calls.map((c) => c.method);
    expect(methods.indexOf('ensureNetwork')).toBeLessThan(methods.indexOf('ensureGatewayRelay'));
    expect(methods.indexOf('ensureGatewayRelay')).toBeLessThan(methods.indexOf('runContainer'));
    expect(first).toEqual([expect.objectContaining({ level: 'info', message: 'started the model gateway relay (http://slipway-gateway:4000) on the project network' })]);
    const relay = docker.running().find((c) => c.relay)!;
    expect(relay).toMatchObject({ name: 'slipway-relay-proj', network: 'slipway-proj', labels: { 'slipway.project': 'proj', 'slipway.role': 'gateway-relay' } });
    expect(relay.relay).toMatchObject({ alias: 'slipway-gateway', port: 4000, socketMount: '/srv/slipway/run', socketName: 'gateway.sock', image: 'slipway/relay:1' });

    expect(await deployWith(r, 2)).toEqual([]); // already running: nothing to say
    expect(docker.running().filter((c) => c.relay).map((c) => c.id)).toEqual([relay.id]);

    await docker.stopContainer(relay.id, { timeoutSeconds: 0 });
    expect(await deployWith(r, 3)).toHaveLength(1);
    expect(docker.running().filter((c) => c.relay)).toHaveLength(1);
  });

  it('deploys the app anyway when the engine refuses the relay, and says why on the timeline', async () => {
    const events = await deployWith(relays(), 1); // no relay image
    expect(events).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringMatching(/^the model gateway relay did not start: .*No such image: slipway\/relay:1.*SLIPWAY_RELAY_IMAGE.*Calls to http:\/\/slipway-gateway:4000 fail until it runs\.$/) })]);
    expect(docker.running().map((c) => c.spec.image)).toEqual(['img-v1']);
  });

  it('starts no relay for an operator-set GATEWAY_URL_FOR_APPS, or when deployments hand out no gateway', async () => {
    docker.addImage('slipway/relay:1');
    expect(relays({ GATEWAY_URL_FOR_APPS: 'https://gateway.example.com' }).needed).toBe(false);
    expect(relays({}, null).needed).toBe(false);
    await deployWith(relays({ GATEWAY_URL_FOR_APPS: 'https://gateway.example.com' }), 1);
    expect(docker.callsOf('ensureGatewayRelay')).toEqual([]);
  });
});

