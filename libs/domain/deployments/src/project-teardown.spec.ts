import { AppError } from '@slipway/errors';
import { LABELS } from '@slipway/docker';
import { FakeDockerEngine } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { ProjectTeardown } from './project-teardown';
import type { PublishedRouteTable } from './route-table';

const scope = { organizationId: 'org' };
let docker: FakeDockerEngine;
let existing: Set<string>;
let published: number;
let teardown: ProjectTeardown;

/** A project's network with one replica and its relay, as deployments leave them. */
async function projectOnEngine(projectId: string) {
  const network = `slipway-${projectId}`;
  await docker.ensureNetwork(network, { [LABELS.project]: projectId });
  await docker.ensureGatewayRelay({
    name: `slipway-relay-${projectId}`,
    image: 'relay',
    network,
    alias: 'slipway-gateway',
    port: 4000,
    socketMount: '/run',
    socketName: 'gateway.sock',
    labels: { [LABELS.project]: projectId },
  });
  await docker.runContainer({
    name: `${projectId}-web`,
    image: 'app',
    env: {},
    containerPort: 3000,
    labels: { [LABELS.project]: projectId, [LABELS.environment]: 'env' },
    memoryMb: 64,
    cpuMillis: 100,
    network,
  });
}

beforeEach(async () => {
  docker = new FakeDockerEngine();
  docker.addImage('relay');
  docker.addImage('app');
  // Its release images, and another project's: only the deleted project's go.
  docker.addImage('slipway/gone:v1', undefined, { [LABELS.project]: 'gone' });
  docker.addImage('slipway/gone:v2', undefined, { [LABELS.project]: 'gone' });
  docker.addImage('slipway/kept:v1', undefined, { [LABELS.project]: 'kept' });
  existing = new Set(['kept']);
  published = 0;
  teardown = new ProjectTeardown(
    docker,
    { projectExists: async (_s, id) => existing.has(id) },
    { publish: async () => (published++, {} as PublishedRouteTable) },
  );
  await projectOnEngine('gone');
  await projectOnEngine('kept');
});

describe('ProjectTeardown', () => {
  it("removes a deleted project's replicas, relay, network and images, leaves other projects alone, and republishes the routes", async () => {
    const gone = [...docker.containers.values()].filter((c) => c.labels[LABELS.project] === 'gone').map((c) => c.id);
    expect(await teardown.execute(scope, 'gone')).toEqual({
      containersRemoved: 2,
      containerIds: expect.arrayContaining(gone),
      imagesRemoved: 2,
    });
    expect(docker.images.has('slipway/gone:v1') || docker.images.has('slipway/gone:v2')).toBe(false);
    expect(docker.images.has('slipway/kept:v1')).toBe(true);
    expect([...docker.containers.values()].map((c) => c.name).sort()).toEqual(['kept-web', 'slipway-relay-kept']);
    expect([...docker.networks.keys()]).toEqual(['slipway-kept']);
    expect(published).toBe(1);
    expect(await teardown.execute(scope, 'gone')).toEqual({ containersRemoved: 0, containerIds: [], imagesRemoved: 0 }); // a retried job is a no-op
  });

  it('waits (retryably) while the project row still exists, touching nothing', async () => {
    const err = await teardown.execute(scope, 'kept').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).retryable).toBe(true);
    expect(docker.containers.size).toBe(4);
    expect(published).toBe(0);
  });
});
