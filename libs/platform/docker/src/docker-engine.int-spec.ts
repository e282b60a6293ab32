import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import { BuildCancelledError, BuildFailedError, ContainerStartError, DockerEngine, LABELS } from './index';

// Against the real dockerd (DOCKER_HOST or the default socket). Everything created here is
// labelled slipway.test=1 and removed in afterAll; only the local base image is used.
const BASE_IMAGE = (process.env.SLIPWAY_BASE_IMAGE_NODE || 'slipway/node:{major}').replace('{major}', '24');
const run = randomBytes(4).toString('hex');
const TEST = { [LABELS.test]: '1', 'slipway.test.run': run };
const image = `slipway-test/docker-engine-${run}:1`;
const netA = `slipway-test-${run}-a`;
const netB = `slipway-test-${run}-b`;
/** Somewhere unlikely in 10.x: the subnets of this file's networks. */
const subnetBase = `10.${200 + (parseInt(run.slice(0, 2), 16) % 50)}.${parseInt(run.slice(2, 4), 16)}`;
/** Builds make their network themselves (unlabelled for tests): removed by name in afterAll. */
const buildNet = `slipway-test-${run}-steps`;

const SERVER = `
const http = require('node:http');
console.error('booting on stderr');
http.createServer((req, res) => {
  console.log('request ' + req.method + ' ' + req.url);
  res.end('hello from ' + process.env.APP_VERSION + '\\n');
}).listen(Number(process.env.PORT), () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => process.exit(0));
`;

const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
const engine = new DockerEngine(config);
const raw = new Docker(config.DOCKER_HOST?.startsWith('unix://') ? { socketPath: config.DOCKER_HOST.slice(7) } : undefined);
const contexts: string[] = [];

