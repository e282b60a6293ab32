import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import { BuildFailedError, DockerEngine, type BuildImageOptions } from './index';

// What a build step can reach and how much it can take, against the real dockerd. Steps run
// on a network of this run (removed in afterAll); every build here fails on purpose at its
// end, so no image is left, except the layers of the multi-step disk test (removed too).
const run = randomBytes(4).toString('hex');
const network = `slipway-test-${run}-builds`;
const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
const engine = new DockerEngine(config);
const raw = new Docker(config.DOCKER_HOST?.startsWith('unix://') ? { socketPath: config.DOCKER_HOST.slice(7) } : undefined);
const contexts: string[] = [];
const images: string[] = [];
/** A local image with busybox: the configured Node base image for Node 20, or the older local name. */
let BASE_IMAGE = '';

/** Builds a one-file context; resolves with every output line and the error, if any. */
async function build(dockerfile: string, options: Partial<BuildImageOptions> & { engine?: DockerEngine } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-isolation-'));
  contexts.push(dir);
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\n${dockerfile}\n`);
  const lines: string[] = [];
  const started = Date.now();
  const error = await (options.engine ?? engine)
    .buildImage({ contextDir: dir, dockerfile: 'Dockerfile', tags: [], labels: { 'slipway.test': '1' }, network, onLog: (l) => lines.push(l), ...options })
    .then(() => null)
    .catch((e: unknown) => e as Error);
  // Layers this build made: the image id right after a step's container is removed (never the
  // `FROM` image, which other builds and tests use).
  lines.forEach((l, i) => {
    const layer = /^ ---> ([0-9a-f]{12})$/.exec(l)?.[1];
    if (layer && lines[i - 1]?.startsWith('Removing intermediate container ')) images.push(layer);
  });
  return { lines, error, took: Date.now() - started, containers: lines.map((l) => /^ ---> Running in ([0-9a-f]{12})$/.exec(l)?.[1]).filter((id): id is string => !!id) };
}

/** A TCP server on the host's loopback that remembers every connection. */
let server: Server;
let port = 0;
const connections: string[] = [];

beforeAll(async () => {
  expect(await engine.ping(), 'dockerd must answer (npm run services starts it)').toBe(true);
  for (const candidate of [config.SLIPWAY_BASE_IMAGE_NODE.replace('{major}', '20'), 'slipway/base-node:20']) if (!BASE_IMAGE && (await engine.findImage(candidate))) BASE_IMAGE = candidate;
  expect(BASE_IMAGE, 'no Node base image: run node tools/base-images.mjs').not.toBe('');
  server = createServer((socket: Socket) => {
    connections.push(String(socket.remoteAddress));
    socket.end('you reached the host\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  for (const id of images.reverse()) {
    const tags = (await raw.getImage(id).inspect().catch(() => null))?.RepoTags ?? [];
    if (!tags.length) await raw.getImage(id).remove({ noprune: true }).catch(() => undefined); // untagged layers of this run only
  }
  await raw
    .getNetwork(network)
    .remove()
    .catch(() => undefined);
  for (const dir of contexts) rmSync(dir, { recursive: true, force: true });
});

describe('build steps cannot reach the platform', () => {
  it('a RUN step reaches the npm registry but neither a host service on 127.0.0.1 nor the build network gateway', async () => {
    const { lines, error } = await build(
      [
        `RUN echo ${run}; GW=$(ip route | awk '/default/ {print $3}'); echo "gateway is $GW"; ` +
          `nc -w 3 127.0.0.1 ${port} </dev/null && echo "CONNECTED via loopback" || echo "loopback refused"; ` +
          `nc -w 3 $GW ${port} </dev/null && echo "CONNECTED via gateway" || echo "gateway refused"; ` +
          `nc -w 5 registry.npmjs.org 443 </dev/null && echo "registry reachable" || echo "REGISTRY UNREACHABLE"; exit 3`,
      ].join('\n'),
    );
    expect(error).toBeInstanceOf(BuildFailedError); // the probe's own `exit 3`
    const gateway = (await raw.getNetwork(network).inspect()).IPAM?.Config?.[0]?.Gateway as string;
    expect(lines, lines.join('\n')).toContain(`gateway is ${gateway}`);
    expect(lines).toEqual(expect.arrayContaining(['loopback refused', 'gateway refused', 'registry reachable']));
    expect(connections).toEqual([]);
  });

  it('the build network is a bridge with no traffic between containers, made once and reused', async () => {
    const info = await raw.getNetwork(network).inspect();
    expect(info).toMatchObject({ Driver: 'bridge', Internal: false, Options: { 'com.docker.network.bridge.enable_icc': 'false' }, Labels: { 'slipway.managed': '1' } });
    expect((await build(`RUN exit 9 # ${run}`)).error?.message).toMatch(/non-zero code: 9/);
    expect((await raw.listNetworks({ filters: { name: [network] } })).filter((n) => n.Name === network)).toHaveLength(1);
    expect((await build(`RUN exit 0 # ${run}`, { network: 'host' })).error?.message).toMatch(/never run on the "host" network/);
  });

  it('concurrent builds cannot talk to each other', async () => {
    const listening = new AbortController();
    let peer = '';
    let heard: () => void = () => undefined;
    const ready = new Promise<void>((r) => (heard = r));
    const server = build(
      `RUN (nc -l -p 7000 </dev/null &) ; sleep 1; echo "peer at $(ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)"; ` +
        `nc -w 2 127.0.0.1 7000 </dev/null && echo "self connected"; (nc -l -p 7000 </dev/null &); sleep 20; exit 5 # ${run}`,
      {
        signal: listening.signal,
        onLog: (l) => {
          const m = /^peer at (\S+)$/.exec(l);
          if (m) peer = m[1]!;
          if (l === 'self connected') heard();
        },
      },
    );
    await ready;
    const client = await build(`ARG PEER\nRUN nc -w 3 $PEER 7000 </dev/null && echo "PEER CONNECTED" || echo "peer unreachable"; exit 6 # ${run}`, { buildArgs: { PEER: peer } });
    listening.abort();
    await server;
    expect(peer).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(client.lines, client.lines.join('\n')).toContain('peer unreachable');
  });
});

