import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import { ContainerStartError, DockerEngine, LABELS, type GatewayRelayOptions } from './index';
import { RELAY_MAX_CONNECTIONS, RELAY_SOCKET_DIR } from './gateway-relay';

// Against the real dockerd, with the relay image the platform uses (SLIPWAY_RELAY_IMAGE, made by
// `npm start`/`npm test`). Everything created here carries slipway.test=1 and goes in afterAll.
const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
const engine = new DockerEngine(config);
/** A second engine object: another worker process racing the first. */
const otherProcess = new DockerEngine(config);
const raw = new Docker(config.DOCKER_HOST?.startsWith('unix://') ? { socketPath: config.DOCKER_HOST.slice(7) } : undefined);
const run = randomBytes(4).toString('hex');
const TEST = { [LABELS.test]: '1', 'slipway.test.run': run };
const network = `slipway-test-${run}-relay`;
const volume = `slipway-test-${run}-sock`;
const newerImage = `slipway-test/relay-${run}:2`;
let socketDir: string;
let api: Server;

const relay = (over: Partial<GatewayRelayOptions> = {}): GatewayRelayOptions => ({
  name: `slipway-test-${run}-relay`,
  image: config.SLIPWAY_RELAY_IMAGE,
  network,
  alias: 'slipway-gateway',
  port: 4000,
  socketMount: socketDir,
  socketName: 'gateway.sock',
  labels: { ...TEST, [LABELS.project]: `p-${run}` },
  ...over,
});

/** `node -e script` once in a container on the relay's network; its output. */
async function client(script: string): Promise<string> {
  const nodeImage = (
    await Promise.all(['slipway/node:24', 'slipway/base-node:20'].map(async (ref) => ((await engine.findImage(ref)) ? ref : null)))
  ).find(Boolean);
  if (!nodeImage) throw new Error('no local Node image: run npm start once');
  const { id } = await engine.runContainer({
    name: `slipway-test-${run}-client-${randomBytes(2).toString('hex')}`,
    image: nodeImage,
    env: {},
    containerPort: 3000,
    labels: TEST,
    memoryMb: 128,
    cpuMillis: 500,
    network,
    command: ['node', '-e', script],
  });
  const until = Date.now() + 30_000;
  while ((await engine.getContainer(id))?.state === 'running' && Date.now() < until) await new Promise((r) => setTimeout(r, 150));
  const lines = await engine.tailLogs(id, 20);
  await engine.removeContainer(id, { force: true });
  return lines.join('\n');
}

const FETCH = (path: string) =>
  `fetch('http://slipway-gateway:4000${path}', { signal: AbortSignal.timeout(5000) }).then((r) => r.text()).then(console.log, (e) => console.log('failed: ' + (e.cause?.code ?? e.name)))`;

beforeAll(async () => {
  if (!(await engine.findImage(config.SLIPWAY_RELAY_IMAGE)))
    throw new Error(`relay image ${config.SLIPWAY_RELAY_IMAGE} missing: run npm start (or npm test) once to create the base images`);
  // The api's side: an HTTP server on a socket in a folder other users may enter, as GatewaySocketServer makes it.
  socketDir = mkdtempSync(join(tmpdir(), 'slipway-relay-'));
  chmodSync(socketDir, 0o755);
  api = createServer((req, res) => res.end(`api saw ${req.method} ${req.url} for ${req.headers.host}`));
  await new Promise<void>((resolve) => api.listen(join(socketDir, 'gateway.sock'), resolve));
  chmodSync(join(socketDir, 'gateway.sock'), 0o666);
  await engine.ensureNetwork(network, TEST);
}, 30_000);

afterAll(async () => {
  for (const c of await raw.listContainers({ all: true, filters: { label: [`slipway.test.run=${run}`] } }))
    await raw.getContainer(c.Id).remove({ force: true });
  await engine.removeNetwork(network).catch(() => undefined);
  await raw
    .getVolume(volume)
    .remove()
    .catch(() => undefined);
  await engine.removeImage(newerImage).catch(() => undefined);
  api?.close();
  if (socketDir) rmSync(socketDir, { recursive: true, force: true });
}, 60_000);

