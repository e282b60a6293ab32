import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildCancelledError, BuildFailedError, ContainerStartError, DockerUnavailableError, type ContainerRuntime } from '@slipway/docker';
import { FakeDockerEngine } from './fake-docker-engine';
import { sampleAppPath, SAMPLE_APPS } from './sample-apps';

describe('FakeDockerEngine', () => {
  it('builds, runs, exits, lists and cleans up like the engine', async () => {
    const fake = new FakeDockerEngine();
    const rt: ContainerRuntime = fake;
    const lines: string[] = [];
    const { imageId } = await rt.buildImage({ contextDir: '/x', dockerfile: 'Dockerfile', tags: ['app:1'], labels: {}, network: 'slipway-builds', onLog: (l) => lines.push(l) });
    expect(await rt.findImage('app:1')).toBe(imageId);
    expect(lines.length).toBe(2);
    expect(fake.networks.has('slipway-builds')).toBe(true); // the build network is made on first use
    await expect(rt.buildImage({ contextDir: '/x', dockerfile: 'Dockerfile', tags: [], labels: {}, network: 'host', onLog: () => undefined })).rejects.toThrow(/never run on the "host" network/);
    await rt.ensureNetwork('n', {});
    const opts = { name: 'c1', image: 'app:1', env: {}, containerPort: 3000, labels: { 'slipway.project': 'p' }, memoryMb: 64, cpuMillis: 100, network: 'n' };
    const { id, hostPort } = await rt.runContainer(opts);
    expect(hostPort).toBe(40000);
    await expect(rt.runContainer(opts)).rejects.toBeInstanceOf(ContainerStartError);
    expect(await rt.listContainers({ 'slipway.project': 'p' }, { all: false })).toHaveLength(1);
    fake.exitContainer(id, 1, ['boom']);
    expect(await rt.getContainer(id)).toMatchObject({ state: 'exited', exitCode: 1, hostPort: undefined });
    expect(await rt.getContainer(id)).not.toHaveProperty('spec');
    expect(await rt.tailLogs(id, 5)).toEqual(['boom']);
    expect(await rt.listContainers({ 'slipway.project': 'p' }, { all: false })).toHaveLength(0);
    await expect(rt.removeImage('app:1')).rejects.toThrow(/conflict/);
    await rt.removeContainer(id, { force: false });
    await rt.removeContainer(id, { force: false });
    await rt.stopContainer(id, { timeoutSeconds: 1 });
    await rt.removeImage('app:1');
    expect(await rt.findImage('app:1')).toBeNull();
    expect(await rt.findImage(imageId)).toBeNull();
    await rt.removeNetwork('n');
    expect(fake.callsOf('runContainer')).toHaveLength(2);
  });
  it('scripts failures, cancels, exits on run, and outages', async () => {
    const fake = new FakeDockerEngine();
    fake.scriptBuild({ lines: ['a'], fail: "The command '/bin/sh -c x' returned a non-zero code: 1" });
    await expect(fake.buildImage({ contextDir: '/x', dockerfile: 'D', tags: [], labels: {}, network: 'slipway-builds', onLog: () => undefined })).rejects.toBeInstanceOf(BuildFailedError);
    const c = new AbortController();
    fake.scriptBuild({ lines: ['a', 'b'], until: new Promise(() => undefined) });
    const p = fake.buildImage({ contextDir: '/x', dockerfile: 'D', tags: [], labels: {}, network: 'slipway-builds', onLog: (l) => l === 'b' && setTimeout(() => c.abort(), 5), signal: c.signal });
    await expect(p).rejects.toBeInstanceOf(BuildCancelledError);
    await expect(fake.buildImage({ contextDir: '/x', dockerfile: 'D', tags: [], labels: {}, network: 'slipway-builds', onLog: () => undefined, signal: AbortSignal.abort(new DOMException('t', 'TimeoutError')) })).rejects.toMatchObject({ reason: 'timeout' });
    fake.addImage('base');
    await fake.ensureNetwork('n', {});
    fake.onRun((ct) => ct.spec.env.CRASH && fake.exitContainer(ct.id, 1));
    expect((await fake.runContainer({ name: 'x', image: 'base', env: { CRASH: '1' }, containerPort: 1, labels: {}, memoryMb: 1, cpuMillis: 1, network: 'n' })).hostPort).toBe(0);
    fake.failNextRun('nope');
    await expect(fake.runContainer({ name: 'y', image: 'base', env: {}, containerPort: 1, labels: {}, memoryMb: 1, cpuMillis: 1, network: 'n' })).rejects.toThrow(/nope/);
    fake.setReachable(false);
    expect(await fake.ping()).toBe(false);
    await expect(fake.listContainers({}, { all: true })).rejects.toBeInstanceOf(DockerUnavailableError);
  });
  it('finds sample apps', () => {
    for (const name of SAMPLE_APPS) expect(existsSync(sampleAppPath(name))).toBe(true);
    expect(existsSync(join(sampleAppPath('node-http'), 'package.json'))).toBe(true);
    expect(() => sampleAppPath('nope' as never)).toThrow(/unknown sample app/);
  });
});
