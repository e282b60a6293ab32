import type { Config } from '@slipway/config';
import { DockerUnavailableError } from '@slipway/docker';
import { FakeDockerEngine } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeploymentGateway } from './deploy-options';
import { GatewayRelays } from './gateway-relays';

const gateway = {} as DeploymentGateway;
const config = {
  SLIPWAY_RELAY_IMAGE: 'slipway/relay:1',
  GATEWAY_SOCKET_PATH: '/srv/run/gateway.sock',
  GATEWAY_SOCKET_MOUNT: 'slipway-gateway-socket',
} as Config;
let docker: FakeDockerEngine;

beforeEach(async () => {
  docker = new FakeDockerEngine();
  docker.addImage('slipway/relay:1');
  await docker.ensureNetwork('slipway-a', {});
  await docker.ensureNetwork('slipway-c', {});
});

describe('GatewayRelays.keep (the reconciler pass)', () => {
  it('starts the relays that are missing; one the engine refuses does not hold up the others', async () => {
    const relays = new GatewayRelays(config, docker, gateway, { extraLabels: { 'slipway.test': '1' } });
    expect(await relays.keep(['a', 'b', 'c'])).toBe(2); // b has no network
    expect(docker.running().map((c) => [c.name, c.relay?.socketMount, c.labels['slipway.test']])).toEqual([
      ['slipway-relay-a', 'slipway-gateway-socket', '1'],
      ['slipway-relay-c', 'slipway-gateway-socket', '1'],
    ]);
    expect(await relays.keep(['a', 'b', 'c'])).toBe(0);
  });

  it('costs one image lookup and one list per pass while the relays run as specified, whatever the number of projects', async () => {
    const relays = new GatewayRelays(config, docker, gateway);
    await relays.keep(['a', 'c']);
    docker.calls.length = 0;
    expect(await relays.keep(['a', 'c'])).toBe(0);
    expect(docker.calls.map((c) => c.method)).toEqual(['findImage', 'listContainers']);
    // A stopped relay is the one that costs more: it is replaced.
    await docker.stopContainer('slipway-relay-c', { timeoutSeconds: 1 });
    expect(await relays.keep(['a', 'c'])).toBe(1);
    expect(docker.callsOf('ensureGatewayRelay').map(([o]) => (o as { name: string }).name)).toEqual(['slipway-relay-c']);
  });

  it('lets an unreachable engine fail the pass (it is retried), and does nothing where no relay is needed', async () => {
    docker.setReachable(false);
    await expect(new GatewayRelays(config, docker, gateway).keep(['a'])).rejects.toBeInstanceOf(DockerUnavailableError);
    expect(await new GatewayRelays({ ...config, GATEWAY_URL_FOR_APPS: 'http://10.0.0.1:4000' }, docker, gateway).keep(['a'])).toBe(0);
  });
});