describe('the gateway relay on a real engine', () => {
  it('forwards its alias on the project network to the socket, confined further than an app container, with no published port', async () => {
    const { id, created } = await engine.ensureGatewayRelay(relay());
    expect(created).toBe(true);
    expect(await client(FETCH('/v1/models?x=1'))).toBe('api saw GET /v1/models?x=1 for slipway-gateway:4000');

    const info = await raw.getContainer(id).inspect();
    expect(info.Config.User).toBe('10001:10001');
    expect(info.Config.Cmd).toEqual([
      `TCP-LISTEN:4000,fork,reuseaddr,max-children=${RELAY_MAX_CONNECTIONS}`,
      `UNIX-CONNECT:${RELAY_SOCKET_DIR}/gateway.sock`,
    ]);
    expect(info.HostConfig).toMatchObject({
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      ReadonlyRootfs: true,
      Memory: 64 * 1024 * 1024,
      MemorySwap: 64 * 1024 * 1024,
      PidsLimit: RELAY_MAX_CONNECTIONS + 16,
      RestartPolicy: { Name: 'no' },
      NetworkMode: network,
    });
    expect(info.HostConfig.CapAdd ?? []).toEqual([]);
    expect(
      Object.values(info.NetworkSettings.Ports ?? {})
        .flat()
        .filter(Boolean),
    ).toEqual([]); // nothing published
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([network]);
    expect(info.NetworkSettings.Networks[network]?.Aliases).toContain('slipway-gateway');
    expect(info.Mounts).toEqual([expect.objectContaining({ Type: 'bind', Source: socketDir, Destination: RELAY_SOCKET_DIR, RW: false })]);
    expect(info.Config.Labels).toMatchObject({ [LABELS.managed]: '1', [LABELS.project]: `p-${run}`, [LABELS.role]: 'gateway-relay' });
    // socat itself runs as the unprivileged user.
    const top = (await raw.getContainer(id).top({ ps_args: '-o pid,uid,comm' })) as { Processes?: string[][] };
    expect(top.Processes?.filter((p) => p[2] === 'socat').map((p) => p[1])).toEqual(['10001']);
  }, 60_000);

  it('is idempotent, shared by racing processes, and replaced when stopped, removed, or on another image', async () => {
    const name = `slipway-test-${run}-race`;
    const results = await Promise.all([
      engine.ensureGatewayRelay(relay({ name })),
      otherProcess.ensureGatewayRelay(relay({ name })),
      otherProcess.ensureGatewayRelay(relay({ name })),
    ]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.some((r) => r.created)).toBe(true);
    expect((await raw.listContainers({ all: true, filters: { name: [name] } })).length).toBe(1);
    expect(await engine.ensureGatewayRelay(relay({ name }))).toEqual({ id: results[0]!.id, created: false });

    await raw.getContainer(results[0]!.id).stop({ t: 0 });
    const restarted = await engine.ensureGatewayRelay(relay({ name }));
    expect(restarted.created).toBe(true);
    expect((await engine.getContainer(restarted.id))?.state).toBe('running');

    await raw.getContainer(restarted.id).remove({ force: true });
    const recreated = await engine.ensureGatewayRelay(relay({ name }));
    expect(recreated.created).toBe(true);

    // SLIPWAY_RELAY_IMAGE now names another image: the relay is made again from it.
    const dir = mkdtempSync(join(tmpdir(), 'slipway-relay-img-'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${config.SLIPWAY_RELAY_IMAGE}\nLABEL slipway.test.run=${run}\n`);
    const { imageId } = await engine.buildImage({
      contextDir: dir,
      dockerfile: 'Dockerfile',
      tags: [newerImage],
      labels: TEST,
      network: config.BUILD_NETWORK,
      onLog: () => undefined,
    });
    rmSync(dir, { recursive: true, force: true });
    const upgraded = await engine.ensureGatewayRelay(relay({ name, image: newerImage }));
    expect(upgraded.created).toBe(true);
    expect((await engine.getContainer(upgraded.id))?.image).toBe(imageId);
    expect((await raw.listContainers({ all: true, filters: { name: [name] } })).length).toBe(1);
  }, 90_000);

  it('mounts a Docker volume by name, read-only, when the socket lives in one (docker-compose)', async () => {
    const { id } = await engine.ensureGatewayRelay(relay({ name: `slipway-test-${run}-vol`, socketMount: volume }));
    const info = await raw.getContainer(id).inspect();
    expect(info.Mounts).toEqual([expect.objectContaining({ Type: 'volume', Name: volume, Destination: RELAY_SOCKET_DIR, RW: false })]);
  }, 30_000);

  it('refuses a relay whose image is missing, leaving nothing behind', async () => {
    const name = `slipway-test-${run}-noimage`;
    await expect(engine.ensureGatewayRelay(relay({ name, image: `slipway-test/missing:${run}` }))).rejects.toBeInstanceOf(
      ContainerStartError,
    );
    expect((await raw.listContainers({ all: true, filters: { name: [name] } })).length).toBe(0);
  });
});