function context(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-docker-it-'));
  contexts.push(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

async function answer(url: string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return await res.text();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const baseRun = (name: string, extra: Partial<Parameters<DockerEngine['runContainer']>[0]> = {}) => ({
  name: `slipway-test-${run}-${name}`,
  image,
  env: { PORT: '3000', APP_VERSION: 'v1-' + run },
  containerPort: 3000,
  labels: { ...TEST, [LABELS.project]: 'p-' + run },
  memoryMb: 128,
  cpuMillis: 250,
  network: netA,
  ...extra,
});

beforeAll(async () => {
  expect(await engine.ping(), 'dockerd must answer (npm run services starts it)').toBe(true);
  expect(await engine.findImage(BASE_IMAGE), `${BASE_IMAGE} missing: run node tools/base-images.mjs`).not.toBeNull();
});

afterAll(async () => {
  const label = [`slipway.test.run=${run}`];
  for (const c of await raw.listContainers({ all: true, filters: { label } }))
    await raw
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  for (const n of await raw.listNetworks({ filters: { label } }))
    await raw
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  for (const i of await raw.listImages({ filters: { label } }))
    await raw
      .getImage(i.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await raw
    .getNetwork(buildNet)
    .remove()
    .catch(() => undefined);
  for (const dir of contexts) rmSync(dir, { recursive: true, force: true });
});

describe('DockerEngine on a real dockerd', () => {
  let imageId = '';

  it('builds an image, streaming its log lines while the build runs, and reuses the layer cache', async () => {
    const dir = context({
      Dockerfile: `FROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY server.js .\nRUN echo first-marker-${run} && sleep 1\nCMD ["node", "server.js"]\n`,
      'server.js': SERVER,
    });
    const seen: Array<{ line: string; at: number }> = [];
    const build = () =>
      engine.buildImage({
        contextDir: dir,
        dockerfile: 'Dockerfile',
        tags: [image],
        labels: TEST,
        network: buildNet,
        onLog: (line) => seen.push({ line, at: Date.now() }),
      });

    const result = await build();
    const finished = Date.now();
    imageId = result.imageId;
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await engine.findImage(image)).toBe(imageId);
    const marker = seen.find((s) => s.line === `first-marker-${run}`);
    expect(marker, seen.map((s) => s.line).join('\n')).toBeDefined();
    expect(finished - marker!.at).toBeGreaterThan(500); // arrived before the 1 s sleep ended

    const again = await build();
    expect(again.imageId).toBe(imageId); // every step from cache: the same image
  });

  it("rejects a failing build with docker's error line", async () => {
    const dir = context({ Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo about-to-fail && exit 3\n` });
    const lines: string[] = [];
    const err = await engine
      .buildImage({ contextDir: dir, dockerfile: 'Dockerfile', tags: [], labels: TEST, network: buildNet, onLog: (l) => lines.push(l) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildFailedError);
    expect((err as Error).message).toMatch(/returned a non-zero code: 3/);
    expect(lines).toContain('about-to-fail');
  });

  it('rejects a Dockerfile that does not parse or is missing, naming the problem', async () => {
    const dir = context({ Dockerfile: `FROM ${BASE_IMAGE}\nBOGUS instruction\n` });
    const opts = { contextDir: dir, tags: [], labels: TEST, network: buildNet, onLog: () => undefined };
    await expect(engine.buildImage({ ...opts, dockerfile: 'Dockerfile' })).rejects.toThrow(/unknown instruction: BOGUS/i);
    await expect(engine.buildImage({ ...opts, dockerfile: 'nope/Dockerfile' })).rejects.toBeInstanceOf(BuildFailedError);
    await expect(engine.buildImage({ ...opts, dockerfile: '../Dockerfile' })).rejects.toThrow(/inside the repository/);
  });

  it('cancels a running build when the signal fires', async () => {
    const dir = context({ Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo started-${run} && sleep 30\n` });
    const controller = new AbortController();
    const started = Date.now();
    const build = engine.buildImage({
      contextDir: dir,
      dockerfile: 'Dockerfile',
      tags: [],
      labels: TEST,
      network: buildNet,
      onLog: (line) => line === `started-${run}` && controller.abort(),
      signal: controller.signal,
    });
    const err = await build.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildCancelledError);
    expect((err as BuildCancelledError).reason).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
    // The engine kills the RUN step: no container keeps sleeping.
    const until = Date.now() + 10_000;
    let sleeping = 1;
    while (sleeping > 0 && Date.now() < until) {
      const all = await raw.listContainers({ all: false });
      sleeping = all.filter((c) => c.Command.includes(`started-${run}`)).length;
      if (sleeping > 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(sleeping).toBe(0);

    await expect(
      engine.buildImage({
        contextDir: dir,
        dockerfile: 'Dockerfile',
        tags: [],
        labels: TEST,
        network: buildNet,
        onLog: () => undefined,
        signal: AbortSignal.timeout(1),
      }),
    ).rejects.toMatchObject({ name: 'BuildCancelledError' });
  });

  it('creates one network per project on the subnet it is given, idempotently', async () => {
    // Explicit subnets, as project networks get them (a shared engine's default pools may be used up).
    const ipamA = { subnet: `${subnetBase}.0/29`, gateway: `${subnetBase}.1` };
    const a = await engine.ensureNetwork(netA, { ...TEST, [LABELS.project]: 'a' }, ipamA);
    const [again, concurrent] = await Promise.all([engine.ensureNetwork(netA, TEST), engine.ensureNetwork(netA, TEST, { subnet: `${subnetBase}.16/29`, gateway: `${subnetBase}.17` })]);
    const b = await engine.ensureNetwork(netB, { ...TEST, [LABELS.project]: 'b' }, { subnet: `${subnetBase}.8/29`, gateway: `${subnetBase}.9` });
    expect(again).toBe(a);
    expect(concurrent).toBe(a);
    expect(b).not.toBe(a);
    const info = await raw.getNetwork(a).inspect();
    expect(info).toMatchObject({ Name: netA, Driver: 'bridge', Internal: false, Labels: { [LABELS.managed]: '1', [LABELS.project]: 'a' }, IPAM: { Config: [{ Subnet: ipamA.subnet, Gateway: ipamA.gateway }] } });
    expect(await engine.inspectNetwork(netA)).toEqual({ id: a, name: netA, labels: expect.objectContaining({ [LABELS.managed]: '1', [LABELS.project]: 'a' }), subnets: [ipamA.subnet], containers: 0 });
    expect(await engine.inspectNetwork(`${netA}-missing`)).toBeNull();
    expect(await engine.inspectNetwork(netA.slice(0, -2))).toBeNull(); // exact names only
    expect(await engine.listNetworkSubnets()).toEqual(expect.arrayContaining([ipamA.subnet, `${subnetBase}.8/29`]));
    // An overlapping subnet is refused by the engine, with a message ProjectNetworks recognises.
    await expect(engine.ensureNetwork(`${netA}-overlap`, TEST, { subnet: `${subnetBase}.0/28`, gateway: `${subnetBase}.1` })).rejects.toThrow(/overlaps/);
  });

  it('runs a confined container published on 127.0.0.1 only, and reads its logs', async () => {
    const { id, hostPort } = await engine.runContainer(baseRun('web', { pidsLimit: 64, capAdd: ['NET_BIND_SERVICE'], extraHosts: ['host.docker.internal:host-gateway'] }));
    expect(hostPort).toBeGreaterThan(0);
    expect(await answer(`http://127.0.0.1:${hostPort}/`)).toBe(`hello from v1-${run}\n`);

    const info = await raw.getContainer(id).inspect();
    expect(info.HostConfig).toMatchObject({
      Memory: 128 * 1024 * 1024,
      NanoCpus: 250_000_000,
      PidsLimit: 64,
      CapDrop: ['ALL'],
      CapAdd: ['NET_BIND_SERVICE'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      ReadonlyRootfs: false,
      RestartPolicy: { Name: 'no' },
      NetworkMode: netA,
      // How apps reach the model gateway on the host (Linux engines have no such name by default).
      ExtraHosts: ['host.docker.internal:host-gateway'],
    });
    expect(info.Mounts).toEqual([]);
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([netA]);
    const bindings = Object.values(info.NetworkSettings.Ports).flat();
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.every((b) => b?.HostIp === '127.0.0.1')).toBe(true);
    expect(info.Config.Labels).toMatchObject({ [LABELS.managed]: '1', [LABELS.project]: 'p-' + run });

    const logs = await engine.tailLogs(id, 50);
    expect(logs).toEqual(expect.arrayContaining(['booting on stderr', 'listening on 3000', 'request GET /']));
    expect(await engine.tailLogs(id, 1)).toEqual(['request GET /']);

    const [listed] = await engine.listContainers({ [LABELS.project]: 'p-' + run, 'slipway.test.run': run }, { all: false });
    expect(listed).toMatchObject({ id, name: `slipway-test-${run}-web`, image: imageId, state: 'running', hostPort });
    expect(listed!.exitCode).toBeUndefined();
    // From the list alone (no inspect per running container): its creation time, no exit details.
    expect(Math.abs(listed!.createdAt.getTime() - Date.now())).toBeLessThan(120_000);
    expect(listed!.startedAt).toBeUndefined();
    expect((await engine.getContainer(id))!.startedAt).toBeInstanceOf(Date);

    await engine.stopContainer(id, { timeoutSeconds: 5 });
    await engine.stopContainer(id, { timeoutSeconds: 5 });
    const stopped = await engine.getContainer(id);
    expect(stopped).toMatchObject({ state: 'exited', exitCode: 0, hostPort: undefined });
    expect(await engine.listContainers({ 'slipway.test.run': run }, { all: false })).toEqual([]);
    await engine.removeContainer(id, { force: false });
    await engine.removeContainer(id, { force: true });
    expect(await engine.getContainer(id)).toBeNull();
    expect(await engine.tailLogs(id, 10)).toEqual([]);
    await engine.stopContainer('slipway-test-missing-' + run, { timeoutSeconds: 1 });
  });

  it('reports a crashed container with its exit code and last lines', async () => {
    const { id } = await engine.runContainer(
      baseRun('crash', { command: ['node', '-e', 'console.error("fatal: no config"); process.exit(3)'] }),
    );
    const until = Date.now() + 10_000;
    let info = await engine.getContainer(id);
    while (info?.state !== 'exited' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      info = await engine.getContainer(id);
    }
    expect(info).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(info!.finishedAt).toBeInstanceOf(Date);
    // The list inspects what is not running: the exit code reaches the reconciler's one list per pass.
    const listed = (await engine.listContainers({ 'slipway.test.run': run }, { all: true })).find((c) => c.id === id);
    expect(listed).toMatchObject({ state: 'exited', exitCode: 3, finishedAt: info!.finishedAt });
    expect(await engine.tailLogs(id, 5)).toEqual(['fatal: no config']);
    await engine.removeContainer(id, { force: true });
  });

  it('rejects a container the engine refuses to run and leaves nothing behind', async () => {
    const tiny = baseRun('tiny', { memoryMb: 1 });
    await expect(engine.runContainer(tiny)).rejects.toBeInstanceOf(ContainerStartError);
    await expect(engine.runContainer(baseRun('noimage', { image: 'slipway-test/missing:' + run }))).rejects.toThrow(/No such image/i);
    expect((await raw.listContainers({ all: true, filters: { label: [`slipway.test.run=${run}`] } })).length).toBe(0);
  });

  it('reports a missing executable as an exit, with the reason in the logs', async () => {
    const { id } = await engine.runContainer(baseRun('noexec', { command: ['/does/not/exist'] }));
    const until = Date.now() + 10_000;
    let info = await engine.getContainer(id);
    while (info?.state !== 'exited' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      info = await engine.getContainer(id);
    }
    expect(info).toMatchObject({ state: 'exited', exitCode: 127 });
    expect((await engine.tailLogs(id, 5)).join('\n')).toMatch(/\/does\/not\/exist/);
    await engine.removeContainer(id, { force: true });
  });

  it('removes images and networks idempotently', async () => {
    await engine.removeNetwork(netB);
    await engine.removeNetwork(netB);
    expect((await raw.listNetworks({ filters: { name: [netB] } })).length).toBe(0);
    await engine.removeImage(image);
    await engine.removeImage(image);
    expect(await engine.findImage(image)).toBeNull();
  });
});
