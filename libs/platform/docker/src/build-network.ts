import type Docker from 'dockerode';
import { DockerOperationError } from './docker.errors';
import { dockerStatus } from './docker-internals';
import { MANAGED_LABELS } from './labels';

/** Docker's option that stops containers of one bridge network from reaching each other. */
const NO_ICC = 'com.docker.network.bridge.enable_icc';
/** Networks a build must never use: they reach the host, other containers, or nothing at all. */
const FORBIDDEN = new Set(['host', 'none', 'bridge', 'default']);

/**
 * The network of build steps (BUILD_NETWORK), created when missing: a bridge of its own, so a
 * step reaches the outside (package registries) but not the host's loopback services, and
 * with inter-container traffic off, so concurrent builds cannot talk to each other. Not
 * `Internal`, which would cut the registry off. An existing network of that name must have
 * been made this way; anything else is refused rather than built on.
 */
export async function ensureBuildNetwork(docker: Docker, name: string): Promise<void> {
  if (FORBIDDEN.has(name) || name.startsWith('container:')) {
    throw new DockerOperationError('build', 400, `builds never run on the "${name}" network; set BUILD_NETWORK to a network of their own (default slipway-builds)`);
  }
  if (checkNetwork(await findNetwork(docker, name), name)) return;
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      Internal: false,
      CheckDuplicate: true,
      Options: { [NO_ICC]: 'false' },
      Labels: { ...MANAGED_LABELS },
    });
  } catch (err) {
    // Another build (or worker) created it first: use theirs once it is known to be right.
    if (dockerStatus(err) === 409 && checkNetwork(await findNetwork(docker, name), name)) return;
    throw err;
  }
}

type NetworkSummary = Awaited<ReturnType<Docker['listNetworks']>>[number];

async function findNetwork(docker: Docker, name: string): Promise<NetworkSummary | undefined> {
  const found = await docker.listNetworks({ filters: { name: [name] } });
  return found.find((n) => n.Name === name); // the name filter matches substrings
}

/** True for a usable build network, false when there is none; throws for one made otherwise. */
function checkNetwork(network: NetworkSummary | undefined, name: string): boolean {
  if (!network) return false;
  const problems = [
    network.Driver !== 'bridge' && `its driver is ${network.Driver}, not bridge`,
    network.Options?.[NO_ICC] !== 'false' && `containers on it can reach each other (${NO_ICC} is not false)`,
    network.Internal && 'it is internal (no registry access)',
  ].filter(Boolean);
  if (!problems.length) return true;
  throw new DockerOperationError(
    'build',
    400,
    `the Docker network "${name}" (BUILD_NETWORK) exists but was not made for builds: ${problems.join('; ')}. Remove it (docker network rm ${name}) and Slipway creates it as it should be, or set BUILD_NETWORK to another name`,
  );
}