describe('build limits bite', () => {
  it('BUILD_PIDS_LIMIT: a step cannot start more processes than the limit', async () => {
    const limited = new DockerEngine({ ...config, BUILD_PIDS_LIMIT: 64 });
    const { lines } = await build(`RUN sleep 1; echo "pids.max $(cat /sys/fs/cgroup/pids/pids.max)"; i=0; while [ $i -lt 100 ]; do sleep 20 & i=$((i+1)); done; echo "started # ${run}"; exit 4`, {
      engine: limited,
    });
    expect(lines, lines.join('\n')).toContain('pids.max 64');
    expect(lines.some((l) => /can't fork|Resource temporarily unavailable/.test(l))).toBe(true);
  });

  it('BUILD_DISK_MB: a step writing past it is stopped, the message names the setting, no container is left', async () => {
    const limited = new DockerEngine({ ...config, BUILD_DISK_MB: 64 });
    const { lines, error, took, containers } = await build(`RUN i=0; while [ $i -lt 200 ]; do dd if=/dev/zero of=/fill$i bs=1M count=4 2>/dev/null; i=$((i+1)); sleep 0.05; done; echo "wrote 800 MB # ${run}"`, {
      engine: limited,
    });
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error!.message).toMatch(/^The build wrote more than 64 MB to its filesystem, the most one build may write \(BUILD_DISK_MB=64\); it was stopped\./);
    expect(lines).not.toContain('wrote 800 MB # ' + run);
    expect(took).toBeLessThan(20_000);
    expect(containers).toHaveLength(1);
    await expect(raw.getContainer(containers[0]!).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('BUILD_DISK_MB counts what earlier steps wrote, even quick ones', async () => {
    const limited = new DockerEngine({ ...config, BUILD_DISK_MB: 64 });
    const { error, lines } = await build(
      [`RUN dd if=/dev/zero of=/a bs=1M count=40 2>/dev/null # ${run}`, `RUN dd if=/dev/zero of=/b bs=1M count=40 2>/dev/null # ${run}`, `RUN sleep 5; echo "third step done # ${run}"`].join('\n'),
      { engine: limited },
    );
    expect(error?.message, lines.join('\n')).toMatch(/BUILD_DISK_MB=64/);
    expect(lines).not.toContain(`third step done # ${run}`);
  });
});
